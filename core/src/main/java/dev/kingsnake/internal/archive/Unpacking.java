package dev.kingsnake.internal.archive;

import dev.kingsnake.Diagnostic;
import dev.kingsnake.DiagnosticCode;
import dev.kingsnake.Limits;
import dev.kingsnake.PackageKind;
import dev.kingsnake.spi.ParserDifferential;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The state of reading one package: what was read, what went wrong, and every counter the limits are
 * checked against. Single-threaded; one instance per {@link ArchiveReader#read} call.
 *
 * <p>Accounting: {@code processed} counts, against {@code maxTotalBytes}, every uncompressed byte produced
 * at any nesting level: the output of each gzip/bzip2/xz stream (tar headers and skipped data included) and
 * the content of each entry of a zip, an uncompressed tar or a directory. Nested archives are counted again
 * at their own level, so {@code processed} is never less than the bytes kept.
 */
final class Unpacking {
    /**
     * An entry is judged by its compression ratio only once it has produced this much and more than
     * {@code maxEntryBytes}: up to the size the scanner keeps whole anyway, a high ratio costs no more than any
     * other file of that size (onnx ships a 2.5 MB all-zero test tensor at 1016:1), and {@code maxTotalBytes}
     * bounds what many such entries can cost together.
     */
    static final long RATIO_FLOOR = 1L << 20;
    /** Bytes kept of an entry that is not code or metadata: enough to tell its format and kind. */
    static final int SKIM_HEAD = 16 * 1024;
    /** Bytes that tell a native binary by its magic (a PE header needs 64). */
    private static final int NATIVE_MAGIC = 64;
    /** Read granularity: limits and the deadline are checked at least this often. */
    static final int CHUNK = 64 * 1024;
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 16;
    private static final int MAX_MESSAGE = 300;
    /**
     * Diagnostics listed per code; the rest are counted in one summary line. A benign wheel can hold hundreds
     * of hard links (dateutil's zoneinfo tarball), a hostile one tens of thousands of unsafe paths.
     */
    static final int LISTED_PER_CODE = 25;

    /** How reading an entry ended, and what the container reading it must do next. */
    enum Stop {
        /** Go on with the next entry. */
        NONE,
        /** The entry's data was damaged: a stream container cannot go on, a random-access one can. */
        BROKEN,
        /** A limit stopped this container (its diagnostic is recorded); outer containers go on. */
        CONTAINER,
        /** A limit stopped the whole package (its diagnostic is recorded). */
        PACKAGE
    }

    /**
     * One entry as read.
     *
     * @param bytes  the content kept: all of it, or its first bytes (see {@link #readContent})
     * @param size   bytes the entry produced
     * @param sha256 digest of all {@code size} bytes; empty when a limit stopped reading the entry before its end
     * @param stop   what the container must do next
     * @param links  links a native binary carries as text (see {@link EmbeddedLinks}); empty for other entries
     */
    record Content(byte[] bytes, long size, Optional<byte[]> sha256, Stop stop, List<String> links) {
    }

    private final Limits limits;
    private final long startNanos;
    private final long budgetNanos;
    private final List<ArchiveEntry> entries = new ArrayList<>();
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private final Map<String, Optional<byte[]>> seenPaths = new HashMap<>();
    /** The keys of {@link #seenPaths} in the order they were added, so that a {@link Mark} can take them back. */
    private final List<String> seenOrder = new ArrayList<>();
    /** Paths of deferred entries that a later entry repeats: their digest was needed before it was known. */
    private final java.util.Set<String> repeatedWhilePending = new java.util.HashSet<>();
    private final List<ParserDifferential> differentials = new ArrayList<>();
    private final java.util.EnumMap<DiagnosticCode, Integer> perCode = new java.util.EnumMap<>(DiagnosticCode.class);
    private long processed;
    private long kept;
    private long entryBytes;
    private int entryHeaders;
    private boolean stopped;
    private boolean wheelMarker;
    private boolean eggMarker;
    /** Where each entry's next chunk is read: one buffer for the whole package (a session is single-threaded). */
    private final byte[] scratch = new byte[CHUNK];
    private final ContainerReaders readers;
    /** Told of each file as it is kept, while the rest of the package is still being read. */
    private final Consumer<ArchiveEntry> onEntry;

    /** Set from another thread to stop a deferred entry's reading that is no longer wanted. */
    private volatile boolean cancelled;

    /** Whether big zip entries may be read on a second thread (see {@link ContainerReaders}). */
    private final boolean readAhead;

    Unpacking(Limits limits, Consumer<ArchiveEntry> onEntry, boolean readAhead) {
        this(limits, onEntry, System.nanoTime(), readAhead);
    }

    private Unpacking(Limits limits, Consumer<ArchiveEntry> onEntry, long startNanos, boolean readAhead) {
        this.readAhead = readAhead;
        this.limits = limits;
        this.onEntry = onEntry;
        this.startNanos = startNanos;
        this.budgetNanos = limits.packageTimeout().toNanos();
        this.readers = new ContainerReaders(this);
    }

    Limits limits() {
        return limits;
    }

    boolean readAhead() {
        return readAhead;
    }

    ContainerReaders readers() {
        return readers;
    }

    boolean stopped() {
        return stopped;
    }

    boolean sawWheelMarker() {
        return wheelMarker;
    }

    boolean sawEggMarker() {
        return eggMarker;
    }

    boolean hasEntries() {
        return !entries.isEmpty();
    }

    UnpackedPackage result(PackageKind kind, long compressedBytes, boolean clean) {
        perCode.forEach((code, count) -> {
            if (count > LISTED_PER_CODE) {
                diagnostics.add(new Diagnostic(code, "", (count - LISTED_PER_CODE) + " more " + code
                        + " diagnostics of this package are not listed"));
            }
        });
        perCode.clear();
        readers.release();
        boolean readable = !entries.isEmpty() || clean && !stopped;
        return new UnpackedPackage(readable ? kind : PackageKind.UNKNOWN, entries, diagnostics, compressedBytes,
                entryBytes, readable, differentials);
    }

    // ------------------------------------------------------------------ limits

    /** Bytes that may still be processed before {@code maxTotalBytes} is reached. */
    long allowance() {
        return limits.maxTotalBytes() - processed;
    }

    /** Counts bytes the caller made sure fit in {@link #allowance()}. */
    void consume(long n) {
        processed += n;
    }

    /** Stops when the package deadline has passed or a limit already stopped the package. */
    void checkDeadline(String where) throws LimitReached {
        if (stopped || cancelled) {
            throw new LimitReached("stopped", true);
        }
        if (System.nanoTime() - startNanos > budgetNanos) {
            throw stopPackage(where, "packageTimeout (" + limits.packageTimeout().toMillis()
                    + " ms) exceeded while unpacking; the rest of the package is not scanned");
        }
    }

    /** Counts one archive header (file, directory or link) against {@code maxEntries}. */
    void admitEntry(String where) throws LimitReached {
        checkDeadline(where);
        if (++entryHeaders > limits.maxEntries()) {
            throw stopPackage(where, "maxEntries (" + limits.maxEntries() + ") exceeded: the package has more"
                    + " entries; the rest is not scanned");
        }
    }

    LimitReached stopForTotal(String where) {
        return stopPackage(where, "maxTotalBytes (" + limits.maxTotalBytes() + ") exceeded: the package expands"
                + " to more bytes; reading stopped there and the rest is not scanned");
    }

    private LimitReached stopPackage(String where, String message) {
        if (!stopped) {
            stopped = true;
            diagnostics.add(new Diagnostic(DiagnosticCode.LIMIT_EXCEEDED, where, message));
        }
        return new LimitReached(message, true);
    }

    // ------------------------------------------------------------------ diagnostics

    /** Records a diagnostic; beyond {@link #LISTED_PER_CODE} of one code they are only counted. */
    void diagnose(DiagnosticCode code, String file, String message) {
        if (perCode.merge(code, 1, Integer::sum) <= LISTED_PER_CODE) {
            diagnostics.add(new Diagnostic(code, file, message));
        }
    }

    void limit(String file, String message) {
        diagnose(DiagnosticCode.LIMIT_EXCEEDED, file, message);
    }

    void unreadable(String file, String message) {
        diagnose(DiagnosticCode.ARCHIVE_UNREADABLE, file, message);
    }

    void linkEntry(String path, String kind, String target) {
        String to = target == null || target.isEmpty() ? "" : " to '" + EntryPath.printable(target) + "'";
        diagnose(DiagnosticCode.LINK_ENTRY, path, kind + " link" + to + " is not followed");
    }

    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null && sb.length() < MAX_MESSAGE; t = t.getCause() == t ? null : t.getCause()) {
            if (!sb.isEmpty()) {
                sb.append(" <- ");
            }
            sb.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                sb.append(": ").append(t.getMessage());
            }
        }
        String s = EntryPath.printable(sb.toString());
        return s.length() > MAX_MESSAGE ? s.substring(0, MAX_MESSAGE) + "…" : s;
    }

    // ------------------------------------------------------------------ entries

    /**
     * The safe path of an entry, reporting an unsafe raw path (UNSAFE_PATH) and an over-long one
     * (LIMIT_EXCEEDED, the path is cut). Also notes the markers that make a top-level zip a wheel or an egg.
     */
    String entryPath(String prefix, String raw, int depth) {
        if (depth == 0 && prefix.isEmpty()) {
            noteKindMarkers(raw);
        }
        EntryPath p = EntryPath.of(raw);
        String path = p.path();
        if (raw.length() > limits.maxPathLength()) {
            path = path.substring(0, Math.min(path.length(), limits.maxPathLength()));
            limit(prefix + path, "maxPathLength (" + limits.maxPathLength() + ") exceeded: a path of "
                    + raw.length() + " characters is scanned cut to its first " + path.length());
        }
        String full = prefix + path;
        if (p.problem().isPresent()) {
            String shown = raw.length() > limits.maxPathLength() ? raw.substring(0, limits.maxPathLength()) + "…" : raw;
            diagnose(DiagnosticCode.UNSAFE_PATH, full, "unsafe entry path '" + EntryPath.printable(shown) + "' "
                    + p.problem().get() + "; scanned as '" + full + "'");
        }
        return full;
    }

    private void noteKindMarkers(String raw) {
        String p = raw.replace('\\', '/');
        if (p.startsWith("./")) {
            p = p.substring(2);
        }
        if (p.startsWith("EGG-INFO/")) {
            eggMarker = true;
        }
        int slash = p.indexOf('/');
        if (slash > 0 && p.substring(0, slash).endsWith(".dist-info") && p.substring(slash + 1).equals("WHEEL")) {
            wheelMarker = true;
        }
    }

    /**
     * Keeps a file read from the package, then opens it if it is itself an archive (up to
     * {@code maxNestingDepth}). Duplicate paths are all kept and scanned; each repeat gets an UNSAFE_PATH
     * diagnostic because installers keep only the last copy while a scanner could look at the first, and a
     * repeat with other content is a parser differential.
     */
    void addFile(String path, String rawPath, Content c, boolean executable, int depth) {
        Optional<byte[]> earlier = seenPaths.putIfAbsent(path, c.sha256());
        if (earlier == null) {
            seenOrder.add(path);
        } else {
            if (earlier == PENDING) {
                repeatedWhilePending.add(path);
            }
            diagnose(DiagnosticCode.UNSAFE_PATH, path, "duplicate entry path '" + path + "': every copy is"
                    + " scanned, but an installer keeps only the last one");
            boolean differs = earlier.isEmpty() || c.sha256().isEmpty()
                    || !Arrays.equals(earlier.get(), c.sha256().get());
            if (differs) {
                differential(path, "the archive holds two entries named '" + EntryPath.printable(path) + "' with"
                        + " different content: which one a tool extracts depends on the tool");
            }
        }
        byte[] bytes = c.bytes();
        ArchiveEntry entry = new ArchiveEntry(path, rawPath, bytes, executable, c.size(), c.sha256(), c.links());
        entries.add(entry);
        onEntry.accept(entry);
        kept += bytes.length;
        entryBytes += c.size();
        Format nested = Format.magic(bytes, bytes.length);
        if (nested == null || !nested.container() || stopped) {
            return;
        }
        if (depth + 1 > limits.maxNestingDepth()) {
            limit(path, "maxNestingDepth (" + limits.maxNestingDepth() + ") exceeded: nested " + nested.label()
                    + " archive not opened");
            return;
        }
        readers.openNested(bytes, nested, path, depth + 1);
    }

    /** Records that two ways of reading the archive disagree about an entry (reported as a finding). */
    void differential(String path, String description) {
        if (differentials.size() < LISTED_PER_CODE) {
            differentials.add(new ParserDifferential(path, description));
        }
    }

    // ------------------------------------------------------------------ entries read on another thread

    /** The digest of a deferred entry until it is known (compared by identity). */
    private static final Optional<byte[]> PENDING = Optional.of(new byte[0]);

    /**
     * Where this session stood before an entry: everything an entry and those after it change, so that reading
     * can go back there when an entry read on another thread ({@link ContainerReaders}) turns out other than
     * assumed, and read on from it as if nothing had been read ahead.
     */
    record Mark(int entries, int diagnostics, int differentials, int seen, Map<DiagnosticCode, Integer> perCode,
                long processed, long kept, long entryBytes, int entryHeaders, boolean stopped, boolean wheelMarker,
                boolean eggMarker) {
    }

    Mark mark() {
        return new Mark(entries.size(), diagnostics.size(), differentials.size(), seenOrder.size(),
                new java.util.EnumMap<>(perCode), processed, kept, entryBytes, entryHeaders, stopped, wheelMarker,
                eggMarker);
    }

    /**
     * Goes back to {@code m}. The files told to {@code onEntry} since are told again when they are read again
     * (as other objects); a consumer that keyed work on them only loses that work.
     */
    void rollback(Mark m) {
        entries.subList(m.entries(), entries.size()).clear();
        diagnostics.subList(m.diagnostics(), diagnostics.size()).clear();
        differentials.subList(m.differentials(), differentials.size()).clear();
        List<String> added = seenOrder.subList(m.seen(), seenOrder.size());
        added.forEach(seenPaths::remove);
        added.clear();
        repeatedWhilePending.clear();
        perCode.clear();
        perCode.putAll(m.perCode());
        processed = m.processed();
        kept = m.kept();
        entryBytes = m.entryBytes();
        entryHeaders = m.entryHeaders();
        stopped = m.stopped();
        wheelMarker = m.wheelMarker();
        eggMarker = m.eggMarker();
    }

    /**
     * Whether an entry of {@code size} declared bytes may be read on another thread, assuming it is read to its
     * end with exactly that size, is not kept whole (only its first {@value #SKIM_HEAD} bytes) and meets no limit.
     */
    boolean mayDefer(String path, long size) {
        return !stopped && !seenPaths.containsKey(path) && size > SKIM_HEAD && allowance() >= size
                && limits.maxEntryBytes() >= SKIM_HEAD && kept + SKIM_HEAD < limits.maxRetainedBytes();
    }

    /**
     * Counts a deferred entry as {@link #mayDefer} assumes it will be read, and holds its place among the entries.
     *
     * @return its place, for {@link #commitDeferred}
     */
    int addDeferred(String path, long size) {
        seenPaths.put(path, PENDING);
        seenOrder.add(path);
        entries.add(null);
        consume(size);
        kept += SKIM_HEAD;
        entryBytes += size;
        return entries.size() - 1;
    }

    /**
     * A session that reads one deferred entry on another thread: the counters it starts from are those this one
     * had when the entry was deferred; its diagnostics and stops are its own (any at all means the assumption
     * failed, see {@link #readsAsAssumed}).
     */
    Unpacking forDeferred() {
        Unpacking s = new Unpacking(limits, e -> { }, startNanos, false);
        s.processed = processed;
        s.kept = kept;
        return s;
    }

    /** Stops this deferred entry's session at its next chunk (see {@link #checkDeadline}). */
    void cancel() {
        cancelled = true;
    }

    /**
     * Whether {@code c}, read by {@code deferred} (a {@link #forDeferred} session), is what {@link #addDeferred}
     * assumed for an entry of {@code size} at {@code path}: read whole to that size, no limit, no damage, not kept
     * whole, and no later entry of this session needed its digest before it was known.
     */
    boolean readsAsAssumed(Unpacking deferred, Content c, String path, long size) {
        return deferred.diagnostics.isEmpty() && !deferred.stopped && c.stop() == Stop.NONE
                && c.sha256().isPresent() && c.size() == size && c.bytes().length == SKIM_HEAD
                && !repeatedWhilePending.contains(path);
    }

    /** Puts a deferred entry read as assumed in its place and tells {@code onEntry} of it. */
    void commitDeferred(int slot, String path, String rawPath, Content c, boolean executable) {
        ArchiveEntry entry = new ArchiveEntry(path, rawPath, c.bytes(), executable, c.size(), c.sha256(), c.links());
        entries.set(slot, entry);
        seenPaths.put(path, c.sha256());
        onEntry.accept(entry);
    }

    // ------------------------------------------------------------------ content

    /**
     * Reads one entry's content within the limits. Never throws: damage and limits become diagnostics and a
     * {@link Stop}, and whatever was read is returned. Code and metadata (see {@link FileClassifier}) are kept
     * whole up to {@code maxEntryBytes}; anything else keeps only its first {@value #SKIM_HEAD} bytes. Either way
     * every byte is hashed and counted, so an entry past a bound is reported and skipped, never the rest.
     *
     * @param declared       the size the archive declares, used to size the buffer exactly when plausible,
     *                       -1 when unknown or not trusted; it never bounds what is read
     * @param countHere      whether these bytes count against maxTotalBytes here (false when a metered
     *                       decompressor below already counts them)
     * @param expansion      how far the entry has expanded, judged against {@code maxCompressionRatio}
     * @param drainAfterCut  whether the rest of a cut entry must be read through to reach the next entry
     *                       (stream containers); the rest is discarded, metered by the total budget and the deadline
     */
    Content readContent(InputStream in, String path, long declared, boolean countHere, Expansion expansion,
                        boolean drainAfterCut) {
        EntrySink sink = new EntrySink(path, declared);
        boolean ratioChecked = true;
        long ratioFloor = Math.max(RATIO_FLOOR, limits.maxEntryBytes());
        try {
            while (true) {
                int want = CHUNK;
                if (countHere) {
                    long a = allowance();
                    if (a <= 0) {
                        if (in.read() < 0) {
                            break;
                        }
                        throw stopForTotal(path);
                    }
                    want = (int) Math.min(want, a);
                }
                int r = in.read(scratch, 0, want);
                if (r < 0) {
                    break;
                }
                sink.accept(scratch, r);
                if (countHere) {
                    consume(r);
                }
                checkDeadline(path);
                if (ratioChecked && sink.size > ratioFloor) {
                    double ratio = expansion.ratio(sink.size);
                    if (ratio > limits.maxCompressionRatio()) {
                        ratioChecked = false;
                        limit(path, String.format(Locale.ROOT, "maxCompressionRatio (%d) exceeded: the entry expanded"
                                + " %.0f:1 after %d bytes; it is cut there and skipped, the entries behind it are"
                                + " still read", limits.maxCompressionRatio(), ratio, sink.size));
                        sink.cut();
                        if (!drainAfterCut) {
                            return sink.content(Stop.NONE, false);
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            LimitReached l = LimitReached.in(e);
            if (l != null) {
                return sink.content(l.wholePackage() ? Stop.PACKAGE : Stop.CONTAINER, false);
            }
            unreadable(path, "entry data is truncated or corrupt after " + sink.size + " bytes: " + describe(e));
            return sink.content(Stop.BROKEN, false);
        }
        return sink.content(Stop.NONE, true);
    }

    /**
     * Collects one entry: its first bytes, then either the rest (code and metadata, up to {@code maxEntryBytes}
     * and what is left of {@code maxRetainedBytes}) or nothing more; its size and SHA-256 over every byte.
     */
    private final class EntrySink {
        private final String path;
        private final long declared;
        private final MessageDigest sha256 = sha256();
        private byte[] buf;
        private int n;
        private long size;
        private boolean decided;
        private boolean keeping = true;
        private boolean nativeDecided;
        private EmbeddedLinks links;

        EntrySink(String path, long declared) {
            this.path = path;
            this.declared = declared;
            long first = Math.min(SKIM_HEAD, limits.maxEntryBytes());
            if (declared >= 0 && declared < first) {
                first = declared;
            }
            this.buf = new byte[(int) first];
        }

        void accept(byte[] chunk, int length) {
            sha256.update(chunk, 0, length);
            size += length;
            int off = 0;
            while (keeping && off < length) {
                if (n == buf.length && !grow()) {
                    break;
                }
                int take = Math.min(length - off, buf.length - n);
                System.arraycopy(chunk, off, buf, n, take);
                n += take;
                off += take;
            }
            if (links != null) {
                links.accept(chunk, 0, length);
            } else if (!nativeDecided && n >= NATIVE_MAGIC && n >= size - length) {
                nativeDecided = true;
                if (limits.maxNativeScanBytes() > 0 && FileClassifier.isNative(Arrays.copyOf(buf, NATIVE_MAGIC))) {
                    // every byte before this chunk is in buf, and the first bytes of this one
                    int inBuf = (int) (n - (size - length));
                    links = new EmbeddedLinks(limits.maxNativeScanBytes());
                    links.accept(buf, 0, n);
                    links.accept(chunk, inBuf, length - inBuf);
                }
            }
        }

        /** Makes room for more bytes, or decides that the rest of the entry is not kept. */
        private boolean grow() {
            if (!decided && n >= SKIM_HEAD) {
                decided = true;
                if (!FileClassifier.needsWholeContent(path, buf, n)) {
                    keeping = false;
                    return false;
                }
            }
            long cap = Math.min(limits.maxEntryBytes(), MAX_ARRAY);
            if (n >= cap) {
                limit(path, "maxEntryBytes (" + limits.maxEntryBytes() + ") exceeded: the entry is kept cut after "
                        + n + " bytes; the rest of it is read, hashed and discarded");
                keeping = false;
                return false;
            }
            if (kept + n >= limits.maxRetainedBytes()) {
                limit(path, "maxRetainedBytes (" + limits.maxRetainedBytes() + ") reached: the entry is kept cut"
                        + " after " + n + " bytes; the rest of it is read, hashed and discarded");
                keeping = false;
                return false;
            }
            long next = declared > n ? declared : Math.max(2L * n, CHUNK);
            buf = Arrays.copyOf(buf, (int) Math.min(cap, next));
            return true;
        }

        void cut() {
            keeping = false;
        }

        /** What was read; the size and digest describe the whole entry only when it was read to its end. */
        Content content(Stop stop, boolean whole) {
            return new Content(n == buf.length ? buf : Arrays.copyOf(buf, n), size,
                    whole ? Optional.of(sha256.digest()) : Optional.empty(), stop,
                    links == null ? List.of() : links.links());
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    static String lastSegment(String name) {
        String s = name.replace('\\', '/');
        while (s.endsWith("/") && s.length() > 1) {
            s = s.substring(0, s.length() - 1);
        }
        int slash = s.lastIndexOf('/');
        String last = slash < 0 ? s : s.substring(slash + 1);
        return last.isEmpty() ? EntryPath.UNNAMED : last;
    }

    /** The name a compressed stream's content gets: its own name without the compression suffix. */
    static String withoutCompressionSuffix(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (String suffix : List.of(".tgz", ".tbz2", ".tbz", ".txz")) {
            if (lower.endsWith(suffix)) {
                return name.substring(0, name.length() - suffix.length()) + ".tar";
            }
        }
        for (String suffix : List.of(".gz", ".bz2", ".xz")) {
            if (lower.endsWith(suffix) && name.length() > suffix.length()) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return name + ".content";
    }
}
