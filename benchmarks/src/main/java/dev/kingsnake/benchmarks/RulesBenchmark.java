package dev.kingsnake.benchmarks;

import dev.kingsnake.Limits;
import dev.kingsnake.Scanner;
import dev.kingsnake.internal.archive.ArchiveReader;
import dev.kingsnake.internal.archive.UnpackedPackage;
import dev.kingsnake.internal.engine.ScanEngine;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Every registered rule over packages that are already unpacked, parsed and decoded: the cost of the rule
 * catalogue alone. {@code uncompressedBytes} counts the packages' unpacked bytes checked per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RulesBenchmark {
    @Param({"malicious-200"})
    public String bundle;

    private ScanEngine engine;
    private final List<ScanEngine.Prepared> packages = new ArrayList<>();
    private long unpackedBytes;

    @Setup
    public void load() {
        Bundle data = Bundle.load(bundle);
        Limits limits = Limits.defaults();
        engine = new ScanEngine(limits, Scanner.loadRules(), Scanner.DEFAULT_THRESHOLD,
                Scanner.DEFAULT_THRESHOLD / 2, Optional.empty());
        ArchiveReader reader = new ArchiveReader(limits);
        for (Bundle.Archive a : data.archives()) {
            UnpackedPackage p = reader.read(a.name(), new ByteArrayInputStream(a.bytes()));
            unpackedBytes += p.uncompressedBytes();
            packages.add(engine.prepare(a.name(), p));
        }
    }

    @Benchmark
    public void checkAll(Throughput t, Blackhole bh) {
        for (ScanEngine.Prepared p : packages) {
            bh.consume(engine.runRules(p));
        }
        t.uncompressedBytes += unpackedBytes;
    }
}
