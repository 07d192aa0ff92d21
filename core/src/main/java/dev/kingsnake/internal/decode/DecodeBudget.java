package dev.kingsnake.internal.decode;

/** Bytes that decoding may still produce for one package; shared by all files of the package. */
public final class DecodeBudget {
    private long remaining;

    public DecodeBudget(long bytes) {
        this.remaining = bytes;
    }

    /** Takes {@code bytes} from the budget; false (and nothing taken) when not enough is left. */
    public synchronized boolean take(long bytes) {
        if (bytes > remaining) {
            return false;
        }
        remaining -= bytes;
        return true;
    }

    public synchronized long remaining() {
        return remaining;
    }
}
