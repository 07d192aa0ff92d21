package dev.kingsnake.internal.archive;

import java.util.function.LongSupplier;

/** How far an entry being read has expanded: its bytes so far over the compressed bytes behind them. */
@FunctionalInterface
interface Expansion {

    /** The ratio once the entry has produced {@code entryBytes}. */
    double ratio(long entryBytes);

    /** Against a container's input position, from where it stands now (the entry's own compressed bytes). */
    static Expansion since(LongSupplier position) {
        long start = position.getAsLong();
        return n -> n / (double) Math.max(1, position.getAsLong() - start);
    }

    /**
     * A compressed stream's whole output over its whole input: for what a decoder produces, whose read-ahead
     * makes one entry's share of the input unmeasurable in a small archive.
     */
    static Expansion ofStream(LongSupplier produced, LongSupplier consumed) {
        return n -> produced.getAsLong() / (double) Math.max(1, consumed.getAsLong());
    }

    /** The larger of two measures. */
    default Expansion or(Expansion other) {
        return n -> Math.max(ratio(n), other.ratio(n));
    }
}
