package dev.kingsnake.internal.archive;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.UnixStat;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** Builds archives in memory for tests: no binary fixtures. */
public final class TestArchives {
    private TestArchives() {
    }

    /** One archive member. */
    public record Member(String name, byte[] content, int mode, Type type, String linkTarget) {
        public enum Type { FILE, DIR, SYMLINK, HARDLINK }

        public static Member file(String name, String text) {
            return new Member(name, text.getBytes(StandardCharsets.UTF_8), 0644, Type.FILE, null);
        }

        public static Member file(String name, byte[] content) {
            return new Member(name, content, 0644, Type.FILE, null);
        }

        public static Member executable(String name, String text) {
            return new Member(name, text.getBytes(StandardCharsets.UTF_8), 0755, Type.FILE, null);
        }

        public static Member dir(String name) {
            return new Member(name, new byte[0], 0755, Type.DIR, null);
        }

        public static Member symlink(String name, String target) {
            return new Member(name, new byte[0], 0777, Type.SYMLINK, target);
        }

        public static Member hardlink(String name, String target) {
            return new Member(name, new byte[0], 0644, Type.HARDLINK, target);
        }
    }

    public static byte[] tar(List<Member> members) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Member m : members) {
                TarArchiveEntry e = switch (m.type()) {
                    case FILE -> new TarArchiveEntry(m.name(), true);
                    case DIR -> new TarArchiveEntry(m.name().endsWith("/") ? m.name() : m.name() + "/", true);
                    case SYMLINK -> new TarArchiveEntry(m.name(), TarConstants.LF_SYMLINK, true);
                    case HARDLINK -> new TarArchiveEntry(m.name(), TarConstants.LF_LINK, true);
                };
                if (m.linkTarget() != null) {
                    e.setLinkName(m.linkTarget());
                }
                e.setMode((m.type() == Member.Type.DIR ? TarArchiveEntry.DEFAULT_DIR_MODE & ~0777
                        : m.type() == Member.Type.SYMLINK ? 0120000 : 0100000) | m.mode());
                e.setSize(m.type() == Member.Type.FILE ? m.content().length : 0);
                out.putArchiveEntry(e);
                if (m.type() == Member.Type.FILE) {
                    out.write(m.content());
                }
                out.closeArchiveEntry();
            }
            out.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static byte[] zip(List<Member> members) {
        return zip(members, ZipArchiveEntry.DEFLATED);
    }

    public static byte[] zip(List<Member> members, int method) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(bytes)) {
            for (Member m : members) {
                String name = m.type() == Member.Type.DIR && !m.name().endsWith("/") ? m.name() + "/" : m.name();
                ZipArchiveEntry e = new ZipArchiveEntry(name);
                byte[] content = m.type() == Member.Type.SYMLINK
                        ? m.linkTarget().getBytes(StandardCharsets.UTF_8) : m.content();
                int type = m.type() == Member.Type.SYMLINK ? UnixStat.LINK_FLAG
                        : m.type() == Member.Type.DIR ? UnixStat.DIR_FLAG : UnixStat.FILE_FLAG;
                e.setUnixMode(type | m.mode());
                e.setMethod(method);
                if (method == ZipArchiveEntry.STORED) {
                    CRC32 crc = new CRC32();
                    crc.update(content);
                    e.setSize(content.length);
                    e.setCrc(crc.getValue());
                }
                out.putArchiveEntry(e);
                out.write(content);
                out.closeArchiveEntry();
            }
            out.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static byte[] gzip(byte[] data) {
        return compress(data, GzipCompressorOutputStream::new);
    }

    public static byte[] bzip2(byte[] data) {
        return compress(data, BZip2CompressorOutputStream::new);
    }

    public static byte[] xz(byte[] data) {
        return compress(data, out -> new XZCompressorOutputStream(out, 1));
    }

    private interface Compressor {
        OutputStream open(OutputStream out) throws IOException;
    }

    private static byte[] compress(byte[] data, Compressor c) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = c.open(bytes)) {
            out.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Raw deflate (no zlib header) of {@code n} zero bytes, as a zip entry stores it. */
    public static byte[] deflatedZeros(int n) {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        d.setInput(new byte[n]);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        while (!d.finished()) {
            int k = d.deflate(buf);
            out.write(buf, 0, k);
        }
        d.end();
        return out.toByteArray();
    }

    public static long crcOfZeros(int n) {
        CRC32 crc = new CRC32();
        crc.update(new byte[n]);
        return crc.getValue();
    }

    /** Sets the "encrypted" flag of every entry, in local and central headers. */
    public static byte[] markEncrypted(byte[] zip) {
        byte[] out = zip.clone();
        for (int i = 0; i + 4 <= out.length; i++) {
            if (out[i] == 'P' && out[i + 1] == 'K' && out[i + 2] == 3 && out[i + 3] == 4) {
                out[i + 6] |= 1;
            } else if (out[i] == 'P' && out[i + 1] == 'K' && out[i + 2] == 1 && out[i + 3] == 2) {
                out[i + 8] |= 1;
            }
        }
        return out;
    }

    public static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
    /**
     * A zip whose central directory lists {@code count} entries that all point at one local header and one
     * deflate kernel of {@code kernelZeros} zero bytes: the simplest overlapping-entry (non-recursive) bomb.
     */
    public static byte[] overlappingBomb(int count, int kernelZeros) {
        byte[] kernel = deflatedZeros(kernelZeros);
        long crc = crcOfZeros(kernelZeros);
        byte[] firstName = utf8(String.format("bomb/%05d.bin", 0));
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(64 + kernel.length + count * 80 + 64)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x04034b50).putShort((short) 20).putShort((short) 0).putShort((short) 8).putInt(0)
                .putInt((int) crc).putInt(kernel.length).putInt(kernelZeros)
                .putShort((short) firstName.length).putShort((short) 0).put(firstName).put(kernel);
        int cdStart = b.position();
        for (int i = 0; i < count; i++) {
            byte[] name = utf8(String.format("bomb/%05d.bin", i));
            b.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) 0).putShort((short) 8)
                    .putInt(0).putInt((int) crc).putInt(kernel.length).putInt(kernelZeros)
                    .putShort((short) name.length).putShort((short) 0).putShort((short) 0).putShort((short) 0)
                    .putShort((short) 0).putInt(0).putInt(0).put(name);
        }
        int cdSize = b.position() - cdStart;
        b.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) count)
                .putShort((short) count).putInt(cdSize).putInt(cdStart).putShort((short) 0);
        return Arrays.copyOf(b.array(), b.position());
    }

    /**
     * A GNU tar holding one old-style sparse entry that declares {@code realSize} bytes (a hole, then 512
     * real bytes at the end), followed by an ordinary file.
     */
    public static byte[] sparseTar(long realSize, String after, String afterContent) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] h = new byte[512];
        putString(h, 0, "huge.sparse");
        putString(h, 100, "0000644");
        putString(h, 108, "0000000");
        putString(h, 116, "0000000");
        putString(h, 124, "00000001000");
        putString(h, 136, "00000000000");
        h[156] = 'S';
        putString(h, 257, "ustar  ");
        putString(h, 386, String.format("%012o", realSize - 512));
        putString(h, 398, "00000001000");
        putString(h, 483, String.format("%012o", realSize));
        checksum(h);
        out.writeBytes(h);
        byte[] data = new byte[512];
        Arrays.fill(data, (byte) 'x');
        out.writeBytes(data);
        byte[] rest = tar(List.of(Member.file(after, afterContent)));
        out.writeBytes(rest);
        return out.toByteArray();
    }

    /** A ustar header declaring a {@code declared}-byte file, followed by only {@code present} bytes. */
    public static byte[] fakeSizeTar(long declared, int present) {
        byte[] h = new byte[512];
        putString(h, 0, "fake.bin");
        putString(h, 100, "0000644");
        putString(h, 108, "0000000");
        putString(h, 116, "0000000");
        putBinary(h, 124, declared);
        putString(h, 136, "00000000000");
        h[156] = '0';
        putString(h, 257, "ustar");
        h[263] = '0';
        h[264] = '0';
        checksum(h);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(h);
        out.writeBytes(new byte[present]);
        return out.toByteArray();
    }

    private static void putString(byte[] h, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, at, b.length);
    }

    /** GNU base-256 number in a 12-byte field. */
    private static void putBinary(byte[] h, int at, long v) {
        h[at] = (byte) 0x80;
        for (int i = 0; i < 8; i++) {
            h[at + 11 - i] = (byte) (v >>> (8 * i));
        }
    }

    private static void checksum(byte[] h) {
        Arrays.fill(h, 148, 156, (byte) ' ');
        int sum = 0;
        for (byte x : h) {
            sum += x & 0xff;
        }
        putString(h, 148, String.format("%06o", sum));
        h[154] = 0;
        h[155] = ' ';
    }
    /**
     * Raw deflate of {@code mib} MiB of zeros, built by repeating one flushed block: a bomb costs the test
     * nothing to make.
     */
    public static byte[] deflatedZerosMiB(int mib) {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        d.setInput(new byte[1 << 20]);
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        int k;
        while ((k = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH)) > 0) {
            block.write(buf, 0, k);
        }
        d.end();
        byte[] one = block.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream(one.length * mib + 2);
        for (int i = 0; i < mib; i++) {
            out.writeBytes(one);
        }
        out.write(3);
        out.write(0);
        return out.toByteArray();
    }

    public static long crcOfZerosMiB(int mib) {
        CRC32 crc = new CRC32();
        byte[] zeros = new byte[1 << 20];
        for (int i = 0; i < mib; i++) {
            crc.update(zeros);
        }
        return crc.getValue();
    }

    /** An entry for {@link #rawZip}: data already compressed with {@code method} (0 stored, 8 deflated). */
    public record RawEntry(String name, int method, long crc, byte[] data, long size) {
        public static RawEntry zeros(String name, int mib) {
            return new RawEntry(name, 8, crcOfZerosMiB(mib), deflatedZerosMiB(mib), (long) mib << 20);
        }

        public static RawEntry stored(String name, byte[] content) {
            CRC32 crc = new CRC32();
            crc.update(content);
            return new RawEntry(name, 0, crc.getValue(), content, content.length);
        }
    }

    /** A plain zip written byte by byte: fast for huge entry counts and for bombs. */
    public static byte[] rawZip(List<RawEntry> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream central = new ByteArrayOutputStream();
        for (RawEntry e : entries) {
            byte[] name = utf8(e.name());
            int offset = out.size();
            java.nio.ByteBuffer h = le(30 + name.length).putInt(0x04034b50).putShort((short) 20).putShort((short) 0)
                    .putShort((short) e.method()).putInt(0).putInt((int) e.crc()).putInt(e.data().length)
                    .putInt((int) e.size()).putShort((short) name.length).putShort((short) 0).put(name);
            out.writeBytes(h.array());
            out.writeBytes(e.data());
            java.nio.ByteBuffer c = le(46 + name.length).putInt(0x02014b50).putShort((short) (3 << 8 | 20))
                    .putShort((short) 20).putShort((short) 0).putShort((short) e.method()).putInt(0)
                    .putInt((int) e.crc()).putInt(e.data().length).putInt((int) e.size())
                    .putShort((short) name.length).putShort((short) 0).putShort((short) 0).putShort((short) 0)
                    .putShort((short) 0).putInt(0100644 << 16).putInt(offset).put(name);
            central.writeBytes(c.array());
        }
        int cdStart = out.size();
        out.writeBytes(central.toByteArray());
        int count = Math.min(entries.size(), 0xffff);
        out.writeBytes(le(22).putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) count)
                .putShort((short) count).putInt(central.size()).putInt(cdStart).putShort((short) 0).array());
        return out.toByteArray();
    }

    private static java.nio.ByteBuffer le(int size) {
        return java.nio.ByteBuffer.allocate(size).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    }
}
