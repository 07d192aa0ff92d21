package dev.kingsnake.rules.obfuscation;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link BidiControlRule#firstBidi} finds what testing every character with {@link BidiControlRule#bidi} finds. */
class BidiFirstControlTest {

    @Provide
    Arbitrary<String> texts() {
        // the control characters, their neighbours on either side, ASCII, Latin-1 and other text
        return Arbitraries.strings().withChars("ab \n\"#é\u00ff\u2029\u202a\u202b\u202c\u202d\u202e\u202f"
                + "\u2065\u2066\u2067\u2068\u2069\u206a\u0430").ofMaxLength(30);
    }

    @Property(tries = 5000)
    void findsTheFirstControlCharacter(@ForAll("texts") String t) {
        int expected = -1;
        for (int i = 0; i < t.length(); i++) {
            if (BidiControlRule.bidi(t.charAt(i))) {
                expected = i;
                break;
            }
        }
        assertEquals(expected, BidiControlRule.firstBidi(t, 0), t);
    }
}
