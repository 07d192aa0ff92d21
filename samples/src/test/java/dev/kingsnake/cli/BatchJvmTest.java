package dev.kingsnake.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which command lines run their command in a child JVM, and with what. */
class BatchJvmTest {
    private static final String JAR = "/opt/kingsnake.jar";

    private static Optional<List<String>> child(List<String> processArguments, Map<String, String> env,
                                                boolean inChild, String... args) {
        return BatchJvm.childCommand("/jdk", processArguments, JAR, env, inChild, args);
    }

    @Test
    void aPlainJarRunOfScanOrEvalRunsInAChildWithTheBatchOptions() {
        List<String> plain = List.of("-jar", JAR, "scan", "--jobs", "2", "a.whl");
        assertEquals(Optional.of(List.of("/jdk/bin/java", "-XX:TieredStopAtLevel=1", "-Dkingsnake.batchJvm=true",
                        "-cp", JAR, "dev.kingsnake.cli.KingsnakeCommand", "scan", "--jobs", "2", "a.whl")),
                child(plain, Map.of(), false, "scan", "--jobs", "2", "a.whl"));
        assertEquals("eval", child(List.of("-jar", JAR, "eval"), Map.of("PATH", "/bin"), false, "eval")
                .orElseThrow().get(6));
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
        for (String command : List.of("gate", "rules", "diff", "--version", "help")) {
            assertEquals(Optional.empty(), child(List.of("-jar", JAR, command), Map.of(), false, command));
        }
        assertEquals(Optional.empty(), child(List.of("-jar", JAR), Map.of(), false));
        assertEquals(Optional.empty(), child(List.of("-XX:TieredStopAtLevel=1", "-cp", JAR), Map.of(), true,
                "scan", "a.whl"));
    }
}
