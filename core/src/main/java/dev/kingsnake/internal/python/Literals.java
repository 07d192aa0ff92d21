package dev.kingsnake.internal.python;

import dev.kingsnake.spi.python.Const;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.IntStream;

/** Python literal tokens to values: string escapes, bytes, integers in every base, floats. */
final class Literals {

    /**
     * CPython refuses to convert decimal integers longer than this (sys.int_info.default_max_str_digits);
     * we do the same, which also keeps BigInteger's super-linear parsing away from hostile input.
     */
    static final int MAX_DECIMAL_DIGITS = 4300;

    private static final int MAX_RADIX_DIGITS = 100_000;

    private Literals() {
    }

    /** A string token split into prefix flags and body. */
    record StringToken(boolean raw, boolean bytes, boolean format, String body, int bodyOffset) {
    }

    static StringToken split(String token) {
        int p = 0;
        boolean raw = false;
        boolean bytes = false;
        boolean format = false;
        while (p < token.length() && token.charAt(p) != '\'' && token.charAt(p) != '"') {
            switch (Character.toLowerCase(token.charAt(p))) {
                case 'r' -> raw = true;
                case 'b' -> bytes = true;
                case 'f' -> format = true;
                default -> {
                }
            }
            p++;
        }
        int q = 1;
        if (token.length() - p >= 6 && token.charAt(p + 1) == token.charAt(p) && token.charAt(p + 2) == token.charAt(p)) {
            q = 3;
        }
        int start = Math.min(p + q, token.length());
        int end = Math.max(start, token.length() - q);
        return new StringToken(raw, bytes, format, token.substring(start, end), start);
    }

    /** Decodes the escapes of a str literal body (Python 3 rules, which Python 2 unicode literals share). */
    static String unescape(String s) {
        int bs = s.indexOf('\\');
        if (bs < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        sb.append(s, 0, bs);
        int n = s.length();
        for (int i = bs; i < n; i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= n) {
                sb.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case '\n' -> {
                }
                case '\\' -> sb.append('\\');
                case '\'' -> sb.append('\'');
                case '"' -> sb.append('"');
                case 'a' -> sb.append('\u0007');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'v' -> sb.append('\u000B');
                case 'x' -> i = hexEscape(s, i, 2, sb);
                case 'u' -> i = hexEscape(s, i, 4, sb);
                case 'U' -> i = hexEscape(s, i, 8, sb);
                case 'N' -> i = namedEscape(s, i, sb);
                default -> {
                    if (e >= '0' && e <= '7') {
                        int v = e - '0';
                        int k = 1;
                        while (k < 3 && i + 1 < n && s.charAt(i + 1) >= '0' && s.charAt(i + 1) <= '7') {
                            v = v * 8 + (s.charAt(++i) - '0');
                            k++;
                        }
                        sb.appendCodePoint(v);
                    } else {
                        sb.append('\\').append(e);
                    }
                }
            }
        }
        return sb.toString();
    }

    /** Reads {@code digits} hex digits after s[i]; on a bad escape keeps the text as written. */
    private static int hexEscape(String s, int i, int digits, StringBuilder sb) {
        if (i + digits < s.length()) {
            long v = hexValue(s, i + 1, digits);
            if (v >= 0 && v <= Character.MAX_CODE_POINT) {
                sb.appendCodePoint((int) v);
                return i + digits;
            }
        }
        sb.append('\\').append(s.charAt(i));
        return i;
    }

    /**
     * The value of the {@code digits} hex digits at s[from] (any digit {@link Character#digit} reads, as
     * {@link Long#parseLong} does), or -1 when one is not a hex digit. Read in place: a payload's bytes
     * literal may hold millions of escapes.
     */
    private static long hexValue(String s, int from, int digits) {
        long v = 0;
        for (int k = from; k < from + digits; k++) {
            int d = Character.digit(s.charAt(k), 16);
            if (d < 0) {
                return -1;
            }
            v = v * 16 + d;
        }
        return v;
    }

    private static int namedEscape(String s, int i, StringBuilder sb) {
        if (i + 1 < s.length() && s.charAt(i + 1) == '{') {
            int close = s.indexOf('}', i + 2);
            if (close > 0 && close - i < 200) {
                try {
                    sb.appendCodePoint(Character.codePointOf(s.substring(i + 2, close)));
                    return close;
                } catch (IllegalArgumentException e) {
                    // not a Unicode character name: keep the text
                }
            }
        }
        sb.append("\\N");
        return i;
    }

    /** Decodes a bytes literal body; characters above U+00FF (invalid in Python) are kept as UTF-8. */
    static byte[] bytesValue(String s, boolean raw) {
        ByteBuffer out = new ByteBuffer(s.length());
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c != '\\' || raw || i + 1 >= n) {
                out.put(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case '\n' -> {
                }
                case '\\' -> out.write('\\');
                case '\'' -> out.write('\'');
                case '"' -> out.write('"');
                case 'a' -> out.write(7);
                case 'b' -> out.write(8);
                case 'f' -> out.write(12);
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 't' -> out.write('\t');
                case 'v' -> out.write(11);
                case 'x' -> {
                    long v = i + 2 < n ? hexValue(s, i + 1, 2) : -1;
                    if (v >= 0) {
                        out.write((int) v);
                        i += 2;
                    } else {
                        out.write('\\');
                        out.write('x');
                    }
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        int v = e - '0';
                        int k = 1;
                        while (k < 3 && i + 1 < n && s.charAt(i + 1) >= '0' && s.charAt(i + 1) <= '7') {
                            v = v * 8 + (s.charAt(++i) - '0');
                            k++;
                        }
                        out.write(v & 0xff);
                    } else {
                        out.write('\\');
                        out.put(e);
                    }
                }
            }
        }
        return out.toByteArray();
    }

    /**
     * A bytes literal's value as it is decoded: one unsynchronised array, which nearly always holds the result
     * at the body's length (ByteArrayOutputStream took a lock and checked its capacity for every byte: 2% of a
     * batch scan's samples went to decoding payloads of megabytes of escapes).
     */
    private static final class ByteBuffer {
        private byte[] bytes;
        private int size;

        ByteBuffer(int expected) {
            bytes = new byte[Math.max(16, expected)];
        }

        void write(int b) {
            if (size == bytes.length) {
                bytes = Arrays.copyOf(bytes, bytes.length * 2);
            }
            bytes[size++] = (byte) b;
        }

        /** A source character: itself below U+0100, else its UTF-8 bytes. */
        void put(char c) {
            if (c < 0x100) {
                write(c);
            } else {
                for (byte b : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) {
                    write(b);
                }
            }
        }

        byte[] toByteArray() {
            return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
        }
    }

    /**
     * The values of the integer tokens of one or two decimal digits, shared: such literals are the most common
     * numbers of a model (torch 2.14.1's: 147 thousand integers, each with a BigInteger and its array).
     */
    private static final List<Optional<Const>> SMALL_INTS = IntStream.range(0, 100)
            .mapToObj(i -> Optional.<Const>of(new Const.Int(BigInteger.valueOf(i)))).toList();

    /** A number token's value, or empty for imaginary numbers and integers too long to convert. */
    static Optional<Const> number(String token) {
        int n = token.length();
        if (n <= 2 && n > 0 && isDigit(token.charAt(0)) && isDigit(token.charAt(n - 1))) {
            // "07" is octal 7 and "08" decimal 8 (numberAsWritten): either way the digits' decimal value
            return SMALL_INTS.get(n == 1 ? token.charAt(0) - '0' : (token.charAt(0) - '0') * 10 + token.charAt(1) - '0');
        }
        return numberAsWritten(token);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** {@link #number} without the shared small values. */
    static Optional<Const> numberAsWritten(String token) {
        String t = token.replace("_", "").toLowerCase(Locale.ROOT);
        if (t.endsWith("j")) {
            return Optional.empty();
        }
        if (t.endsWith("l")) {
            t = t.substring(0, t.length() - 1);
        }
        try {
            if (t.startsWith("0x") || t.startsWith("0o") || t.startsWith("0b")) {
                if (t.length() > MAX_RADIX_DIGITS) {
                    return Optional.empty();
                }
                int radix = t.charAt(1) == 'x' ? 16 : t.charAt(1) == 'o' ? 8 : 2;
                return Optional.of(new Const.Int(new BigInteger(t.substring(2), radix)));
            }
            if (t.indexOf('.') >= 0 || t.indexOf('e') >= 0) {
                if (t.length() > MAX_RADIX_DIGITS) {
                    return Optional.empty();
                }
                return Optional.of(new Const.Float(Double.parseDouble(t)));
            }
            if (t.length() > MAX_DECIMAL_DIGITS) {
                return Optional.empty();
            }
            if (t.length() > 1 && t.charAt(0) == '0' && t.chars().allMatch(ch -> ch >= '0' && ch <= '7')) {
                // Python 2 octal: 0777
                return Optional.of(new Const.Int(new BigInteger(t, 8)));
            }
            return Optional.of(new Const.Int(new BigInteger(t)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
