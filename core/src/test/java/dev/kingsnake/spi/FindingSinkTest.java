package dev.kingsnake.spi;

import dev.kingsnake.Confidence;
import dev.kingsnake.PythonSource;
import dev.kingsnake.Reach;
import dev.kingsnake.Severity;
import dev.kingsnake.spi.python.Node;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The sink derives a line's evidence itself and cuts text in one way. */
class FindingSinkTest {

    /** Keeps the evidence of each report; only the location-and-evidence reports are implemented. */
    private static final class Evidence implements FindingSink {
        final List<String> kept = new ArrayList<>();

        @Override
        public void report(Location at, String message, String evidence) {
            kept.add(evidence);
        }

        @Override
        public void report(Location at, String message, String evidence, Severity severity, Confidence confidence) {
            kept.add(evidence);
        }

        @Override
        public void report(PythonFile file, Node node, String message) {
            throw new AssertionError("not used");
        }

        @Override
        public void report(PythonFile file, Node node, String message, Severity severity, Confidence confidence) {
            throw new AssertionError("not used");
        }
    }

    @Test
    void reportLineTakesTheLocationsSourceLineCutToTheGivenLength() {
        PythonFile file = PythonSource.parse("m.py", "x = 1\n    y = 'abcdefghijklmnop'  \n");
        Evidence sink = new Evidence();
        sink.reportLine(file, Location.of(file, 2, 5, Reach.IMPORT_TIME), "long", 8);
        sink.reportLine(file, Location.of(file, 1, 1, Reach.IMPORT_TIME), "short", 8, Severity.LOW, Confidence.LOW);
        assertEquals(List.of("y = 'abc\u2026", "x = 1"), sink.kept);
    }

    @Test
    void clipMarksOnlyACut() {
        assertEquals("abc", FindingSink.clip("abc", 3));
        assertEquals("ab\u2026", FindingSink.clip("abc", 2));
    }
}
