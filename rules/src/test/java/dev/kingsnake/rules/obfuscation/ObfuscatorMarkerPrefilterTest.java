package dev.kingsnake.rules.obfuscation;

import dev.kingsnake.spi.facts.SourceChars;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole-file prefilters of {@link ObfuscatorMarkerRule} never skip a file its patterns would report on. */
class ObfuscatorMarkerPrefilterTest {

    @Provide
    Arbitrary<String> texts() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.of("__pyarmor__", "pyarmor_runtime", "from  pytransform\timport", "__armor_enter__",
                        "__armor_exit__", "Obfuscated By x", "OBFUSCATED using", "obfuscated with", "obfuscat",
                        "pyarmo", "__armor", "IlIlIl", "lIl1Il", "O0O0o0", "______", "_O0_", "1000000", "x", "9", "é", " ", "\n", "(", "#"),
                Arbitraries.strings().withChars("Il1O0o_ abcdBY9é").ofMinLength(1).ofMaxLength(12));
        return piece.list().ofMaxSize(12).map(l -> String.join("", l));
    }

    @Property(tries = 5000)
    void markerPrefilterNeverSkipsAMarker(@ForAll("texts") String t) {
        if (ObfuscatorMarkerRule.MARKER.matcher(t).find()) {
            assertTrue(ObfuscatorMarkerRule.mayHoldMarker(SourceChars.of(t)), t);
        }
    }

    /** The one pass says exactly whether one of its literals occurs, as a search for each would. */
    @Property(tries = 5000)
    void markerPrefilterIsTheLiteralSearch(@ForAll("texts") String t) {
        boolean expected = t.contains("pyarmor") || t.contains("pytransform") || t.contains("__armor_")
                || java.util.stream.IntStream.rangeClosed(0, t.length() - 10)
                        .anyMatch(i -> t.regionMatches(true, i, "obfuscated", 0, 10));
        org.junit.jupiter.api.Assertions.assertEquals(expected, ObfuscatorMarkerRule.mayHoldMarker(SourceChars.of(t)),
                t);
    }

    @Property(tries = 5000)
    void confusablePrefilterNeverSkipsAConfusableName(@ForAll("texts") String t) {
        Matcher id = ObfuscatorMarkerRule.IDENT.matcher(t);
        while (id.find()) {
            if (id.group().length() >= 6 && ObfuscatorMarkerRule.confusableShape(id.group())) {
                assertTrue(ObfuscatorMarkerRule.hasConfusableRun(SourceChars.of(t)), t);
            }
        }
    }

    @Test
    void prefiltersSkipOrdinaryCode() {
        String code = "import os\nfrom setuptools import setup\n\ndef main(argv):\n    return os.path.join('a', 'b')\n";
        assertFalse(ObfuscatorMarkerRule.mayHoldMarker(SourceChars.of(code)));
        assertFalse(ObfuscatorMarkerRule.hasConfusableRun(SourceChars.of(code)));
        assertTrue(ObfuscatorMarkerRule.mayHoldMarker(SourceChars.of("# ObFuScAtEd by tool")));
        assertTrue(ObfuscatorMarkerRule.hasConfusableRun(SourceChars.of("x = IlIlIl")));
        assertFalse(ObfuscatorMarkerRule.hasConfusableRun(SourceChars.of("n = 1000000 + x0000000 + 1_000_000")));
    }
}
