package dev.kingsnake.benchmarks;

import dev.kingsnake.Limits;
import dev.kingsnake.internal.archive.ArchiveEntry;
import dev.kingsnake.internal.archive.ArchiveReader;
import dev.kingsnake.internal.python.PythonParser;
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
import java.util.concurrent.TimeUnit;

/**
 * Parsing real Python files into our model (lexer, ANTLR parser, tree building), on every {@code .py}
 * file of the bundle, already unpacked. {@code uncompressedBytes} is the Python source parsed per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ParseBenchmark {
    @Param({"malicious-200"})
    public String bundle;

    private List<ArchiveEntry> files;
    private PythonParser parser;

    @Setup
    public void load() {
        Bundle data = Bundle.load(bundle);
        ArchiveReader reader = new ArchiveReader(Limits.defaults());
        files = new ArrayList<>();
        for (Bundle.Archive a : data.archives()) {
            for (ArchiveEntry e : reader.read(a.name(), new ByteArrayInputStream(a.bytes())).entries()) {
                if (e.path().endsWith(".py")) {
                    files.add(e);
                }
            }
        }
        parser = new PythonParser(Limits.defaults());
    }

    @Benchmark
    public void parseAll(Throughput t, Blackhole bh) {
        for (ArchiveEntry e : files) {
            bh.consume(parser.parse(e.path(), e.bytes()));
            t.uncompressedBytes += e.bytes().length;
        }
    }
}
