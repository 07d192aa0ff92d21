package dev.kingsnake;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class InputsTest {
    @TempDir
    Path tmp;

    private Path write(String rel, byte[] data) throws IOException {
        Path p = tmp.resolve(rel);
        Files.createDirectories(p.getParent());
        return Files.write(p, data);
    }

    private Path write(String rel, String text) throws IOException {
        return write(rel, text.getBytes(StandardCharsets.UTF_8));
    }

    private List<String> expand(Path root) throws IOException {
        List<String> out = new ArrayList<>();
        Inputs.expand(root, p -> out.add(tmp.relativize(p).toString().replace('\\', '/')));
        return out;
    }

    private static byte[] gzip(String text) throws IOException {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(b)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return b.toByteArray();
    }

    @Test
    void eachProjectMarkerMakesADirectoryOnePackage() throws IOException {
        for (String marker : Inputs.PROJECT_MARKERS) {
            Path dir = tmp.resolve("proj-" + marker);
            write("proj-" + marker + "/" + marker, "x");
            write("proj-" + marker + "/pkg/mod.py", "import os\n");
            write("proj-" + marker + "/dist/inner-1.0.tar.gz", gzip("x"));
            assertEquals(List.of("proj-" + marker), expand(dir), marker);
        }
    }

    @Test
    void plainDirectoryYieldsArchivesPythonFilesAndProjectsInSortedOrder() throws IOException {
        write("in/b-1.0.tar.gz", "not really gzip, the name decides");
        write("in/a-1.0-py3-none-any.whl", "x");
        write("in/c.tgz", "x");
        write("in/d.tar.bz2", "x");
        write("in/e.tar.xz", "x");
        write("in/f.tar", "x");
        write("in/g.zip", "x");
        write("in/h.egg", "x");
        write("in/loose.py", "print(1)\n");
        write("in/README.md", "# not a package\n");
        write("in/notes.txt", "text\n");
        write("in/blob", gzip("an archive by its bytes"));
        write("in/sub/deeper/k-2.0.tar.gz", "x");
        write("in/sub/proj/setup.py", "from setuptools import setup\n");
        write("in/sub/proj/mod.py", "x = 1\n");
        write("in/sub/proj/vendored-1.0.tar.gz", "x");
        assertEquals(List.of(
                        "in/a-1.0-py3-none-any.whl", "in/b-1.0.tar.gz", "in/blob", "in/c.tgz", "in/d.tar.bz2",
                        "in/e.tar.xz", "in/f.tar", "in/g.zip", "in/h.egg", "in/loose.py",
                        "in/sub/proj", "in/sub/deeper/k-2.0.tar.gz"),
                expand(tmp.resolve("in")));
    }

    @Test
    void magicBytesRecogniseArchivesWithoutArchiveNames() throws IOException {
        byte[] tar = new byte[512];
        System.arraycopy("ustar".getBytes(StandardCharsets.US_ASCII), 0, tar, 257, 5);
        assertTrue(Inputs.looksLikeArchive(write("m/tarball", tar)));
        assertTrue(Inputs.looksLikeArchive(write("m/zipfile", new byte[] {'P', 'K', 3, 4, 0, 0})));
        assertTrue(Inputs.looksLikeArchive(write("m/emptyzip", new byte[] {'P', 'K', 5, 6, 0, 0})));
        assertTrue(Inputs.looksLikeArchive(write("m/bz", "BZh91AY&SY")));
        assertTrue(Inputs.looksLikeArchive(write("m/xz", new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0})));
        assertTrue(Inputs.looksLikeArchive(write("m/gz", gzip("x"))));
        assertFalse(Inputs.looksLikeArchive(write("m/text", "PK is not enough")));
        assertFalse(Inputs.looksLikeArchive(write("m/empty", new byte[0])));
    }

    @Test
    void aFileIsOnePackageWhateverItsName() throws IOException {
        Path f = write("odd-name.bin", "random");
        assertEquals(List.of("odd-name.bin"), expand(f));
    }

    @Test
    void missingPathIsNoSuchFile() {
        assertThrows(NoSuchFileException.class, () -> Inputs.expand(tmp.resolve("missing"), p -> { }));
    }

    @Test
    void emptyDirectoryYieldsNothing() throws IOException {
        Files.createDirectories(tmp.resolve("empty"));
        assertEquals(List.of(), expand(tmp.resolve("empty")));
    }

    @Test
    void symbolicLinksInsideTheWalkAreNotFollowed() throws IOException {
        Path outside = write("outside/evil-1.0.tar.gz", "x");
        write("outside/other.py", "x");
        Files.createDirectories(tmp.resolve("walk"));
        write("walk/real.py", "x");
        try {
            Files.createSymbolicLink(tmp.resolve("walk/link.tar.gz"), outside);
            Files.createSymbolicLink(tmp.resolve("walk/linkdir"), tmp.resolve("outside"));
            Files.createSymbolicLink(tmp.resolve("walk/loop"), tmp.resolve("walk"));
        } catch (UnsupportedOperationException | IOException e) {
            assumeTrue(false, "symbolic links not supported here: " + e);
        }
        assertEquals(List.of("walk/real.py"), expand(tmp.resolve("walk")));
    }

    @Test
    void deepTreesDoNotOverflowTheStack() throws IOException {
        StringBuilder rel = new StringBuilder("deep");
        for (int i = 0; i < 200; i++) {
            rel.append("/d");
        }
        write(rel + "/x.py", "x");
        assertEquals(1, expand(tmp.resolve("deep")).size());
    }

    @Test
    void expandAllKeepsTheOrderOfRoots() throws IOException {
        Path b = write("r/b.py", "x");
        Path a = write("r/a.py", "x");
        assertEquals(List.of(b, a), Inputs.expandAll(List.of(b, a)));
    }
}
