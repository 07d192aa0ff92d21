package dev.kingsnake.rules.shared;

import dev.kingsnake.spi.facts.CallFacts;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
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
    private final Automaton normalized;
    private final Automaton exact;

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
            if (bit == 0 || p == null || !p.literals().stream().allMatch(IndicatorSet::ascii)) {
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
        this.normalized = normLiterals.isEmpty() ? null : new Automaton(normLiterals, normMasks);
        this.exact = exactLiterals.isEmpty() ? null : new Automaton(exactLiterals, exactMasks);
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

    private static boolean ascii(String s) {
        return s.chars().allMatch(c -> c < 128);
    }

    /** Aho-Corasick over ASCII literals, as a full transition table; each state carries the masks it reports. */
    static final class Automaton {
        private final int[][] next;
        private final long[] out;

        Automaton(List<String> literals, List<Long> masks) {
            List<int[]> go = new ArrayList<>();
            List<Long> outs = new ArrayList<>();
            go.add(newState());
            outs.add(0L);
            for (int k = 0; k < literals.size(); k++) {
                int state = 0;
                for (char c : literals.get(k).toCharArray()) {
                    if (go.get(state)[c] < 0) {
                        go.get(state)[c] = go.size();
                        go.add(newState());
                        outs.add(0L);
                    }
                    state = go.get(state)[c];
                }
                outs.set(state, outs.get(state) | masks.get(k));
            }
            int[] fail = new int[go.size()];
            Deque<Integer> queue = new ArrayDeque<>();
            for (int c = 0; c < 128; c++) {
                int t = go.get(0)[c];
                if (t < 0) {
                    go.get(0)[c] = 0;
                } else {
                    fail[t] = 0;
                    queue.add(t);
                }
            }
            while (!queue.isEmpty()) {
                int s = queue.poll();
                outs.set(s, outs.get(s) | outs.get(fail[s]));
                for (int c = 0; c < 128; c++) {
                    int t = go.get(s)[c];
                    if (t < 0) {
                        go.get(s)[c] = go.get(fail[s])[c];
                    } else {
                        fail[t] = go.get(fail[s])[c];
                        queue.add(t);
                    }
                }
            }
            this.next = go.toArray(new int[0][]);
            this.out = new long[outs.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = outs.get(i);
            }
        }

        private static int[] newState() {
            int[] row = new int[128];
            Arrays.fill(row, -1);
            return row;
        }

        /** The masks of every literal that occurs in the text. */
        long scan(String text) {
            long found = 0;
            int state = 0;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                // no literal holds a non-ASCII character, so none can run across one
                state = c < 128 ? next[state][c] : 0;
                found |= out[state];
            }
            return found;
        }
    }
}
