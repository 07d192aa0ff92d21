package dev.kingsnake.internal.decode;

import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.python.Stmt;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A file's bindings are read once and shared by every peel that looks at the file. */
class BindingsTest {
    private static final String SOURCE = """
            k = 'a'
            for i in range(3):
                for j in range(2):
                    for m in range(2):
                        k += 'b'
                k += 'c'
            x = 1
            """;

    private static PythonFile file() {
        return DecodeFixturesTest.model("loops.py", SOURCE.getBytes(StandardCharsets.UTF_8), List.of(),
                Optional.empty());
    }

    @Test
    void anAssignmentInNestedLoopsBelongsToTheOutermostLoop() {
        Bindings b = new Bindings(file(), null);
        List<Bindings.Binding> k = b.at("k", 7);
        assertEquals(List.of(1, 5, 6), k.stream().map(Bindings.Binding::line).toList());
        for (Bindings.Binding aug : k.subList(1, 3)) {
            Stmt.For loop = aug.loop().orElseThrow();
            assertEquals(2, loop.line(), "the loop on line 2, not the inner ones");
        }
        assertTrue(b.at("x", 7).get(0).loop().isEmpty());
    }

    @Test
    void twoPeelsOfOneFileShareItsBindings() {
        PythonFile f = file();
        Bindings first = new Bindings(f, null);
        Bindings second = new Bindings(f, null);
        assertSame(first.at("k", 7).get(1), second.at("k", 7).get(1));
        // a fresh model of the same text reads its own
        Bindings other = new Bindings(file(), null);
        assertEquals(first.at("k", 7).get(1).line(), other.at("k", 7).get(1).line());
        assertTrue(first.at("k", 7).get(1) != other.at("k", 7).get(1));
    }
}
