package dev.kingsnake.internal.decode;

import dev.kingsnake.internal.decode.marshal.MarshalReader;
import dev.kingsnake.internal.decode.marshal.PyObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decodes a blob whose decoding code we cannot see (a string constant inside marshalled bytecode, say) by
 * recognising each layer's format: base64 or hex text, zlib/gzip/bz2/xz magic, marshal code. Only accepts a
 * result that ends in Python source or a code object, so random text never turns into a "payload".
 */
final class BlindDecoder {
    private static final int MAX_STEPS = 8;
    private static final int MIN_BLOB = 64;

    /** The decoded content (source text or a code object) and the steps that led to it. */
    record Outcome(byte[] content, Optional<PyObject> code, List<String> steps) {
    }

    private BlindDecoder() {
    }

    /**
     * The blob decoded as far as it goes; empty when it is not a payload.
     *
     * @throws DecodeException only for a cut-off ({@link DecodeException#isLimit()}), which callers report
     */
    static Optional<Outcome> peel(byte[] blob, OutputBound bound) throws DecodeException {
        return peel(blob, bound, new ArrayList<>(), 0);
    }

    /** Depth-first: each text layer is tried as it is, then reversed (obfuscators reverse before encoding). */
    private static Optional<Outcome> peel(byte[] cur, OutputBound bound, List<String> steps, int depth)
            throws DecodeException {
        if (depth > 0 && PayloadText.looksLikePython(cur)) {
            return Optional.of(new Outcome(cur, Optional.empty(), List.copyOf(steps)));
        }
        if (depth >= MAX_STEPS) {
            return Optional.empty();
        }
        try {
            if (depth > 0 && cur.length > 16 && (cur[0] & 0x7f) == 'c') {
                Optional<MarshalReader.Read> r = MarshalReader.readAnyVersion(cur);
                if (r.isPresent()) {
                    List<String> s = new ArrayList<>(steps);
                    s.add("marshal " + r.get().format().versions());
                    return Optional.of(new Outcome(cur, Optional.of(r.get().object()), s));
                }
            }
            if (isZlib(cur)) {
                return next(Decompression.zlib(cur, 15, bound), "zlib", bound, steps, depth);
            } else if (cur.length > 2 && (cur[0] & 0xff) == 0x1f && (cur[1] & 0xff) == 0x8b) {
                return next(Decompression.gzip(cur, bound), "gzip", bound, steps, depth);
            } else if (cur.length > 3 && cur[0] == 'B' && cur[1] == 'Z' && cur[2] == 'h') {
                return next(Decompression.bz2(cur, bound), "bz2", bound, steps, depth);
            } else if (cur.length > 6 && (cur[0] & 0xff) == 0xfd && cur[1] == '7' && cur[2] == 'z') {
                return next(Decompression.lzma(cur, bound), "lzma", bound, steps, depth);
            }
            if (isBase32(cur)) {
                Optional<Outcome> o = next(BaseN.b32(cur, false, bound), "base32", bound, steps, depth);
                if (o.isPresent()) {
                    return o;
                }
            }
            boolean hex = isHex(cur);
            if (!hex && !isBase64(cur)) {
                return keySearch(cur, steps);
            }
            for (boolean reversed : new boolean[] {false, true}) {
                byte[] in = reversed ? TextTransforms.reverse(cur) : cur;
                List<String> s = new ArrayList<>(steps);
                if (reversed) {
                    s.add("reversed?");
                }
                Optional<Outcome> o = next(hex ? BaseN.hex(in, bound) : BaseN.b64Urlsafe(in, bound),
                        hex ? "hex" : "base64", bound, s, depth);
                if (o.isPresent()) {
                    return o;
                }
            }
            return keySearch(cur, steps);
        } catch (DecodeException e) {
            if (e.isLimit()) {
                throw e;
            }
            return Optional.empty();
        }
    }

    /** Longest blob searched for a key; a key search costs a few hundred passes over a short prefix first. */
    private static final int MAX_KEYED = 1 << 20;
    private static final int PROBE = 1024;

    /** A keyed byte-for-byte cipher an obfuscator writes in two lines: the key space is small enough to try. */
    private enum KeyedCipher {
        XOR(255), SHIFT(255), CAESAR(25), ATBASH(1),
        /** Rotation over {@code string.ascii_letters} (a-z then A-Z): {@code letters[(letters.index(c) + k) % 52]}. */
        CAESAR52(51),
        /** {@code string.ascii_letters} mapped onto itself reversed: Atbash that also swaps case. */
        ATBASH52(1);

        final int keys;

        KeyedCipher(int keys) {
            this.keys = keys;
        }

        byte[] undo(byte[] in, int n, int key) {
            byte[] out = new byte[n];
            for (int i = 0; i < n; i++) {
                out[i] = (byte) undo(in[i] & 0xff, key);
            }
            return out;
        }

        /**
         * The first {@code n} bytes undone, or null when one of them is not {@link #printable}: most keys turn text
         * into control bytes within a few bytes, and are rejected there, before anything is allocated or copied.
         */
        byte[] undoPrintable(byte[] in, int n, int key) {
            for (int i = 0; i < n; i++) {
                if (!printable((byte) undo(in[i] & 0xff, key))) {
                    return null;
                }
            }
            return undo(in, n, key);
        }

        private int undo(int b, int key) {
            return switch (this) {
                case XOR -> b ^ key;
                case SHIFT -> b - key;
                case CAESAR -> b >= 'a' && b <= 'z' ? 'a' + (b - 'a' + 26 - key) % 26
                        : b >= 'A' && b <= 'Z' ? 'A' + (b - 'A' + 26 - key) % 26 : b;
                case ATBASH -> b >= 'a' && b <= 'z' ? 'z' - (b - 'a') : b >= 'A' && b <= 'Z' ? 'Z' - (b - 'A') : b;
                case CAESAR52 -> letter52(b) < 0 ? b : LETTERS52.charAt((letter52(b) + 52 - key) % 52);
                case ATBASH52 -> letter52(b) < 0 ? b : LETTERS52.charAt(51 - letter52(b));
            };
        }

        String step(int key) {
            return switch (this) {
                case ATBASH -> "atbash?";
                case ATBASH52 -> "atbash over ascii_letters?";
                case CAESAR52 -> "caesar over ascii_letters " + key + "?";
                default -> name().toLowerCase(java.util.Locale.ROOT) + " " + key + "?";
            };
        }

        private static final String LETTERS52 = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

        private static int letter52(int b) {
            return b >= 'a' && b <= 'z' ? b - 'a' : b >= 'A' && b <= 'Z' ? 26 + b - 'A' : -1;
        }
    }

    /** Words every Python program is made of; a key is judged by how many its result spells. */
    private static final java.util.regex.Pattern PYTHON_WORDS = java.util.regex.Pattern.compile(
            "\\b(import|from|def|class|return|if|else|for|in|not|and|or|is|None|True|False|print|exec|self|os|sys)\\b");

    /**
     * Single-byte XOR, byte shifts, Caesar rotations and Atbash: each of ~540 keys is tried on a prefix, the
     * printable results that read as Python compete on how many Python words they spell, and the best is kept
     * only when the whole blob then reads as Python (case-flipping XOR keys also give Python-shaped lines).
     */
    private static Optional<Outcome> keySearch(byte[] cur, List<String> steps) {
        if (cur.length < MIN_BLOB || cur.length > MAX_KEYED) {
            return Optional.empty();
        }
        int probe = Math.min(cur.length, PROBE);
        KeyedCipher best = null;
        int bestKey = 0;
        int bestWords = 0;
        for (KeyedCipher c : KeyedCipher.values()) {
            for (int key = 1; key <= c.keys; key++) {
                byte[] head = c.undoPrintable(cur, probe, key);
                if (head == null || !PayloadText.looksLikePython(head)) {
                    continue;
                }
                int words = (int) PYTHON_WORDS.matcher(new String(head, java.nio.charset.StandardCharsets.ISO_8859_1))
                        .results().count();
                if (words > bestWords) {
                    best = c;
                    bestKey = key;
                    bestWords = words;
                }
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        byte[] whole = best.undo(cur, cur.length, bestKey);
        if (!PayloadText.looksLikePython(whole)) {
            return Optional.empty();
        }
        List<String> s = new ArrayList<>(steps);
        s.add(best.step(bestKey));
        return Optional.of(new Outcome(whole, Optional.empty(), s));
    }

    private static boolean printable(byte x) {
        return !(x < 0x20 && x != '\n' && x != '\r' && x != '\t' || x == 0x7f);
    }

    private static Optional<Outcome> next(byte[] out, String step, OutputBound bound, List<String> steps, int depth)
            throws DecodeException {
        List<String> s = new ArrayList<>(steps);
        s.add(step + "?");
        return peel(out, bound, s, depth + 1);
    }

    private static boolean isZlib(byte[] b) {
        return b.length > 2 && (b[0] & 0x0f) == 8 && ((b[0] & 0xff) << 8 | (b[1] & 0xff)) % 31 == 0
                && (b[0] & 0xff) >> 4 <= 7;
    }

    /** Per byte value: {@link #SPACE}, or the alphabets it belongs to (bit set). */
    private static final byte[] CLASS = new byte[256];
    private static final byte SPACE = 1;
    private static final byte HEX = 2;
    private static final byte B32 = 4;
    private static final byte B64 = 8;

    static {
        for (int c = 0; c < 256; c++) {
            byte k = 0;
            if (BaseN.isSpace((byte) c)) {
                k |= SPACE;
            }
            if (Character.digit(c, 16) >= 0) {
                k |= HEX;
            }
            if (c >= 'A' && c <= 'Z' || c >= '2' && c <= '7' || c == '=') {
                k |= B32;
            }
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/'
                    || c == '-' || c == '_' || c == '=') {
                k |= B64;
            }
            CLASS[c] = k;
        }
    }

    /** The number of non-space bytes when every one is in the alphabet, else -1. */
    private static int count(byte[] b, byte alphabet) {
        int n = 0;
        for (byte x : b) {
            byte k = CLASS[x & 0xff];
            if ((k & alphabet) != 0) {
                n++;
            } else if (k != SPACE) {
                return -1;
            }
        }
        return n;
    }

    static boolean isHex(byte[] b) {
        int n = count(b, HEX);
        return n >= MIN_BLOB && n % 2 == 0;
    }

    /** Upper-case letters and 2-7 only, padded to a multiple of 8 (base32 text is valid base64 text too). */
    static boolean isBase32(byte[] b) {
        int n = count(b, B32);
        return n >= MIN_BLOB && n % 8 == 0;
    }

    static boolean isBase64(byte[] b) {
        return count(b, B64) >= MIN_BLOB;
    }
}
