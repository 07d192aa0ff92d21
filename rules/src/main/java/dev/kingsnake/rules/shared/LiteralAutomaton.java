package dev.kingsnake.rules.shared;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * Aho-Corasick over ASCII literals, as a full transition table; each state carries the masks it reports. The table
 * is one array, a state being the offset of its row ({@code 128 * index}), so that a step is one array read.
 */
public final class LiteralAutomaton {
    private static final int ROW_BITS = 7;
    private static final int ROW = 1 << ROW_BITS;

    private final int[] next;
    /** The masks of each state, by its index (row offset >>> {@link #ROW_BITS}). */
    private final long[] out;

    public LiteralAutomaton(List<String> literals, List<Long> masks) {
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
        this.next = new int[go.size() * ROW];
        for (int st = 0; st < go.size(); st++) {
            for (int c = 0; c < ROW; c++) {
                next[st * ROW + c] = go.get(st)[c] * ROW;
            }
        }
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
    public long scan(String text) {
        long found = 0;
        int state = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            // no literal holds a non-ASCII character, so none can run across one
            state = c < ROW ? next[state + c] : 0;
            found |= out[state >>> ROW_BITS];
        }
        return found;
    }

    static boolean ascii(String s) {
        return s.chars().allMatch(c -> c < 128);
    }
}
