package dev.kingsnake.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The batch child's class archive: made once, mapped after, never in the way of a scan. */
class ClassArchiveTest {
    private static final List<String> OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseParallelGC");
    private static final String USER = System.getProperty("user.name");

    @TempDir
    Path tmp;

    private Path jar() throws IOException {
        Path jar = tmp.resolve("kingsnake.jar");
        if (!Files.exists(jar)) {
            Files.write(jar, new byte[] {'P', 'K', 5, 6});
        }
        return jar;
    }

    private Optional<ClassArchive> archive(Map<String, String> env, List<String> options) throws IOException {
        return ClassArchive.of(env, tmp.resolve("home").toString(), USER, jar(), "/jdk", "17.0.99", options, 42);
    }

    private Optional<ClassArchive> archive() throws IOException {
        return archive(Map.of(), OPTIONS);
    }

    private Path cache() {
        return tmp.resolve("home/.cache/kingsnake/jvm");
    }

    private List<String> cached() throws IOException {
        try (Stream<Path> files = Files.list(cache())) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    /** What a child given {@code -XX:ArchiveClassesAtExit} leaves: a file at the partial path. */
    private static void childWrites(ClassArchive archive, int bytes) throws IOException {
        Files.write(archive.file(), new byte[bytes]);
    }

    @Test
    void theFirstRunMakesTheArchiveAndTheNextMapsIt() throws IOException {
        ClassArchive first = archive().orElseThrow();
        assertTrue(first.makes());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cache())));
        assertEquals(List.of("-Xshare:auto", "-Xlog:cds=off", "-Xlog:cds+dynamic=off",
                "-XX:ArchiveClassesAtExit=" + first.file()), first.options());
        childWrites(first, 1000);
        first.finish(1);
        List<String> files = cached();
        assertEquals(1, files.size(), files::toString);
        assertTrue(files.get(0).endsWith("-1000.jsa"), files::toString);

        ClassArchive next = archive().orElseThrow();
        assertFalse(next.makes());
        assertEquals(cache().resolve(files.get(0)), next.file());
        assertEquals("-XX:SharedArchiveFile=" + next.file(), next.options().get(3));
        next.finish(0);
        assertEquals(files, cached());
    }

    @Test
    void aFileCutShortIsNeverMappedAndIsMadeAgain() throws IOException {
        ClassArchive first = archive().orElseThrow();
        childWrites(first, 1000);
        first.finish(0);
        Path made = archive().orElseThrow().file();
        Files.write(made, new byte[600]);
        ClassArchive again = archive().orElseThrow();
        assertTrue(again.makes(), "a truncated archive is not mapped (the JVM would die of SIGBUS)");
        assertFalse(Files.exists(made));
    }

    @Test
    void aChildThatFailedLeavesNoArchive() throws IOException {
        for (int code : new int[] {-1, 3, 134}) {
            ClassArchive first = archive().orElseThrow();
            childWrites(first, 1000);
            first.finish(code);
            assertEquals(List.of(), cached(), "exit " + code);
        }
        ClassArchive empty = archive().orElseThrow();
        Files.write(empty.file(), new byte[0]);
        empty.finish(0);
        assertEquals(List.of(), cached());
        archive().orElseThrow().finish(0); // the child wrote nothing at all
        assertEquals(List.of(), cached());
    }

    @Test
    void anArchiveAChildDiedWithIsDeleted() throws IOException {
        ClassArchive first = archive().orElseThrow();
        childWrites(first, 1000);
        first.finish(0);
        archive().orElseThrow().finish(2);
        assertEquals(1, cached().size(), "a usage error is the command's, not the archive's");
        archive().orElseThrow().finish(134);
        assertEquals(List.of(), cached());
    }

    @Test
    void aRebuiltJarOrOtherOptionsGetANewArchiveAndTheStaleOneGoes() throws IOException {
        ClassArchive first = archive().orElseThrow();
        childWrites(first, 1000);
        first.finish(0);
        String old = cached().get(0);
        assertTrue(archive(Map.of(), List.of("-XX:+UseParallelGC")).orElseThrow().makes());
        Files.setLastModifiedTime(jar(), FileTime.fromMillis(Files.getLastModifiedTime(jar()).toMillis() - 60_000));
        ClassArchive rebuilt = archive().orElseThrow();
        assertTrue(rebuilt.makes());
        childWrites(rebuilt, 2000);
        rebuilt.finish(0);
        List<String> files = cached();
        assertEquals(1, files.size(), files::toString);
        assertFalse(files.contains(old));
        assertTrue(files.get(0).endsWith("-2000.jsa"));
    }

    @Test
    void noArchiveWhereItCannotBeHadSafely() throws IOException {
        assertEquals(Optional.empty(), archive(Map.of(ClassArchive.SWITCH_VARIABLE, "off"), OPTIONS));
        // a home that cannot hold the cache (a file where the directory would be)
        Files.createDirectories(tmp.resolve("home"));
        Files.writeString(tmp.resolve("home/.cache"), "not a directory");
        assertEquals(Optional.empty(), archive());
        // a cache others may write to: an archive there could be anyone's code
        Path shared = tmp.resolve("shared");
        Files.createDirectories(shared.resolve("kingsnake/jvm"));
        Files.setPosixFilePermissions(shared.resolve("kingsnake/jvm"), PosixFilePermissions.fromString("rwxrwxrwx"));
        assertEquals(Optional.empty(), archive(Map.of("XDG_CACHE_HOME", shared.toString()), OPTIONS));
        Files.setPosixFilePermissions(shared.resolve("kingsnake/jvm"), PosixFilePermissions.fromString("rwx------"));
        assertTrue(archive(Map.of("XDG_CACHE_HOME", shared.toString()), OPTIONS).isPresent());
        // no home: nothing is made relative to the working directory
        assertEquals(Optional.empty(), ClassArchive.of(Map.of(), "?", USER, jar(), "/jdk", "17", OPTIONS, 42));
        assertFalse(Files.exists(Path.of("?")));
        // not a jar
        assertEquals(Optional.empty(), ClassArchive.of(Map.of("XDG_CACHE_HOME", shared.toString()), "/", USER,
                tmp.resolve("missing.jar"), "/jdk", "17", OPTIONS, 42));
    }

    /**
     * This JDK with the archive's options, three times: the first run makes it, the second maps it, the third is
     * given one made for another jar (the JVM refuses it and loads the classes itself). Every run prints exactly the program's
     * output: a JVM message about the archive on the standard output would land in the report. Starts JVMs.
     */
    @Test
    void thisJdkMakesMapsAndRefusesQuietly() throws IOException, InterruptedException {
        Path jar = tmp.resolve("probe.jar");
        Files.writeString(tmp.resolve("Probe.java"),
                "public class Probe { public static void main(String[] a) { System.out.println(\"probe \" + a[0]); } }");
        Path bin = Path.of(System.getProperty("java.home"), "bin");
        run(List.of(bin.resolve("javac").toString(), "-d", tmp.toString(), tmp.resolve("Probe.java").toString()));
        run(List.of(bin.resolve("jar").toString(), "cf", jar.toString(), "-C", tmp.toString(), "Probe.class"));
        List<String> options = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseParallelGC");
        String home = tmp.resolve("home").toString();
        for (String round : List.of("make", "map", "stale")) {
            ClassArchive archive = ClassArchive.of(Map.of(), home, USER, jar, System.getProperty("java.home"),
                    System.getProperty("java.vm.version"), options, ProcessHandle.current().pid()).orElseThrow();
            assertEquals(round.equals("make"), archive.makes(), round);
            if (round.equals("stale")) {
                // the jar changed since the archive was found (rebuilt during this run): the JVM refuses it
                Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000));
            }
            List<String> command = new ArrayList<>(List.of(bin.resolve("java").toString()));
            command.addAll(archive.options());
            command.addAll(options);
            command.addAll(List.of("-cp", jar.toString(), "Probe", round));
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), round + ": " + out);
            assertEquals("probe " + round + "\n", out, round);
            archive.finish(p.exitValue());
            assertEquals(1, cached().size(), round + ": " + cached());
        }
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
    }
}
