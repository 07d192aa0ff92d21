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
                        "pyarmo", "__armor", "obfuſcated", "OBFUSCATEd", "IlIlIl", "lIl1Il", "O0O0o0", "______", "_O0_", "1000000", "x", "9", "é", " ", "\n", "(", "#"),
                Arbitraries.strings().withChars("Il1O0o_ abcdBY9é").ofMinLength(1).ofMaxLength(12));
        // the passes read only every 6th or 7th character: pad so that each piece lands at every offset
        return Arbitraries.integers().between(0, 13).flatMap(pad -> piece.list().ofMaxSize(12)
                .map(l -> "abcdefghijklm".substring(0, pad) + String.join("", l)));
    }

    /** The plain one-pass loop {@link ObfuscatorMarkerRule#hasConfusableRun} replaced, kept as the reference. */
    private static boolean confusableRunPlain(String t) {
        int run = 0;
        boolean identStart = false;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == 'I' || c == 'l' || c == '1' || c == 'O' || c == '0' || c == 'o' || c == '_') {
                if (run++ == 0) {
                    char p = i == 0 ? ' ' : t.charAt(i - 1);
                    boolean word = p >= 'a' && p <= 'z' || p >= 'A' && p <= 'Z' || p >= '0' && p <= '9' || p == '_';
                    identStart = c != '1' && c != '0' && !word;
                }
                if (identStart && run >= 6) {
                    return true;
                }
            } else {
                run = 0;
            }
        }
        return false;
    }

    @Property(tries = 5000)
    void confusablePrefilterIsThePlainLoop(@ForAll("texts") String t) {
        org.junit.jupiter.api.Assertions.assertEquals(confusableRunPlain(t),
                ObfuscatorMarkerRule.hasConfusableRun(SourceChars.of(t)), t);
    }

    @Test
    void runsAtEveryOffset() {
        for (int at = 0; at < 40; at++) {
            for (String run : new String[] {"IlIlI", "IlIlIl", "_____", "______", "0OOOOO", "O0O0O0", "lllllllllllll"}) {
                for (String before : new String[] {"", " ", "a", "é", "("}) {
                    String t = "x".repeat(at) + before + run + (at % 2 == 0 ? "" : " y");
                    org.junit.jupiter.api.Assertions.assertEquals(confusableRunPlain(t),
                            ObfuscatorMarkerRule.hasConfusableRun(SourceChars.of(t)), t);
                }
            }
            for (String marker : new String[] {"pyarmor", "pytransform", "__armor_", "OBFUSCATED", "obfuſcated",
                    "pyarmo", "__armor", "obfuscate"}) {
                String t = "x".repeat(at) + marker + "y".repeat(at % 5);
                boolean expected = !marker.equals("pyarmo") && !marker.equals("__armor") && !marker.equals("obfuscate");
                org.junit.jupiter.api.Assertions.assertEquals(expected,
                        ObfuscatorMarkerRule.mayHoldMarker(SourceChars.of(t)), t);
            }
        }
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
