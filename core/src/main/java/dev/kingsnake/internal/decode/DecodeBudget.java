package dev.kingsnake.internal.decode;

/** Bytes that decoding may still produce for one package; shared by all files of the package. */
public final class DecodeBudget {
    private long remaining;
    private long requests;

    public DecodeBudget(long bytes) {
        this.remaining = bytes;
    }

    /** Takes {@code bytes} from the budget; false (and nothing taken) when not enough is left. */
    public synchronized boolean take(long bytes) {
        requests++;
        if (bytes > remaining) {
            return false;
        }
        remaining -= bytes;
        return true;
    }

    /** How often {@link #take} was called, granted or not: a decoding that never asked did not depend on it. */
    public synchronized long requests() {
        return requests;
    }

    public synchronized long remaining() {
        return remaining;
    }
}
