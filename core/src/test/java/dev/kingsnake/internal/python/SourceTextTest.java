package dev.kingsnake.internal.python;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** A token's text read through the shared table of short texts is always the text of that range. */
class SourceTextTest {

    @Provide
    Arbitrary<String> texts() {
        // few distinct characters: equal ranges and hash collisions are common
        return Arbitraries.strings().withChars("ab(_\u00e9\u4e2d").ofMaxLength(200)
                .injectDuplicates(0.2);
    }

    @Property(tries = 2000)
    void tokenIsTheSubstring(@ForAll("texts") String text) {
        SourceText source = new SourceText(text);
        Random random = new Random(text.hashCode());
        for (int k = 0; k < 50 && !text.isEmpty(); k++) {
            int from = random.nextInt(text.length() + 1);
            int to = from + random.nextInt(Math.min(SourceText.MAX_SHARED + 8, text.length() - from) + 1);
            assertEquals(text.substring(from, to), source.token(from, to));
        }
    }

    @Test
    void everyRangeOfManyTextsIsItsSubstringAndRepeatsShareOneString() {
        Random random = new Random(7);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 200_000; i++) {
            sb.append((char) ('a' + random.nextInt(6)));
        }
        String text = sb.toString();
        SourceText source = new SourceText(text);
        for (int i = 0; i < 100_000; i++) { // far more distinct texts than the table has slots
            int from = random.nextInt(text.length() - 40);
            int to = from + random.nextInt(SourceText.MAX_SHARED + 8);
            assertEquals(text.substring(from, to), source.token(from, to));
        }
        String name = "self.x = self.y\n";
        SourceText other = new SourceText(name);
        assertSame(other.token(0, 4), other.token(9, 13));
        assertSame(other.token(0, 4), new SourceText("(self)").token(1, 5));
    }

    @Test
    void textOutsideTheBasicPlaneIsReadByCodePoint() {
        String text = "\uD835\uDC1Eab\uD835\uDC1E";
        SourceText source = new SourceText(text);
        assertEquals("ab", source.token(1, 3));
        assertEquals("\uD835\uDC1Ea", source.token(0, 2));
    }
}
