package dev.kingsnake.internal.archive;

import dev.kingsnake.Diagnostic;
import dev.kingsnake.DiagnosticCode;
import dev.kingsnake.Limits;
import dev.kingsnake.PackageKind;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongSupplier;

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
    /** An entry (or stream) is judged by its compression ratio only once it has produced this much. */
    static final long RATIO_FLOOR = 1L << 20;
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

    record Content(byte[] bytes, Stop stop) {
    }

    private final Limits limits;
    private final long startNanos;
    private final long budgetNanos;
    private final List<ArchiveEntry> entries = new ArrayList<>();
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private final Set<String> seenPaths = new HashSet<>();
    private final java.util.EnumMap<DiagnosticCode, Integer> perCode = new java.util.EnumMap<>(DiagnosticCode.class);
    private long processed;
    private long kept;
    private int entryHeaders;
    private boolean stopped;
    private boolean wheelMarker;
    private boolean eggMarker;
    private final ContainerReaders readers;

    Unpacking(Limits limits) {
        this.limits = limits;
        this.startNanos = System.nanoTime();
        this.budgetNanos = limits.packageTimeout().toNanos();
        this.readers = new ContainerReaders(this);
    }

    Limits limits() {
        return limits;
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
        boolean readable = !entries.isEmpty() || clean && !stopped;
        return new UnpackedPackage(readable ? kind : PackageKind.UNKNOWN, entries, diagnostics, compressedBytes,
                kept, readable);
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
        if (stopped) {
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

    LimitReached stopForStreamRatio(String where, long produced, long compressed) {
        limit(where, "maxCompressionRatio (" + limits.maxCompressionRatio() + ") exceeded: the compressed stream"
                + " expanded " + produced + " bytes from " + compressed + "; the rest of it is not read");
        return new LimitReached("maxCompressionRatio", false);
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
     * diagnostic because installers keep only the last copy while a scanner could look at the first.
     */
    void addFile(String path, String rawPath, byte[] bytes, boolean executable, int depth) {
        if (!seenPaths.add(path)) {
            diagnose(DiagnosticCode.UNSAFE_PATH, path, "duplicate entry path '" + path + "': every copy is"
                    + " scanned, but an installer keeps only the last one");
        }
        entries.add(new ArchiveEntry(path, rawPath, bytes, executable));
        kept += bytes.length;
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

    // ------------------------------------------------------------------ content

    /**
     * Reads one entry's content within the limits. Never throws: damage and limits become diagnostics and a
     * {@link Stop}, and whatever was read is returned.
     *
     * @param declared       the size the archive declares, used to size the buffer exactly when plausible,
     *                       -1 when unknown or not trusted; it never bounds what is read
     * @param countHere      whether these bytes count against maxTotalBytes here (false when a metered
     *                       decompressor below already counts them)
     * @param compressedPos  bytes of this container's own input consumed so far, for the entry's ratio (for a tar
     *                       inside a compressor: the tar bytes, since the compressor's ratio is checked below)
     * @param drainAfterCut  whether the rest of a cut entry must be read through to reach the next entry
     *                       (stream containers); the rest is metered and checked like everything else
     */
    Content readContent(InputStream in, String path, long declared, boolean countHere, LongSupplier compressedPos,
                        boolean drainAfterCut) {
        long startPos = compressedPos.getAsLong();
        long cap = limits.maxEntryBytes();
        boolean totalBinds = false;
        if (countHere && allowance() < cap) {
            cap = Math.max(0, allowance());
            totalBinds = true;
        }
        int icap = (int) Math.min(cap, MAX_ARRAY);
        int initial = declared >= 0 ? (int) Math.min(declared, icap) : Math.min(icap, CHUNK);
        byte[] buf = new byte[initial];
        int n = 0;
        try {
            while (true) {
                if (n == buf.length) {
                    int probe = in.read();
                    if (probe < 0) {
                        break;
                    }
                    if (n >= icap) {
                        if (totalBinds) {
                            throw stopForTotal(path);
                        }
                        limit(path, "maxEntryBytes (" + limits.maxEntryBytes() + ") exceeded: the entry is cut"
                                + " after " + n + " bytes");
                        if (drainAfterCut) {
                            drain(in, path, countHere, compressedPos, startPos, n + 1L);
                        }
                        return new Content(buf, Stop.NONE);
                    }
                    buf = Arrays.copyOf(buf, (int) Math.min(icap, Math.max(2L * n, CHUNK)));
                    buf[n++] = (byte) probe;
                    if (countHere) {
                        consume(1);
                    }
                    continue;
                }
                int r = in.read(buf, n, Math.min(buf.length - n, CHUNK));
                if (r < 0) {
                    break;
                }
                n += r;
                if (countHere) {
                    consume(r);
                }
                checkDeadline(path);
                if (n > RATIO_FLOOR) {
                    long compressed = Math.max(1, compressedPos.getAsLong() - startPos);
                    if (n > (double) limits.maxCompressionRatio() * compressed) {
                        limit(path, "maxCompressionRatio (" + limits.maxCompressionRatio() + ") exceeded: the entry"
                                + " expanded to " + n + " bytes from " + compressed + " compressed bytes and is cut"
                                + (drainAfterCut ? "; the rest of its archive lies behind it and is not read" : ""));
                        return new Content(trim(buf, n), drainAfterCut ? Stop.CONTAINER : Stop.NONE);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            LimitReached l = LimitReached.in(e);
            if (l != null) {
                return new Content(trim(buf, n), l.wholePackage() ? Stop.PACKAGE : Stop.CONTAINER);
            }
            unreadable(path, "entry data is truncated or corrupt after " + n + " bytes: " + describe(e));
            return new Content(trim(buf, n), Stop.BROKEN);
        }
        return new Content(trim(buf, n), Stop.NONE);
    }

    /** Reads and discards the rest of an entry that was cut, metered like everything else. */
    private void drain(InputStream in, String path, boolean countHere, LongSupplier compressedPos, long startPos,
                       long producedSoFar) throws IOException {
        byte[] scratch = new byte[CHUNK];
        long produced = producedSoFar;
        if (countHere) {
            consume(1);
        }
        while (true) {
            int want = CHUNK;
            if (countHere) {
                long a = allowance();
                if (a <= 0) {
                    if (in.read() < 0) {
                        return;
                    }
                    throw stopForTotal(path);
                }
                want = (int) Math.min(want, a);
            }
            int r = in.read(scratch, 0, want);
            if (r < 0) {
                return;
            }
            produced += r;
            if (countHere) {
                consume(r);
            }
            checkDeadline(path);
            long compressed = Math.max(1, compressedPos.getAsLong() - startPos);
            if (produced > RATIO_FLOOR && produced > (double) limits.maxCompressionRatio() * compressed) {
                limit(path, "maxCompressionRatio (" + limits.maxCompressionRatio() + ") exceeded while skipping the"
                        + " rest of a cut entry (" + produced + " bytes from " + compressed + " compressed); the rest"
                        + " of its archive is not read");
                throw new LimitReached("maxCompressionRatio", false);
            }
        }
    }

    private static byte[] trim(byte[] buf, int n) {
        return n == buf.length ? buf : Arrays.copyOf(buf, n);
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
