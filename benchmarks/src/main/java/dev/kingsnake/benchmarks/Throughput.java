package dev.kingsnake.benchmarks;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Byte counters that JMH reports as rates next to the primary score: {@code compressedBytes} and
 * {@code uncompressedBytes} are bytes per second (divide by 1,048,576 for MB/s).
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class Throughput {
    public long compressedBytes;
    public long uncompressedBytes;

    @Setup(Level.Iteration)
    public void reset() {
        compressedBytes = 0;
        uncompressedBytes = 0;
    }
}
