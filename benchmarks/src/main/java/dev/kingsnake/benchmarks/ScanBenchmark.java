package dev.kingsnake.benchmarks;

import dev.kingsnake.ScanResult;
import dev.kingsnake.Scanner;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.ByteArrayInputStream;
import java.util.concurrent.TimeUnit;

/**
 * The whole scan (unpack, parse, decode, all rules, scoring) of every archive in the bundle, one thread.
 * Run with {@code -prof gc}: the allocation per byte ({@code gc.alloc.rate.norm} divided by the bundle's
 * bytes) must stay flat between the small and the large bundle, i.e. nothing accumulates across scans.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ScanBenchmark {
    @Param({"malicious-200", "malicious-800"})
    public String bundle;

    private Bundle data;
    private Scanner scanner;

    @Setup
    public void load() {
        data = Bundle.load(bundle);
    }

    /**
     * A new scanner for each pass over the bundle: a scanner reuses per-file results for byte-identical files, so
     * with one scanner every pass after the first would find the whole bundle in its cache.
     */
    @Setup(Level.Invocation)
    public void freshScanner() {
        scanner = Scanner.builder().build();
    }

    @Benchmark
    public void scanAll(Throughput t, Blackhole bh) {
        for (Bundle.Archive a : data.archives()) {
            ScanResult r = scanner.scan(a.name(), new ByteArrayInputStream(a.bytes()));
            t.compressedBytes += a.bytes().length;
            t.uncompressedBytes += r.stats().uncompressedBytes();
            bh.consume(r);
        }
    }
}
