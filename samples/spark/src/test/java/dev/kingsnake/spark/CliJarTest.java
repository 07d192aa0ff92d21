package dev.kingsnake.spark;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Spark stays out of the CLI's fat jar (built before this module in the reactor; skipped where it is not). */
class CliJarTest {
    @Test
    void cliFatJarHoldsNoSparkOrScalaClass() throws Exception {
        Path jar = Path.of("../target/kingsnake.jar");
        assumeTrue(Files.isRegularFile(jar), "the CLI's fat jar is not built");
        try (JarFile file = new JarFile(jar.toFile())) {
            List<String> spark = file.stream().map(e -> e.getName())
                    .filter(n -> n.startsWith("org/apache/spark/") || n.startsWith("scala/")
                            || n.startsWith("org/apache/hadoop/"))
                    .limit(5).toList();
            assertEquals(List.of(), spark);
        }
    }
}
