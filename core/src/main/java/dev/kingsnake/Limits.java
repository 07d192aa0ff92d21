package dev.kingsnake;

import java.time.Duration;
import java.util.Objects;

/**
 * Every bound the scanner enforces on hostile input. All sizes are checked against bytes actually
 * read, never against sizes an archive declares. Exceeding a bound becomes a
 * {@link DiagnosticCode#LIMIT_EXCEEDED} diagnostic and the scan goes on with what was read.
 *
 * @param maxTotalBytes           uncompressed bytes decompressed from one package, nested archives and the skipped
 *                                rest of cut entries included; the budget that bounds the work on any input
 * @param maxEntryBytes           uncompressed bytes of one code or metadata entry kept in memory (the rest is
 *                                read, hashed and discarded); also the largest input read into memory whole
 * @param maxRetainedBytes        bytes of all entries of one package kept in memory for analysis; other
 *                                entries (native libraries, data) only ever keep their first 16 KiB
 * @param maxEntries              entries read from one package, nested archives included
 * @param maxCompressionRatio     uncompressed/compressed ratio of one entry beyond which it is cut off and
 *                                skipped, checked once an entry has produced more than {@code maxEntryBytes}
 *                                (and 1 MiB): smaller entries are read whole like any other file, and
 *                                {@code maxTotalBytes} bounds them together; later entries are still read
 * @param maxNestingDepth         archives inside archives that are opened (0 = only the outer one)
 * @param maxPathLength           characters in one entry path
 * @param maxParseBytes           bytes of one Python file that are fully parsed; larger files are
 *                                only scanned as text
 * @param maxSyntaxNesting        bracket/indent nesting of Python code beyond which parsing of that
 *                                statement stops
 * @param maxDecodedBytesPerLayer bytes one decoding step may produce
 * @param maxDecodeLayers         decoding layers peeled off one payload
 * @param maxDecodedBytesPerPackage bytes all decoding in one package may produce
 * @param packageTimeout          wall time for scanning one package
 * @param maxNativeScanBytes      bytes at the start of each native binary (PE, ELF, Mach-O) searched for the links
 *                                it carries as text while it streams through
 * @param maxAnalysisSteps        evaluation steps (one expression or statement each) the deobfuscator may spend on one
 *                                Python file or decoded layer, every payload of the file together; the look-ups of
 *                                the obfuscation signals get a hundredth of it, a {@code while} loop being followed
 *                                a two-thousandth of it in rounds, one data-flow question (where a value comes
 *                                from, the facts rules read) a thousandth of it in nodes visited
 * @param maxEvaluationDepth      expressions, names and calls followed inside one another when evaluating one
 *                                expression (the decoder); constant folding, which answers every rule's constant
 *                                questions, follows a fifth of it
 * @param maxReachableFunctions   functions of a file followed from one call through the calls they make, to learn
 *                                what running that call can do (the facts rules read); past it the rest of the call
 *                                graph is not followed
 */
public record Limits(
        long maxTotalBytes,
        long maxEntryBytes,
        long maxRetainedBytes,
        int maxEntries,
        int maxCompressionRatio,
        int maxNestingDepth,
        int maxPathLength,
        long maxParseBytes,
        int maxSyntaxNesting,
        long maxDecodedBytesPerLayer,
        int maxDecodeLayers,
        long maxDecodedBytesPerPackage,
        Duration packageTimeout,
        long maxNativeScanBytes,
        long maxAnalysisSteps,
        int maxEvaluationDepth,
        int maxReachableFunctions) {

    private static final long MIB = 1024L * 1024L;
    private static final long DEFAULT_NATIVE_SCAN_BYTES = 16 * MIB;
    private static final long DEFAULT_ANALYSIS_STEPS = 20_000_000;
    private static final int DEFAULT_EVALUATION_DEPTH = 200;
    private static final int DEFAULT_REACHABLE_FUNCTIONS = 256;

    public Limits {
        positive(maxTotalBytes, "maxTotalBytes");
        positive(maxEntryBytes, "maxEntryBytes");
        positive(maxRetainedBytes, "maxRetainedBytes");
        positive(maxEntries, "maxEntries");
        positive(maxCompressionRatio, "maxCompressionRatio");
        if (maxNestingDepth < 0) {
            throw new IllegalArgumentException("maxNestingDepth must be >= 0");
        }
        positive(maxPathLength, "maxPathLength");
        positive(maxParseBytes, "maxParseBytes");
        positive(maxSyntaxNesting, "maxSyntaxNesting");
        positive(maxDecodedBytesPerLayer, "maxDecodedBytesPerLayer");
        positive(maxDecodeLayers, "maxDecodeLayers");
        positive(maxDecodedBytesPerPackage, "maxDecodedBytesPerPackage");
        Objects.requireNonNull(packageTimeout, "packageTimeout");
        if (packageTimeout.isNegative() || packageTimeout.isZero()) {
            throw new IllegalArgumentException("packageTimeout must be positive");
        }
        if (maxNativeScanBytes < 0) {
            throw new IllegalArgumentException("maxNativeScanBytes must be >= 0");
        }
        positive(maxAnalysisSteps, "maxAnalysisSteps");
        positive(maxEvaluationDepth, "maxEvaluationDepth");
        positive(maxReachableFunctions, "maxReachableFunctions");
    }

    /** The bounds as they were before {@code maxReachableFunctions} existed; it takes its default. */
    public Limits(long maxTotalBytes, long maxEntryBytes, long maxRetainedBytes, int maxEntries,
                  int maxCompressionRatio, int maxNestingDepth, int maxPathLength, long maxParseBytes,
                  int maxSyntaxNesting, long maxDecodedBytesPerLayer, int maxDecodeLayers,
                  long maxDecodedBytesPerPackage, Duration packageTimeout, long maxNativeScanBytes,
                  long maxAnalysisSteps, int maxEvaluationDepth) {
        this(maxTotalBytes, maxEntryBytes, maxRetainedBytes, maxEntries, maxCompressionRatio, maxNestingDepth,
                maxPathLength, maxParseBytes, maxSyntaxNesting, maxDecodedBytesPerLayer, maxDecodeLayers,
                maxDecodedBytesPerPackage, packageTimeout, maxNativeScanBytes, maxAnalysisSteps, maxEvaluationDepth,
                DEFAULT_REACHABLE_FUNCTIONS);
    }

    /** The bounds as they were before the analysis bounds existed; those take their defaults. */
    public Limits(long maxTotalBytes, long maxEntryBytes, long maxRetainedBytes, int maxEntries,
                  int maxCompressionRatio, int maxNestingDepth, int maxPathLength, long maxParseBytes,
                  int maxSyntaxNesting, long maxDecodedBytesPerLayer, int maxDecodeLayers,
                  long maxDecodedBytesPerPackage, Duration packageTimeout, long maxNativeScanBytes) {
        this(maxTotalBytes, maxEntryBytes, maxRetainedBytes, maxEntries, maxCompressionRatio, maxNestingDepth,
                maxPathLength, maxParseBytes, maxSyntaxNesting, maxDecodedBytesPerLayer, maxDecodeLayers,
                maxDecodedBytesPerPackage, packageTimeout, maxNativeScanBytes, DEFAULT_ANALYSIS_STEPS,
                DEFAULT_EVALUATION_DEPTH);
    }

    /** The bounds as they were before {@code maxNativeScanBytes} existed; it takes its default. */
    public Limits(long maxTotalBytes, long maxEntryBytes, long maxRetainedBytes, int maxEntries,
                  int maxCompressionRatio, int maxNestingDepth, int maxPathLength, long maxParseBytes,
                  int maxSyntaxNesting, long maxDecodedBytesPerLayer, int maxDecodeLayers,
                  long maxDecodedBytesPerPackage, Duration packageTimeout) {
        this(maxTotalBytes, maxEntryBytes, maxRetainedBytes, maxEntries, maxCompressionRatio, maxNestingDepth,
                maxPathLength, maxParseBytes, maxSyntaxNesting, maxDecodedBytesPerLayer, maxDecodeLayers,
                maxDecodedBytesPerPackage, packageTimeout, DEFAULT_NATIVE_SCAN_BYTES);
    }

    /**
     * Defaults that keep a 2-core machine with a 512 MiB heap safe while scanning real packages whole: the total
     * is above the largest wheels people install (tensorflow-cpu and torch expand to 1.1–1.3 GiB) and above what
     * the largest real sdists expand to with their nested archives (scipy's benchmark matrices, zero-filled
     * {@code .npz} files of 2.4 MB at about 900:1, make 6.7 GB); it bounds decompression work (CPU), not memory,
     * which is bounded by what is kept, not by what is read.
     */
    public static Limits defaults() {
        return new Limits(
                16 * 1024 * MIB,
                64 * MIB,
                256 * MIB,
                50_000,
                1_000,
                3,
                4_096,
                4 * MIB,
                1_000,
                16 * MIB,
                16,
                64 * MIB,
                Duration.ofSeconds(60),
                DEFAULT_NATIVE_SCAN_BYTES,
                DEFAULT_ANALYSIS_STEPS,
                DEFAULT_EVALUATION_DEPTH,
                DEFAULT_REACHABLE_FUNCTIONS);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public static Builder builder() {
        return new Builder(defaults());
    }

    private static void positive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    /** Changes some bounds, keeping the others. */
    public static final class Builder {
        private long maxTotalBytes;
        private long maxEntryBytes;
        private long maxRetainedBytes;
        private int maxEntries;
        private int maxCompressionRatio;
        private int maxNestingDepth;
        private int maxPathLength;
        private long maxParseBytes;
        private int maxSyntaxNesting;
        private long maxDecodedBytesPerLayer;
        private int maxDecodeLayers;
        private long maxDecodedBytesPerPackage;
        private Duration packageTimeout;
        private long maxNativeScanBytes;
        private long maxAnalysisSteps;
        private int maxEvaluationDepth;
        private int maxReachableFunctions;

        private Builder(Limits l) {
            maxTotalBytes = l.maxTotalBytes;
            maxEntryBytes = l.maxEntryBytes;
            maxRetainedBytes = l.maxRetainedBytes;
            maxEntries = l.maxEntries;
            maxCompressionRatio = l.maxCompressionRatio;
            maxNestingDepth = l.maxNestingDepth;
            maxPathLength = l.maxPathLength;
            maxParseBytes = l.maxParseBytes;
            maxSyntaxNesting = l.maxSyntaxNesting;
            maxDecodedBytesPerLayer = l.maxDecodedBytesPerLayer;
            maxDecodeLayers = l.maxDecodeLayers;
            maxDecodedBytesPerPackage = l.maxDecodedBytesPerPackage;
            packageTimeout = l.packageTimeout;
            maxNativeScanBytes = l.maxNativeScanBytes;
            maxAnalysisSteps = l.maxAnalysisSteps;
            maxEvaluationDepth = l.maxEvaluationDepth;
            maxReachableFunctions = l.maxReachableFunctions;
        }

        public Builder maxTotalBytes(long v) { maxTotalBytes = v; return this; }
        public Builder maxEntryBytes(long v) { maxEntryBytes = v; return this; }
        public Builder maxRetainedBytes(long v) { maxRetainedBytes = v; return this; }
        public Builder maxEntries(int v) { maxEntries = v; return this; }
        public Builder maxCompressionRatio(int v) { maxCompressionRatio = v; return this; }
        public Builder maxNestingDepth(int v) { maxNestingDepth = v; return this; }
        public Builder maxPathLength(int v) { maxPathLength = v; return this; }
        public Builder maxParseBytes(long v) { maxParseBytes = v; return this; }
        public Builder maxSyntaxNesting(int v) { maxSyntaxNesting = v; return this; }
        public Builder maxDecodedBytesPerLayer(long v) { maxDecodedBytesPerLayer = v; return this; }
        public Builder maxDecodeLayers(int v) { maxDecodeLayers = v; return this; }
        public Builder maxDecodedBytesPerPackage(long v) { maxDecodedBytesPerPackage = v; return this; }
        public Builder packageTimeout(Duration v) { packageTimeout = v; return this; }
        public Builder maxNativeScanBytes(long v) { maxNativeScanBytes = v; return this; }
        public Builder maxAnalysisSteps(long v) { maxAnalysisSteps = v; return this; }
        public Builder maxEvaluationDepth(int v) { maxEvaluationDepth = v; return this; }
        public Builder maxReachableFunctions(int v) { maxReachableFunctions = v; return this; }

        public Limits build() {
            return new Limits(maxTotalBytes, maxEntryBytes, maxRetainedBytes, maxEntries, maxCompressionRatio,
                    maxNestingDepth, maxPathLength, maxParseBytes, maxSyntaxNesting, maxDecodedBytesPerLayer,
                    maxDecodeLayers, maxDecodedBytesPerPackage, packageTimeout, maxNativeScanBytes, maxAnalysisSteps,
                    maxEvaluationDepth, maxReachableFunctions);
        }
    }
}
