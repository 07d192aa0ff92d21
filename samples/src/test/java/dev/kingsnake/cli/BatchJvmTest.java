package dev.kingsnake.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Which command lines run their command in a child JVM, and with what. */
class BatchJvmTest {
    private static final String JAR = "/opt/kingsnake.jar";
    private static final long SIX_GIB = 6L << 30;

    private static Optional<List<String>> child(List<String> processArguments, Map<String, String> env,
                                                boolean inChild, String... args) {
        return BatchJvm.childCommand("/jdk", processArguments, JAR, env, inChild, SIX_GIB,
                () -> fail("only the gate's child has compiler directives"), args);
    }

    @Test
    void aPlainJarRunOfScanOrEvalRunsInAChildWithTheBatchOptions() {
        List<String> plain = List.of("-jar", JAR, "scan", "--jobs", "2", "a.whl");
        assertEquals(Optional.of(List.of("/jdk/bin/java", "-XX:TieredStopAtLevel=1", "-XX:+UseParallelGC",
                        "-Xmn256m", "-Dkingsnake.batchJvm=true", "-cp", JAR, "dev.kingsnake.cli.KingsnakeCommand",
                        "scan", "--jobs", "2", "a.whl")),
                child(plain, Map.of(), false, "scan", "--jobs", "2", "a.whl"));
        assertEquals("eval", child(List.of("-jar", JAR, "eval"), Map.of("PATH", "/bin"), false, "eval")
                .orElseThrow().get(8));
    }

    /** The child's class archive records the jar's path: a relative one is made absolute (the same jar elsewhere). */
    @Test
    void theChildsClassPathIsAbsolute() {
        List<String> command = BatchJvm.childCommand("/jdk", List.of("-jar", "k.jar", "scan", "a.whl"), "k.jar",
                Map.of(), false, SIX_GIB, Optional::empty, new String[]{"scan", "a.whl"}).orElseThrow();
        assertEquals(Path.of("k.jar").toAbsolutePath().toString(), command.get(command.indexOf("-cp") + 1));
    }

    @Test
    void aSmallDefaultHeapKeepsTheCollectorsOwnYoungGeneration() {
        List<String> command = BatchJvm.childCommand("/jdk", List.of("-jar", JAR, "scan", "a.whl"), JAR, Map.of(),
                false, 512L << 20, Optional::empty, new String[]{"scan", "a.whl"}).orElseThrow();
        assertTrue(command.contains("-XX:+UseParallelGC"), command::toString);
        assertFalse(command.stream().anyMatch(o -> o.startsWith("-Xmn")), command::toString);
        assertTrue(BatchJvm.childCommand("/jdk", List.of("-jar", JAR, "scan", "a.whl"), JAR, Map.of(), false,
                1L << 30, Optional::empty, new String[]{"scan", "a.whl"}).orElseThrow().contains("-Xmn256m"));
    }

    @Test
    void anyJvmOptionOfTheUserKeepsTheCommandInThisJvm() {
        assertEquals(Optional.empty(), child(List.of("-Xmx512m", "-jar", JAR, "scan", "a.whl"), Map.of(), false,
                "scan", "a.whl"));
        for (String variable : List.of("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS")) {
            assertEquals(Optional.empty(), child(List.of("-jar", JAR, "scan", "a.whl"), Map.of(variable, "-Xmx1g"),
                    false, "scan", "a.whl"));
        }
        // the platform did not say how the JVM was started
        assertEquals(Optional.empty(), child(List.of(), Map.of(), false, "scan", "a.whl"));
    }

    @Test
    void otherCommandsAndTheChildItselfStayWhereTheyAre() {
        for (String command : List.of("rules", "diff", "--version", "help")) {
            assertEquals(Optional.empty(), child(List.of("-jar", JAR, command), Map.of(), false, command));
        }
        assertEquals(Optional.empty(), child(List.of("-jar", JAR), Map.of(), false));
        assertEquals(Optional.empty(), child(List.of("-XX:TieredStopAtLevel=1", "-cp", JAR), Map.of(), true,
                "scan", "a.whl"));
    }

    @Test
    void aPlainJarRunOfTheGateRunsInAChildWithTheParallelCollectorAndTheCompilerDirectives() {
        Path directives = Path.of("/tmp/kingsnake-gate-jit.json");
        List<String> plain = List.of("-jar", JAR, "gate", "--upstream", "https://example.invalid/simple/");
        assertEquals(Optional.of(List.of("/jdk/bin/java", "-XX:+UseParallelGC", "-XX:InlineSmallCode=1000",
                        "-XX:MaxInlineSize=20", "-XX:FreqInlineSize=150", "-XX:+UnlockDiagnosticVMOptions",
                        "-XX:CompilerDirectivesFile=" + directives, "-XX:+DisplayVMOutputToStderr",
                        "-Dkingsnake.batchJvm=true", "-cp", JAR,
                        "dev.kingsnake.cli.KingsnakeCommand", "gate", "--upstream", "https://example.invalid/simple/")),
                BatchJvm.childCommand("/jdk", plain, JAR, Map.of(), false, SIX_GIB, () -> Optional.of(directives),
                        plain.subList(2, plain.size()).toArray(String[]::new)));
        // the directives could not be written: the collector still applies
        assertEquals(List.of("-XX:FreqInlineSize=150", "-Dkingsnake.batchJvm=true"),
                BatchJvm.childCommand("/jdk", plain, JAR, Map.of(), false, SIX_GIB, Optional::empty,
                        plain.subList(2, plain.size()).toArray(String[]::new)).orElseThrow().subList(4, 6));
        // a JVM option of the user keeps the gate in this JVM
        assertEquals(Optional.empty(), BatchJvm.childCommand("/jdk", List.of("-Xmx512m", "-jar", JAR, "gate"), JAR,
                Map.of(), false, SIX_GIB, () -> fail("not launched"), new String[]{"gate"}));
    }

    @Test
    void thisJvmAcceptsTheGateOptionsAndDirectives(@TempDir Path dir) throws IOException, InterruptedException {
        // a malformed directives file or an unknown option stops a JVM at start: run this JDK's java with them
        Path file = Files.writeString(dir.resolve("directives.json"), BatchJvm.GATE_DIRECTIVES, StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>(List.of(System.getProperty("java.home") + "/bin/java"));
        command.addAll(BatchJvm.GATE_OPTIONS);
        command.addAll(List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:CompilerDirectivesFile=" + file,
                "-XX:+DisplayVMOutputToStderr", "-version"));
        Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(java.waitFor(120, TimeUnit.SECONDS), "java -version did not end");
        assertEquals(0, java.exitValue(), output);
    }

    @Test
    void cmdlineIsSplitAtEachNul() {
        byte[] raw = "java\0-jar\0k.jar\0scan\0a b.whl\0".getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of("java", "-jar", "k.jar", "scan", "a b.whl"), BatchJvm.cmdlineArguments(raw));
        assertEquals(List.of("java", ""), BatchJvm.cmdlineArguments("java\0\0".getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of(), BatchJvm.cmdlineArguments(new byte[0]));
    }

    /**
     * A command line far beyond 4 KiB (where {@code ProcessHandle} gives up on Linux) still shows how the JVM was
     * started: a JVM started by this test with a thousand long arguments prints what it reads.
     */
    @Test
    void aLongCommandLineIsStillRead() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(System.getProperty("java.home") + "/bin/java", "-cp",
                System.getProperty("java.class.path"), ArgumentsProbe.class.getName()));
        for (int i = 0; i < 1000; i++) {
            command.add("/packages/some-package-" + i + "/1.0/some_package-1.0-py3-none-any.whl");
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(command.subList(1, command.size()).toString(), out);
    }

    /**
     * The way to the child loads no picocli (Java 5 classes: slow to load and verify, never in a class archive): a
     * JVM started by this test runs what {@link Main} runs before the child starts and lists the classes it loaded.
     */
    @Test
    void theWayToTheChildLoadsNoPicocli(@TempDir Path home) throws IOException, InterruptedException {
        assertEquals(KingsnakeCommand.class.getName(), BatchJvm.CHILD_MAIN);
        Path jar = Files.write(home.resolve("kingsnake.jar"), new byte[] {'P', 'K', 5, 6});
        Process p = new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-verbose:class",
                "-Duser.home=" + home, "-cp", System.getProperty("java.class.path"), LaunchProbe.class.getName(),
                jar.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("dev.kingsnake.cli.ClassArchive "), out);
        assertTrue(out.contains("probe: made"), out);
        assertFalse(out.contains("picocli."), "picocli loaded on the way to the child");
    }

    /** The child's command line and class archive, as {@link BatchJvm#launch} makes them; no child is started. */
    static final class LaunchProbe {
        public static void main(String[] args) {
            List<String> command = BatchJvm.childCommand(System.getProperty("java.home"),
                    List.of("-jar", args[0], "scan", "a.whl"), args[0], Map.of(), false, SIX_GIB,
                    Optional::empty, new String[] {"scan", "a.whl"}).orElseThrow();
            ClassArchive archive = BatchJvm.classArchive(command).orElseThrow();
            System.out.println(archive.makes() ? "probe: made" : "probe: mapped");
        }
    }

    /** Prints {@link BatchJvm#processArguments()}; run by {@link #aLongCommandLineIsStillRead}. */
    static final class ArgumentsProbe {
        public static void main(String[] args) {
            System.out.println(BatchJvm.processArguments());
        }
    }

    /**
     * This JDK starts with the child's options and says nothing about them: a warning on the standard streams
     * would land in the command's JSON output. Starts a JVM ({@code -version} only).
     */
    @Test
    void theJdkTakesTheChildsOptionsSilently() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(System.getProperty("java.home") + "/bin/java"));
        command.addAll(BatchJvm.OPTIONS);
        command.add(BatchJvm.YOUNG_GENERATION);
        command.add("-XX:+PrintFlagsFinal");
        command.add("-version");
        Process p = new ProcessBuilder(command).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), err);
        assertFalse(err.toLowerCase(java.util.Locale.ROOT).contains("warning"), err);
        assertTrue(out.matches("(?s).*\\bUseParallelGC\\s+= true\\b.*"), "the throughput collector is on");
        assertTrue(out.matches("(?s).*\\bTieredStopAtLevel\\s+= 1\\b.*"), "the client compiler only");
        assertTrue(out.matches("(?s).*\\bMaxNewSize\\s+= 268435456\\b.*"), "a young generation of 256 MiB");
    }
}
