package dev.kingsnake.internal.archive;

/**
 * What a run of bytes is, judged by content only (magic numbers and the tar header checksum), never by a
 * file name.
 */
enum Format {
    EMPTY("empty input"),
    ZIP("zip"),
    GZIP("gzip"),
    BZIP2("bzip2"),
    XZ("xz"),
    ZSTD("zstd"),
    TAR("tar"),
    TEXT("text"),
    BINARY("binary data");

    /** Bytes looked at: a whole tar header, and enough of a plain file to judge whether it is text. */
    static final int SNIFF_BYTES = 8192;

    private static final int TAR_HEADER = 512;
    private static final int TAR_CHECKSUM_OFFSET = 148;
    private static final int TAR_CHECKSUM_LENGTH = 8;
    private static final int TAR_MAGIC_OFFSET = 257;

    private final String label;

    Format(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    /** Whether this is a single compressed stream (whose content is judged again once decompressed). */
    boolean compressed() {
        return this == GZIP || this == BZIP2 || this == XZ;
    }

    /** Whether this is something the reader opens: an archive or a compressed stream. */
    boolean container() {
        return this == ZIP || this == TAR || compressed();
    }

    /** Judges the first {@code len} bytes of a file. */
    static Format sniff(byte[] b, int len) {
        Format magic = magic(b, len);
        if (magic != null) {
            return magic;
        }
        return looksLikeText(b, Math.min(len, SNIFF_BYTES)) ? TEXT : BINARY;
    }

    /** The archive or compression format announced by the first bytes, or null for anything else. */
    static Format magic(byte[] b, int len) {
        if (len == 0) {
            return EMPTY;
        }
        if (len >= 4 && b[0] == 'P' && b[1] == 'K' && (b[2] == 3 && b[3] == 4 || b[2] == 5 && b[3] == 6
                || b[2] == 7 && b[3] == 8)) {
            return ZIP;
        }
        if (len >= 3 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b && b[2] == 8) {
            return GZIP;
        }
        if (len >= 4 && b[0] == 'B' && b[1] == 'Z' && b[2] == 'h' && b[3] >= '1' && b[3] <= '9') {
            return BZIP2;
        }
        if (len >= 6 && (b[0] & 0xff) == 0xfd && b[1] == '7' && b[2] == 'z' && b[3] == 'X' && b[4] == 'Z'
                && b[5] == 0) {
            return XZ;
        }
        if (len >= 4 && (b[0] & 0xff) == 0x28 && (b[1] & 0xff) == 0xb5 && (b[2] & 0xff) == 0x2f
                && (b[3] & 0xff) == 0xfd) {
            return ZSTD;
        }
        if (isTarHeader(b, len)) {
            return TAR;
        }
        return null;
    }

    /** ustar/GNU magic at offset 257, or (pre-POSIX tar) a header whose checksum adds up. */
    static boolean isTarHeader(byte[] b, int len) {
        if (len < TAR_HEADER) {
            return false;
        }
        if (b[TAR_MAGIC_OFFSET] == 'u' && b[TAR_MAGIC_OFFSET + 1] == 's' && b[TAR_MAGIC_OFFSET + 2] == 't'
                && b[TAR_MAGIC_OFFSET + 3] == 'a' && b[TAR_MAGIC_OFFSET + 4] == 'r'
                && (b[TAR_MAGIC_OFFSET + 5] == 0 || b[TAR_MAGIC_OFFSET + 5] == ' ')) {
            return true;
        }
        long declared = 0;
        int digits = 0;
        for (int i = TAR_CHECKSUM_OFFSET; i < TAR_CHECKSUM_OFFSET + TAR_CHECKSUM_LENGTH; i++) {
            byte c = b[i];
            if (c >= '0' && c <= '7') {
                declared = declared * 8 + (c - '0');
                digits++;
            } else if (c == 0 || c == ' ') {
                if (digits > 0) {
                    break;
                }
            } else {
                return false;
            }
        }
        if (digits == 0 || b[0] == 0) {
            return false;
        }
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < TAR_HEADER; i++) {
            boolean inChecksum = i >= TAR_CHECKSUM_OFFSET && i < TAR_CHECKSUM_OFFSET + TAR_CHECKSUM_LENGTH;
            int v = inChecksum ? ' ' : b[i];
            unsigned += v & 0xff;
            signed += v;
        }
        return declared == unsigned || declared == signed;
    }

    /**
     * Source code and other text: no NUL byte and almost no other control characters. Random or binary data
     * has a NUL every 256 bytes on average.
     */
    static boolean looksLikeText(byte[] b, int len) {
        int control = 0;
        for (int i = 0; i < len; i++) {
            int c = b[i] & 0xff;
            if (c == 0) {
                return false;
            }
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x0b && c != 0x1b) {
                control++;
            }
        }
        return control * 100 <= len;
    }
}
