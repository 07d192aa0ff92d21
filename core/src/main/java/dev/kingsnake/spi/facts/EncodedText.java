package dev.kingsnake.spi.facts;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Literals that hide their text behind base64 or hex: what such a literal decodes to, when that is readable
 * text. Decoding is pure Java on the literal's characters; nothing of the package runs.
 */
public final class EncodedText {
    private EncodedText() {
    }

    /** Shortest encoded literal considered: shorter ones decode to a few bytes that mean nothing. */
    static final int MIN_ENCODED = 12;
    /** Longest decoded text kept (the indicator patterns stop at {@link CallFacts#MAX_MATCHED_STRING} anyway). */
    static final int MAX_ENCODED = 4 * CallFacts.MAX_MATCHED_STRING / 3;

    /** The readable text a base64 (standard or URL-safe) or hex literal decodes to. */
    public static Optional<String> decode(String literal) {
        String s = literal.strip();
        if (s.length() < MIN_ENCODED || s.length() > MAX_ENCODED) {
            return Optional.empty();
        }
        byte[] raw = isHex(s) ? hex(s) : base64(s);
        if (raw == null) {
            return Optional.empty();
        }
        String text = utf8(raw);
        return text != null && readable(text) ? Optional.of(text) : Optional.empty();
    }

    /**
     * The first bytes of a long base64 literal (enough for a file-format magic number), without decoding
     * the rest. Empty when the literal is not base64.
     */
    public static Optional<byte[]> base64Prefix(String literal, int bytes) {
        String s = literal.strip();
        int chars = (bytes + 2) / 3 * 4;
        if (s.length() < chars) {
            return Optional.empty();
        }
        byte[] b = base64(s.substring(0, chars));
        return Optional.ofNullable(b);
    }

    private static boolean isHex(String s) {
        if (s.length() % 2 != 0) {
            return false;
        }
        boolean letter = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean digit = c >= '0' && c <= '9';
            boolean hexLetter = c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
            if (!digit && !hexLetter) {
                return false;
            }
            letter |= hexLetter;
        }
        return letter;
    }

    private static byte[] hex(String s) {
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    private static byte[] base64(String s) {
        boolean urlSafe = false;
        int pad = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '=') {
                pad++;
                continue;
            }
            if (pad > 0) {
                return null; // padding only at the end
            }
            if (c == '-' || c == '_') {
                urlSafe = true;
            } else if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/')) {
                return null;
            }
        }
        if (pad > 2 || (s.length() % 4 != 0 && pad > 0) || s.length() % 4 == 1) {
            return null;
        }
        try {
            return (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String utf8(byte[] b) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Printable text with letters: random bytes almost never pass. */
    private static boolean readable(String t) {
        if (t.length() < 6) {
            return false;
        }
        int letters = 0;
        int digits = 0;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' || c == 0x7f || c >= 0x80 && c < 0xa0) {
                return false;
            }
            if (Character.isLetter(c)) {
                letters++;
            } else if (Character.isDigit(c)) {
                digits++;
            }
        }
        return letters > 0 && (letters + digits) * 2 >= t.length();
    }
}
