package dev.kingsnake.rules.obfuscation;

import dev.kingsnake.PythonSource;
import dev.kingsnake.rules.RecordingSink;
import dev.kingsnake.spi.facts.SourceChars;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link HiddenCodeRule#mayHideCode} is true exactly when the text holds {@link HiddenCodeRule#MIN_GAP} blanks
 * (spaces or tabs) in a row, the shortest gap the rule reports; it reads only every hundredth character and the
 * runs around the blank ones, so runs that straddle, start or end at the offsets it reads are the edge.
 */
class HiddenCodePrefilterTest {
    private static final Pattern GAP = Pattern.compile("[ \\t]{" + HiddenCodeRule.MIN_GAP + "}");

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.oneOf(
                Arbitraries.of(" ", " ".repeat(10), " ".repeat(49), " ".repeat(50), " ".repeat(99), " ".repeat(100),
                        "\t", "\t".repeat(60), "x", "\n", "é", "(", "x();", "a = 1", ";").list().ofMaxSize(14)
                        .map(l -> String.join("", l)),
                // a run of some length at some offset: the offsets read are 99, 199 ...
                Arbitraries.integers().between(0, 260).flatMap(at -> Arbitraries.integers().between(90, 110)
                        .flatMap(len -> Arbitraries.of(" ", "\t", " \t").map(b -> "x".repeat(at)
                                + b.repeat(len).substring(0, len) + "y();" + "z".repeat(at % 7)))));
    }

    @Property(tries = 5000)
    void saysWhetherTheTextHoldsTheShortestGap(@ForAll("texts") String t) {
        assertEquals(GAP.matcher(t).find(), HiddenCodeRule.mayHideCode(SourceChars.of(t)), t.replace("\t", "\\t"));
    }

    /** Whatever the rule reports, the prefilter let through: checked on parsed code with a gap at many offsets. */
    @Property(tries = 300)
    void neverSkipsAFileTheRuleReportsOn(@ForAll("texts") String gap) {
        String src = "import os\nx = 1" + gap.replace("\n", "") + "\n";
        var reported = RecordingSink.run(new HiddenCodeRule(), PythonSource.parse("m.py", src));
        if (!reported.isEmpty()) {
            assertTrue(HiddenCodeRule.mayHideCode(SourceChars.of(src)), src);
        }
    }

    @Example
    void edgesOfTheOffsetsRead() {
        for (int at = 0; at < 320; at++) {
            for (int len : new int[] {HiddenCodeRule.MIN_GAP - 1, HiddenCodeRule.MIN_GAP}) {
                String t = "a".repeat(at) + " ".repeat(len) + "b";
                assertEquals(len >= HiddenCodeRule.MIN_GAP, HiddenCodeRule.mayHideCode(SourceChars.of(t)), at + "/" + len);
                // two short runs that the probe sees as one only if it reads across a character
                String two = "a".repeat(at) + " ".repeat(60) + "b" + " ".repeat(60);
                assertFalse(HiddenCodeRule.mayHideCode(SourceChars.of(two)), at + "");
            }
        }
        String hidden = "x = 1" + " ".repeat(150) + "; exec('print(1)')\n";
        assertEquals(1, RecordingSink.run(new HiddenCodeRule(), PythonSource.parse("m.py", hidden)).size());
    }
}
