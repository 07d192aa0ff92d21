package dev.kingsnake.benchmarks;

import dev.kingsnake.Limits;
import dev.kingsnake.internal.archive.ArchiveReader;
import dev.kingsnake.internal.archive.UnpackedPackage;
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
import java.util.concurrent.TimeUnit;

/** Safe in-memory unpacking (format sniffing, limits, path checks) of the whole bundle. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class UnpackBenchmark {
    @Param({"malicious-200"})
    public String bundle;

    private Bundle data;
    private ArchiveReader reader;

    @Setup
    public void load() {
        data = Bundle.load(bundle);
        reader = new ArchiveReader(Limits.defaults());
    }

    @Benchmark
    public void unpackAll(Throughput t, Blackhole bh) {
        for (Bundle.Archive a : data.archives()) {
            UnpackedPackage p = reader.read(a.name(), new ByteArrayInputStream(a.bytes()));
            t.compressedBytes += a.bytes().length;
            t.uncompressedBytes += p.uncompressedBytes();
            bh.consume(p);
        }
    }
}
