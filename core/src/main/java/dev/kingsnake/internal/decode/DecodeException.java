package dev.kingsnake.internal.decode;

/**
 * A decoding step failed: the input is not in the expected format, or a size bound cut the output off.
 * Input errors are expected on hostile data; they never escape {@link Deobfuscator}.
 */
public final class DecodeException extends Exception {
    private final boolean limit;

    private DecodeException(String message, boolean limit) {
        super(message, null, false, false);
        this.limit = limit;
    }

    /** The input is not valid for this step. */
    public static DecodeException invalid(String message) {
        return new DecodeException(message, false);
    }

    /** A bound on produced bytes was reached. */
    public static DecodeException limit(String message) {
        return new DecodeException(message, true);
    }

    /** True when a size bound, not the input, stopped decoding. */
    public boolean isLimit() {
        return limit;
    }
}
