package dev.kingsnake.rules.shared;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Regular expressions tried on the same texts: the literals of their prefilters ({@link RequiredLiterals}) go into
 * one {@link LiteralAutomaton}, a text is read once, and only the expressions whose literals occur in it (or that
 * have no prefilter) are worth running. Tells the same as asking each prefilter in turn, in one pass instead of one
 * {@code contains} per literal.
 *
 * <p>An expression that folds case ({@code (?i)} or {@link Pattern#CASE_INSENSITIVE}) has literals for the
 * normalised text ({@link #normalize}): {@link #candidates(String, String)} reads that in a second automaton, and
 * {@link #candidates(String)}, given no normalised text, always runs such an expression. An expression compiled with
 * any other flag that may change what it matches ({@link Pattern#UNICODE_CASE}, {@link Pattern#COMMENTS}, ...)
 * always runs.
 */
public final class PrefilteredPatterns {
    private static final int MAX_PATTERNS = 64;
    /** Flags that change no literal a match must hold: what '.' matches, where '^' and '$' match. */
    private static final int LITERAL_NEUTRAL_FLAGS = Pattern.DOTALL | Pattern.MULTILINE;

    /** Expressions to run on every text: no prefilter, or one that is not for the text as it is. */
    private final long always;
    /** Expressions whose prefilter reads the normalised text. */
    private final long onNormalized;
    private final LiteralAutomaton automaton;
    private final LiteralAutomaton normalizedAutomaton;

    public PrefilteredPatterns(List<Pattern> patterns) {
        if (patterns.size() > MAX_PATTERNS) {
            throw new IllegalArgumentException("at most " + MAX_PATTERNS + " patterns, not " + patterns.size());
        }
        long all = 0;
        long folded = 0;
        List<String> literals = new ArrayList<>();
        List<Long> masks = new ArrayList<>();
        List<String> normalizedLiterals = new ArrayList<>();
        List<Long> normalizedMasks = new ArrayList<>();
        for (int i = 0; i < patterns.size(); i++) {
            Optional<RequiredLiterals> p = prefilter(patterns.get(i));
            if (p.isEmpty() || !p.get().literals().stream().allMatch(LiteralAutomaton::ascii)) {
                all |= 1L << i;
                continue;
            }
            folded |= p.get().normalized() ? 1L << i : 0;
            for (String lit : p.get().literals()) {
                (p.get().normalized() ? normalizedLiterals : literals).add(lit);
                (p.get().normalized() ? normalizedMasks : masks).add(1L << i);
            }
        }
        this.always = all;
        this.onNormalized = folded;
        this.automaton = literals.isEmpty() ? null : new LiteralAutomaton(literals, masks);
        this.normalizedAutomaton = normalizedLiterals.isEmpty() ? null
                : new LiteralAutomaton(normalizedLiterals, normalizedMasks);
    }

    /** The prefilter of a compiled expression, its case-folding flag read as a leading {@code (?i)}. */
    private static Optional<RequiredLiterals> prefilter(Pattern p) {
        int flags = p.flags();
        if ((flags & ~(LITERAL_NEUTRAL_FLAGS | Pattern.CASE_INSENSITIVE)) != 0) {
            return Optional.empty();
        }
        String regex = p.pattern();
        boolean fold = (flags & Pattern.CASE_INSENSITIVE) != 0 && !regex.startsWith("(?i)");
        return RequiredLiterals.of(fold ? "(?i)" + regex : regex);
    }

    /** The text as the literals of a case-folding expression are looked for: lower case, backslashes as slashes. */
    public static String normalize(String text) {
        return text.replace('\\', '/').toLowerCase(Locale.ROOT);
    }

    /**
     * Bit {@code i} is set when pattern {@code i} may match the text; a clear bit means it cannot. Case-folding
     * expressions are always candidates here (see {@link #candidates(String, String)}).
     */
    public long candidates(String text) {
        return always | onNormalized | (automaton == null ? 0 : automaton.scan(text));
    }

    /** As {@link #candidates(String)}, with {@code normalized} = {@link #normalize}{@code (text)} for the others. */
    public long candidates(String text, String normalized) {
        return always | (automaton == null ? 0 : automaton.scan(text))
                | (normalizedAutomaton == null ? 0 : normalizedAutomaton.scan(normalized));
    }
}
