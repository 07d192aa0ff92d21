package dev.kingsnake.internal.decode;

import java.util.Map;

/**
 * The cheap reversible tricks constant folding does not model: rot13, reversing bytes (for the blind decoder) and
 * translation tables. Python's own operators and slicing ({@code s[::-1]}, {@code ^}) are {@code ConstOps}'.
 */
public final class TextTransforms {
    private TextTransforms() {
    }

    /** {@code codecs.decode(s, 'rot13')}: ASCII letters rotated by 13, everything else kept. */
    public static String rot13(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'a' && c <= 'z') {
                c = (char) ('a' + (c - 'a' + 13) % 26);
            } else if (c >= 'A' && c <= 'Z') {
                c = (char) ('A' + (c - 'A' + 13) % 26);
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** {@code b[::-1]} on bytes. */
    public static byte[] reverse(byte[] b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[b.length - 1 - i];
        }
        return out;
    }

    /** {@code s.translate(table)} where the table maps code points to code points ({@code -1} deletes). */
    public static String translate(String s, Map<Integer, Integer> table) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            Integer to = table.get(cp);
            if (to == null) {
                sb.appendCodePoint(cp);
            } else if (to >= 0) {
                sb.appendCodePoint(to);
            }
        });
        return sb.toString();
    }

    /** {@code str.maketrans(from, to[, delete])} as a table for {@link #translate}. */
    public static Map<Integer, Integer> maketrans(String from, String to, String delete) throws DecodeException {
        int[] f = from.codePoints().toArray();
        int[] t = to.codePoints().toArray();
        if (f.length != t.length) {
            throw DecodeException.invalid("maketrans arguments of different lengths");
        }
        Map<Integer, Integer> table = new java.util.HashMap<>();
        for (int i = 0; i < f.length; i++) {
            table.put(f[i], t[i]);
        }
        delete.codePoints().forEach(cp -> table.put(cp, -1));
        return table;
    }
}
