package dev.kingsnake.internal.decode;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link PayloadText#looksLikePython} reads lines exactly as splitting on line breaks would. */
class PayloadTextTest {
    private static final Pattern PY_LINE = Pattern.compile(
            "^(?:(?:import|from|def|class|if|elif|else|for|while|try|except|finally|with|return|print|exec|eval|"
                    + "lambda|global|pass|raise|async|await|del|assert)\\b|@\\w|[A-Za-z_][\\w.]*(?:\\[[^\\]]*])?"
                    + "\\s*(?:=|\\+=|-=|\\()|[A-Za-z_]\\w*\\s*,\\s*[A-Za-z_]\\w*\\s*=|#|'''|\"\"\")");

    /** The reading by {@code String.split}, as the method was first written. */
    private static boolean bySplit(byte[] b) {
        String s = PayloadText.asText(b);
        if (s == null || s.isBlank()) {
            return false;
        }
        int lines = 0;
        int python = 0;
        boolean inString = false;
        for (String line : s.split("\r\n|\r|\n", 240)) {
            String t = line.strip();
            if (t.isEmpty()) {
                continue;
            }
            if (t.startsWith("\"\"\"") || t.startsWith("'''")) {
                inString = !inString || t.length() > 3 && (t.endsWith("\"\"\"") || t.endsWith("'''"));
                continue;
            }
            if (inString) {
                continue;
            }
            lines++;
            if (PY_LINE.matcher(t).find() || t.endsWith(":") || t.startsWith(")") || t.startsWith("]")
                    || t.startsWith("}")) {
                python++;
            }
            if (lines >= 60) {
                break;
            }
        }
        return lines > 0 && python * 2 >= lines && python > 0;
    }

    /** The bytes decoded as UTF-8 and checked for control characters, as the method was first written. */
    private static String decodedAndCounted(byte[] b) {
        String s;
        try {
            s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(b)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
        long bad = s.chars().filter(c -> c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' || c == 0x7f)
                .count();
        return bad * 50 > s.length() ? null : s;
    }

    @Provide
    Arbitrary<byte[]> blobs() {
        return Arbitraries.oneOf(
                Arbitraries.bytes().between((byte) 0, (byte) 0x7f).array(byte[].class).ofMaxSize(300),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(300),
                texts().map(t -> t.getBytes(StandardCharsets.UTF_8)),
                // a text that holds U+FFFD itself, and valid text with one malformed sequence (an encoded surrogate)
                texts().map(t -> (t + "\uFFFD" + t).getBytes(StandardCharsets.UTF_8)),
                texts().map(t -> {
                    byte[] v = t.getBytes(StandardCharsets.UTF_8);
                    byte[] out = java.util.Arrays.copyOf(v, v.length + 3);
                    out[v.length] = (byte) 0xED;
                    out[v.length + 1] = (byte) 0xA0;
                    out[v.length + 2] = (byte) 0x80;
                    return out;
                }));
    }

    @Property(tries = 3000)
    void asTextIsTheCheckedUtf8Decoding(@ForAll("blobs") byte[] b) {
        assertEquals(decodedAndCounted(b), PayloadText.asText(b));
    }

    @Provide
    Arbitrary<String> texts() {
        Arbitrary<String> piece = Arbitraries.of("import os", "x = 1", "def f():", "hello world", "  ", "\n", "\r",
                "\r\n", "'''", "\"\"\"doc\"\"\"", ")", "}", "# c", "a, b = c", "word", "print(1)", "\t", "é");
        return piece.list().ofMaxSize(400).map(l -> String.join("", l));
    }

    @Property(tries = 3000)
    void readsLinesAsSplitDoes(@ForAll("texts") String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        assertEquals(bySplit(b), PayloadText.looksLikePython(b), text);
    }

    @Provide
    Arbitrary<String> lines() {
        Arbitrary<String> piece = Arbitraries.of("import", "from", "def", "class", "if", "elif", "else", "for", "while",
                "try", "except", "finally", "with", "return", "print", "exec", "eval", "lambda", "global", "pass",
                "raise", "async", "await", "del", "assert", "ex", "el", "as", "x", "Ab_9", "_", "1", ".", "[", "]",
                " ", "\t", "\u000B", "\f", "=", "+", "-", "(", ")", ",", "@", "#", "'", "'''", "\"\"\"", "\"", ":",
                "é", "\u0663", "\u0301", "\u00A0", "\uD835\uDC00", "\u2028", "$", "a=", "b, c =", "x[0] =", "f(");
        return piece.list().ofMaxSize(8).map(l -> String.join("", l));
    }

    /** The hand-written reading of a line agrees with the regex it replaced, on any text. */
    @Property(tries = 20000)
    void pythonLineIsTheRegex(@ForAll("lines") String line) {
        assertEquals(PY_LINE.matcher(line).lookingAt(), PythonLine.starts(line), line);
        String t = line.strip();
        assertEquals(PY_LINE.matcher(t).lookingAt(), PythonLine.starts(t), t);
    }

    @Test
    void pythonLineKnownAnswers() {
        for (String yes : new String[] {"import os", "if(x)", "print", "x.y[1] += 2", "a , b= 1", "@dec", "# c",
            "'''", "with open(f) as g:", "f (1)", "del x"}) {
            assertTrue(PythonLine.starts(yes), yes);
        }
        for (String no : new String[] {"important stuff", "ifé", "if\u0663", "exec\u0301", "print\uD835\uDC00", "hello world", "x[1",
            "a, b", "@ x", "1 = 2", "= x", "x -", ""}) {
            assertFalse(PythonLine.starts(no), no);
            assertFalse(PY_LINE.matcher(no).lookingAt(), no);
        }
    }

    @Test
    void manyShortLinesReachTheRestPiece() {
        String many = "word\n".repeat(300) + "import os\n";
        assertEquals(bySplit(many.getBytes(StandardCharsets.UTF_8)),
                PayloadText.looksLikePython(many.getBytes(StandardCharsets.UTF_8)));
        String blanks = "\n".repeat(239) + "import os\nprint(1)\r\nx = 2";
        assertTrue(PayloadText.looksLikePython(blanks.getBytes(StandardCharsets.UTF_8)));
        assertFalse(PayloadText.looksLikePython(("\n".repeat(239) + "hello there\nimport os")
                .getBytes(StandardCharsets.UTF_8)));
    }
}
