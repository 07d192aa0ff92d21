package dev.kingsnake.spi.facts;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What base64/hex literals decode to, and which ones are left alone. */
class EncodedTextTest {

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void decodesReadableBase64AndHex() {
        assertEquals(Optional.of("http://203.0.113.7:5000/post"), EncodedText.decode(b64("http://203.0.113.7:5000/post")));
        assertEquals(Optional.of("~/.config/gcloud"), EncodedText.decode(b64("~/.config/gcloud")));
        String urlSafe = Base64.getUrlEncoder().encodeToString("curl -s https://x.example.invalid/?a=>>".getBytes(
                StandardCharsets.UTF_8));
        assertEquals(Optional.of("curl -s https://x.example.invalid/?a=>>"), EncodedText.decode(urlSafe));
        assertEquals(Optional.of("ioreg -k IOPlatformUUID"), EncodedText.decode("696f726567202d6b20494f506c6174666f726d55554944"));
    }

    @Test
    void leavesBinaryShortAndPlainLiteralsAlone() {
        assertTrue(EncodedText.decode("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08").isEmpty(),
                "a hash decodes to random bytes");
        assertTrue(EncodedText.decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJ").isEmpty(), "PNG bytes");
        assertTrue(EncodedText.decode("c2VjcmV0").isEmpty(), "too short to mean anything");
        assertTrue(EncodedText.decode("setup_requirements").isEmpty(), "an identifier is not base64 text");
        assertTrue(EncodedText.decode("aGVsbG8=d29ybGQ=").isEmpty(), "padding in the middle");
        assertTrue(EncodedText.decode(b64("\u0001\u0002binary\u0000data here")).isEmpty(), "control characters");
    }

    @Test
    void readsOnlyThePrefixOfLongBlobs() {
        byte[] header = {'M', 'Z', (byte) 0x90, 0, 3, 0, 0, 0};
        byte[] blob = new byte[3000];
        System.arraycopy(header, 0, blob, 0, header.length);
        String literal = Base64.getEncoder().encodeToString(blob);
        byte[] prefix = EncodedText.base64Prefix(literal, 8).orElseThrow();
        byte[] first = new byte[8];
        System.arraycopy(prefix, 0, first, 0, 8);
        assertArrayEquals(header, first);
        assertTrue(EncodedText.base64Prefix("not base64 at all!", 8).isEmpty());
    }
}
