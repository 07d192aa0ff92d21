package dev.kingsnake.internal.decode;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link BaseN#b64} reads each byte through a table: it decodes as the chain of tests per byte it replaced. */
class BaseNPropertyTest {
    private static final String B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /** The decoder as first written: one chain of tests per byte. */
    private static byte[] plain(byte[] in, byte plus, byte slash) throws DecodeException {
        byte[] out = new byte[in.length / 4 * 3 + 3];
        int size = 0;
        int acc = 0;
        int quad = 0;
        int pads = 0;
        int used = 0;
        for (byte b : in) {
            int v;
            if (b == '=') {
                if (quad >= 2 && quad + ++pads >= 4) {
                    break;
                }
                continue;
            } else if (b == plus || b == '+') {
                v = 62;
            } else if (b == slash || b == '/') {
                v = 63;
            } else {
                v = b >= 0 ? B64.indexOf(b) : -1;
                if (v < 0 || v >= 62) {
                    continue;
                }
            }
            used++;
            acc = (acc << 6) | v;
            quad++;
            if (quad == 4) {
                out[size++] = (byte) (acc >> 16);
                out[size++] = (byte) (acc >> 8);
                out[size++] = (byte) acc;
                acc = 0;
                quad = 0;
            }
        }
        if (quad == 2) {
            out[size++] = (byte) (acc >> 4);
        } else if (quad == 3) {
            out[size++] = (byte) (acc >> 10);
            out[size++] = (byte) (acc >> 2);
        }
        if (used == 0 && in.length > 0) {
            throw DecodeException.invalid("no base64 characters");
        }
        return Arrays.copyOf(out, size);
    }

    @Provide
    Arbitrary<byte[]> blobs() {
        Arbitrary<Byte> likely = Arbitraries.of((byte) 'A', (byte) 'z', (byte) '0', (byte) '9', (byte) '+',
                (byte) '/', (byte) '-', (byte) '_', (byte) '=', (byte) '\n', (byte) ' ', (byte) '.', (byte) 0x80,
                (byte) 0xff, (byte) '*', (byte) '~');
        return Arbitraries.oneOf(likely, Arbitraries.bytes()).array(byte[].class).ofMaxSize(64);
    }

    @Provide
    Arbitrary<Byte> alt() {
        return Arbitraries.oneOf(Arbitraries.of((byte) '+', (byte) '/', (byte) '-', (byte) '_', (byte) '=',
                (byte) 'A', (byte) '.', (byte) '*', (byte) 0x80), Arbitraries.bytes());
    }

    @Property(tries = 20000)
    void tableDecodesAsTheTests(@ForAll("blobs") byte[] in, @ForAll("alt") byte plus, @ForAll("alt") byte slash) {
        for (byte[] alts : new byte[][] {{plus, slash}, {'+', '/'}, {'-', '_'}}) {
            String expected;
            try {
                expected = Arrays.toString(plain(in, alts[0], alts[1]));
            } catch (DecodeException e) {
                expected = "invalid";
            }
            String actual;
            try {
                actual = Arrays.toString(BaseN.b64(in, alts[0], alts[1], OutputBound.of(1 << 20)));
            } catch (DecodeException e) {
                actual = "invalid";
            }
            assertEquals(expected, actual, Arrays.toString(in) + " " + alts[0] + " " + alts[1]);
        }
    }

    @Property(tries = 200)
    void urlsafeIsTheMinusUnderscoreTable(@ForAll("blobs") byte[] in) throws DecodeException {
        if (in.length > 0 && plainOk(in)) {
            assertArrayEquals(plain(in, (byte) '-', (byte) '_'), BaseN.b64Urlsafe(in, OutputBound.of(1 << 20)));
        }
    }

    private static boolean plainOk(byte[] in) {
        try {
            plain(in, (byte) '-', (byte) '_');
            return true;
        } catch (DecodeException e) {
            return false;
        }
    }
}
