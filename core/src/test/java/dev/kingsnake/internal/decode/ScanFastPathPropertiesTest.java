package dev.kingsnake.internal.decode;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The table-driven alphabet checks and the control-byte shortcut agree with the plain definitions. */
class ScanFastPathPropertiesTest {

    @Provide
    Arbitrary<byte[]> blobs() {
        Arbitrary<byte[]> alphabetic = Arbitraries.strings()
                .withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef0123456789+/-_= \n\r\t\u000b\u000c")
                .ofMinLength(50).ofMaxLength(140).map(s -> s.getBytes(StandardCharsets.ISO_8859_1));
        Arbitrary<byte[]> mixed = Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(200)
                .map(s -> s.getBytes(StandardCharsets.ISO_8859_1));
        Arbitrary<byte[]> utf8 = Arbitraries.strings().ofMaxLength(120).map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> fewControls = Arbitraries.strings().withChars("print(x)\n\u0001\u0007\u007f\u00e9\u4e2d")
                .ofMaxLength(300).map(s -> s.getBytes(StandardCharsets.UTF_8));
        return Arbitraries.oneOf(alphabetic, mixed, utf8, fewControls, Arbitraries.bytes().array(byte[].class)
                .ofMaxSize(300));
    }

    @Property(tries = 5000)
    void alphabetChecksMatchTheirDefinitions(@ForAll("blobs") byte[] b) {
        assertEquals(referenceCount(b, "0123456789abcdefABCDEF", 2), BlindDecoder.isHex(b) ? 1 : 0);
        assertEquals(referenceCount(b, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567=", 8), BlindDecoder.isBase32(b) ? 1 : 0);
        assertEquals(referenceCount(b, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_=", 1),
                BlindDecoder.isBase64(b) ? 1 : 0);
    }

    /** 1 when every non-space byte is in the alphabet, there are at least 64 and their count is a multiple. */
    private static int referenceCount(byte[] b, String alphabet, int multiple) {
        int n = 0;
        for (byte x : b) {
            char c = (char) (x & 0xff);
            if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0x0b || c == 0x0c) {
                continue;
            }
            if (alphabet.indexOf(c) < 0) {
                return 0;
            }
            n++;
        }
        return n >= 64 && n % multiple == 0 ? 1 : 0;
    }

    @Property(tries = 5000)
    void textCheckMatchesDecodingFirst(@ForAll("blobs") byte[] b) {
        assertEquals(referenceAsText(b), PayloadText.asText(b));
    }

    /** The check as written before the shortcut: decode, then count control characters. */
    private static String referenceAsText(byte[] b) {
        String s;
        try {
            s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            return null;
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
}
