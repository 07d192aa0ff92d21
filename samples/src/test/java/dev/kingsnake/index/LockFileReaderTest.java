package dev.kingsnake.index;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Requirement and lock-file parsing, and pip's index discovery, on files the test writes. */
class LockFileReaderTest {
    @TempDir
    Path tmp;

    @Test
    void requirementsPinsAndSkips() {
        LockFileReader.Contents c = LockFileReader.requirements("""
                # comment
                -r other.txt
                Foo_Bar[extra]==1.2.3 ; python_version < "3.13"  # trailing
                baz
                qux>=2
                """);
        assertEquals(List.of(new PinnedRequirement("Foo_Bar", Optional.of("1.2.3")),
                new PinnedRequirement("baz", Optional.empty())), c.requirements());
        assertEquals(List.of("-r other.txt", "qux>=2"), c.skipped());
    }

    @Test
    void pylockAndUvLock() throws IOException {
        Path pylock = Files.writeString(tmp.resolve("pylock.toml"), "lock-version = \"1.0\"\n[[packages]]\n"
                + "name = \"attrs\"\nversion = \"25.1.0\"\n[[packages]]\nname = \"local\"\nversion = \"0.1\"\n"
                + "directory = { path = \".\" }\n");
        assertEquals(List.of(new PinnedRequirement("attrs", Optional.of("25.1.0"))),
                LockFileReader.read(pylock).requirements());
        Path uv = Files.writeString(tmp.resolve("uv.lock"), "[[package]]\nname = \"idna\"\nversion = \"3.10\"\n"
                + "source = { registry = \"https://pypi.org/simple\" }\n");
        assertEquals(List.of(new PinnedRequirement("idna", Optional.of("3.10"))), LockFileReader.read(uv).requirements());
    }

    @Test
    void pipIndexFromEnvironmentThenLastConfigFileThenPypi() throws IOException {
        Path home = Files.createDirectories(tmp.resolve("home"));
        assertEquals(PipIndexConfig.PYPI, PipIndexConfig.indexUrl(Map.of("XDG_CONFIG_DIRS", tmp.resolve("none").toString()), home));
        Files.createDirectories(home.resolve(".pip"));
        Files.writeString(home.resolve(".pip/pip.conf"), "[global]\nindex-url = https://first.example.invalid/simple\n");
        Files.createDirectories(home.resolve(".config/pip"));
        Files.writeString(home.resolve(".config/pip/pip.conf"), "[install]\nindex_url: https://second.example.invalid/simple\n");
        Map<String, String> env = Map.of("XDG_CONFIG_DIRS", tmp.resolve("none").toString());
        assertEquals(URI.create("https://second.example.invalid/simple"), PipIndexConfig.indexUrl(env, home));
        assertEquals(URI.create("https://env.example.invalid/simple/"), PipIndexConfig.indexUrl(
                Map.of("PIP_INDEX_URL", "https://env.example.invalid/simple/"), home));
    }

    @Test
    void newestFinalReleaseIsChosen() {
        ProjectPage page = new ProjectPage("demo", "1.1", List.of("1.9", "1.10", "2.0rc1", "1.10.post1"), List.of());
        assertEquals(Optional.of("1.10.post1"), ReleaseFetcher.newest(page, "demo"));
        assertTrue(ReleaseFetcher.VERSION_ORDER.compare("1.10", "1.9") > 0);
    }
}
