package dev.kingsnake.internal.engine;

import dev.kingsnake.internal.archive.ArchiveEntry;
import dev.kingsnake.internal.archive.FileClassifier;
import dev.kingsnake.internal.python.ParseOutcome;
import dev.kingsnake.internal.python.PythonParser;
import dev.kingsnake.spi.FileKind;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Parses the Python files of a big archive while the rest of it is still being read. Reading torch (1.1 GB
 * inflated and hashed) takes about 5 s of one core, during which the analysis, which needs the whole package,
 * cannot start: the other core sat idle. A parse depends only on the file's path and bytes, so a parse made
 * ahead is the parse the analysis would make; the analysis takes it ({@link #parse}) or, for a file not parsed
 * ahead, parses it itself. At most {@code maxSource} bytes of source are parsed ahead (the first two groups of a
 * package analysed in groups, the two analysed first), so the parses made ahead never hold more heap than the two
 * groups analysed at once.
 * Thread-safe: entries arrive on the reading thread, parses are taken on the analysing threads.
 */
final class ParseAhead implements Consumer<ArchiveEntry> {
    private final PythonParser parser;
    private final Executor executor;
    private final long maxSource;
    private final Map<ArchiveEntry, Pending> pending = new IdentityHashMap<>();
    private long queued;

    /** One file's parse: done by whichever side claims it first, the executor or the analysis. */
    private static final class Pending {
        final AtomicBoolean claimed = new AtomicBoolean();
        final CompletableFuture<ParseOutcome> outcome = new CompletableFuture<>();
    }

    ParseAhead(PythonParser parser, Executor executor, long maxSource) {
        this.parser = parser;
        this.executor = executor;
        this.maxSource = maxSource;
    }

    @Override
    public void accept(ArchiveEntry e) {
        if (queued + e.bytes().length > maxSource || FileClassifier.classify(e.path(), e.bytes()) != FileKind.PYTHON) {
            return;
        }
        queued += e.bytes().length;
        Pending p = new Pending();
        synchronized (pending) {
            pending.put(e, p);
        }
        executor.execute(() -> {
            if (p.claimed.compareAndSet(false, true)) {
                try {
                    p.outcome.complete(parser.parse(e.path(), e.bytes()));
                } catch (RuntimeException | Error failure) {
                    p.outcome.completeExceptionally(failure);
                }
            }
        });
    }

    /**
     * The parse of {@code e}: the one made ahead (waiting for it if it is under way), or made now when it was
     * not made ahead, not started yet, or failed (parsed again here, so that a failure surfaces where a parse
     * made now would have raised it).
     */
    ParseOutcome parse(ArchiveEntry e) {
        Pending p;
        synchronized (pending) {
            p = pending.remove(e);
        }
        if (p == null || p.claimed.compareAndSet(false, true)) {
            return parser.parse(e.path(), e.bytes());
        }
        try {
            return p.outcome.join();
        } catch (RuntimeException failure) {
            return parser.parse(e.path(), e.bytes());
        }
    }

    /** Drops the parses not taken (the deadline passed, or the file was found in the result cache). */
    void close() {
        synchronized (pending) {
            pending.values().forEach(p -> p.claimed.set(true));
            pending.clear();
        }
    }

    /** Parses nothing ahead: every file is parsed when the analysis reaches it. */
    static ParseAhead none(PythonParser parser) {
        return new ParseAhead(parser, Runnable::run, -1);
    }
}
