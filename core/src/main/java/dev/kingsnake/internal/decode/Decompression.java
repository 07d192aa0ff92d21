package dev.kingsnake.internal.decode;

import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.tukaani.xz.LZMAInputStream;
import org.tukaani.xz.XZInputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.DataFormatException;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;

/**
 * zlib, gzip, bz2 and lzma/xz decompression of in-memory payloads, bounded by bytes actually produced
 * (a bomb inside a string literal stops at the bound, it is never fully inflated).
 */
public final class Decompression {
    private static final int CHUNK = 64 * 1024;
    /** Memory the xz/lzma decoders may allocate for their dictionary, in KiB. */
    private static final int LZMA_MEMORY_KIB = 64 * 1024;

    private Decompression() {
    }

    /**
     * {@code zlib.decompress(data, wbits)}: {@code wbits} 9..15 zlib header, negative raw deflate,
     * 25..31 gzip, 40..47 automatic; 0 means the window from the header. Anything else is treated as
     * automatic.
     */
    public static byte[] zlib(byte[] data, int wbits, OutputBound bound) throws DecodeException {
        if (wbits >= 25 && wbits <= 31) {
            return gzip(data, bound);
        }
        boolean gzipMagic = data.length > 2 && (data[0] & 0xff) == 0x1f && (data[1] & 0xff) == 0x8b;
        if (wbits >= 40 && gzipMagic) {
            return gzip(data, bound);
        }
        return inflate(data, wbits < 0, bound);
    }

    private static byte[] inflate(byte[] data, boolean raw, OutputBound bound) throws DecodeException {
        Inflater inf = new Inflater(raw);
        try {
            inf.setInput(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(data.length * 4, CHUNK));
            byte[] buf = new byte[CHUNK];
            while (!inf.finished()) {
                int n = inf.inflate(buf);
                if (n == 0) {
                    if (inf.needsInput() || inf.needsDictionary()) {
                        if (out.size() == 0) {
                            throw DecodeException.invalid("truncated zlib stream");
                        }
                        break;
                    }
                    continue;
                }
                bound.claim(n, (long) out.size() + n);
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw DecodeException.invalid("not zlib data: " + e.getMessage());
        } finally {
            inf.end();
        }
    }

    /** {@code gzip.decompress(data)}. */
    public static byte[] gzip(byte[] data, OutputBound bound) throws DecodeException {
        try {
            return drain(new GZIPInputStream(new ByteArrayInputStream(data)), bound, "gzip");
        } catch (IOException e) {
            throw DecodeException.invalid("not gzip data: " + e.getMessage());
        }
    }

    /** {@code bz2.decompress(data)}. */
    public static byte[] bz2(byte[] data, OutputBound bound) throws DecodeException {
        try {
            return drain(new BZip2CompressorInputStream(new ByteArrayInputStream(data), true), bound, "bz2");
        } catch (IOException e) {
            throw DecodeException.invalid("not bz2 data: " + e.getMessage());
        }
    }

    /** {@code lzma.decompress(data)} with the default automatic format: .xz or legacy LZMA-alone. */
    public static byte[] lzma(byte[] data, OutputBound bound) throws DecodeException {
        try {
            boolean xz = data.length > 6 && (data[0] & 0xff) == 0xfd && data[1] == '7' && data[2] == 'z'
                    && data[3] == 'X' && data[4] == 'Z';
            InputStream in = xz ? new XZInputStream(new ByteArrayInputStream(data), LZMA_MEMORY_KIB)
                    : new LZMAInputStream(new ByteArrayInputStream(data), LZMA_MEMORY_KIB);
            return drain(in, bound, "lzma");
        } catch (IOException | RuntimeException e) {
            throw DecodeException.invalid("not lzma data: " + e.getMessage());
        }
    }

    private static byte[] drain(InputStream in, OutputBound bound, String what) throws DecodeException, IOException {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(CHUNK);
            byte[] buf = new byte[CHUNK];
            int n;
            try {
                while ((n = in.read(buf)) > 0) {
                    bound.claim(n, (long) out.size() + n);
                    out.write(buf, 0, n);
                }
            } catch (IOException e) {
                if (out.size() == 0) {
                    throw e;
                }
                // A truncated stream still yields what it produced, as Python's decompressobj would.
            }
            if (out.size() == 0) {
                throw DecodeException.invalid("empty " + what + " output");
            }
            return out.toByteArray();
        }
    }
}
