package dev.kingsnake.internal.decode;

/**
 * How many bytes one decoding step may still produce: the per-layer bound and the package's shared
 * {@link DecodeBudget}. Every primitive claims bytes before (or while) it produces them.
 */
public final class OutputBound {
    private final long perStep;
    private final DecodeBudget budget;

    public OutputBound(long perStep, DecodeBudget budget) {
        this.perStep = perStep;
        this.budget = budget;
    }

    /** A bound with no package budget, for tests and for single values. */
    public static OutputBound of(long perStep) {
        return new OutputBound(perStep, new DecodeBudget(Long.MAX_VALUE));
    }

    public long perStep() {
        return perStep;
    }

    /** Claims {@code bytes} produced by one step whose output has reached {@code total} bytes so far. */
    public void claim(long bytes, long total) throws DecodeException {
        if (total > perStep) {
            throw DecodeException.limit("decoded output exceeds " + perStep + " bytes per layer");
        }
        if (!budget.take(bytes)) {
            throw DecodeException.limit("package decode budget exhausted");
        }
    }

    /** Claims the whole output of a step that produces {@code bytes} at once. */
    public void claim(long bytes) throws DecodeException {
        claim(bytes, bytes);
    }
}
