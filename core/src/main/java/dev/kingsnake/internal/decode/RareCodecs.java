package dev.kingsnake.internal.decode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The less common codecs {@code codecs.decode} offers that obfuscators pick because scanners skip them:
 * {@code uu}, {@code quopri}, {@code punycode} and {@code unicode_escape}, decoded as CPython does.
 */
final class RareCodecs {
    private RareCodecs() {
    }

    /** {@code uu_codec}: a {@code begin} line, length-prefixed lines of 6-bit groups, {@code end}. */
    static byte[] uu(byte[] in, OutputBound bound) throws DecodeException {
        String[] lines = new String(in, StandardCharsets.ISO_8859_1).split("\r?\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < lines.length && !lines[i].startsWith("begin")) {
            i++;
        }
        if (i == lines.length) {
            throw DecodeException.invalid("uu data without a begin line");
        }
        for (i++; i < lines.length && !lines[i].equals("end"); i++) {
            String l = lines[i];
            if (l.isEmpty()) {
                continue;
            }
            int n = (l.charAt(0) - 32) & 63;
            if (n == 0) {
                break;
            }
            int produced = 0;
            for (int k = 1; k + 3 < l.length() + 3 && produced < n; k += 4) {
                int[] c = new int[4];
                for (int j = 0; j < 4; j++) {
                    c[j] = k + j < l.length() ? (l.charAt(k + j) - 32) & 63 : 0;
                }
                int[] bytes = {c[0] << 2 | c[1] >> 4, (c[1] & 15) << 4 | c[2] >> 2, (c[2] & 3) << 6 | c[3]};
                for (int j = 0; j < 3 && produced < n; j++, produced++) {
                    out.write(bytes[j]);
                }
            }
        }
        bound.claim(out.size());
        return out.toByteArray();
    }

    /** {@code quopri_codec}: {@code =XX} escapes and soft line breaks. */
    static byte[] quopri(byte[] in, OutputBound bound) throws DecodeException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '=' && i + 1 < in.length && (in[i + 1] == '\n' || in[i + 1] == '\r')) {
                i += in[i + 1] == '\r' && i + 2 < in.length && in[i + 2] == '\n' ? 2 : 1;
            } else if (in[i] == '=' && i + 2 < in.length && Character.digit(in[i + 1], 16) >= 0
                    && Character.digit(in[i + 2], 16) >= 0) {
                out.write(Character.digit(in[i + 1], 16) * 16 + Character.digit(in[i + 2], 16));
                i += 2;
            } else {
                out.write(in[i]);
            }
        }
        bound.claim(out.size());
        return out.toByteArray();
    }

    /** {@code punycode} (RFC 3492 without the IDNA prefix): basic code points, then encoded insertions. */
    static String punycode(String in) throws DecodeException {
        try {
            return bootstring(in);
        } catch (ArithmeticException e) {
            throw DecodeException.invalid("punycode overflows");
        }
    }

    private static String bootstring(String in) throws DecodeException {
        int base = 36;
        int n = 128;
        int bias = 72;
        int i = 0;
        int delim = in.lastIndexOf('-');
        java.util.List<Integer> output = new java.util.ArrayList<>();
        (delim > 0 ? in.substring(0, delim) : "").codePoints().forEach(output::add);
        int pos = delim > 0 ? delim + 1 : 0;
        while (pos < in.length()) {
            int oldi = i;
            int w = 1;
            for (int k = base; ; k += base) {
                if (pos >= in.length()) {
                    throw DecodeException.invalid("truncated punycode");
                }
                char c = in.charAt(pos++);
                int digit = c >= '0' && c <= '9' ? c - 22 : c >= 'a' && c <= 'z' ? c - 'a'
                        : c >= 'A' && c <= 'Z' ? c - 'A' : -1;
                if (digit < 0) {
                    throw DecodeException.invalid("not punycode");
                }
                i = Math.addExact(i, Math.multiplyExact(digit, w));
                int t = k <= bias ? 1 : Math.min(k - bias, 26);
                if (digit < t) {
                    break;
                }
                w = Math.multiplyExact(w, base - t);
            }
            bias = adapt(i - oldi, output.size() + 1, oldi == 0);
            n = Math.addExact(n, i / (output.size() + 1));
            i %= output.size() + 1;
            if (n > Character.MAX_CODE_POINT) {
                throw DecodeException.invalid("punycode beyond Unicode");
            }
            output.add(i, n);
            i++;
        }
        StringBuilder sb = new StringBuilder();
        output.forEach(sb::appendCodePoint);
        return sb.toString();
    }

    private static int adapt(int delta, int points, boolean first) {
        delta = first ? delta / 700 : delta / 2;
        delta += delta / points;
        int k = 0;
        while (delta > 455) {
            delta /= 35;
            k += 36;
        }
        return k + 36 * delta / (delta + 38);
    }

    /** {@code unicode_escape}: Python's backslash escapes in Latin-1 text. */
    static String unicodeEscape(byte[] in) throws DecodeException {
        String s = new String(in, StandardCharsets.ISO_8859_1);
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                sb.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                    int end = i;
                    while (end < s.length() && end < i + 3 && s.charAt(end) >= '0' && s.charAt(end) <= '7') {
                        end++;
                    }
                    sb.append((char) Integer.parseInt(s.substring(i, end), 8));
                    i = end - 1;
                }
                case 'x', 'u', 'U' -> {
                    int len = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    try {
                        sb.appendCodePoint(Integer.parseInt(s.substring(i + 1, i + 1 + len), 16));
                    } catch (IllegalArgumentException | IndexOutOfBoundsException x) {
                        throw DecodeException.invalid("bad \\" + e + " escape");
                    }
                    i += len;
                }
                default -> sb.append(e == '\\' || e == '\'' || e == '"' ? String.valueOf(e) : "\\" + e);
            }
        }
        return sb.toString();
    }
}
