package dev.kingsnake.rules.shared;

import dev.kingsnake.spi.FactKey;
import dev.kingsnake.spi.facts.CallFacts;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A list of {@link Indicator}s matched in one pass per string: the literals of every indicator's prefilter go
 * into one Aho-Corasick automaton (one for the normalised text, one for the exact text), a string is read once
 * through it, and only the indicators whose literals occur run their regex. Says exactly what
 * {@link Indicator#first} says. Indicators without a prefilter (or with a non-ASCII literal) always run.
 *
 * <p>Every set whose indicators all have a prefilter also takes a bit of one automaton shared by all such sets
 * (the {@link Union}): a file's string constants are read once through it for all the indicator rules
 * ({@link #first(CallFacts, int)}, the fact {@link #CANDIDATES}), and a set runs its own automata only on the
 * strings where one of its literals occurs. A string where none occurs cannot match any of its indicators.
 */
public final class IndicatorSet {
    private static final int MAX_INDICATORS = 64;
    /** Sets with a bit of the union: at most one per bit of a {@code long}. */
    private static final int MAX_UNION_SETS = 64;
    private static final List<Literals> REGISTERED = new ArrayList<>();
    private static Union union = new Union(0, null, null);

    /**
     * Per string constant of a file ({@link CallFacts#strings()}, by index), the union's bits of the sets one of
     * whose literals occurs in it; {@code count} is the number of sets the union held when it was computed.
     */
    static final FactKey<Candidates> CANDIDATES = FactKey.ofPython("indicator sets that may match each string",
            f -> Candidates.of(CallFacts.of(f).strings(), union()));

    private final List<Indicator> indicators;
    /** Indicators that run on every string. */
    private final long always;
    private final LiteralAutomaton normalized;
    private final LiteralAutomaton exact;
    /** This set's bit in the union, -1 when it has none. */
    private final int unionBit;

    public IndicatorSet(List<Indicator> indicators) {
        this.indicators = List.copyOf(indicators);
        long all = 0;
        List<String> normLiterals = new ArrayList<>();
        List<Long> normMasks = new ArrayList<>();
        List<String> exactLiterals = new ArrayList<>();
        List<Long> exactMasks = new ArrayList<>();
        for (int i = 0; i < this.indicators.size(); i++) {
            Indicator ind = this.indicators.get(i);
            long bit = i < MAX_INDICATORS ? 1L << i : 0;
            RequiredLiterals p = ind.prefilter();
            if (bit == 0 || p == null || !p.literals().stream().allMatch(LiteralAutomaton::ascii)) {
                all |= bit;
                continue;
            }
            boolean onNormalized = p.normalized() || !ind.caseSensitive();
            for (String lit : p.literals()) {
                (onNormalized ? normLiterals : exactLiterals).add(lit);
                (onNormalized ? normMasks : exactMasks).add(bit);
            }
        }
        this.always = all;
        this.normalized = normLiterals.isEmpty() ? null : new LiteralAutomaton(normLiterals, normMasks);
        this.exact = exactLiterals.isEmpty() ? null : new LiteralAutomaton(exactLiterals, exactMasks);
        // a set that runs an indicator on every string, or has more indicators than bits, gains nothing
        this.unionBit = all == 0 && this.indicators.size() <= MAX_INDICATORS
                ? register(new Literals(List.copyOf(normLiterals), List.copyOf(exactLiterals))) : -1;
    }

    public List<Indicator> indicators() {
        return indicators;
    }

    /** The first indicator that matches, strong ones first: the same as {@link Indicator#first}. */
    public Optional<Indicator> first(CallFacts.StringFact s) {
        long candidates = always;
        if (normalized != null) {
            candidates |= normalized.scan(s.normalized());
        }
        if (exact != null) {
            candidates |= exact.scan(s.text());
        }
        if (candidates == 0 && indicators.size() <= MAX_INDICATORS) {
            return Optional.empty();
        }
        long found = candidates;
        return Indicator.first(indicators, s, i -> i >= MAX_INDICATORS || (found & (1L << i)) != 0);
    }

    /**
     * {@link #first(CallFacts.StringFact)} of the file's string constant {@code index}: passed over without reading
     * it again when the file's shared pass ({@link #CANDIDATES}) found none of this set's literals in it.
     */
    public Optional<Indicator> first(CallFacts facts, int index) {
        if (unionBit >= 0) {
            Candidates c = facts.file().fact(CANDIDATES);
            if (unionBit < c.count() && index < c.bits().length && (c.bits()[index] & (1L << unionBit)) == 0) {
                return Optional.empty();
            }
        }
        return first(facts.strings().get(index));
    }

    /**
     * The indices of the file's string constants where {@link #first(CallFacts, int)} may find an indicator, in
     * order: every index but those it passes over without reading (the shared pass found none of this set's
     * literals there). A rule asks once per file and reads only these strings, with {@link #first(CallFacts.StringFact)},
     * instead of asking {@link #first(CallFacts, int)} of every string.
     */
    public int[] candidates(CallFacts facts) {
        int n = facts.strings().size();
        if (unionBit < 0) {
            return all(n);
        }
        Candidates c = facts.file().fact(CANDIDATES);
        if (unionBit >= c.count()) {
            return all(n);
        }
        long[] bits = c.bits();
        long bit = 1L << unionBit;
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (i >= bits.length || (bits[i] & bit) != 0) {
                count++;
            }
        }
        int[] out = new int[count];
        for (int i = 0, k = 0; i < n; i++) {
            if (i >= bits.length || (bits[i] & bit) != 0) {
                out[k++] = i;
            }
        }
        return out;
    }

    private static int[] all(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }

    /** Whether the union's pass may skip this set on a string: it has a bit and the bit is clear. */
    boolean unionExcludes(String text, String normalized) {
        Union u = union();
        return unionBit >= 0 && unionBit < u.count() && (u.candidates(text, normalized) & (1L << unionBit)) == 0;
    }

    private static synchronized int register(Literals literals) {
        if (REGISTERED.size() >= MAX_UNION_SETS) {
            return -1;
        }
        REGISTERED.add(literals);
        return REGISTERED.size() - 1;
    }

    /** The union of the sets registered so far, built again when a set has been added since. */
    static synchronized Union union() {
        if (union.count() != REGISTERED.size()) {
            List<String> norm = new ArrayList<>();
            List<Long> normMasks = new ArrayList<>();
            List<String> exact = new ArrayList<>();
            List<Long> exactMasks = new ArrayList<>();
            for (int bit = 0; bit < REGISTERED.size(); bit++) {
                Literals l = REGISTERED.get(bit);
                for (String lit : l.normalized()) {
                    norm.add(lit);
                    normMasks.add(1L << bit);
                }
                for (String lit : l.exact()) {
                    exact.add(lit);
                    exactMasks.add(1L << bit);
                }
            }
            union = new Union(REGISTERED.size(), norm.isEmpty() ? null : new LiteralAutomaton(norm, normMasks),
                    exact.isEmpty() ? null : new LiteralAutomaton(exact, exactMasks));
        }
        return union;
    }

    /** A registered set's literals: those looked for in the normalised text and those in the text as it is. */
    private record Literals(List<String> normalized, List<String> exact) {
    }

    /** The literals of the first {@code count} registered sets, bit {@code i} for set {@code i}. */
    record Union(int count, LiteralAutomaton normalized, LiteralAutomaton exact) {
        long candidates(String text, String normalizedText) {
            return (normalized == null ? 0 : normalized.scan(normalizedText)) | (exact == null ? 0 : exact.scan(text));
        }
    }

    record Candidates(int count, long[] bits) {
        static Candidates of(List<CallFacts.StringFact> strings, Union union) {
            long[] bits = new long[strings.size()];
            for (int i = 0; i < bits.length; i++) {
                CallFacts.StringFact s = strings.get(i);
                bits[i] = union.candidates(s.text(), s.normalized());
            }
            return new Candidates(union.count(), bits);
        }
    }
}
