package dev.kingsnake.internal.python;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** String and bytes literal bodies decoded as CPython decodes them, escapes read in place. */
class LiteralsTest {

    /** The shared values of one- and two-digit integers are those the token's own conversion gives. */
    @Test
    void shortNumbersAsWritten() {
        String alphabet = "0123456789_lLjJxob.e";
        int checked = 0;
        for (int n = 1; n <= 3; n++) {
            int[] at = new int[n];
            while (true) {
                StringBuilder sb = new StringBuilder();
                for (int i : at) {
                    sb.append(alphabet.charAt(i));
                }
                String t = sb.toString();
                assertEquals(Literals.numberAsWritten(t), Literals.number(t), t);
                checked++;
                int k = n - 1;
                while (k >= 0 && ++at[k] == alphabet.length()) {
                    at[k--] = 0;
                }
                if (k < 0) {
                    break;
                }
            }
        }
        assertEquals(20 + 400 + 8000, checked);
        assertEquals(Literals.numberAsWritten("99"), Literals.number("99"));
    }

    @Test
    void bytesEscapes() {
        assertArrayEquals(new byte[] {0x12, (byte) 0xab, 'Z', 0, 'A', '\n', 7, (byte) 0xff},
                Literals.bytesValue("\\x12\\xAB\\x5a\\0\\101\\n\\a\\377", false));
        // a short or broken \x escape stays as written; an unknown escape keeps its backslash
        assertArrayEquals("\\xg1\\q\\x".getBytes(StandardCharsets.ISO_8859_1),
                Literals.bytesValue("\\xg1\\q\\x", false));
        assertArrayEquals("\\x41".getBytes(StandardCharsets.ISO_8859_1), Literals.bytesValue("\\x41", true));
        // characters above U+00FF are not valid in a bytes literal: kept as UTF-8
        assertArrayEquals(new byte[] {(byte) 0xe9, (byte) 0xe2, (byte) 0x82, (byte) 0xac},
                Literals.bytesValue("é€", false));
    }

    @Test
    void strEscapes() {
        assertEquals("A\u00e9\u20ac\uD83D\uDE00\\x4", Literals.unescape("\\x41\\xe9\\u20ac\\U0001F600\\x4"));
        assertEquals("\\U00110000", Literals.unescape("\\U00110000"));
        assertEquals("é", Literals.unescape("\\N{LATIN SMALL LETTER E WITH ACUTE}"));
    }

    private static final List<String> PIECES = List.of("\\", "\\\\", "\\x", "\\u", "\\U", "\\N{", "}", "x", "0",
            "7", "8", "9", "a", "F", "g", "\uFF10", "\uFF21", "\n", "'", "\"", "n", "t", "v", "\u00e9", "\u20ac",
            "\uD83D", "\uDE00", "+", "-", "01", "377", "400", "0001F600", "110000");

    @Provide
    Arbitrary<String> bodies() {
        return Arbitraries.of(PIECES).list().ofMaxSize(40).map(l -> String.join("", l));
    }

    @Property(tries = 2000)
    void bytesAgreeWithTheSubstringDecoding(@ForAll("bodies") String body) {
        assertArrayEquals(reference(body, false), Literals.bytesValue(body, false));
        assertArrayEquals(reference(body, true), Literals.bytesValue(body, true));
    }

    @Property(tries = 2000)
    void hexEscapesAgreeWithParseLong(@ForAll("bodies") String body) {
        StringBuilder expected = new StringBuilder();
        int n = body.length();
        for (int i = 0; i < n; i++) {
            char c = body.charAt(i);
            int digits = c == '\\' && i + 1 < n ? switch (body.charAt(i + 1)) {
                case 'x' -> 2;
                case 'u' -> 4;
                case 'U' -> 8;
                default -> 0;
            } : 0;
            if (digits > 0 && i + 1 + digits < n && body.substring(i + 2, i + 2 + digits).chars()
                    .allMatch(ch -> Character.digit(ch, 16) >= 0)
                    && Long.parseLong(body.substring(i + 2, i + 2 + digits), 16) <= Character.MAX_CODE_POINT) {
                expected.appendCodePoint((int) Long.parseLong(body.substring(i + 2, i + 2 + digits), 16));
                i += 1 + digits;
            } else if (c == '\\' && i + 1 < n && digits == 0) {
                expected.append(Literals.unescape(body.substring(i, i + 2)));
                i++;
            } else if (c == '\\' && i + 1 < n) {
                expected.append('\\').append(body.charAt(++i));
            } else {
                expected.append(c);
            }
        }
        if (!body.contains("\\N") && !containsOctalEscape(body)) {
            assertEquals(expected.toString(), Literals.unescape(body));
        }
    }

    private static boolean containsOctalEscape(String body) {
        for (int i = 0; i + 1 < body.length(); i++) {
            if (body.charAt(i) == '\\') {
                char e = body.charAt(i + 1);
                if (e >= '0' && e <= '7') {
                    return true;
                }
                i++;
            }
        }
        return false;
    }

    /** The bytes decoding written the plain way: each \x escape cut out and handed to Integer.parseInt. */
    private static byte[] reference(String s, boolean raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c != '\\' || raw || i + 1 >= n) {
                out.writeBytes(c < 0x100 ? new byte[] {(byte) c} : String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            char e = s.charAt(++i);
            String simple = "\n\\'\"abfnrtv";
            int k = simple.indexOf(e);
            if (k == 0) {
                continue;
            } else if (k > 0) {
                out.write(new byte[] {0, '\\', '\'', '"', 7, 8, 12, '\n', '\r', '\t', 11}[k]);
            } else if (e == 'x' && i + 2 < n && s.substring(i + 1, i + 3).chars()
                    .allMatch(ch -> Character.digit(ch, 16) >= 0)) {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else if (e >= '0' && e <= '7') {
                int end = i + 1;
                while (end < Math.min(n, i + 3) && s.charAt(end) >= '0' && s.charAt(end) <= '7') {
                    end++;
                }
                out.write(Integer.parseInt(s.substring(i, end), 8) & 0xff);
                i = end - 1;
            } else {
                out.write('\\');
                out.writeBytes(e < 0x100 ? new byte[] {(byte) e} : String.valueOf(e).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }
}
