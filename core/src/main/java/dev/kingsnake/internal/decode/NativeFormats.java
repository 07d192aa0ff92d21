package dev.kingsnake.internal.decode;

/** Binary payloads worth handing to the rules even though they are not text. */
final class NativeFormats {
    private NativeFormats() {
    }

    /** PE, ELF, Mach-O, zip/jar/wheel, gzip, 7z. */
    static boolean isKnownBinary(byte[] b) {
        if (b.length < 4) {
            return false;
        }
        int m = (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | b[3] & 0xff;
        return b[0] == 'M' && b[1] == 'Z' || m == 0x7f454c46 || m == 0xfeedface || m == 0xfeedfacf
                || m == 0xcefaedfe || m == 0xcffaedfe || m == 0x504b0304 || (m >>> 16) == 0x1f8b
                || m == 0x377abcaf;
    }
}
