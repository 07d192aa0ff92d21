package dev.kingsnake.internal.decode;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.zip.Deflater;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Decoding primitives against vectors produced once with CPython 3.11 ({@code base64}, {@code zlib},
 * {@code gzip.compress(mtime=0)}, {@code bz2}, {@code lzma}, {@code cryptography}) on our own harmless text.
 */
class PrimitivesTest {
    private static final String PLAIN = "print(\"hello from kingsnake test\")\n";
    private static final OutputBound BIG = OutputBound.of(1 << 20);

    private static byte[] a(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    @Test
    void base64Standard() throws Exception {
        assertEquals(PLAIN, s(BaseN.b64(a("cHJpbnQoImhlbGxvIGZyb20ga2luZ3NuYWtlIHRlc3QiKQo="), BIG)));
        // whitespace and missing padding, as sloppy payloads have them
        assertEquals(PLAIN, s(BaseN.b64(a("cHJpbnQoImhl bGxvIGZy\nb20ga2luZ3NuYWtlIHRlc3QiKQo"), BIG)));
        // Python stops at the padding
        assertEquals("ab", s(BaseN.b64(a("YWI=YWJj"), BIG)));
        // '-' and '_' are not in the standard alphabet and are discarded
        assertEquals("ab", s(BaseN.b64(a("YW-_I="), BIG)));
    }

    @Test
    void base64Urlsafe() throws Exception {
        byte[] out = BaseN.b64Urlsafe(a("-__-cHJpbnQoImhlbGxvIGZyb20ga2luZ3NuYWtlIHRlc3QiKQo="), BIG);
        assertArrayEquals(new byte[] {(byte) 0xfb, (byte) 0xff, (byte) 0xfe}, java.util.Arrays.copyOf(out, 3));
        assertEquals(PLAIN, s(out).substring(3));
        // '+' and '/' stay valid in urlsafe decoding
        assertArrayEquals(BaseN.b64(a("+//+"), BIG), BaseN.b64Urlsafe(a("-__-"), BIG));
    }

    @Test
    void base32And16() throws Exception {
        assertEquals(PLAIN, s(BaseN.b32(a("OBZGS3TUFARGQZLMNRXSAZTSN5WSA23JNZTXG3TBNNSSA5DFON2CEKIK"), false, BIG)));
        assertThrows(DecodeException.class, () -> BaseN.b32(a("obzgs3tu"), false, BIG));
        assertEquals("pri", s(BaseN.b32(a("obzgs==="), true, BIG)));
        String b16 = "7072696E74282268656C6C6F2066726F6D206B696E67736E616B65207465737422290A";
        assertEquals(PLAIN, s(BaseN.b16(a(b16), false, BIG)));
        assertThrows(DecodeException.class, () -> BaseN.b16(a(b16.toLowerCase()), false, BIG));
    }

    @Test
    void hexLikeFromhex() throws Exception {
        assertEquals(PLAIN, s(BaseN.hex(a("7072696e74282268656c6c6f2066726f6d206b696e67736e616b65207465737422290a"), BIG)));
        assertEquals("AB", s(BaseN.hex(a("41 42"), BIG)));
        assertThrows(DecodeException.class, () -> BaseN.hex(a("414"), BIG));
        assertThrows(DecodeException.class, () -> BaseN.hex(a("4g"), BIG));
    }

    @Test
    void base85AndAscii85() throws Exception {
        assertEquals(PLAIN, s(BaseN.b85(a("aB^vGbSNTdWo&G3AZBuJZ6IrDZfA3DVQXa|bY*jNA}I<"), BIG)));
        assertEquals("\0\0\0\0abc", s(BaseN.b85(a("00000VPaz"), BIG)));
        assertEquals(PLAIN, s(BaseN.a85(a("E,oZ1F=8>HASc1$+D,Y4D'3V.DJ+$.@;BEsFCfN8+t3j"), BIG)));
        assertEquals(PLAIN, s(BaseN.a85(a("<~E,oZ1F=8>HASc1$+D,Y4D'3V.DJ+$.@;BEsFCfN8+t3j~>"), BIG)));
        assertEquals("\0\0\0\0abc", s(BaseN.a85(a("z@:E^"), BIG)));
        assertThrows(DecodeException.class, () -> BaseN.b85(a("\"\"\""), BIG));
    }

    @Test
    void decompressors() throws Exception {
        assertEquals(PLAIN, s(Decompression.zlib(BaseN.b64(
                a("eJwrKMrMK9FQykjNyclXSCvKz1XIzsxLL85LzE5VKEktLlHS5AIA6mkMcA=="), BIG), 15, BIG)));
        byte[] gz = BaseN.b64(a("H4sIAAAAAAACAysoyswr0VDKSM3JyVdIK8rPVcjOzEsvzkvMTlUoSS0uUdLkAgB+k0nWIwAAAA=="), BIG);
        assertEquals(PLAIN, s(Decompression.gzip(gz, BIG)));
        assertEquals(PLAIN, s(Decompression.zlib(gz, 31, BIG)));
        assertEquals(PLAIN, s(Decompression.zlib(gz, 47, BIG)));
        assertEquals(PLAIN, s(Decompression.bz2(BaseN.b64(a("QlpoOTFBWSZTWfrnDVsAAA3RgAAQUGAj79wAIAAigyMmjEyFMJpoDTEB"
                + "lKSsTsoIAjHRP3JimNPMSZKnxdyRThQkPrnDVsA="), BIG), BIG)));
        assertEquals(PLAIN, s(Decompression.lzma(BaseN.b64(a("/Td6WFoAAATm1rRGAgAhARYAAAB0L+WjAQAicHJpbnQoImhlbGxvIGZyb20"
                + "ga2luZ3NuYWtlIHRlc3QiKQoAABD7szT8oefHAAE7I2ErU74ftvN9AQAAAAAEWVo="), BIG), BIG)));
        assertEquals(PLAIN, s(Decompression.lzma(BaseN.b64(a("XQAAgAD//////////wA4HIlWjAuZYDnCT56swUoTHQqHnaBGEu5ILJSKtT0J"
                + "OAdvRtY/rKn//8XxAAA="), BIG), BIG)));
        assertThrows(DecodeException.class, () -> Decompression.zlib(a("not compressed at all"), 15, BIG));
        assertThrows(DecodeException.class, () -> Decompression.bz2(a("not compressed at all"), BIG));
        assertThrows(DecodeException.class, () -> Decompression.lzma(a("not compressed at all"), BIG));
    }

    @Test
    void rawDeflateWithNegativeWbits() throws Exception {
        Deflater d = new Deflater(9, true);
        d.setInput(a(PLAIN));
        d.finish();
        byte[] buf = new byte[256];
        int n = d.deflate(buf);
        d.end();
        assertEquals(PLAIN, s(Decompression.zlib(java.util.Arrays.copyOf(buf, n), -15, BIG)));
    }

    @Test
    void zlibBombStopsAtTheLayerBound() {
        byte[] bomb = deflate(new byte[50 * 1024 * 1024]);
        assertTrue(bomb.length < 100_000);
        DecodeException e = assertThrows(DecodeException.class,
                () -> Decompression.zlib(bomb, 15, OutputBound.of(1024 * 1024)));
        assertTrue(e.isLimit());
    }

    @Test
    void packageBudgetIsSharedAndStopsDecoding() throws Exception {
        DecodeBudget budget = new DecodeBudget(100_000);
        OutputBound bound = new OutputBound(1 << 20, budget);
        byte[] z = deflate(new byte[60_000]);
        assertEquals(60_000, Decompression.zlib(z, 15, bound).length);
        DecodeException e = assertThrows(DecodeException.class, () -> Decompression.zlib(z, 15, bound));
        assertTrue(e.isLimit());
        assertTrue(budget.remaining() <= 100_000 - 60_000);
    }

    @Test
    void rot13ReverseTranslate() throws Exception {
        assertEquals("cevag('uv')", TextTransforms.rot13("print('hi')"));
        assertEquals(")(tnirp", s(TextTransforms.reverse(a("print()"))));
        assertEquals("b-d", TextTransforms.translate("a-c!", TextTransforms.maketrans("ac", "bd", "!")));
    }

    @Test
    void fernetWithTheKeyFromTheSameFile() throws Exception {
        byte[] key = a("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
        byte[] token = a("gAAAAABlU_EAZGVmZ2hpamtsbW5vcHFycyX2tfaU3LLgmuy64PMUN0_0ed6BkHQbLBa_TGHI4xuVGkCw1vowe2uGZiJp"
                + "PrrSLFFoiROI5yzkNqrJTWSuocIlhEYM1o_VGWWtSnlcwTrz");
        assertEquals(PLAIN, s(Ciphers.fernet(key, token, BIG)));
        byte[] otherKey = a("AQECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
        assertThrows(DecodeException.class, () -> Ciphers.fernet(otherKey, token, BIG));
    }

    @Test
    void aesModes() throws Exception {
        HexFormat h = HexFormat.of();
        byte[] key = new byte[16];
        byte[] iv = new byte[16];
        for (int i = 0; i < 16; i++) {
            key[i] = (byte) i;
            iv[i] = (byte) (16 + i);
        }
        byte[] cbc = h.parseHex("81700b90a35fa4646c0d796b1aa2a068b208803f254fdd540acf3c4b1eee8759a44d161038ab1ede"
                + "725c760242baff95");
        assertEquals(PLAIN, s(Ciphers.unpad(Ciphers.aes(key, Ciphers.AesMode.CBC, iv, cbc, BIG), 16)));
        byte[] ecb = h.parseHex("414f478395a7655ea2732b52053bd8100cff59ac94f20527358a1351c55d951455c12588fa705441"
                + "150297fc631d619e");
        assertEquals(PLAIN, s(Ciphers.unpad(Ciphers.aes(key, Ciphers.AesMode.ECB, new byte[0], ecb, BIG), 16)));
        byte[] ctr = h.parseHex("edb0ea59a2fb96d65d61bb42ae3ab3ca7d39ace8ee32233fb8e1c49f7958dd273e3d98");
        assertEquals(PLAIN, s(Ciphers.aes(key, Ciphers.AesMode.CTR, java.util.Arrays.copyOf(key, 8), ctr, BIG)));
        byte[] gcm = h.parseHex("e31ecea01233d53c2ebe0de516c50267de06718f3d8a8e98874a940d6021d118a78dd1");
        assertEquals(PLAIN, s(Ciphers.aes(key, Ciphers.AesMode.GCM, java.util.Arrays.copyOf(key, 12), gcm, BIG)));
        assertThrows(DecodeException.class, () -> Ciphers.aes(new byte[5], Ciphers.AesMode.ECB, iv, ecb, BIG));
    }

    static byte[] deflate(byte[] in) {
        Deflater d = new Deflater(9);
        d.setInput(in);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.toByteArray();
    }
}
