package dev.kingsnake.benchmarks;

import org.openjdk.jmh.annotations.Fork;

/**
 * {@link ScanBenchmark} in the JVM that {@code scan} and {@code eval} run in from the CLI: the client compiler
 * only ({@code -XX:TieredStopAtLevel=1}, see the CLI's batch JVM). Its code has none of the optimising compiler's
 * string intrinsics, so character loops over whole files and per-string searches cost more here, and this is
 * where the per-file CPU of a batch shows.
 */
@Fork(value = 1, jvmArgsAppend = "-XX:TieredStopAtLevel=1")
public class BatchScanBenchmark extends ScanBenchmark {
}
