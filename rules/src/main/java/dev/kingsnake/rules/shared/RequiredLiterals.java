package dev.kingsnake.rules.shared;

import dev.kingsnake.spi.facts.CallFacts;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A prefilter for a regular expression: literal strings at least one of which every match of the expression
 * contains, so a text holding none of them is known not to match without running the regex. Derived from
 * the expression's own syntax (alternation, groups, quantifiers, classes, escapes, anchors); anything outside
 * that subset (look-around, back references, {@code \Q}, {@code \p}, nested classes, flags other than a
 * leading {@code (?i)}) gives no prefilter, and the regex always runs.
 *
 * <p>With a leading {@code (?i)} the literals are lower case with backslashes as slashes, to be looked for in
 * the text normalised the same way ({@link CallFacts.StringFact#normalized()}): the regex folds ASCII case only,
 * so the normalised text holds the normalised literal wherever the text holds the literal in any case.
 */
public final class RequiredLiterals {

    private final List<String> literals;
    private final boolean normalized;

    private RequiredLiterals(List<String> literals, boolean normalized) {
        this.literals = List.copyOf(literals);
        this.normalized = normalized;
    }

    /** The prefilter of a regex, or empty when none can be derived (the regex must then always run). */
    public static Optional<RequiredLiterals> of(String regex) {
        boolean ignoreCase = regex.startsWith("(?i)");
        Parser p = new Parser(ignoreCase ? regex.substring(4) : regex);
        Set<String> set;
        try {
            set = p.alternation();
            if (p.pos != p.re.length()) {
                return Optional.empty(); // an unbalanced ')'
            }
        } catch (Unsupported e) {
            return Optional.empty();
        }
        if (set == null || set.isEmpty()) {
            return Optional.empty();
        }
        List<String> out = new ArrayList<>(set.size());
        for (String s : set) {
            out.add(ignoreCase ? s.replace('\\', '/').toLowerCase(Locale.ROOT) : s);
        }
        return Optional.of(new RequiredLiterals(out, ignoreCase));
    }

    /** The literals, one of which every match contains. */
    public List<String> literals() {
        return literals;
    }

    /** True when the literals are meant for the normalised text (a {@code (?i)} regex). */
    public boolean normalized() {
        return normalized;
    }

    /** False only when the text holds none of the literals, so the regex cannot match it. */
    public boolean mayMatch(String text) {
        for (int i = 0; i < literals.size(); i++) {
            if (text.contains(literals.get(i))) {
                return true;
            }
        }
        return false;
    }

    private static final class Unsupported extends RuntimeException {
        Unsupported() {
            super(null, null, false, false);
        }
    }

    /**
     * Recursive descent over the regex. Every method returns the literal set of what it parsed (one of them is
     * in every match), or null when nothing is required of a match.
     */
    private static final class Parser {
        final String re;
        int pos;

        Parser(String re) {
            this.re = re;
        }

        Set<String> alternation() {
            Set<String> union = new LinkedHashSet<>();
            boolean required = true;
            while (true) {
                Set<String> branch = sequence();
                if (branch == null) {
                    required = false;
                } else {
                    union.addAll(branch);
                }
                if (pos < re.length() && re.charAt(pos) == '|') {
                    pos++;
                } else {
                    return required ? union : null;
                }
            }
        }

        /** The best literal set among the required parts of a sequence: the one whose shortest literal is longest. */
        Set<String> sequence() {
            List<Set<String>> candidates = new ArrayList<>();
            StringBuilder run = new StringBuilder();
            while (pos < re.length() && re.charAt(pos) != '|' && re.charAt(pos) != ')') {
                Atom a = atom();
                int min = quantifier();
                if (a.literal >= 0 && min >= 1) {
                    run.append((char) a.literal);
                    if (a.quantified) {
                        closeRun(run, candidates);
                    }
                    continue;
                }
                closeRun(run, candidates);
                if (min >= 1 && a.group != null) {
                    candidates.add(a.group);
                }
            }
            closeRun(run, candidates);
            Set<String> best = null;
            for (Set<String> c : candidates) {
                if (best == null || rank(c) > rank(best)) {
                    best = c;
                }
            }
            return best;
        }

        private static long rank(Set<String> set) {
            int shortest = Integer.MAX_VALUE;
            for (String s : set) {
                shortest = Math.min(shortest, s.length());
            }
            return (long) shortest * 1024 - set.size();
        }

        private static void closeRun(StringBuilder run, List<Set<String>> candidates) {
            if (run.length() > 0) {
                candidates.add(Set.of(run.toString()));
                run.setLength(0);
            }
        }

        /** One atom: a literal character, a group's literal set, or anything else (classes, anchors). */
        private record Atom(int literal, Set<String> group, boolean quantified) {
        }

        Atom atom() {
            char c = re.charAt(pos++);
            switch (c) {
                case '(' -> {
                    if (pos < re.length() && re.charAt(pos) == '?') {
                        if (re.startsWith("?:", pos)) {
                            pos += 2;
                        } else {
                            throw new Unsupported();
                        }
                    }
                    Set<String> inner = alternation();
                    if (pos >= re.length() || re.charAt(pos) != ')') {
                        throw new Unsupported();
                    }
                    pos++;
                    return new Atom(-1, inner, false);
                }
                case '[' -> {
                    skipClass();
                    return new Atom(-1, null, false);
                }
                case '.', '^', '$' -> {
                    return new Atom(-1, null, false);
                }
                case '\\' -> {
                    if (pos >= re.length()) {
                        throw new Unsupported();
                    }
                    char e = re.charAt(pos++);
                    if ("dDwWsSbB".indexOf(e) >= 0) {
                        return new Atom(-1, null, false);
                    }
                    if (Character.isLetterOrDigit(e) || e > 127) {
                        throw new Unsupported(); // quoting, properties, code points, control characters, back references
                    }
                    return literal(e);
                }
                case '*', '+', '?', '{', '}', ']', ')' -> throw new Unsupported();
                default -> {
                    return literal(c);
                }
            }
        }

        private Atom literal(char c) {
            boolean quantified = pos < re.length() && "*+?{".indexOf(re.charAt(pos)) >= 0;
            return new Atom(c, null, quantified);
        }

        /** Skips a character class (after its '['); nested classes, intersections and leading ']' are not handled. */
        private void skipClass() {
            if (pos < re.length() && re.charAt(pos) == '^') {
                pos++;
            }
            if (pos < re.length() && re.charAt(pos) == ']') {
                throw new Unsupported();
            }
            while (pos < re.length()) {
                char c = re.charAt(pos++);
                if (c == ']') {
                    return;
                }
                if (c == '[' || (c == '&' && pos < re.length() && re.charAt(pos) == '&')) {
                    throw new Unsupported();
                }
                if (c == '\\') {
                    if (pos >= re.length()) {
                        throw new Unsupported();
                    }
                    char e = re.charAt(pos++);
                    if (Character.isLetterOrDigit(e) && "dDwWsS".indexOf(e) < 0) {
                        throw new Unsupported();
                    }
                }
            }
            throw new Unsupported();
        }

        /** The minimum count of the quantifier after an atom (1 when there is none). */
        int quantifier() {
            if (pos >= re.length()) {
                return 1;
            }
            char c = re.charAt(pos);
            int min;
            if (c == '?' || c == '*') {
                pos++;
                min = 0;
            } else if (c == '+') {
                pos++;
                min = 1;
            } else if (c == '{') {
                int close = re.indexOf('}', pos);
                if (close < 0) {
                    throw new Unsupported();
                }
                String body = re.substring(pos + 1, close);
                if (!body.matches("\\d{1,4}(,\\d{0,4})?")) {
                    throw new Unsupported();
                }
                int comma = body.indexOf(',');
                min = Integer.parseInt(comma < 0 ? body : body.substring(0, comma));
                pos = close + 1;
            } else {
                return 1;
            }
            if (pos < re.length() && (re.charAt(pos) == '?' || re.charAt(pos) == '+')) {
                pos++; // lazy or possessive: the same minimum
            }
            if (pos < re.length() && "*+?{".indexOf(re.charAt(pos)) >= 0) {
                throw new Unsupported(); // a quantified quantifier
            }
            return min;
        }
    }
}
