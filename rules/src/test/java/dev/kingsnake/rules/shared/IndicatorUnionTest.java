package dev.kingsnake.rules.shared;

import dev.kingsnake.PythonSource;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.facts.CallFacts;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shared pass over a file's strings for all indicator sets ({@link IndicatorSet.Union}) never skips a string
 * that a set would match: where the union's bit of a set is clear, the set alone finds nothing; and
 * {@link IndicatorSet#first(CallFacts, int)} says what {@link IndicatorSet#first(CallFacts.StringFact)} says.
 */
class IndicatorUnionTest {

    /** The rules' own sets (each set's indicators, as the rules hold them), built as the rules build them. */
    private static final List<IndicatorSet> SETS = RequiredLiteralsTest.ruleIndicatorLists().stream()
            .map(IndicatorSet::new).toList();

    private static CallFacts.StringFact fact(String text) {
        return new CallFacts.StringFact(null, text, text.replace('\\', '/').toLowerCase(Locale.ROOT), 0);
    }

    record Case(int set, String text) {
    }

    @Provide
    Arbitrary<Case> cases() {
        return Combinators.combine(Arbitraries.integers().between(0, SETS.size() - 1), Arbitraries.longs())
                .as((set, seed) -> {
                    Random rnd = new Random(seed);
                    List<Indicator> inds = SETS.get(set).indicators();
                    // pieces of an indicator of this set, or of another set's (a near miss)
                    List<Indicator> from = rnd.nextBoolean() ? inds : SETS.get(rnd.nextInt(SETS.size())).indicators();
                    Indicator i = from.get(rnd.nextInt(from.size()));
                    return new Case(set, RequiredLiteralsTest.generate(i.pattern().pattern(), rnd));
                });
    }

    @Property(tries = 20000)
    void aSetTheUnionExcludesFindsNothing(@ForAll("cases") Case c) {
        IndicatorSet set = SETS.get(c.set());
        CallFacts.StringFact s = fact(c.text());
        if (set.unionExcludes(s.text(), s.normalized())) {
            assertEquals(Optional.empty(), set.first(s), () -> set.indicators() + " on " + c.text());
        }
    }

    /** The property above is not vacuous: the union excludes most generated strings and some of those match. */
    @Test
    void theUnionSkipsMostStringsAndKeepsTheMatches() {
        assertTrue(SETS.size() >= 9, "the rules' indicator sets were found: " + SETS.size());
        Random rnd = new Random(16);
        int excluded = 0;
        int matched = 0;
        int tried = 0;
        for (IndicatorSet set : SETS) {
            assertTrue(IndicatorSet.union().count() > 0);
            for (int k = 0; k < 2000; k++) {
                List<Indicator> inds = SETS.get(rnd.nextInt(SETS.size())).indicators();
                CallFacts.StringFact s = fact(RequiredLiteralsTest.generate(
                        inds.get(rnd.nextInt(inds.size())).pattern().pattern(), rnd));
                tried++;
                boolean skip = set.unionExcludes(s.text(), s.normalized());
                Optional<Indicator> hit = set.first(s);
                if (skip) {
                    excluded++;
                    assertEquals(Optional.empty(), hit, () -> set.indicators() + " on " + s.text());
                } else if (hit.isPresent()) {
                    matched++;
                }
            }
        }
        assertTrue(excluded > tried / 2, excluded + " of " + tried + " skipped");
        assertTrue(matched > 100, matched + " matched");
    }

    /** On a file's strings, the shared pass and each set alone agree, string by string. */
    @Test
    void firstOfAFileStringIsFirstOfTheString() {
        List<String> lines = new ArrayList<>();
        Random rnd = new Random(7);
        for (int k = 0; k < 400; k++) {
            List<Indicator> inds = SETS.get(rnd.nextInt(SETS.size())).indicators();
            String text = RequiredLiteralsTest.generate(inds.get(rnd.nextInt(inds.size())).pattern().pattern(), rnd);
            StringBuilder lit = new StringBuilder();
            for (char ch : text.toCharArray()) {
                lit.append(ch == '\\' || ch == '\'' || ch < 0x20 ? String.format("\\x%02x", (int) ch) : String.valueOf(ch));
            }
            lines.add("s" + k + " = '" + lit + "'");
        }
        PythonFile file = PythonSource.parse("m.py", String.join("\n", lines) + "\n");
        CallFacts facts = CallFacts.of(file);
        assertTrue(facts.strings().size() >= 300, "strings: " + facts.strings().size());
        int hits = 0;
        int passedOver = 0;
        for (IndicatorSet set : SETS) {
            java.util.Set<Integer> candidates = new java.util.HashSet<>();
            int previous = -1;
            for (int i : set.candidates(facts)) {
                assertTrue(i > previous, "in order, each once");
                previous = i;
                candidates.add(i);
            }
            for (int i = 0; i < facts.strings().size(); i++) {
                Optional<Indicator> alone = set.first(facts.strings().get(i));
                assertEquals(alone, set.first(facts, i), facts.strings().get(i).text());
                hits += alone.isPresent() ? 1 : 0;
                // a string left out of the candidates is one the set cannot match
                if (!candidates.contains(i)) {
                    passedOver++;
                    assertEquals(Optional.empty(), alone, facts.strings().get(i).text());
                }
            }
        }
        assertTrue(hits > 20, "hits: " + hits);
        assertTrue(passedOver > facts.strings().size(), "strings passed over: " + passedOver);
    }
}
