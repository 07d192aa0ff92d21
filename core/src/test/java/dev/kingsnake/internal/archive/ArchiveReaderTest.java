package dev.kingsnake.internal.archive;

import dev.kingsnake.Diagnostic;
import dev.kingsnake.DiagnosticCode;
import dev.kingsnake.Limits;
import dev.kingsnake.PackageKind;
import dev.kingsnake.internal.archive.TestArchives.Member;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;

import static dev.kingsnake.internal.archive.TestArchives.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArchiveReaderTest {
    private static final String SETUP = "from setuptools import setup\nsetup(name='demo', version='1.0')\n";
    private static final String INIT = "def hello():\n    return 'hi'\n";
    private static final List<Member> SDIST = List.of(
            Member.dir("demo-1.0"),
            Member.executable("demo-1.0/setup.py", SETUP),
            Member.file("demo-1.0/demo/__init__.py", INIT));
    /** Generous bound that only a hang can break; speed itself is measured by the JMH benchmarks. */
    private static final Duration HANG = Duration.ofSeconds(30);

    private final ArchiveReader reader = new ArchiveReader(Limits.defaults());

    static UnpackedPackage read(Limits limits, String name, byte[] data) {
        return new ArchiveReader(limits).read(name, new ByteArrayInputStream(data));
    }

    UnpackedPackage read(String name, byte[] data) {
        return read(Limits.defaults(), name, data);
    }

    static List<String> paths(UnpackedPackage p) {
        return p.entries().stream().map(ArchiveEntry::path).toList();
    }

    static ArchiveEntry entry(UnpackedPackage p, String path) {
        return p.entries().stream().filter(e -> e.path().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError(path + " not in " + paths(p)));
    }

    static List<Diagnostic> diags(UnpackedPackage p, DiagnosticCode code) {
        return p.diagnostics().stream().filter(d -> d.code() == code).toList();
    }

    static void assertDiag(UnpackedPackage p, DiagnosticCode code, String messagePart) {
        Predicate<Diagnostic> match = d -> d.code() == code && d.message().contains(messagePart);
        assertTrue(p.diagnostics().stream().anyMatch(match),
                () -> "expected " + code + " containing '" + messagePart + "' in " + p.diagnostics());
    }

    static void assertWithinLimits(UnpackedPackage p, Limits limits) {
        long sum = p.entries().stream().mapToLong(ArchiveEntry::size).sum();
        long kept = p.entries().stream().mapToLong(e -> e.bytes().length).sum();
        assertEquals(sum, p.uncompressedBytes());
        assertTrue(sum <= limits.maxTotalBytes(), "total " + sum);
        assertTrue(kept <= limits.maxRetainedBytes() + limits.maxEntryBytes(), "kept " + kept);
        assertTrue(p.entries().size() <= limits.maxEntries(), "entries " + p.entries().size());
        p.entries().forEach(e -> assertTrue(e.bytes().length <= limits.maxEntryBytes(), e.path()));
    }

    private void assertDemoSdist(UnpackedPackage p) {
        assertEquals(PackageKind.SDIST, p.kind());
        assertTrue(p.readable());
        assertEquals(List.of("demo-1.0/setup.py", "demo-1.0/demo/__init__.py"), paths(p));
        assertArrayEquals(utf8(SETUP), entry(p, "demo-1.0/setup.py").bytes());
        assertTrue(entry(p, "demo-1.0/setup.py").executable());
        assertFalse(entry(p, "demo-1.0/demo/__init__.py").executable());
        assertEquals(List.of(), p.diagnostics());
        assertEquals(SETUP.length() + INIT.length(), p.uncompressedBytes());
    }

    // ------------------------------------------------------------------ formats

    /**
     * The largest real package met expands to 6,778,717,671 bytes, nested archives included (scipy's repository
     * sdist: 138 zero-filled {@code .npz} benchmark matrices at about 900:1); at the old 4 GiB default its read
     * stopped after 753 of 3,224 files. A budget a popular package reaches is a bug in the default.
     */
    @Test
    void defaultTotalBudgetReadsTheLargestRealSdistWhole() {
        assertTrue(Limits.defaults().maxTotalBytes() > 6_778_717_671L, "maxTotalBytes " + Limits.defaults().maxTotalBytes());
    }

    @Test
    void readsEachTarFlavourByContent() {
        byte[] tar = TestArchives.tar(SDIST);
        assertDemoSdist(read("demo-1.0.tar", tar));
        assertDemoSdist(read("demo-1.0.tar.gz", TestArchives.gzip(tar)));
        assertDemoSdist(read("demo-1.0.tar.bz2", TestArchives.bzip2(tar)));
        assertDemoSdist(read("demo-1.0.tar.xz", TestArchives.xz(tar)));
        assertDemoSdist(read("no-suffix-at-all", TestArchives.gzip(tar)));
        byte[] gz = TestArchives.gzip(tar);
        assertEquals(gz.length, read("demo-1.0.tar.gz", gz).compressedBytes());
    }

    @Test
    void readsZipSdistWheelAndEgg() {
        UnpackedPackage sdist = read("demo-1.0.zip", TestArchives.zip(SDIST));
        assertDemoSdist(sdist);

        UnpackedPackage wheel = read("demo-1.0-py3-none-any.whl", TestArchives.zip(List.of(
                Member.file("demo/__init__.py", INIT),
                Member.file("demo-1.0.dist-info/METADATA", "Name: demo\nVersion: 1.0\n"),
                Member.file("demo-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\n"))));
        assertEquals(PackageKind.WHEEL, wheel.kind());
        assertEquals(3, wheel.entries().size());

        UnpackedPackage wheelByContent = read("upload.bin", TestArchives.zip(List.of(
                Member.file("demo-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\n"))));
        assertEquals(PackageKind.WHEEL, wheelByContent.kind());

        UnpackedPackage egg = read("demo.zip", TestArchives.zip(List.of(
                Member.dir("EGG-INFO"), Member.file("EGG-INFO/PKG-INFO", "Name: demo\n"),
                Member.file("demo/__init__.py", INIT))));
        assertEquals(PackageKind.EGG, egg.kind());
        assertEquals(PackageKind.EGG, read("demo-1.0-py3.8.egg", TestArchives.zip(SDIST)).kind());
    }

    @Test
    void zipNamedTarGzIsReadAsZip() {
        UnpackedPackage p = read("demo-1.0.tar.gz", TestArchives.zip(SDIST));
        assertDemoSdist(p);
    }

    @Test
    void plainPythonFileIsASingleFilePackage() {
        byte[] py = utf8("import os\nprint(os.getcwd())\n");
        UnpackedPackage p = read("dir/tool.py", py);
        assertEquals(PackageKind.SOURCE_FILE, p.kind());
        assertEquals(List.of("tool.py"), paths(p));
        assertArrayEquals(py, p.entries().get(0).bytes());
        assertEquals(List.of(), p.diagnostics());
    }

    @Test
    void textNamedLikeAnArchiveIsScannedAsTextWithADiagnostic() {
        UnpackedPackage p = read("demo-1.0.tar.gz", utf8("<html>404 Not Found</html>\n"));
        assertEquals(PackageKind.SOURCE_FILE, p.kind());
        assertTrue(p.readable());
        assertDiag(p, DiagnosticCode.ARCHIVE_UNREADABLE, "plain text");
    }

    @Test
    void gzippedSourceFileBecomesOneEntry() {
        UnpackedPackage p = read("payload.py.gz", TestArchives.gzip(utf8(SETUP)));
        assertEquals(PackageKind.SOURCE_FILE, p.kind());
        assertEquals(List.of("payload.py"), paths(p));
    }

    @Test
    void readsFromPathsIncludingDirectories(@TempDir Path dir) throws IOException {
        Path archive = dir.resolve("demo-1.0.tar.gz");
        Files.write(archive, TestArchives.gzip(TestArchives.tar(SDIST)));
        assertDemoSdist(reader.read(archive));

        Path project = Files.createDirectories(dir.resolve("project"));
        Files.writeString(Files.createDirectories(project.resolve("demo")).resolve("__init__.py"), INIT);
        Files.writeString(project.resolve("setup.py"), SETUP);
        Files.write(project.resolve("vendored.zip"), TestArchives.zip(List.of(Member.file("inner.py", INIT))));
        Path outside = Files.writeString(dir.resolve("secret.txt"), "TOP SECRET");
        Files.createSymbolicLink(project.resolve("link.txt"), outside);
        Files.createSymbolicLink(project.resolve("linkdir"), dir);

        UnpackedPackage p = reader.read(project);
        assertEquals(PackageKind.DIRECTORY, p.kind());
        assertEquals(List.of("setup.py", "vendored.zip", "vendored.zip!/inner.py", "demo/__init__.py"), paths(p));
        assertEquals(2, diags(p, DiagnosticCode.LINK_ENTRY).size());
        assertTrue(p.entries().stream().noneMatch(e -> new String(e.bytes()).contains("TOP SECRET")));
    }

    @Test
    void inputsLargerThanMaxTotalBytesAreStreamed(@TempDir Path dir) throws IOException {
        List<Member> members = new ArrayList<>();
        Random random = new Random(5);
        for (int i = 0; i < 8; i++) {
            byte[] b = new byte[2000];
            random.nextBytes(b);
            members.add(Member.file("pkg/f" + i, b));
        }
        Limits limits = Limits.builder().maxTotalBytes(5000).build();
        byte[] zip = TestArchives.zip(members);
        Path onDisk = Files.write(dir.resolve("big.zip"), zip);
        // a compressed tar counts its headers too (here a PAX header per entry), so it keeps fewer entries
        UnpackedPackage tgz = read(limits, "big.tar.gz", TestArchives.gzip(TestArchives.tar(members)));
        for (UnpackedPackage p : List.of(new ArchiveReader(limits).read(onDisk), read(limits, "big.zip", zip), tgz)) {
            assertTrue(p.readable(), p.diagnostics().toString());
            assertEquals(p == tgz ? List.of("pkg/f0") : List.of("pkg/f0", "pkg/f1", "pkg/f2"), paths(p));
            assertArrayEquals(members.get(0).content(), p.entries().get(0).bytes());
            assertDiag(p, DiagnosticCode.LIMIT_EXCEEDED, "maxTotalBytes (5000)");
            assertWithinLimits(p, limits);
        }
        assertEquals(zip.length, new ArchiveReader(limits).read(onDisk).compressedBytes());
    }

    @Test
    void missingPathIsAnIoError(@TempDir Path dir) {
        UnpackedPackage p = reader.read(dir.resolve("nope.tar.gz"));
        assertFalse(p.readable());
        assertDiag(p, DiagnosticCode.IO_ERROR, "nope.tar.gz");
        assertEquals(PackageKind.UNKNOWN, p.kind());
    }

    // ------------------------------------------------------------------ broken input

    @Test
    void emptyInputIsUnreadable() {
        UnpackedPackage p = read("demo-1.0.tar.gz", new byte[0]);
        assertFalse(p.readable());
        assertEquals(PackageKind.UNKNOWN, p.kind());
        assertDiag(p, DiagnosticCode.ARCHIVE_UNREADABLE, "empty");
    }

    @Test
    void randomBytesAreUnreadable() {
        byte[] noise = new byte[4096];
        new Random(42).nextBytes(noise);
        noise[0] = 0x13;
        UnpackedPackage p = read("demo-1.0.tar.gz", noise);
        assertFalse(p.readable());
        assertEquals(PackageKind.UNKNOWN, p.kind());
        assertDiag(p, DiagnosticCode.ARCHIVE_UNREADABLE, "not a zip, tar, gzip, bzip2 or xz archive");
    }

    @Test
    void truncatedTarGzKeepsTheEntriesBeforeTheDamage() {
        List<Member> members = new ArrayList<>();
        Random random = new Random(1);
        for (int i = 0; i < 20; i++) {
            byte[] content = new byte[4096];
            random.nextBytes(content);
            members.add(Member.file("pkg/f" + i + ".bin", content));
        }
        byte[] gz = TestArchives.gzip(TestArchives.tar(members));
        UnpackedPackage p = read("pkg.tar.gz", Arrays.copyOf(gz, gz.length / 2));
        assertTrue(p.readable(), p.diagnostics().toString());
        assertEquals(PackageKind.SDIST, p.kind());
        assertDiag(p, DiagnosticCode.ARCHIVE_UNREADABLE, "truncated");
        assertTrue(p.entries().size() >= 5 && p.entries().size() <= 11, paths(p).toString());
        assertArrayEquals(members.get(0).content(), p.entries().get(0).bytes());
    }

    @Test
    void truncatedZipFallsBackToLocalHeaders() {
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            members.add(Member.file("pkg/m" + i + ".py", "x = " + i + "\n".repeat(50)));
        }
        byte[] zip = TestArchives.zip(members);
        UnpackedPackage p = read("pkg.zip", Arrays.copyOf(zip, zip.length * 6 / 10));
        assertTrue(p.readable());
        assertDiag(p, DiagnosticCode.ARCHIVE_UNREADABLE, "central directory");
        assertTrue(p.entries().size() >= 3, paths(p).toString());
        assertEquals("pkg/m0.py", p.entries().get(0).path());
    }

    @Test
    void corruptFirstGzipBytesAreUnreadable() {
        byte[] gz = TestArchives.gzip(TestArchives.tar(SDIST));
        gz[3] = (byte) 0xff; // reserved flag bits
        UnpackedPackage p = read("demo.tar.gz", gz);
        assertFalse(p.readable());
        assertDiag(p, DiagnosticCode.ARCHIVE_UNREADABLE, "gzip");
    }

    // ------------------------------------------------------------------ hostile paths and entries

    @Test
    void unsafePathsAreFlaggedAndSanitised() {
        UnpackedPackage p = read("evil.tar", TestArchives.tar(List.of(
                Member.file("../../etc/cron.d/evil.py", "x = 1\n"),
                Member.file("/etc/passwd", "root\n"),
                Member.file("C:\\Windows\\evil.py", "x = 2\n"),
                Member.file("ok\\windows\\style.py", "x = 3\n"),
                Member.file("./pkg/./a/../b.py", "x = 4\n"))));
        assertEquals(List.of("etc/cron.d/evil.py", "etc/passwd", "Windows/evil.py", "ok/windows/style.py",
                "pkg/b.py"), paths(p));
        assertEquals("../../etc/cron.d/evil.py", p.entries().get(0).rawPath());
        List<Diagnostic> unsafe = diags(p, DiagnosticCode.UNSAFE_PATH);
        assertEquals(3, unsafe.size(), unsafe.toString());
        assertTrue(unsafe.get(0).message().contains("'../../etc/cron.d/evil.py'"));
        assertEquals("etc/cron.d/evil.py", unsafe.get(0).file());
        assertTrue(unsafe.get(1).message().contains("absolute"));
        assertTrue(unsafe.get(2).message().contains("drive letter"));
    }

    @Test
    void nulInAZipNameIsFlaggedAndCut() {
        UnpackedPackage p = read("evil.zip", TestArchives.zip(List.of(Member.file("setup.py\0.txt", SETUP))));
        assertEquals(List.of("setup.py"), paths(p));
        assertDiag(p, DiagnosticCode.UNSAFE_PATH, "NUL");
        assertDiag(p, DiagnosticCode.UNSAFE_PATH, "setup.py\\x00.txt");
    }

    @Test
    void linksAreReportedAndNeverFollowed() {
        UnpackedPackage tar = read("links.tar.gz", TestArchives.gzip(TestArchives.tar(List.of(
                Member.symlink("pkg/passwd", "/etc/passwd"),
                Member.hardlink("pkg/shadow", "../../../etc/shadow"),
                Member.file("pkg/ok.py", "x = 1\n")))));
        assertEquals(List.of("pkg/ok.py"), paths(tar));
        List<Diagnostic> links = diags(tar, DiagnosticCode.LINK_ENTRY);
        assertEquals(2, links.size());
        assertTrue(links.get(0).message().contains("symbolic link to '/etc/passwd'"));
        assertTrue(links.get(1).message().contains("hard link"));
        assertTrue(tar.readable());

        UnpackedPackage zip = read("links.zip", TestArchives.zip(List.of(
                Member.symlink("pkg/passwd", "/etc/passwd"), Member.file("pkg/ok.py", "x = 1\n"))));
        assertEquals(List.of("pkg/ok.py"), paths(zip));
        assertEquals(1, diags(zip, DiagnosticCode.LINK_ENTRY).size());
    }

    @Test
    void manyDiagnosticsOfOneCodeAreSummarised() {
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            members.add(Member.hardlink("zoneinfo/alias" + i, "zoneinfo/UTC"));
        }
        UnpackedPackage p = read("links.tar", TestArchives.tar(members));
        List<Diagnostic> links = diags(p, DiagnosticCode.LINK_ENTRY);
        assertEquals(Unpacking.LISTED_PER_CODE + 1, links.size());
        assertEquals("15 more LINK_ENTRY diagnostics of this package are not listed", links.get(links.size() - 1)
                .message());
    }

    @Test
    void duplicateNamesAreAllScannedAndFlagged() {
        UnpackedPackage p = read("dup.tar", TestArchives.tar(List.of(
                Member.file("pkg/setup.py", "print('benign')\n"),
                Member.file("pkg/setup.py", "print('the one an installer keeps')\n"))));
        assertEquals(List.of("pkg/setup.py", "pkg/setup.py"), paths(p));
        assertDiag(p, DiagnosticCode.UNSAFE_PATH, "duplicate");
        UnpackedPackage z = read("dup.zip", TestArchives.zip(List.of(
                Member.file("a.py", "x = 1\n"), Member.file("a.py", "x = 2\n"))));
        assertEquals(2, z.entries().size());
        assertTrue(z.differentials().stream().anyMatch(d -> d.description().contains("different content")),
                z.differentials().toString());
        UnpackedPackage same = read("same.tar", TestArchives.tar(List.of(
                Member.file("a.py", "x = 1\n"), Member.file("a.py", "x = 1\n"))));
        assertEquals(List.of(), same.differentials(), "one name, one content: only a diagnostic");
    }

    @Test
    void mismatchedLocalAndCentralNamesAreReadAsTheCentralDirectorySays() {
        byte[] zip = TestArchives.zip(List.of(Member.file("pkg/setup.py", SETUP), Member.file("pkg/b.py", INIT)));
        int local = TestArchives.indexOf(zip, utf8("pkg/setup.py"), 0);
        int central = TestArchives.indexOf(zip, utf8("pkg/setup.py"), local + 1);
        assertTrue(local > 0 && central > local);
        System.arraycopy(utf8("pkg/innoc.py"), 0, zip, local, 12);
        UnpackedPackage p = read("pkg.zip", zip);
        assertEquals(List.of("pkg/setup.py", "pkg/innoc.py", "pkg/b.py"), paths(p), "scanned under both names");
        assertArrayEquals(utf8(SETUP), p.entries().get(0).bytes());
        assertArrayEquals(utf8(SETUP), p.entries().get(1).bytes());
        assertDiag(p, DiagnosticCode.UNSAFE_PATH, "local header names the entry 'pkg/innoc.py'");
        assertEquals(1, p.differentials().size());
        assertEquals("pkg/setup.py", p.differentials().get(0).path());
    }

    @Test
    void encryptedEntriesAreSkipped() {
        byte[] zip = TestArchives.markEncrypted(TestArchives.zip(List.of(Member.file("secret.py", SETUP))));
        UnpackedPackage p = read("enc.zip", zip);
        assertEquals(List.of(), paths(p));
        assertDiag(p, DiagnosticCode.ENCRYPTED_ENTRY, "encrypted");
        assertEquals("secret.py", diags(p, DiagnosticCode.ENCRYPTED_ENTRY).get(0).file());
    }

    @Test
    void unsupportedZipMethodIsADiagnostic() {
        byte[] zip = TestArchives.zip(List.of(Member.file("a.py", SETUP), Member.file("b.py", INIT)),
                ZipArchiveEntry.STORED);
        int central = TestArchives.indexOf(zip, new byte[]{'P', 'K', 1, 2}, 0);
        zip[central + 10] = 14; // LZMA
        UnpackedPackage p = read("m.zip", zip);
        assertEquals(List.of("b.py"), paths(p));
        assertDiag(p, DiagnosticCode.ARCHIVE_UNREADABLE, "not supported");
    }

    @Test
    void deflatedEntriesOfManyInflaterStepsAreReadWholeHashedAndSkimmed() throws Exception {
        Random random = new Random(7);
        StringBuilder source = new StringBuilder();
        while (source.length() < 400_000) {
            source.append("value_").append(random.nextInt()).append(" = ").append(random.nextLong()).append('\n');
        }
        byte[] module = utf8(source.toString());
        byte[] library = new byte[300_000];
        random.nextBytes(library);
        System.arraycopy(new byte[]{0x7f, 'E', 'L', 'F'}, 0, library, 0, 4);
        byte[] link = utf8("\0https://example.invalid/beacon\0");
        System.arraycopy(link, 0, library, 200_000, link.length);
        UnpackedPackage p = read("m.zip", TestArchives.zip(List.of(Member.file("big.py", module),
                Member.file("lib.so", library))));
        assertEquals(List.of(), p.diagnostics());
        ArchiveEntry py = p.entries().get(0);
        ArchiveEntry so = p.entries().get(1);
        assertArrayEquals(module, py.bytes());
        assertArrayEquals(sha256(module), py.sha256().orElseThrow());
        assertEquals(library.length, so.size());
        assertArrayEquals(sha256(library), so.sha256().orElseThrow());
        assertEquals(List.of("https://example.invalid/beacon"), so.links());
    }

    @Test
    void aDeflatedEntryWithDamagedDataIsUnreadableAndTheNextOneIsStillRead() {
        byte[] zip = TestArchives.zip(List.of(Member.file("a.py", SETUP), Member.file("b.py", INIT)));
        // the first entry's data follows its 30-byte local header, its name and its extra field
        int data = 30 + (zip[26] & 0xff | (zip[27] & 0xff) << 8) + (zip[28] & 0xff | (zip[29] & 0xff) << 8);
        Arrays.fill(zip, data, data + 8, (byte) 0xff); // a deflate block of the reserved type 3
        UnpackedPackage p = read("m.zip", zip);
        assertEquals(List.of("a.py"), diags(p, DiagnosticCode.ARCHIVE_UNREADABLE).stream().map(Diagnostic::file)
                .toList());
        assertDiag(p, DiagnosticCode.ARCHIVE_UNREADABLE, "invalid block type");
        assertEquals(INIT, new String(p.entries().get(p.entries().size() - 1).bytes(),
                java.nio.charset.StandardCharsets.UTF_8));
    }

    private static byte[] sha256(byte[] data) throws java.security.NoSuchAlgorithmException {
        return java.security.MessageDigest.getInstance("SHA-256").digest(data);
    }

    // ------------------------------------------------------------------ nesting

    @Test
    void zipInsideTarIsScanned() {
        byte[] inner = TestArchives.zip(List.of(Member.file("evil/__init__.py", "import os\n")));
        UnpackedPackage p = read("outer.tar.gz", TestArchives.gzip(TestArchives.tar(List.of(
                Member.file("outer-1.0/setup.py", SETUP),
                Member.file("outer-1.0/vendor/inner.zip", inner)))));
        assertEquals(List.of("outer-1.0/setup.py", "outer-1.0/vendor/inner.zip",
                "outer-1.0/vendor/inner.zip!/evil/__init__.py"), paths(p));
        assertEquals(PackageKind.SDIST, p.kind());
        assertEquals(List.of(), p.diagnostics());
    }

    @Test
    void tarGzInsideZipInsideTarIsScannedToTheDepthLimit() {
        byte[] level2 = TestArchives.gzip(TestArchives.tar(List.of(Member.file("deep.py", "x = 1\n"))));
        byte[] level1 = TestArchives.zip(List.of(Member.file("l2.tar.gz", level2)));
        byte[] outer = TestArchives.tar(List.of(Member.file("l1.zip", level1)));
        assertTrue(paths(read("o.tar", outer)).contains("l1.zip!/l2.tar.gz!/deep.py"));

        Limits shallow = Limits.builder().maxNestingDepth(1).build();
        UnpackedPackage p = read(shallow, "o.tar", outer);
        assertEquals(List.of("l1.zip", "l1.zip!/l2.tar.gz"), paths(p));
        assertDiag(p, DiagnosticCode.LIMIT_EXCEEDED, "maxNestingDepth (1)");
        assertEquals("l1.zip!/l2.tar.gz", diags(p, DiagnosticCode.LIMIT_EXCEEDED).get(0).file());

        UnpackedPackage none = read(Limits.builder().maxNestingDepth(0).build(), "o.tar", outer);
        assertEquals(List.of("l1.zip"), paths(none));
    }

    @Test
    void unsafePathsInsideNestedArchivesKeepTheirPrefix() {
        byte[] inner = TestArchives.tar(List.of(Member.file("../../escape.py", "x = 1\n")));
        UnpackedPackage p = read("o.zip", TestArchives.zip(List.of(Member.file("a/in.tar", inner))));
        assertEquals(List.of("a/in.tar", "a/in.tar!/escape.py"), paths(p));
        assertEquals("a/in.tar!/escape.py", diags(p, DiagnosticCode.UNSAFE_PATH).get(0).file());
    }

    // ------------------------------------------------------------------ each limit

    @Test
    void maxTotalBytesStopsReadingAndKeepsWhatWasRead() {
        List<Member> members = new ArrayList<>();
        Random random = new Random(3);
        for (int i = 0; i < 4; i++) {
            byte[] b = new byte[300_000];
            random.nextBytes(b);
            members.add(Member.file("f" + i + ".py", b));
        }
        Limits limits = Limits.builder().maxTotalBytes(700_000).build();
        for (byte[] archive : List.of(TestArchives.tar(members), TestArchives.gzip(TestArchives.tar(members)),
                TestArchives.zip(members))) {
            UnpackedPackage p = read(limits, "big", archive);
            assertDiag(p, DiagnosticCode.LIMIT_EXCEEDED, "maxTotalBytes (700000)");
            assertWithinLimits(p, limits);
            assertTrue(p.readable());
            assertTrue(p.entries().size() >= 2, paths(p).toString());
            assertArrayEquals(members.get(0).content(), p.entries().get(0).bytes());
        }
    }

    @Test
    void maxEntryBytesCutsOneEntryAndGoesOn() {
        Limits limits = Limits.builder().maxEntryBytes(1000).build();
        byte[] big = new byte[5000];
        Arrays.fill(big, (byte) 'a');
        List<Member> members = List.of(Member.file("big.txt", big), Member.file("after.py", "x = 1\n"));
        for (byte[] archive : List.of(TestArchives.tar(members), TestArchives.xz(TestArchives.tar(members)),
                TestArchives.zip(members))) {
            UnpackedPackage p = read(limits, "p", archive);
            assertEquals(List.of("big.txt", "after.py"), paths(p));
            assertEquals(1000, p.entries().get(0).bytes().length);
            assertDiag(p, DiagnosticCode.LIMIT_EXCEEDED, "maxEntryBytes (1000)");
            assertWithinLimits(p, limits);
        }
    }

    @Test
    void maxEntriesStopsReading() {
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            members.add(Member.file("f" + i + ".py", "x = " + i + "\n"));
        }
        Limits limits = Limits.builder().maxEntries(10).build();
        for (byte[] archive : List.of(TestArchives.gzip(TestArchives.tar(members)), TestArchives.zip(members))) {
            UnpackedPackage p = read(limits, "p", archive);
            assertEquals(10, p.entries().size());
            assertDiag(p, DiagnosticCode.LIMIT_EXCEEDED, "maxEntries (10)");
        }
    }

    @Test
    void maxCompressionRatioCutsAnEntry() {
        Limits limits = Limits.builder().maxCompressionRatio(50).maxEntryBytes(1 << 20).build();
        List<Member> members = List.of(Member.file("zeros.bin", new byte[8 << 20]), Member.file("after.py", "x\n"));
        UnpackedPackage zip = read(limits, "r.zip", TestArchives.zip(members));
        assertDiag(zip, DiagnosticCode.LIMIT_EXCEEDED, "maxCompressionRatio (50)");
        assertTrue(entry(zip, "zeros.bin").bytes().length < 2 << 20);
        assertTrue(paths(zip).contains("after.py"), "random access goes on after the cut entry");

        UnpackedPackage tgz = read(limits, "r.tar.gz", TestArchives.gzip(TestArchives.tar(members)));
        assertDiag(tgz, DiagnosticCode.LIMIT_EXCEEDED, "maxCompressionRatio (50)");
        assertTrue(tgz.uncompressedBytes() < 2 << 20);
    }

    @Test
    void maxPathLengthCutsThePath() {
        String longName = "a/".repeat(100) + "x.py";
        Limits limits = Limits.builder().maxPathLength(50).build();
        UnpackedPackage p = read(limits, "p.tar", TestArchives.tar(List.of(Member.file(longName, "x = 1\n"))));
        assertEquals(1, p.entries().size());
        assertEquals(50, p.entries().get(0).path().length());
        assertEquals(longName, p.entries().get(0).rawPath());
        assertDiag(p, DiagnosticCode.LIMIT_EXCEEDED, "maxPathLength (50)");
    }

    @Test
    void packageTimeoutStopsUnpacking() {
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            members.add(Member.file("f" + i + ".py", "x = 1\n"));
        }
        Limits limits = Limits.builder().packageTimeout(Duration.ofNanos(1)).build();
        UnpackedPackage p = read(limits, "p.tar.gz", TestArchives.gzip(TestArchives.tar(members)));
        assertDiag(p, DiagnosticCode.LIMIT_EXCEEDED, "packageTimeout");
        assertTrue(p.entries().size() < 100);
    }

    // ------------------------------------------------------------------ bombs and huge declarations

    @Test
    void deflateBombIsCutByTheRatioWithDefaults() {
        byte[] bomb = TestArchives.rawZip(List.of(
                TestArchives.RawEntry.zeros("a.bin", 96), TestArchives.RawEntry.zeros("b.bin", 96)));
        assertTrue(bomb.length < 400_000);
        UnpackedPackage p = assertTimeoutPreemptively(HANG, () -> read("bomb.zip", bomb));
        assertEquals(2, diags(p, DiagnosticCode.LIMIT_EXCEEDED).size());
        assertDiag(p, DiagnosticCode.LIMIT_EXCEEDED, "maxCompressionRatio (1000)");
        long judgedAfter = Limits.defaults().maxEntryBytes() + Unpacking.CHUNK;
        assertTrue(p.uncompressedBytes() <= 2 * judgedAfter, "read " + p.uncompressedBytes());
    }

    /** A few MiB at deflate's best ratio (onnx ships a 2.5 MB all-zero test tensor at 1016:1) is no bomb. */
    @Test
    void aHighlyCompressibleEntryWithinTheEntryLimitIsReadWhole() {
        Limits limits = Limits.builder().maxEntryBytes(8 << 20).build();
        TestArchives.RawEntry zeros = TestArchives.RawEntry.zeros("zeros.pb", 6);
        assertTrue(zeros.data().length < (6 << 20) / limits.maxCompressionRatio(), "ratio " + zeros.data().length);
        byte[] zip = TestArchives.rawZip(List.of(zeros,
                TestArchives.RawEntry.stored("a.py", "x\n".getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        UnpackedPackage p = read(limits, "data.zip", zip);
        assertEquals(List.of(), diags(p, DiagnosticCode.LIMIT_EXCEEDED));
        assertEquals(6 << 20, entry(p, "zeros.pb").size());
    }

    @Test
    void deflateBombIsCutByTheEntryAndTotalLimitsWhenTheRatioAllowsIt() {
        byte[] bomb = TestArchives.rawZip(List.of(
                TestArchives.RawEntry.zeros("a.bin", 96), TestArchives.RawEntry.zeros("b.bin", 96)));
        Limits limits = Limits.builder().maxTotalBytes(100 << 20).maxCompressionRatio(Integer.MAX_VALUE).build();
        UnpackedPackage p = assertTimeoutPreemptively(HANG, () -> read(limits, "bomb.zip", bomb));
        assertDiag(p, DiagnosticCode.LIMIT_EXCEEDED, "maxTotalBytes");
        assertWithinLimits(p, limits);
        assertTrue(p.entries().get(0).bytes().length <= 16 * 1024, "data is streamed through, not kept");
    }

    @Test
    void bzip2BombIsCutByTheRatio() {
        byte[] bomb = TestArchives.bzip2(TestArchives.tar(List.of(Member.file("zeros", new byte[8 << 20]))));
        assertTrue(bomb.length < 1000, "bzip2 of zeros is tiny: " + bomb.length);
        Limits limits = Limits.builder().maxEntryBytes(1 << 20).build();
        UnpackedPackage p = assertTimeoutPreemptively(HANG, () -> read(limits, "bomb.tar.bz2", bomb));
        assertDiag(p, DiagnosticCode.LIMIT_EXCEEDED, "maxCompressionRatio (1000)");
        assertTrue(p.uncompressedBytes() <= 2 << 20, "read " + p.uncompressedBytes());
    }

    @Test
    void nestedZipBombIsBoundedByTheTotal() {
        List<TestArchives.RawEntry> leaves = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            leaves.add(TestArchives.RawEntry.zeros("leaf/" + i + ".bin", 8));
        }
        byte[] leaf = TestArchives.rawZip(leaves);
        byte[] level1 = TestArchives.zip(members(8, "l1", leaf));
        byte[] level2 = TestArchives.zip(members(8, "l2", level1));
        assertTrue(level2.length < 8 << 20);
        Limits limits = Limits.builder().maxTotalBytes(128 << 20).build();
        UnpackedPackage p = assertTimeoutPreemptively(HANG, () -> read(limits, "42.zip", level2));
        assertDiag(p, DiagnosticCode.LIMIT_EXCEEDED, "maxTotalBytes");
        assertWithinLimits(p, limits);
        assertTrue(paths(p).contains("l2/0.zip!/l1/0.zip!/leaf/0.bin"), paths(p).subList(0, 5).toString());
    }

    private static List<Member> members(int n, String dir, byte[] content) {
        List<Member> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Member.file(dir + "/" + i + ".zip", content));
        }
        return out;
    }

    @Test
    void overlappingEntryBombIsDetectedAndBounded() {
        byte[] bomb = TestArchives.overlappingBomb(2000, 1 << 20);
        assertTrue(bomb.length < 200_000);
        UnpackedPackage p = assertTimeoutPreemptively(HANG, () -> read("overlap.zip", bomb));
        assertDiag(p, DiagnosticCode.ARCHIVE_UNREADABLE, "1999 zip entries");
        assertDiag(p, DiagnosticCode.ARCHIVE_UNREADABLE, "overlapping-entry zip bomb");
        assertFalse(p.differentials().isEmpty());
        // the one entry read is scanned under its central and its local name
        assertEquals(2, p.entries().size());
        assertEquals(2 << 20, p.uncompressedBytes());
    }

    @Test
    void hugeDeclaredSparseEntryIsCutQuickly() {
        byte[] tar = TestArchives.sparseTar(10L << 30, "after.py", "x = 1\n");
        for (byte[] archive : List.of(tar, TestArchives.gzip(tar))) {
            UnpackedPackage p = assertTimeoutPreemptively(HANG, () -> read("sparse.tar", archive));
            assertDiag(p, DiagnosticCode.LIMIT_EXCEEDED, "maxCompressionRatio");
            assertTrue(p.uncompressedBytes() <= Limits.defaults().maxEntryBytes() + (2 << 20),
                    "read " + p.uncompressedBytes());
            assertEquals("huge.sparse", p.entries().get(0).path());
            assertWithinLimits(p, Limits.defaults());
        }
    }

    @Test
    void hugeDeclaredSizeWithoutDataIsATruncatedArchive() {
        UnpackedPackage p = assertTimeoutPreemptively(HANG,
                () -> read("fake.tar", TestArchives.fakeSizeTar(10L << 30, 4096)));
        assertDiag(p, DiagnosticCode.ARCHIVE_UNREADABLE, "truncated");
        assertTrue(p.uncompressedBytes() <= 4096);
    }

    // ------------------------------------------------------------------ many entries

    @Test
    void tenThousandEntriesAreReadWithDefaults() {
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            members.add(Member.file("pkg/m" + i + ".py", "x = " + i + "\n"));
        }
        UnpackedPackage p = read("many.tar.gz", TestArchives.gzip(TestArchives.tar(members)));
        assertEquals(10_000, p.entries().size());
        assertEquals(List.of(), p.diagnostics());
        UnpackedPackage z = read("many.zip", TestArchives.rawZip(members.stream()
                .map(m -> TestArchives.RawEntry.stored(m.name(), m.content())).toList()));
        assertEquals(10_000, z.entries().size());
        assertEquals(List.of(), z.diagnostics());
    }

    @Test
    void hundredThousandTinyEntriesAreBoundedByMaxEntries() {
        List<TestArchives.RawEntry> members = new ArrayList<>();
        byte[] one = {'x'};
        for (int i = 0; i < 100_000; i++) {
            members.add(TestArchives.RawEntry.stored(Integer.toString(i, 36), one));
        }
        byte[] zip = TestArchives.rawZip(members);
        Limits limits = Limits.builder().maxEntries(5_000).build();
        UnpackedPackage p = assertTimeoutPreemptively(HANG, () -> read(limits, "tiny.zip", zip));
        assertEquals(5_000, p.entries().size());
        assertDiag(p, DiagnosticCode.LIMIT_EXCEEDED, "maxEntries (5000)");
    }
}
