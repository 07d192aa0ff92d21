package dev.kingsnake.rules.shared;

import dev.kingsnake.spi.Rule;
import dev.kingsnake.spi.facts.CallFacts;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The indicator prefilter never drops a real match: on generated strings built from the pieces of each
 * pattern (its literals cut, joined, case-changed, with digits, word runs and separators between them), an
 * indicator with its prefilter says exactly what its regex alone says.
 */
class RequiredLiteralsTest {

    /** Shapes the rule patterns use, and ones they might use tomorrow. */
    private static final List<String> SHAPES = List.of(
            "abc", "ab+c", "ab*c", "ab?c", "a(bc)?d", "(ab|cd)e", "x(ab|)y", "(^|/)\\.ssh/?$", "a{2,}b", "ab{0,3}c",
            "(?:foo|bar)+baz", "\\bfoo\\b", "[a-z]+\\.com", "^/etc/shadow$", "(?i)mfa\\\\?\\.\\[x\\]", "\\d{6,}:[\\w-]{3}",
            "a|b|", "(a|b)c|d", "((ab)?c)+", "[\\]x]y", "a\\-b", "foo.*bar", "(x|y)(z|w)", "(?i)ab(c|d)e", "\\{\\}ab");

    private static final List<String> FILLERS = List.of("", "/", "\\", ".", " ", "-", "_", ":", "{}", "[x]", "0",
            "1234567", "1234567890", "abcdefghijklmnopqrstuvwxyz0123456789_-AB", "\n", "?", "+", "=", "é", "K");

    /** Every list of indicators the rules hold: an indicator rule's, and those in static fields. */
    static List<List<Indicator>> ruleIndicatorLists() {
        List<List<Indicator>> out = new ArrayList<>();
        for (Rule r : ServiceLoader.load(Rule.class)) {
            if (r instanceof IndicatorRule ir) {
                out.add(ir.indicators());
            }
            for (Field f : r.getClass().getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                f.setAccessible(true);
                Object v;
                try {
                    v = f.get(null);
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
                if (v instanceof IndicatorSet set) {
                    out.add(set.indicators());
                } else if (v instanceof List<?> l && !l.isEmpty() && l.stream().allMatch(Indicator.class::isInstance)) {
                    out.add(l.stream().map(Indicator.class::cast).toList());
                }
            }
        }
        return out;
    }

    static List<Indicator> ruleIndicators() {
        List<Indicator> distinct = new ArrayList<>(new LinkedHashSet<>(
                ruleIndicatorLists().stream().flatMap(List::stream).toList()));
        assertTrue(distinct.size() > 50, "the rules' indicators were found: " + distinct.size());
        return distinct;
    }

    /** The literal pieces of a regex: its text cut at metacharacters, escapes resolved. */
    static List<String> pieces(String regex) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '{' && regex.indexOf('}', i) > 0) {
                out.add(cur.toString());
                cur.setLength(0);
                i = regex.indexOf('}', i); // a quantifier's bounds are not text
            } else if (c == '[') {
                int end = regex.indexOf(']', i + 2);
                String cls = regex.substring(i + 1, end < 0 ? regex.length() : end);
                out.add(cur.toString());
                cur.setLength(0);
                out.add(classSample(cls));
                i = end < 0 ? regex.length() : end;
            } else if (c == '\\' && i + 1 < regex.length()) {
                char e = regex.charAt(++i);
                if (Character.isLetterOrDigit(e)) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    out.add(classSample("\\" + e));
                } else {
                    cur.append(e);
                }
            } else if ("()[]|?*+{}^$.".indexOf(c) >= 0) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        out.removeIf(String::isEmpty);
        return out;
    }

    /** Characters a class or escape may match, several of them (quantified classes want runs). */
    private static String classSample(String cls) {
        if (cls.contains("\\w") || cls.contains("a-z") || cls.contains("A-Z")) {
            return "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ_-0123456789";
        }
        if (cls.contains("\\d") || cls.contains("0-9")) {
            return "12345678901";
        }
        if (cls.contains("\\s")) {
            return " ";
        }
        String plain = cls.replace("^", "").replace("\\", "");
        return plain.isEmpty() ? "" : plain.substring(0, 1);
    }

    /** A string made of pieces of the regex and fillers; every choice comes from {@code rnd}. */
    static String generate(String regex, Random rnd) {
        List<String> pieces = pieces(regex);
        boolean inOrder = rnd.nextBoolean();
        StringBuilder sb = new StringBuilder();
        int n = inOrder ? pieces.size() : 1 + rnd.nextInt(6);
        for (int k = 0; k < n; k++) {
            if (inOrder && rnd.nextInt(4) == 0) {
                continue;
            }
            if (!pieces.isEmpty() && (inOrder || rnd.nextInt(3) > 0)) {
                String p = pieces.get(inOrder ? k : rnd.nextInt(pieces.size()));
                int from = rnd.nextInt(4) == 0 ? rnd.nextInt(p.length()) : 0;
                int to = rnd.nextInt(4) == 0 ? from + rnd.nextInt(p.length() - from) + 1 : p.length();
                p = p.substring(from, to);
                sb.append(switch (rnd.nextInt(6)) {
                    case 0 -> p.toUpperCase(Locale.ROOT);
                    case 1 -> p.replace('/', '\\');
                    default -> p;
                });
            }
            if (!inOrder || rnd.nextInt(4) == 0) {
                sb.append(FILLERS.get(rnd.nextInt(FILLERS.size())));
            }
        }
        return sb.toString();
    }

    private static CallFacts.StringFact fact(String text) {
        return new CallFacts.StringFact(null, text, text.replace('\\', '/').toLowerCase(Locale.ROOT), 0);
    }

    private static boolean regexAlone(Indicator i, CallFacts.StringFact s) {
        return i.pattern().matcher(i.caseSensitive() ? s.text() : s.normalized()).find();
    }

    record Case(Indicator indicator, String text) {
    }

    @Provide
    Arbitrary<Case> cases() {
        List<Indicator> all = new ArrayList<>(ruleIndicators());
        for (String shape : SHAPES) {
            all.add(Indicator.weak("shape", shape));
            all.add(Indicator.weakExact("shape", shape));
        }
        return Combinators.combine(Arbitraries.of(all), Arbitraries.longs())
                .as((i, seed) -> new Case(i, generate(i.pattern().pattern(), new Random(seed))));
    }

    @Property(tries = 20000)
    void prefilteredIndicatorSaysWhatItsRegexSays(@ForAll("cases") Case c) {
        CallFacts.StringFact s = fact(c.text());
        assertEquals(regexAlone(c.indicator(), s), c.indicator().matches(s),
                () -> c.indicator().pattern() + " on " + c.text() + " with " + c.indicator().prefilter().literals());
    }

    /** The generator reaches matches of every pattern, so the property above is not vacuous. */
    @Test
    void generatedStringsMatchEveryPattern() {
        Random rnd = new Random(6);
        for (Indicator i : ruleIndicators()) {
            int matched = 0;
            int filtered = 0;
            for (int k = 0; k < 20000; k++) {
                CallFacts.StringFact s = fact(generate(i.pattern().pattern(), rnd));
                boolean m = regexAlone(i, s);
                assertEquals(m, i.matches(s), i.pattern() + " on " + s.text());
                matched += m ? 1 : 0;
                filtered += i.prefilter() != null && !i.prefilter().mayMatch(
                        i.prefilter().normalized() || !i.caseSensitive() ? s.normalized() : s.text()) ? 1 : 0;
            }
            assertTrue(matched > 0, "no generated string matches " + i.pattern());
            assertTrue(filtered > 0, "the prefilter of " + i.pattern() + " never skipped a string");
        }
    }

    /** One pass through a list's automaton says what the indicators one by one say, on strings made for any of them. */
    @Test
    void indicatorSetSaysWhatTheListSays() {
        Random rnd = new Random(7);
        List<List<Indicator>> lists = new ArrayList<>(ruleIndicatorLists());
        List<Indicator> shapes = new ArrayList<>();
        for (String shape : SHAPES) {
            shapes.add(rnd.nextBoolean() ? Indicator.strong("shape", shape) : Indicator.weakExact("shape", shape));
        }
        lists.add(shapes);
        assertTrue(lists.size() >= 9, "indicator lists found: " + lists.size());
        for (List<Indicator> list : lists) {
            IndicatorSet set = new IndicatorSet(list);
            int hits = 0;
            for (int k = 0; k < 30000; k++) {
                Indicator source = list.get(rnd.nextInt(list.size()));
                CallFacts.StringFact s = fact(generate(source.pattern().pattern(), rnd)
                        + (rnd.nextInt(4) == 0 ? generate(list.get(rnd.nextInt(list.size())).pattern().pattern(), rnd) : ""));
                Optional<Indicator> expected = Indicator.first(list, s);
                assertEquals(expected, set.first(s), () -> s.text());
                hits += expected.isPresent() ? 1 : 0;
            }
            assertTrue(hits > 100, "few strings matched the list of " + list.get(0).label());
        }
    }

    /** A pattern whose bit is clear never matches: the set's one pass never drops a match. */
    @Test
    void patternSetNeverDropsAMatch() {
        List<java.util.regex.Pattern> patterns = SHAPES.stream().map(java.util.regex.Pattern::compile).toList();
        PrefilteredPatterns set = new PrefilteredPatterns(patterns);
        Random rnd = new Random(8);
        int matched = 0;
        int skipped = 0;
        for (int k = 0; k < 30000; k++) {
            String text = generate(SHAPES.get(rnd.nextInt(SHAPES.size())), rnd)
                    + (rnd.nextInt(4) == 0 ? generate(SHAPES.get(rnd.nextInt(SHAPES.size())), rnd) : "");
            long candidates = set.candidates(text);
            for (int i = 0; i < patterns.size(); i++) {
                boolean m = patterns.get(i).matcher(text).find();
                boolean candidate = (candidates & 1L << i) != 0;
                assertTrue(candidate || !m, patterns.get(i) + " matches " + text + " but was skipped");
                matched += m ? 1 : 0;
                skipped += candidate ? 0 : 1;
            }
        }
        assertTrue(matched > 1000 && skipped > 1000, matched + " matches, " + skipped + " skipped");
    }

    /**
     * Expressions compiled with {@link java.util.regex.Pattern#CASE_INSENSITIVE} (the download-and-run commands):
     * their literals are read in the normalised text, and texts in any ASCII case, with backslashes and non-ASCII
     * characters, never lose a match.
     */
    @Test
    void caseFoldingPatternSetNeverDropsAMatch() {
        List<java.util.regex.Pattern> patterns = dev.kingsnake.spi.facts.Commands.DOWNLOAD_EXEC;
        PrefilteredPatterns set = new PrefilteredPatterns(patterns);
        Random rnd = new Random(9);
        int matched = 0;
        int skipped = 0;
        int foldedMatches = 0;
        for (int k = 0; k < 30000; k++) {
            String base = generate(patterns.get(rnd.nextInt(patterns.size())).pattern(), rnd)
                    + (rnd.nextInt(4) == 0 ? generate(patterns.get(rnd.nextInt(patterns.size())).pattern(), rnd) : "");
            StringBuilder sb = new StringBuilder();
            for (int j = 0; j < base.length(); j++) {
                char c = base.charAt(j);
                int r = rnd.nextInt(10);
                sb.append(r < 3 ? Character.toUpperCase(c) : r == 3 && c == '/' ? '\\' : r == 4 && c == 'i' ? '\u0130'
                        : c);
            }
            String text = sb.toString();
            long candidates = set.candidates(text, PrefilteredPatterns.normalize(text));
            long plain = set.candidates(text);
            for (int i = 0; i < patterns.size(); i++) {
                boolean m = patterns.get(i).matcher(text).find();
                boolean candidate = (candidates & 1L << i) != 0;
                assertTrue(candidate || !m, patterns.get(i) + " matches " + text + " but was skipped");
                assertTrue((plain & 1L << i) != 0, "without the normalised text a case-folding pattern always runs");
                matched += m ? 1 : 0;
                foldedMatches += m && !text.equals(text.toLowerCase(Locale.ROOT)) ? 1 : 0;
                skipped += candidate ? 0 : 1;
            }
        }
        assertTrue(matched > 1000 && skipped > 1000 && foldedMatches > 500,
                matched + " matches, " + foldedMatches + " in upper case, " + skipped + " skipped");
    }

    /** A flag that may change what an expression matches leaves it without a prefilter. */
    @Test
    void otherFlagsAlwaysRun() {
        var unicode = java.util.regex.Pattern.compile("stra\u017Fe", java.util.regex.Pattern.CASE_INSENSITIVE
                | java.util.regex.Pattern.UNICODE_CASE);
        var comments = java.util.regex.Pattern.compile("a b c # x", java.util.regex.Pattern.COMMENTS);
        var plain = java.util.regex.Pattern.compile("curl");
        PrefilteredPatterns set = new PrefilteredPatterns(List.of(unicode, comments, plain));
        assertEquals(0b011L, set.candidates("nothing", "nothing"));
        assertEquals(0b111L, set.candidates("curl", "curl"));
        assertTrue(comments.matcher("abc").find(), "COMMENTS reads 'a b c' as abc");
    }

    @Test
    void automatonFindsEveryLiteralThatOccurs() {
        List<String> literals = List.of("he", "she", "his", "hers", "a", "aab", ".com/api/", "/");
        List<Long> masks = new ArrayList<>();
        for (int i = 0; i < literals.size(); i++) {
            masks.add(1L << i);
        }
        LiteralAutomaton a = new LiteralAutomaton(literals, masks);
        Random rnd = new Random(3);
        for (int k = 0; k < 20000; k++) {
            StringBuilder sb = new StringBuilder();
            for (int j = rnd.nextInt(12); j > 0; j--) {
                sb.append("hesiraabc./mpé".charAt(rnd.nextInt(14)));
            }
            long expected = 0;
            for (int i = 0; i < literals.size(); i++) {
                expected |= sb.indexOf(literals.get(i)) >= 0 ? masks.get(i) : 0;
            }
            assertEquals(expected, a.scan(sb.toString()), sb.toString());
        }
    }

    @Test
    void everyRuleIndicatorHasAPrefilter() {
        for (Indicator i : ruleIndicators()) {
            assertTrue(i.prefilter() != null, "no prefilter for " + i.pattern());
        }
    }

    @Test
    void literalsOfKnownShapes() {
        assertEquals(List.of("stratum"), lit("stratum\\d?\\+(tcp|ssl|tls)://"));
        assertEquals(List.of(".ssh"), lit("(^|[~/}])\\.ssh/?$"));
        assertEquals(Set.of("ab", "cd"), Set.copyOf(lit("(ab|cd)e+")));
        assertEquals(List.of("mfa"), lit("(?i)MFA\\\\?\\.x"));
        assertEquals(List.of("a/b"), lit("(?i)a\\\\B"), "(?i) literals are normalised like the text they meet");
        assertEquals(List.of("xyz"), lit("a?xyz"), "an optional character is not required");
        assertEquals(List.of("ab"), lit("abc*"), "the quantified character ends the run before it");
        assertEquals(List.of("ab"), lit("ab+cd"), "'abbcd' holds 'ab' and 'cd', not 'abcd'");
    }

    @Test
    void noPrefilterWhereNothingIsRequiredOrTheSyntaxIsNotUnderstood() {
        for (String re : List.of("a|", "(ab)?", "x*", "[abc]+", "\\d{3}", "(?<=a)b", "\\Qab\\E", "a(?i:b)c",
                "\\p{L}bc", "(a)\\1", "[[a]b]cd", "[a&&b]cd", "ab(", "ab)", "a{,3}b", "a**")) {
            assertFalse(RequiredLiterals.of(re).isPresent(), re);
        }
    }

    private static List<String> lit(String regex) {
        Optional<RequiredLiterals> r = RequiredLiterals.of(regex);
        assertTrue(r.isPresent(), regex);
        return r.get().literals();
    }
}
