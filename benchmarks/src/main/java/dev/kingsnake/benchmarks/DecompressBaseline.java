package dev.kingsnake.benchmarks;

import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
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
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;

/**
 * The physical floor: inflate every archive of the bundle and read every entry, nothing else. Every other
 * benchmark reads as a fraction of this one's throughput.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DecompressBaseline {
    @Param({"malicious-200"})
    public String bundle;

    private Bundle data;

    @Setup
    public void load() {
        data = Bundle.load(bundle);
    }

    @Benchmark
    public void inflateAll(Throughput t, Blackhole bh) throws IOException {
        byte[] buf = new byte[64 * 1024];
        for (Bundle.Archive a : data.archives()) {
            t.compressedBytes += a.bytes().length;
            try (ArchiveInputStream<? extends ArchiveEntry> in = open(a.bytes())) {
                ArchiveEntry e;
                while ((e = in.getNextEntry()) != null) {
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        t.uncompressedBytes += n;
                    }
                    bh.consume(e);
                }
            } catch (IOException | RuntimeException broken) {
                bh.consume(broken);
            }
        }
    }

    private static ArchiveInputStream<? extends ArchiveEntry> open(byte[] b) throws IOException {
        InputStream in = new ByteArrayInputStream(b);
        if (b.length > 1 && b[0] == 'P' && b[1] == 'K') {
            return new ZipArchiveInputStream(in);
        }
        return new TarArchiveInputStream(new GzipCompressorInputStream(in));
    }
}
