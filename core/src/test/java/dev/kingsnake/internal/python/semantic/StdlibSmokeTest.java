package dev.kingsnake.internal.python.semantic;

import dev.kingsnake.Limits;
import dev.kingsnake.Reach;
import dev.kingsnake.internal.python.ParseOutcome;
import dev.kingsnake.internal.python.PythonParser;
import dev.kingsnake.spi.python.Expr;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Every query on real, varied code (a sample of the CPython standard library) answers without failing. */
class StdlibSmokeTest {
    private static final Path STDLIB = Path.of("/usr/lib/python3.11");

    @Test
    void everyQueryOnStdlibSampleAnswers() throws IOException {
        assumeTrue(Files.isDirectory(STDLIB), "no CPython 3.11 standard library on this machine");
        List<Path> files;
        try (Stream<Path> s = Files.walk(STDLIB)) {
            files = s.filter(p -> p.toString().endsWith(".py")).sorted().collect(Collectors.toList());
        }
        PythonParser parser = new PythonParser(Limits.defaults());
        int resolved = 0;
        int calls = 0;
        for (int i = 0; i < files.size(); i += 8) {
            Path p = files.get(i);
            byte[] bytes = Files.readAllBytes(p);
            ParseOutcome out = parser.parse(p.toString(), bytes);
            SemanticModel m = new SemanticModel(p.toString(), bytes, out.text(), out.module(), false, List.of(),
                    Optional.empty());
            for (Expr.Call c : m.calls()) {
                calls++;
                if (m.calleeName(c).isPresent()) {
                    resolved++;
                }
                for (Expr a : c.args()) {
                    m.constant(a);
                }
                Reach r = m.reach(c);
                assertNotEquals(Reach.UNKNOWN, r, p + ":" + c.line());
                assertTrue(r != Reach.INSTALL_TIME || p.getFileName().toString().equals("setup.py")
                        || m.enclosingFunction(c).isPresent(), p + ":" + c.line());
            }
        }
        assertTrue(calls > 0 && resolved > 0, "resolved " + resolved + " of " + calls + " callees");
    }
}
