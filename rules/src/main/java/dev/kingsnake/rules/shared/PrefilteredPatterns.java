package dev.kingsnake.rules.shared;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Regular expressions tried on the same texts: the literals of their prefilters ({@link RequiredLiterals}) go into
 * one {@link LiteralAutomaton}, a text is read once, and only the expressions whose literals occur in it (or that
 * have no prefilter) are worth running. Tells the same as asking each prefilter in turn, in one pass instead of one
 * {@code contains} per literal.
 */
public final class PrefilteredPatterns {
    private static final int MAX_PATTERNS = 64;

    /** Expressions to run on every text: no prefilter, or one that is not for the text as it is. */
    private final long always;
    private final LiteralAutomaton automaton;

    public PrefilteredPatterns(List<Pattern> patterns) {
        if (patterns.size() > MAX_PATTERNS) {
            throw new IllegalArgumentException("at most " + MAX_PATTERNS + " patterns, not " + patterns.size());
        }
        long all = 0;
        List<String> literals = new ArrayList<>();
        List<Long> masks = new ArrayList<>();
        for (int i = 0; i < patterns.size(); i++) {
            Optional<RequiredLiterals> p = RequiredLiterals.of(patterns.get(i).pattern());
            if (p.isEmpty() || p.get().normalized() || !p.get().literals().stream().allMatch(LiteralAutomaton::ascii)) {
                all |= 1L << i;
                continue;
            }
            for (String lit : p.get().literals()) {
                literals.add(lit);
                masks.add(1L << i);
            }
        }
        this.always = all;
        this.automaton = literals.isEmpty() ? null : new LiteralAutomaton(literals, masks);
    }

    /** Bit {@code i} is set when pattern {@code i} may match the text; a clear bit means it cannot. */
    public long candidates(String text) {
        return automaton == null ? always : always | automaton.scan(text);
    }
}
