package dev.kingsnake.rules.obfuscation;

import dev.kingsnake.PythonSource;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.facts.NonAscii;
import dev.kingsnake.spi.facts.SourceChars;
import dev.kingsnake.spi.facts.SourceRegions;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link UnicodeIdentifierRule#nonAsciiRuns} finds the runs the rule's former walk of the whole text by code
 * points found (kept here as the reference): the same runs, in the same order, with the same stop.
 */
class UnicodeRunsTest {

    /** The walk the rule did until the twelfth session: every code point of the text, from its start. */
    private static List<String> plainRuns(String t, SourceRegions r, int stopAfter) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = t.length();
        while (i < n && out.size() < stopAfter) {
            int cp = t.codePointAt(i);
            if (r.kind(i) != SourceRegions.CODE || !(Character.isUnicodeIdentifierPart(cp)
                    || UnicodeIdentifierRule.isInvisible(cp))) {
                i += Character.charCount(cp);
                continue;
            }
            int start = i;
            boolean ascii = true;
            while (i < n && r.kind(i) == SourceRegions.CODE) {
                int c = t.codePointAt(i);
                if (!(Character.isUnicodeIdentifierPart(c) || UnicodeIdentifierRule.isInvisible(c))) {
                    break;
                }
                ascii &= c < 0x80;
                i += Character.charCount(c);
            }
            if (!ascii) {
                out.add(start + ".." + i);
            }
        }
        return out;
    }

    private static List<String> fastRuns(PythonFile f, int stopAfter) {
        List<String> out = new ArrayList<>();
        int first = NonAscii.firstOffset(f);
        if (first >= 0) {
            UnicodeIdentifierRule.nonAsciiRuns(SourceChars.of(f), SourceRegions.of(f), first, (s, e) -> {
                out.add(s + ".." + e);
                return out.size() < stopAfter;
            });
        }
        return out;
    }

    @Provide
    Arbitrary<String> sources() {
        return Arbitraries.of("a", "_b1", " ", "\n", "(", "=", "'", "\"", "#", "\\", "\u0430", "\u0435", "é", "\u00d7",
                "\u2014", "\u200b", "\ufeff", "\u3164", "\u4e2d", "\ud835\udc1a", "\ud835", "\udc1a", "\u0301", "x = ",
                "print(", ")", "'''").list().ofMaxSize(30).map(l -> String.join("", l));
    }

    @Property(tries = 3000)
    void findsTheRunsOfTheWalkByCodePoints(@ForAll("sources") String src) {
        PythonFile f = PythonSource.parse("m.py", src);
        SourceRegions r = SourceRegions.of(f);
        for (int stop : new int[] {1, 2, Integer.MAX_VALUE}) {
            assertEquals(plainRuns(f.text(), r, stop), fastRuns(f, stop), src);
        }
    }

    @Example
    void runsAroundSurrogatesAndStrings() {
        String src = "x\u0430y = '\u0430'  # \u0430\n\ud835\udc1a\ud835b = \ud835\udc1a\u200bz\nprint(\u0441ount)\n";
        PythonFile f = PythonSource.parse("m.py", src);
        List<String> runs = fastRuns(f, Integer.MAX_VALUE);
        assertEquals(plainRuns(f.text(), SourceRegions.of(f), Integer.MAX_VALUE), runs);
        assertEquals(4, runs.size(), runs.toString()); // x\u0430y, the bold a, the bold a + invisible + z, \u0441ount
    }
}
