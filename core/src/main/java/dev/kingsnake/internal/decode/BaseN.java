package dev.kingsnake.internal.decode;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The decoders of Python's {@code base64}, {@code binascii} and {@code bytes.fromhex}, with Python's
 * alphabets. Lenient where malware authors are sloppy and Python is not (missing padding, stray
 * whitespace); never lenient about the alphabet itself except where Python discards characters.
 */
public final class BaseN {
    private static final String B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final String B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String B85 =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~";

    /** {@code B64.indexOf(c)} for every ASCII character c. */
    private static final byte[] B64_INDEX = new byte[128];

    static {
        Arrays.fill(B64_INDEX, (byte) -1);
        for (int i = 0; i < B64.length(); i++) {
            B64_INDEX[B64.charAt(i)] = (byte) i;
        }
    }

    private BaseN() {
    }

    /**
     * {@code base64.b64decode(s)} without {@code validate}: characters outside the alphabet are
     * discarded, decoding stops after the padding; missing padding is tolerated.
     */
    public static byte[] b64(byte[] in, OutputBound bound) throws DecodeException {
        return b64(in, (byte) '+', (byte) '/', bound);
    }

    /**
     * {@code base64.urlsafe_b64decode(s)}: {@code -} and {@code _} stand for {@code +} and {@code /}
     * (which stay valid, as Python translates the alternatives before decoding).
     */
    public static byte[] b64Urlsafe(byte[] in, OutputBound bound) throws DecodeException {
        return b64(in, (byte) '-', (byte) '_', bound);
    }

    /** {@code base64.b64decode(s, altchars)} with the two alternative characters given. */
    public static byte[] b64(byte[] in, byte plus, byte slash, OutputBound bound) throws DecodeException {
        bound.claim(in.length / 4 * 3 + 3L);
        byte[] table = plus == '+' && slash == '/' ? B64_STANDARD : plus == '-' && slash == '_' ? B64_URLSAFE
                : b64Table(plus, slash);
        byte[] out = new byte[in.length / 4 * 3 + 3];
        int size = 0;
        int acc = 0;
        int quad = 0;
        int pads = 0;
        int used = 0;
        for (byte b : in) {
            int v = table[b & 0xff];
            if (v < 0) {
                if (v == B64_PAD && quad >= 2 && quad + ++pads >= 4) {
                    break;
                }
                continue;
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

    /** In a {@link #b64Table}: the padding character. */
    private static final byte B64_PAD = -2;
    /** In a {@link #b64Table}: a character that is discarded. */
    private static final byte B64_SKIP = -1;
    private static final byte[] B64_STANDARD = b64Table((byte) '+', (byte) '/');
    private static final byte[] B64_URLSAFE = b64Table((byte) '-', (byte) '_');

    /**
     * What each byte (by its unsigned value) is to {@link #b64(byte[], byte, byte, OutputBound)}, decided in the
     * order the decoder once asked per byte: '=' pads; {@code plus} or '+' is 62; {@code slash} or '/' is 63; any
     * other byte its place in the alphabet below 62, else it is discarded.
     */
    static byte[] b64Table(byte plus, byte slash) {
        byte[] t = new byte[256];
        for (int u = 0; u < 256; u++) {
            byte b = (byte) u;
            if (b == '=') {
                t[u] = B64_PAD;
            } else if (b == plus || b == '+') {
                t[u] = 62;
            } else if (b == slash || b == '/') {
                t[u] = 63;
            } else {
                int v = b >= 0 ? B64_INDEX[b] : -1;
                t[u] = v < 0 || v >= 62 ? B64_SKIP : (byte) v;
            }
        }
        return t;
    }

    /** {@code base64.b32decode(s, casefold)}; whitespace is skipped, missing padding tolerated. */
    public static byte[] b32(byte[] in, boolean casefold, OutputBound bound) throws DecodeException {
        bound.claim(in.length / 8 * 5 + 5L);
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length / 8 * 5 + 5);
        long acc = 0;
        int bits = 0;
        for (byte b : in) {
            if (isSpace(b)) {
                continue;
            }
            if (b == '=') {
                break;
            }
            int c = casefold && b >= 'a' && b <= 'z' ? b - 32 : b;
            int v = B32.indexOf(c);
            if (v < 0) {
                throw DecodeException.invalid("non-base32 character");
            }
            acc = (acc << 5) | v;
            bits += 5;
            if (bits >= 8) {
                bits -= 8;
                out.write((int) (acc >> bits));
                acc &= (1L << bits) - 1;
            }
        }
        return out.toByteArray();
    }

    /** {@code base64.b16decode(s, casefold)}: upper-case hex unless {@code casefold}. */
    public static byte[] b16(byte[] in, boolean casefold, OutputBound bound) throws DecodeException {
        for (byte b : in) {
            if (!casefold && b >= 'a' && b <= 'f') {
                throw DecodeException.invalid("lower-case base16 without casefold");
            }
        }
        return hex(in, bound);
    }

    /**
     * {@code bytes.fromhex}, {@code binascii.unhexlify}, {@code codecs.decode(s, 'hex')}: pairs of hex
     * digits; whitespace between pairs is skipped (as fromhex does), a {@code 0x}/{@code \x} prefix is not.
     */
    public static byte[] hex(byte[] in, OutputBound bound) throws DecodeException {
        bound.claim(in.length / 2 + 1L);
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length / 2 + 1);
        int hi = -1;
        for (byte b : in) {
            if (isSpace(b)) {
                continue;
            }
            int v = Character.digit(b & 0xff, 16);
            if (v < 0 || b < 0) {
                throw DecodeException.invalid("non-hexadecimal character");
            }
            if (hi < 0) {
                hi = v;
            } else {
                out.write(hi << 4 | v);
                hi = -1;
            }
        }
        if (hi >= 0) {
            throw DecodeException.invalid("odd number of hex digits");
        }
        return out.toByteArray();
    }

    /** {@code base64.b85decode(s)}: groups of five characters, the last one padded with {@code ~}. */
    public static byte[] b85(byte[] in, OutputBound bound) throws DecodeException {
        bound.claim(in.length / 5 * 4 + 4L);
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length / 5 * 4 + 4);
        long acc = 0;
        int n = 0;
        for (byte b : in) {
            int v = b >= 0 ? B85.indexOf(b) : -1;
            if (v < 0) {
                throw DecodeException.invalid("non-base85 character");
            }
            acc = acc * 85 + v;
            if (++n == 5) {
                writeGroup(out, acc, 4);
                acc = 0;
                n = 0;
            }
        }
        if (n > 0) {
            int missing = 5 - n;
            for (int i = 0; i < missing; i++) {
                acc = acc * 85 + 84;
            }
            writeGroup(out, acc, 4 - missing);
        }
        return out.toByteArray();
    }

    /**
     * {@code base64.a85decode(s)}: characters {@code !}..{@code u}, {@code z} for four zero bytes,
     * whitespace ignored, optional Adobe {@code <~ ~>} framing.
     */
    public static byte[] a85(byte[] in, OutputBound bound) throws DecodeException {
        int start = 0;
        int end = in.length;
        if (end - start >= 4 && in[0] == '<' && in[1] == '~') {
            start = 2;
        }
        while (end > start && isSpace(in[end - 1])) {
            end--;
        }
        if (end - start >= 2 && in[end - 2] == '~' && in[end - 1] == '>') {
            end -= 2;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((end - start) / 5 * 4 + 4);
        long acc = 0;
        int n = 0;
        long total = 0;
        for (int i = start; i < end; i++) {
            byte b = in[i];
            if (isSpace(b)) {
                continue;
            }
            if (b == 'z' && n == 0) {
                writeGroup(out, 0, 4);
            } else if (b >= '!' && b <= 'u') {
                acc = acc * 85 + (b - '!');
                if (++n == 5) {
                    writeGroup(out, acc, 4);
                    acc = 0;
                    n = 0;
                }
            } else {
                throw DecodeException.invalid("non-ascii85 character");
            }
            if (out.size() - total >= 4096) {
                bound.claim(out.size() - total, out.size());
                total = out.size();
            }
        }
        if (n == 1) {
            throw DecodeException.invalid("ascii85 group of one character");
        }
        if (n > 0) {
            int missing = 5 - n;
            for (int i = 0; i < missing; i++) {
                acc = acc * 85 + 84;
            }
            writeGroup(out, acc, 4 - missing);
        }
        bound.claim(out.size() - total, out.size());
        return out.toByteArray();
    }

    private static void writeGroup(ByteArrayOutputStream out, long acc, int bytes) throws DecodeException {
        if (acc > 0xffffffffL) {
            throw DecodeException.invalid("base85 group overflows");
        }
        for (int i = 0; i < bytes; i++) {
            out.write((int) (acc >> (24 - 8 * i)));
        }
    }

    static boolean isSpace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t' || b == 0x0b || b == 0x0c;
    }
}
