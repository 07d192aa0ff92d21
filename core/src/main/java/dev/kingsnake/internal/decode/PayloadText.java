package dev.kingsnake.internal.decode;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** What a decoded payload looks like: Python source, printable text, or an encoded blob still. */
public final class PayloadText {
    private static final int SAMPLE_LINES = 60;
    private static final int MAX_PIECES = SAMPLE_LINES * 4;

    private PayloadText() {
    }

    /** The bytes as UTF-8 text, or null when they are not valid UTF-8 or contain control characters. */
    static String asText(byte[] b) {
        // Each ASCII control byte is one control character of the text if the bytes decode at all (an ASCII
        // byte is never part of a multi-byte sequence), and the text has at most as many characters as there
        // are bytes: too many such bytes reject the blob (compressed or marshalled data) before decoding it.
        int badBytes = 0;
        boolean ascii = true;
        for (byte x : b) {
            ascii &= x >= 0;
            if (x >= 0 && (x < 0x20 && x != '\n' && x != '\r' && x != '\t' && x != '\f' || x == 0x7f)
                    && ++badBytes * 50 > b.length) {
                return null;
            }
        }
        if (ascii) {
            // one character per byte, the control characters just counted: nothing left to decode or check
            return new String(b, StandardCharsets.ISO_8859_1);
        }
        // the String constructor decodes by the checked decoder's rules, each malformed sequence as U+FFFD: without
        // one the bytes were valid, and only a text holding U+FFFD is decoded again to tell
        String s = new String(b, StandardCharsets.UTF_8);
        if (s.indexOf('\uFFFD') >= 0) {
            CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            try {
                s = d.decode(ByteBuffer.wrap(b)).toString();
            } catch (CharacterCodingException e) {
                return null;
            }
        }
        int bad = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' || c == 0x7f) {
                bad++;
            }
        }
        return bad * 50 > s.length() ? null : s;
    }

    /** Printable text (valid UTF-8, almost no control characters). */
    public static boolean isPrintable(byte[] b) {
        return b.length > 0 && asText(b) != null;
    }

    /** Python source by the look of its lines: at least half of the first lines read like statements. */
    public static boolean looksLikePython(byte[] b) {
        String s = asText(b);
        if (s == null || s.isBlank()) {
            return false;
        }
        // Valid UTF-8 (asText said so) is one char per byte exactly when every byte is ASCII, and a line break is
        // one ASCII byte that is never inside a multi-byte sequence: the lines are read off the bytes (no charAt
        // per character in the batch JVM) and only the lines looked at are decoded, each as its own slice.
        boolean ascii = s.length() == b.length;
        int lines = 0;
        int python = 0;
        boolean inString = false;
        // the lines as s.split("\r\n|\r|\n", MAX_PIECES) gives them (the last piece holds the rest of the text),
        // read one by one without a regex: this runs for every key a key search tries
        int pieces = 0;
        for (int from = 0; from <= b.length; ) {
            int end = ++pieces == MAX_PIECES ? b.length : lineBreak(b, from);
            String t = new String(b, from, end - from, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8)
                    .strip();
            from = end < b.length && b[end] == '\r' && end + 1 < b.length && b[end + 1] == '\n' ? end + 2 : end + 1;
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
            if (t.endsWith(":") || t.startsWith(")") || t.startsWith("]") || t.startsWith("}")
                    || PythonLine.starts(t)) {
                python++;
            }
            if (lines >= SAMPLE_LINES) {
                break;
            }
        }
        return lines > 0 && python * 2 >= lines && python > 0;
    }

    /** The offset of the first '\r' or '\n' byte at or after {@code from}, or the length. */
    private static int lineBreak(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            byte c = b[i];
            if (c == '\n' || c == '\r') {
                return i;
            }
        }
        return b.length;
    }

    /**
     * True when the payload is still an encoded blob: (almost) nothing but base64/hex characters apart
     * from line breaks, or bytes that are neither text nor a known binary format (compressed or encrypted
     * data).
     */
    public static boolean looksEncoded(byte[] b) {
        String s = asText(b);
        if (s == null) {
            return !NativeFormats.isKnownBinary(b);
        }
        int alphabet = 0;
        int spaces = 0;
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\r') {
                continue;
            }
            n++;
            if (c == ' ' || c == '\t') {
                spaces++;
            } else if (c < 128 && (Character.isLetterOrDigit(c) || c == '+' || c == '/' || c == '=' || c == '-'
                    || c == '_')) {
                alphabet++;
            }
        }
        return n >= 64 && alphabet * 100 >= n * 98 && spaces * 100 < n;
    }
}
