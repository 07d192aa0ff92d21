package dev.kingsnake.rules.obfuscation;

import dev.kingsnake.spi.facts.SourceChars;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link HiddenCodeRule#mayHideCode} is true exactly when the text holds a tab or 50 blanks in a row. */
class HiddenCodePrefilterTest {

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.of(" ", " ".repeat(10), " ".repeat(49), " ".repeat(50), "\t", "x", "\n", "é", "(")
                .list().ofMaxSize(12).map(l -> String.join("", l));
    }

    @Property(tries = 3000)
    void saysWhatTheSearchesSay(@ForAll("texts") String t) {
        boolean expected = t.contains(" ".repeat(50)) || t.indexOf('\t') >= 0;
        assertEquals(expected, HiddenCodeRule.mayHideCode(SourceChars.of(t)), t.replace("\t", "\\t"));
    }
}
