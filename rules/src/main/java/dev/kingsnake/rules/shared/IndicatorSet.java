package dev.kingsnake.rules.shared;

import dev.kingsnake.spi.facts.CallFacts;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A list of {@link Indicator}s matched in one pass per string: the literals of every indicator's prefilter go
 * into one Aho-Corasick automaton (one for the normalised text, one for the exact text), a string is read once
 * through it, and only the indicators whose literals occur run their regex. Says exactly what
 * {@link Indicator#first} says. Indicators without a prefilter (or with a non-ASCII literal) always run.
 */
public final class IndicatorSet {
    private static final int MAX_INDICATORS = 64;

    private final List<Indicator> indicators;
    /** Indicators that run on every string. */
    private final long always;
    private final LiteralAutomaton normalized;
    private final LiteralAutomaton exact;

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
}
