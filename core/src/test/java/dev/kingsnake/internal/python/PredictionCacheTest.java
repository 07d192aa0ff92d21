package dev.kingsnake.internal.python;

import dev.kingsnake.Limits;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared DFA cache is dropped once it passes its bound, and parsing goes on with a fresh one. */
class PredictionCacheTest {

    @Test
    void cacheIsReplacedWhenItGrowsPastTheBound() {
        PythonParser parser = new PythonParser(Limits.defaults());
        String src = "import os\nclass A(B):\n    def f(self, x=1):\n        return [i for i in x if i] + f'{x}'\n";
        parser.parse("a.py", src.getBytes(StandardCharsets.UTF_8));
        PredictionCache.Generation before = PredictionCache.current();
        int states = before.states();
        assertTrue(states > 10, "states " + states);
        assertFalse(PredictionCache.trimIfLargerThan(Integer.MAX_VALUE));
        assertTrue(PredictionCache.trimIfLargerThan(10));
        PredictionCache.Generation after = PredictionCache.current();
        assertNotSame(before, after);
        assertEquals(0, after.states());
        ParseOutcome o = parser.parse("a.py", src.getBytes(StandardCharsets.UTF_8));
        assertEquals("import os; class A(B) {def f(self, x=1) {return ([i for i in x if i] + f[x])}}",
                ModelPrinter.stmts(o.module().body()));
        assertTrue(PredictionCache.current().states() > 0);
    }
}
