package dev.kingsnake.rules.pkg;

import java.util.ArrayList;
import java.util.List;

/**
 * Optimal-string-alignment (restricted Damerau–Levenshtein) distance with the edit script, and what makes an
 * edit look like a slip of the fingers: neighbouring keys, vowels, doubled letters, swapped letters.
 */
final class TypoDistance {
    private static final String[] ROWS = {"1234567890-", "qwertyuiop", "asdfghjkl", "zxcvbnm"};
    private static final String VOWELS = "aeiouy";

    /** One edit turning the target into the candidate; {@code at} is the index in the target. */
    record Edit(Kind kind, int at, char from, char to, char before, char after) {
        enum Kind { SUBSTITUTE, INSERT, DELETE, SWAP }

        /** Neighbouring key, vowel for vowel, doubled letter, swap or dropped letter. */
        boolean typoLike() {
            return switch (kind) {
                case SWAP, DELETE -> true;
                case SUBSTITUTE -> adjacentKeys(from, to) || VOWELS.indexOf(from) >= 0 && VOWELS.indexOf(to) >= 0;
                case INSERT -> to == before || to == after || adjacentKeys(to, before) || adjacentKeys(to, after);
            };
        }

        /** The slips that are plausible even in a short name: a swap, a neighbouring key, a doubled letter. */
        boolean strongTypo() {
            return switch (kind) {
                case SWAP -> true;
                case SUBSTITUTE -> adjacentKeys(from, to);
                case INSERT -> to == before || to == after;
                case DELETE -> false;
            };
        }

        String describe() {
            return switch (kind) {
                case SWAP -> "swapped letters";
                case SUBSTITUTE -> adjacentKeys(from, to) ? "neighbouring key '" + to + "' for '" + from + "'"
                        : "'" + to + "' for '" + from + "'";
                case INSERT -> to == before || to == after ? "doubled '" + to + "'" : "extra '" + to + "'";
                case DELETE -> "missing '" + from + "'";
            };
        }
    }

    private TypoDistance() {
    }

    /** The edits turning {@code target} into {@code candidate}, or null when more than {@code max} are needed. */
    static List<Edit> edits(String candidate, String target, int max) {
        int la = candidate.length();
        int lb = target.length();
        if (Math.abs(la - lb) > max) {
            return null;
        }
        int[][] d = new int[la + 1][lb + 1];
        for (int i = 0; i <= la; i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= lb; j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= la; i++) {
            for (int j = 1; j <= lb; j++) {
                int cost = candidate.charAt(i - 1) == target.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && candidate.charAt(i - 1) == target.charAt(j - 2)
                        && candidate.charAt(i - 2) == target.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        if (d[la][lb] > max) {
            return null;
        }
        List<Edit> out = new ArrayList<>();
        int i = la;
        int j = lb;
        while (i > 0 || j > 0) {
            if (i > 1 && j > 1 && candidate.charAt(i - 1) == target.charAt(j - 2)
                    && candidate.charAt(i - 2) == target.charAt(j - 1) && candidate.charAt(i - 1) != candidate.charAt(i - 2)
                    && d[i][j] == d[i - 2][j - 2] + 1) {
                out.add(new Edit(Edit.Kind.SWAP, j - 2, target.charAt(j - 2), target.charAt(j - 1), ' ', ' '));
                i -= 2;
                j -= 2;
            } else if (i > 0 && j > 0 && d[i][j] == d[i - 1][j - 1]
                    + (candidate.charAt(i - 1) == target.charAt(j - 1) ? 0 : 1)) {
                if (candidate.charAt(i - 1) != target.charAt(j - 1)) {
                    out.add(new Edit(Edit.Kind.SUBSTITUTE, j - 1, target.charAt(j - 1), candidate.charAt(i - 1), ' ', ' '));
                }
                i--;
                j--;
            } else if (i > 0 && d[i][j] == d[i - 1][j] + 1) {
                out.add(new Edit(Edit.Kind.INSERT, j, ' ', candidate.charAt(i - 1),
                        j > 0 ? target.charAt(j - 1) : ' ', j < lb ? target.charAt(j) : ' '));
                i--;
            } else {
                out.add(new Edit(Edit.Kind.DELETE, j - 1, target.charAt(j - 1), ' ', ' ', ' '));
                j--;
            }
        }
        return out;
    }

    static boolean adjacentKeys(char a, char b) {
        if (a == b) {
            return false;
        }
        int[] pa = key(a);
        int[] pb = key(b);
        if (pa == null || pb == null || Math.abs(pa[0] - pb[0]) > 1) {
            return false;
        }
        // rows are staggered by about half a key
        double xa = pa[1] + 0.5 * pa[0];
        double xb = pb[1] + 0.5 * pb[0];
        return Math.abs(xa - xb) <= 1.0;
    }

    private static int[] key(char c) {
        for (int r = 0; r < ROWS.length; r++) {
            int col = ROWS[r].indexOf(c);
            if (col >= 0) {
                return new int[] {r, col};
            }
        }
        return null;
    }
}
