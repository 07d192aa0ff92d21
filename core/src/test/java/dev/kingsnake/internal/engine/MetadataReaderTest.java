package dev.kingsnake.internal.engine;

import dev.kingsnake.ScanResult;
import dev.kingsnake.Scanner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class MetadataReaderTest {
    private final Scanner scanner = Scanner.builder().rules(List.of()).build();

    @Test
    void headersKeepOrderAndJoinContinuationLinesUpToTheBody() {
        Map<String, List<String>> h = MetadataReader.parseHeaders(
                "Metadata-Version: 2.1\nName: demo\nClassifier: A\nClassifier: B\nLicense: line one\n  line two\n\nName: body\n");
        assertEquals(List.of("demo"), h.get("Name"));
        assertEquals(List.of("A", "B"), h.get("Classifier"));
        assertEquals(List.of("line one\nline two"), h.get("License"));
    }

    @Test
    void fileNamesOfWheelsAndSdistsGiveNameAndVersion() {
        assertArrayEquals(new String[] {"demo_pkg", "1.2.3"},
                MetadataReader.guessFromFileName("demo_pkg-1.2.3-py3-none-any.whl"));
        assertArrayEquals(new String[] {"demo-pkg", "0.1rc1"}, MetadataReader.guessFromFileName("demo-pkg-0.1rc1.tar.gz"));
        assertArrayEquals(new String[] {"", ""}, MetadataReader.guessFromFileName("notes.txt"));
    }

    @Test
    void anUnpackedProjectIsNamedByPyproject(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("pyproject.toml"), "[project]\nname = \"from-toml\"\nversion = \"2.0\"\n");
        ScanResult r = scanner.scan(dir);
        assertEquals("from-toml", r.name());
        assertEquals("2.0", r.version());
    }

    @Test
    void anUnpackedProjectIsNamedBySetupPyConstants(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("setup.py"),
                "from setuptools import setup\nNAME = 'from-setup'\nsetup(name=NAME, version='3.' + '1')\n");
        ScanResult r = scanner.scan(dir);
        assertEquals("from-setup", r.name());
        assertEquals("3.1", r.version());
    }

    @Test
    void otherwiseTheDirectoryNameIsTheName(@TempDir Path dir) throws IOException {
        Path project = Files.createDirectories(dir.resolve("plainproj"));
        Files.writeString(project.resolve("main.py"), "print('hi')\n");
        assertEquals("plainproj", scanner.scan(project).name());
    }

    /** A repository snapshot has no PKG-INFO of its own; the one in its test data is another package's. */
    @Test
    void packagingFilesInTestDataDoNotNameThePackage(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("pyproject.toml"), "[project]\nname = \"realpkg\"\nversion = \"1.0\"\n");
        Path data = Files.createDirectories(dir.resolve("tests/data/packages/dummy"));
        Files.writeString(data.resolve("PKG-INFO"), "Metadata-Version: 2.1\nName: dummy-backend\nVersion: 0.1\n");
        Files.writeString(data.resolve("setup.py"), "from setuptools import setup\nsetup(name='dummy', version='0.2')\n");
        ScanResult r = scanner.scan(dir);
        assertEquals("realpkg", r.name());
        assertEquals("1.0", r.version());
    }
}
