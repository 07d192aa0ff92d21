package dev.kingsnake.internal.archive;

import dev.kingsnake.Diagnostic;
import dev.kingsnake.DiagnosticCode;
import dev.kingsnake.Limits;
import dev.kingsnake.internal.archive.TestArchives.RawEntry;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The zip reader keeps one inflater for all of a package's deflated entries ({@link ContainerReaders.Inflated}):
 * each entry must be inflated exactly as a fresh {@link InflaterInputStream} would, whatever ended the entry before.
 */
class InflatedTest {

    static byte[] deflate(byte[] data) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        d.setInput(data);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.toByteArray();
    }

    /** The bytes a stream gives in reads of {@code step}, then the exception that ended it, if any. */
    private static String outcome(InputStream in, int step) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[step];
        String end = "end";
        try (in) {
            int r;
            while ((r = step == 1 ? oneByte(in, buf) : in.read(buf, 0, step)) >= 0) {
                out.write(buf, 0, r);
            }
        } catch (IOException | RuntimeException e) {
            end = e.getClass().getName() + ": " + e.getMessage();
        }
        return Arrays.hashCode(out.toByteArray()) + "/" + out.size() + "/" + end;
    }

    private static int oneByte(InputStream in, byte[] buf) throws IOException {
        int b = in.read();
        if (b < 0) {
            return -1;
        }
        buf[0] = (byte) b;
        return 1;
    }

    private static InputStream fresh(byte[] raw) {
        return new InflaterInputStream(new SequenceInputStream(new ByteArrayInputStream(raw),
                new ByteArrayInputStream(new byte[1])), new Inflater(true), 64 * 1024);
    }

    @Test
    void oneReusedInflaterReadsEveryStreamAsAFreshInflaterInputStreamDoes() throws IOException {
        Random random = new Random(11);
        List<byte[]> streams = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            byte[] data = new byte[random.nextInt(300_000)];
            if (i % 3 == 0) {
                random.nextBytes(data); // incompressible: many inflater input steps
            } else {
                Arrays.fill(data, (byte) 'a');
                for (int k = 0; k < data.length; k += 1 + random.nextInt(50)) {
                    data[k] = (byte) random.nextInt(128);
                }
            }
            byte[] raw = deflate(data);
            switch (i % 5) {
                case 1 -> raw = Arrays.copyOf(raw, raw.length / 2); // truncated: ends before the final block
                case 2 -> Arrays.fill(raw, raw.length / 3, Math.min(raw.length, raw.length / 3 + 8), (byte) 0xff);
                case 3 -> raw = Arrays.copyOf(raw, raw.length + 100); // trailing bytes after the final block
                default -> {
                }
            }
            streams.add(raw);
        }
        streams.add(new byte[0]);
        ContainerReaders.Inflated reused = new ContainerReaders.Inflated();
        int checked = 0;
        for (byte[] raw : streams) {
            for (int step : new int[]{1, 1000, 64 * 1024}) {
                if (step == 1 && raw.length > 20_000) {
                    continue;
                }
                String expected = outcome(fresh(raw), step);
                assertEquals(expected, outcome(reused.open(new ByteArrayInputStream(raw)), step));
                checked++;
            }
        }
        assertTrue(checked > 100);
    }

    @Test
    void eachZipEntryIsInflatedAfreshWhateverEndedTheOneBefore() throws Exception {
        byte[] a = "import os\nprint('a')\n".getBytes(StandardCharsets.UTF_8);
        byte[] b = "def b():\n    return 2\n".getBytes(StandardCharsets.UTF_8);
        byte[] c = "C = 3\n".getBytes(StandardCharsets.UTF_8);
        byte[] some = new byte[200_000];
        new Random(3).nextBytes(some);
        byte[] truncated = deflate(some);
        truncated = Arrays.copyOf(truncated, truncated.length / 2);
        byte[] damaged = deflate("x = 1\n".repeat(1000).getBytes(StandardCharsets.UTF_8));
        Arrays.fill(damaged, 0, 8, (byte) 0xff);
        byte[] zip = TestArchives.rawZip(List.of(
                RawEntry.zeros("cut.bin", 4), // left mid-stream by the ratio limit
                deflated("a.py", a),
                new RawEntry("truncated.bin", 8, crc(some), truncated, some.length), // the inflater ran dry
                deflated("b.py", b),
                new RawEntry("damaged.bin", 8, 0, damaged, 6000), // the inflater failed
                deflated("c.py", c)));
        Limits limits = Limits.builder().maxCompressionRatio(50).maxEntryBytes(1 << 20).build();
        UnpackedPackage p = ArchiveReaderTest.read(limits, "m.zip", zip);
        assertEquals(List.of("cut.bin", "a.py", "truncated.bin", "b.py", "damaged.bin", "c.py"),
                ArchiveReaderTest.paths(p));
        List<String> problems = p.diagnostics().stream().map(d -> d.code() + " " + d.file()).toList();
        assertEquals(List.of("LIMIT_EXCEEDED cut.bin", "ARCHIVE_UNREADABLE truncated.bin",
                "ARCHIVE_UNREADABLE damaged.bin"), problems);
        assertTrue(p.diagnostics().get(1).message().contains("Unexpected end of ZLIB input stream"),
                p.diagnostics().get(1).message());
        assertTrue(p.diagnostics().get(2).message().contains("invalid"), p.diagnostics().get(2).message());
        for (byte[] text : List.of(a, b, c)) {
            ArchiveEntry e = p.entries().get(text == a ? 1 : text == b ? 3 : 5);
            assertArrayEquals(text, e.bytes());
            assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(text), e.sha256().orElseThrow());
        }
        assertEquals(some.length / 2, p.entries().get(2).size(), 0.5 * some.length / 2);
        assertTrue(p.diagnostics().stream().map(Diagnostic::code).noneMatch(DiagnosticCode.IO_ERROR::equals));
    }

    private static RawEntry deflated(String name, byte[] content) {
        return new RawEntry(name, 8, crc(content), deflate(content), content.length);
    }

    private static long crc(byte[] content) {
        CRC32 crc = new CRC32();
        crc.update(content);
        return crc.getValue();
    }
}
