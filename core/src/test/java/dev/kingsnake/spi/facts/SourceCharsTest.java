package dev.kingsnake.spi.facts;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link SourceChars} answers what the string it was made from answers, and so does {@link NonAscii}. */
class SourceCharsTest {

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.strings().withChars("ab_\n\r é\u2603").ofMaxLength(20);
    }

    @Provide
    Arbitrary<String> prefixes() {
        return Arbitraries.strings().withChars("ab_\n é").ofMaxLength(4);
    }

    @Property(tries = 3000)
    void answersAsTheString(@ForAll("texts") String t, @ForAll("prefixes") String prefix,
                            @ForAll("offsets") int at, @ForAll("chars") char c) {
        SourceChars chars = SourceChars.of(t);
        assertEquals(t.length(), chars.length());
        for (int i = 0; i < t.length(); i++) {
            assertEquals(t.charAt(i), chars.charAt(i));
        }
        assertEquals(t.startsWith(prefix, at), chars.startsWith(prefix, at), t + " / " + prefix + " @" + at);
        assertEquals(t.indexOf(c, at), chars.indexOf(c, at), t + " / " + c + " @" + at);
        assertEquals(t.chars().filter(ch -> ch > 0x7f).findFirst().isPresent()
                ? t.indexOf(t.chars().filter(ch -> ch > 0x7f).findFirst().getAsInt()) : -1, NonAscii.first(chars), t);
    }

    @Provide
    Arbitrary<Integer> offsets() {
        return Arbitraries.integers().between(-2, 22);
    }

    @Provide
    Arbitrary<Character> chars() {
        return Arbitraries.of('a', '_', '\n', 'é', '\u2603', 'z');
    }
}
