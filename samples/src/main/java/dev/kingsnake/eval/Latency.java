package dev.kingsnake.eval;

import java.util.Arrays;
import java.util.List;

/**
 * Per-package scan latency of an evaluation run, by nearest rank: what a user in front of one package waits,
 * which a throughput figure hides (a few slow packages barely move the mean).
 *
 * @param p50Millis median
 * @param p90Millis 90th percentile
 * @param p99Millis 99th percentile
 * @param maxMillis slowest package
 */
public record Latency(long p50Millis, long p90Millis, long p99Millis, long maxMillis) {

    public static Latency of(List<Long> millis) {
        if (millis.isEmpty()) {
            return new Latency(0, 0, 0, 0);
        }
        long[] sorted = millis.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return new Latency(rank(sorted, 0.50), rank(sorted, 0.90), rank(sorted, 0.99), sorted[sorted.length - 1]);
    }

    /** The smallest value at or above which lies the fraction {@code q} of the values. */
    private static long rank(long[] sorted, double q) {
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
