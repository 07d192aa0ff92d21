package dev.kingsnake.internal.decode;

import java.util.Map;

/** The cheap reversible tricks: rot13, reversal, XOR with a constant key, translation tables. */
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

    /** {@code s[::-1]} on a str: reverses code points, so surrogate pairs stay whole. */
    public static String reverse(String s) {
        return new StringBuilder(s).reverse().toString();
    }

    /** {@code b[::-1]} on bytes. */
    public static byte[] reverse(byte[] b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[b.length - 1 - i];
        }
        return out;
    }

    /** XOR with a repeating key (a single-byte key is a key of length one). */
    public static byte[] xor(byte[] data, byte[] key) throws DecodeException {
        if (key.length == 0) {
            throw DecodeException.invalid("empty XOR key");
        }
        byte[] out = new byte[data.length];
        for (int i = 0; i < data.length; i++) {
            out[i] = (byte) (data[i] ^ key[i % key.length]);
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
