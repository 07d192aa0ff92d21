package dev.kingsnake.internal.python.semantic;

import dev.kingsnake.spi.facts.SourceChars;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The model's line splitter cuts exactly where the regex split it replaces did. */
class SplitLinesPropertyTest {

    @Property(tries = 3000)
    void sameLinesAsTheRegexSplit(@ForAll @Chars({'a', 'b', ' ', '\r', '\n', '\u2028', '\u0085'})
                                  @StringLength(max = 30) String text) {
        int[] bounds = SemanticModel.lineBounds(SourceChars.of(text));
        String[] lines = new String[bounds.length / 2];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = text.substring(bounds[2 * i], bounds[2 * i + 1]);
        }
        assertArrayEquals(text.split("\r\n|\r|\n", -1), lines, text);
    }
}
