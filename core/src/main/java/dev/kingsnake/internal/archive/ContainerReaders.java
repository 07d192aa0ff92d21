package dev.kingsnake.internal.archive;

import dev.kingsnake.DiagnosticCode;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.archivers.zip.ZipMethod;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.utils.InputStreamStatistics;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.io.InputStream;
import java.io.EOFException;
import java.util.zip.Inflater;
import java.util.zip.DataFormatException;
import java.util.zip.ZipException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Reads tar, zip and compressed streams into an {@link Unpacking}. Every reader returns whether its
 * container was read without damage; damage and limits are recorded as diagnostics, never thrown.
 */
final class ContainerReaders {
    /** xz streams may not demand more memory than this to decompress ({@code xz -9} needs 65 MiB). */
    private static final int XZ_MEMORY_LIMIT_KIB = 66 * 1024;
    /** A zip central directory record is at least this long; bounds how many entries a zip can list. */
    private static final int MIN_CENTRAL_RECORD = 46;
    private static final int LOCAL_HEADER = 30;
    private static final int END_RECORD = 22;
    private static final int MAX_COMMENT = 0xffff;
    /** Deflate cannot expand more than about 1032:1; a larger declared size is not trusted for sizing. */
    private static final long DEFLATE_MAX_RATIO = 1100;
    private static final int AES_METHOD = 99;
    private static final int UNIX_EXECUTABLE = 0111;
    /** Compressed bytes given to the inflater at a time (see {@link #entryData}). */
    private static final int INFLATE_INPUT = 64 * 1024;
    /** Deflated entries of a top-level zip declared bigger than this are read ahead on a second thread. */
    static final long DEFER_ABOVE = 16L << 20;

    private final Unpacking session;
    /** The inflater of the deflated zip entries, reused from one entry to the next (see {@link #entryData}). */
    private Inflated inflated;

    ContainerReaders(Unpacking session) {
        this.session = session;
    }

    /** Opens a nested archive found in an entry; its entries are prefixed with {@code path + "!/"}. */
    void openNested(byte[] bytes, Format format, String path, int depth) {
        String prefix = path + "!/";
        switch (format) {
            case ZIP -> readZip(bytes, prefix, depth);
            case TAR -> {
                CountingInputStream raw = new CountingInputStream(new ByteArrayInputStream(bytes));
                readTar(raw, () -> Expansion.since(raw::count), true, prefix, depth, "tar");
            }
            case GZIP, BZIP2, XZ -> readCompressed(new ByteArrayInputStream(bytes), format,
                    Unpacking.lastSegment(path), prefix, depth);
            default -> {
                // not a container
            }
        }
    }

    private static String containerFile(String prefix) {
        return prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 2);
    }

    // ------------------------------------------------------------------ compressed streams

    /** What a compressed stream held, and whether it was read without damage. */
    record Decompressed(Format inner, boolean clean) {
    }

    /**
     * Decompresses a gzip/bzip2/xz stream and reads what it holds: a tar is read as a stream; anything else
     * (a zip, text, another compressed stream, data) becomes one entry named after the stream without its
     * suffix, which is opened in turn if it is an archive.
     *
     * @return what the stream held (null if it could not be decompressed at all) and whether it was clean
     */
    Decompressed readCompressed(InputStream in, Format format, String name, String prefix, int depth) {
        String where = containerFile(prefix);
        CountingInputStream raw = new CountingInputStream(in);
        Format inner = null;
        try {
            InputStream decoder = switch (format) {
                case GZIP -> new GzipCompressorInputStream(raw, true);
                case BZIP2 -> new BZip2CompressorInputStream(raw, true);
                case XZ -> new XZCompressorInputStream(raw, true, XZ_MEMORY_LIMIT_KIB);
                default -> throw new IllegalArgumentException("not a compressed format: " + format);
            };
            DecompressedStream out = new DecompressedStream(decoder, session, where);
            byte[] head = out.peek(Format.SNIFF_BYTES);
            inner = Format.sniff(head, head.length);
            if (inner == Format.TAR) {
                // A tar entry inside a compressor is judged by its own ratio to the tar bytes (a sparse entry expands
                // from nothing) and by the stream's ratio so far: one entry's share of the compressed input is not
                // measurable, the decoder reads ahead (a small archive is consumed whole by its first read).
                boolean clean = readTar(out, () -> Expansion.since(out::produced)
                        .or(Expansion.ofStream(out::produced, raw::count)), false, prefix, depth,
                        format.label() + "-compressed tar");
                return new Decompressed(inner, clean);
            }
            String path = session.entryPath(prefix, Unpacking.withoutCompressionSuffix(name), depth);
            Unpacking.Content c = session.readContent(out, path, -1, false, Expansion.ofStream(out::produced,
                    raw::count), false);
            session.addFile(path, prefix + Unpacking.withoutCompressionSuffix(name), c, false, depth);
            return new Decompressed(inner, c.stop() != Unpacking.Stop.BROKEN);
        } catch (IOException | RuntimeException e) {
            if (LimitReached.in(e) == null) {
                session.unreadable(where, format.label() + " stream is corrupt or truncated: "
                        + Unpacking.describe(e));
                return new Decompressed(inner, false);
            }
            return new Decompressed(inner, true);
        }
    }

    // ------------------------------------------------------------------ tar

    /**
     * Reads a tar stream; {@code countHere} is false when a metered decompressor below counts the bytes, and
     * {@code expansion} gives each entry's measure of expansion as it starts.
     */
    boolean readTar(InputStream in, Supplier<Expansion> expansion, boolean countHere, String prefix, int depth,
                    String label) {
        int read = 0;
        try {
            TarArchiveInputStream tar = new TarArchiveInputStream(in, "UTF-8");
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                session.admitEntry(containerFile(prefix));
                read++;
                String raw = e.getName();
                if (e.isDirectory()) {
                    continue;
                }
                String path = session.entryPath(prefix, raw, depth);
                if (e.isSymbolicLink() || e.isLink()) {
                    session.linkEntry(path, e.isSymbolicLink() ? "symbolic" : "hard", e.getLinkName());
                    continue;
                }
                if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
                    continue;
                }
                long declared = e.isSparse() ? -1 : e.getSize();
                // a cut entry is not drained here: the tar reader skips the rest itself, through the metered stream
                Unpacking.Content c = session.readContent(tar, path, declared, countHere, expansion.get(), false);
                session.addFile(path, prefix + raw, c, (e.getMode() & UNIX_EXECUTABLE) != 0, depth);
                if (e.isSparse() && c.sha256().isEmpty() && c.stop() == Unpacking.Stop.NONE) {
                    // the tar reader skips a sparse entry by expanding it: gigabytes of holes from nothing
                    session.limit(path, "a sparse entry cut by a limit cannot be skipped without expanding it;"
                            + " the rest of this tar is not read");
                    return true;
                }
                if (c.stop() != Unpacking.Stop.NONE) {
                    return c.stop() != Unpacking.Stop.BROKEN;
                }
            }
            return true;
        } catch (IOException | RuntimeException ex) {
            if (LimitReached.in(ex) != null) {
                return true;
            }
            session.unreadable(containerFile(prefix), label + " is truncated or corrupt"
                    + (read > 0 ? " after " + read + " entries" : "") + ": " + Unpacking.describe(ex));
            return false;
        }
    }

    // ------------------------------------------------------------------ zip

    /** Opens the bytes of a zip for random access; each call gives a new channel at position 0. */
    @FunctionalInterface
    interface ZipSource {
        SeekableByteChannel open() throws IOException;
    }

    /** Reads a zip held in memory; see {@link #readZip(ZipSource, String, int)}. */
    boolean readZip(byte[] data, String prefix, int depth) {
        return readZip(() -> new SeekableInMemoryByteChannel(data), prefix, depth);
    }

    /**
     * Reads a zip the way pip does: through its central directory (the authoritative list of entries), each
     * entry's data located through its local header, which must not overlap the next entry. A local header that
     * names the entry differently is a parser differential: the entry is scanned under both names. Falls back to
     * reading local headers in order (salvaging what precedes the damage) when the central directory is missing
     * or broken, or lists more records than maxEntries. Only one entry's data is in memory at a time.
     */
    boolean readZip(ZipSource source, String prefix, int depth) {
        String where = containerFile(prefix);
        ZipFile zip;
        SeekableByteChannel data = null;
        try {
            data = source.open();
            if (centralRecordsMayExceed(data, session.limits().maxEntries())) {
                data.close();
                return readZipStream(source, prefix, depth);
            }
            zip = ZipFile.builder()
                    .setSeekableByteChannel(data)
                    .setUseUnicodeExtraFields(true)
                    .setIgnoreLocalFileHeader(true)
                    .get();
        } catch (IOException | RuntimeException e) {
            session.unreadable(where, "zip central directory is missing or corrupt (" + Unpacking.describe(e)
                    + "); entries are read from their local headers instead");
            closeQuietly(data);
            readZipStream(source, prefix, depth);
            return false;
        }
        Progress at = new Progress();
        Deferrals deferrals = session.readAhead() && prefix.isEmpty() && depth == 0 && data instanceof FileChannel
                ? new Deferrals() : null;
        try (zip) {
            List<ZipArchiveEntry> list = Collections.list(zip.getEntries());
            Set<ZipArchiveEntry> overlapping = overlapping(list, data);
            if (!overlapping.isEmpty()) {
                at.clean = false;
                ZipArchiveEntry first = list.stream().filter(overlapping::contains).findFirst().orElseThrow();
                session.unreadable(where, overlapping.size() + " zip entries (first: '"
                        + EntryPath.printable(first.getName()) + "') have data that runs into the next entry's"
                        + " header: an overlapping-entry zip bomb; they are not read (pip refuses them too)");
                session.differential(session.entryPath(prefix, first.getName(), depth), overlapping.size()
                        + " zip entries have data that runs into the next entry's header: tools that read the"
                        + " local headers in order and tools that follow the central directory see different files");
            }
            while (true) {
                Exception thrown = null;
                try {
                    readEntries(zip, data, list, overlapping, prefix, depth, at, deferrals);
                } catch (IOException | RuntimeException ex) {
                    thrown = ex;
                }
                Deferred failed = deferrals == null ? null : deferrals.settle();
                if (failed == null) {
                    if (thrown instanceof IOException io) {
                        throw io;
                    }
                    if (thrown != null) {
                        throw (RuntimeException) thrown;
                    }
                    return at.clean;
                }
                // an entry read ahead was not what was assumed: read on from it as if nothing had been read ahead
                session.rollback(failed.mark);
                at.clean = failed.clean;
                at.read = failed.read;
                at.next = failed.index;
                deferrals.shutdown();
                deferrals = null;
            }
        } catch (IOException | RuntimeException ex) {
            if (LimitReached.in(ex) != null) {
                return at.clean;
            }
            session.unreadable(where, "zip is corrupt" + (at.read > 0 ? " after " + at.read + " entries" : "") + ": "
                    + Unpacking.describe(ex));
            return false;
        } finally {
            if (deferrals != null) {
                deferrals.shutdown();
            }
        }
    }

    /** Where {@link #readEntries} stands: whether the zip was clean so far, entries read, the next to read. */
    private static final class Progress {
        boolean clean = true;
        int read;
        int next;
    }

    /** Reads the entries of a zip's central directory from {@code at.next} on (see {@link #readZip}). */
    private void readEntries(ZipFile zip, SeekableByteChannel data, List<ZipArchiveEntry> list,
                             Set<ZipArchiveEntry> overlapping, String prefix, int depth, Progress at,
                             Deferrals deferrals) throws IOException {
        String where = containerFile(prefix);
        while (at.next < list.size()) {
            ZipArchiveEntry e = list.get(at.next);
            Deferred ahead = deferrals != null && Deferrals.candidate(e)
                    ? new Deferred(at.next, session.mark(), at.clean, at.read) : null;
            at.next++;
            session.admitEntry(where);
            at.read++;
            String raw = e.getName();
            if (e.isDirectory()) {
                continue;
            }
            String path = session.entryPath(prefix, raw, depth);
            Optional<String> localName = localName(data, e, path);
            if (localName == null) {
                at.clean = false;
                continue;
            }
            if (e.isUnixSymlink()) {
                session.linkEntry(path, "symbolic", null);
                continue;
            }
            if (e.getGeneralPurposeBit().usesEncryption() || e.getMethod() == AES_METHOD) {
                session.diagnose(DiagnosticCode.ENCRYPTED_ENTRY, path, "encrypted zip entry is not read");
                continue;
            }
            if (overlapping.contains(e)) {
                continue;
            }
            if (!zip.canReadEntryData(e)) {
                session.unreadable(path, "zip compression method " + ZipMethod.getMethodByCode(e.getMethod())
                        + " is not supported; the entry is not read");
                continue;
            }
            if (ahead != null && localName.isEmpty() && deferrals.defer(ahead, zip, e, path, prefix + raw)) {
                continue;
            }
            Unpacking.Content c;
            try (InputStream in = entryData(zip, e)) {
                LongSupplier pos = in instanceof Inflated inflated ? inflated::compressedCount
                        : in instanceof InputStreamStatistics s ? s::getCompressedCount : e::getCompressedSize;
                c = session.readContent(in, path, plausibleSize(e), true, Expansion.since(pos), false);
            } catch (IOException | RuntimeException ex) {
                if (LimitReached.in(ex) != null) {
                    throw ex;
                }
                session.unreadable(path, "zip entry cannot be read: " + Unpacking.describe(ex));
                at.clean = false;
                continue;
            }
            session.addFile(path, prefix + raw, c, executable(e), depth);
            if (localName.isPresent() && c.stop() != Unpacking.Stop.PACKAGE) {
                // a tool that reads local headers extracts the same bytes under the local name
                String local = session.entryPath(prefix, localName.get(), depth);
                if (!local.equals(path)) {
                    session.addFile(local, prefix + localName.get(), c, executable(e), depth);
                }
            }
            if (c.stop() == Unpacking.Stop.PACKAGE) {
                return;
            }
            at.clean &= c.stop() != Unpacking.Stop.BROKEN;
        }
    }

    // ------------------------------------------------------------------ big entries read ahead

    /**
     * A zip entry read on another thread, and where reading stood before it: its index among the central
     * directory's entries, the session's {@link Unpacking.Mark}, and {@link Progress}'s clean and read.
     */
    private static final class Deferred {
        final int index;
        final Unpacking.Mark mark;
        final boolean clean;
        final int read;
        String path;
        String rawPath;
        boolean executable;
        long size;
        int slot;
        Unpacking reading;
        CompletableFuture<Unpacking.Content> content;

        Deferred(int index, Unpacking.Mark mark, boolean clean, int read) {
            this.index = index;
            this.mark = mark;
            this.clean = clean;
            this.read = read;
        }
    }

    /**
     * The big entries of a top-level zip read through a file channel, inflated and hashed on a second thread
     * while this one reads on. In torch's CUDA wheel two native libraries are 950 MB of its 1.14 GB: inflating
     * and hashing them took about 3 s of the reading thread's 4.5 s while the other core mostly waited.
     *
     * <p>An entry whose declared size is plausible and above {@value #DEFER_ABOVE} bytes is deferred when the
     * session may assume ({@link Unpacking#mayDefer}) that it reads to exactly that size without meeting a limit
     * or damage and that only its first bytes are kept: the session counts it so, holds its place among the
     * entries and reads on. Once the rest is read ({@link #settle}), each deferred entry is checked against the
     * assumption in entry order. If it holds, the entry takes its place, and everything read after it is what
     * reading in order would have read; if not (a size that lied, a limit, damage, a later entry with its path,
     * the deadline), the session goes back to where it stood before that entry and reads on from it in order,
     * on this thread, as if nothing had been read ahead. Either way the package read is the same.
     */
    private final class Deferrals {
        private final List<Deferred> pending = new ArrayList<>();
        private ExecutorService worker;
        private Inflated inflater;

        static boolean candidate(ZipArchiveEntry e) {
            return e.getMethod() == ZipMethod.DEFLATED.getCode() && plausibleSize(e) > DEFER_ABOVE;
        }

        /** Starts reading {@code e} on the worker when the session may assume its outcome; false to read it now. */
        boolean defer(Deferred d, ZipFile zip, ZipArchiveEntry e, String path, String rawPath) {
            long size = plausibleSize(e);
            if (!session.mayDefer(path, size)) {
                return false;
            }
            InputStream raw;
            try {
                raw = zip.getRawInputStream(e);
            } catch (IOException | RuntimeException ex) {
                return false; // read now, where the failure is reported
            }
            if (raw == null) {
                return false;
            }
            d.path = path;
            d.rawPath = rawPath;
            d.executable = executable(e);
            d.size = size;
            d.reading = session.forDeferred();
            d.slot = session.addDeferred(path, size);
            Unpacking reading = d.reading;
            if (worker == null) {
                worker = Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "kingsnake-inflate");
                    t.setDaemon(true);
                    return t;
                });
            }
            d.content = CompletableFuture.supplyAsync(() -> {
                if (inflater == null) {
                    inflater = new Inflated();
                }
                try (InputStream in = inflater.open(raw)) {
                    return reading.readContent(in, path, size, true, Expansion.since(inflater::compressedCount),
                            false);
                } catch (IOException ex) {
                    return null;
                }
            }, worker);
            pending.add(d);
            return true;
        }

        /**
         * Waits for the deferred entries and puts each one read as assumed in its place, in entry order, up to the
         * first that was not; the reading of those after it is stopped.
         *
         * @return the first entry not read as assumed, or null
         */
        Deferred settle() {
            Deferred failed = null;
            for (Deferred d : pending) {
                if (failed != null) {
                    d.reading.cancel();
                    continue;
                }
                Unpacking.Content c = outcome(d);
                if (c != null && session.readsAsAssumed(d.reading, c, d.path, d.size)) {
                    session.commitDeferred(d.slot, d.path, d.rawPath, c, d.executable);
                } else {
                    failed = d;
                }
            }
            pending.forEach(Deferrals::outcome); // none may still read the zip once it is closed
            pending.clear();
            return failed;
        }

        private static Unpacking.Content outcome(Deferred d) {
            try {
                return d.content.join();
            } catch (RuntimeException | Error failure) {
                return null;
            }
        }

        void shutdown() {
            pending.forEach(d -> d.reading.cancel());
            pending.forEach(Deferrals::outcome);
            pending.clear();
            if (worker != null) {
                worker.shutdown();
                worker = null;
            }
            if (inflater != null) {
                inflater.inf.end();
                inflater = null;
            }
        }
    }

    /**
     * An entry's content. A deflated entry is inflated here, from the entry's raw bytes in {@value #INFLATE_INPUT}
     * byte steps: the zip library's stream hands the inflater 512 bytes at a time, so inflating torch (1.1 GB from
     * 550 MB) took a million reads of about 1 KiB, each through the per-chunk limit checks. The inflater and its
     * input buffer are this reader's, reset for each entry: one of each per entry cost torch's 13,000 entries
     * 745 MB of buffers and as many native inflaters per scan.
     */
    private InputStream entryData(ZipFile zip, ZipArchiveEntry e) throws IOException {
        InputStream raw = e.getMethod() == ZipMethod.DEFLATED.getCode() ? zip.getRawInputStream(e) : null;
        if (raw == null) {
            return zip.getInputStream(e);
        }
        if (inflated == null || inflated.inUse) {
            inflated = new Inflated();
        }
        return inflated.open(raw);
    }

    /** Frees the inflater kept for the next entry; called once the package is read. */
    void release() {
        if (inflated != null) {
            inflated.inf.end();
            inflated = null;
        }
    }

    /**
     * A raw deflate stream inflated, read as {@link java.util.zip.InflaterInputStream} reads it (the same bytes,
     * the same end, the same errors), but reusable: {@link #open} resets it for the next entry. Its position in the
     * compressed bytes is what the inflater consumed.
     */
    static final class Inflated extends InputStream {
        final Inflater inf = new Inflater(true);
        private final byte[] input = new byte[INFLATE_INPUT];
        private final byte[] single = new byte[1];
        private InputStream raw;
        private boolean rawEnded;
        private boolean padded;
        private boolean inUse;

        Inflated open(InputStream raw) {
            inf.reset();
            this.raw = raw;
            this.rawEnded = false;
            this.padded = false;
            this.inUse = true;
            return this;
        }

        long compressedCount() {
            return inf.getBytesRead();
        }

        @Override
        public int read() throws IOException {
            return read(single, 0, 1) == -1 ? -1 : Byte.toUnsignedInt(single[0]);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (!inUse) {
                throw new IOException("Stream closed");
            }
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            try {
                int n;
                while ((n = inf.inflate(b, off, len)) == 0) {
                    if (inf.finished() || inf.needsDictionary()) {
                        return -1;
                    }
                    if (inf.needsInput()) {
                        fill();
                    }
                }
                return n;
            } catch (DataFormatException e) {
                String s = e.getMessage();
                throw new ZipException(s != null ? s : "Invalid ZLIB data format");
            }
        }

        /**
         * The next raw bytes; after them one byte more, since a raw (nowrap) inflater may need one byte past the
         * data to see its end, as the zip libraries give it.
         */
        private void fill() throws IOException {
            if (!rawEnded) {
                int n = raw.read(input, 0, input.length);
                if (n > 0) {
                    inf.setInput(input, 0, n);
                    return;
                }
                rawEnded = true;
            }
            if (padded) {
                throw new EOFException("Unexpected end of ZLIB input stream");
            }
            padded = true;
            input[0] = 0;
            inf.setInput(input, 0, 1);
        }

        @Override
        public void close() throws IOException {
            if (inUse) {
                inUse = false;
                InputStream r = raw;
                raw = null;
                r.close();
            }
        }
    }

    private boolean readZipStream(ZipSource source, String prefix, int depth) {
        try (SeekableByteChannel again = source.open()) {
            return readZipStream(Channels.newInputStream(again), prefix, depth);
        } catch (IOException e) {
            session.unreadable(containerFile(prefix), "zip cannot be reopened: " + Unpacking.describe(e));
            return false;
        }
    }

    private static void closeQuietly(SeekableByteChannel c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (IOException e) {
            // nothing was written; the reading that failed is already reported
        }
    }

    /** Reads a zip front to back through its local headers (no central directory needed). */
    boolean readZipStream(InputStream in, String prefix, int depth) {
        String where = containerFile(prefix);
        int read = 0;
        try {
            ZipArchiveInputStream zip = new ZipArchiveInputStream(in, "UTF-8", true, true, true);
            ZipArchiveEntry e;
            while ((e = zip.getNextEntry()) != null) {
                session.admitEntry(where);
                read++;
                String raw = e.getName();
                if (e.isDirectory()) {
                    continue;
                }
                String path = session.entryPath(prefix, raw, depth);
                if (e.getGeneralPurposeBit().usesEncryption() || e.getMethod() == AES_METHOD) {
                    session.diagnose(DiagnosticCode.ENCRYPTED_ENTRY, path, "encrypted zip entry is not read");
                    continue;
                }
                if (!zip.canReadEntryData(e)) {
                    session.unreadable(path, "zip compression method " + ZipMethod.getMethodByCode(e.getMethod())
                            + " is not supported; the entry is not read");
                    continue;
                }
                Unpacking.Content c = session.readContent(zip, path, plausibleSize(e), true,
                        Expansion.since(zip::getCompressedCount),
                        true);
                session.addFile(path, prefix + raw, c, executable(e), depth);
                if (c.stop() != Unpacking.Stop.NONE) {
                    return c.stop() != Unpacking.Stop.BROKEN;
                }
            }
            return true;
        } catch (IOException | RuntimeException ex) {
            if (LimitReached.in(ex) != null) {
                return true;
            }
            session.unreadable(where, "zip is truncated or corrupt" + (read > 0 ? " after " + read + " entries" : "")
                    + ": " + Unpacking.describe(ex));
            return false;
        }
    }

    /** The declared size when it is small enough to be backed by the compressed data, else -1. */
    private static long plausibleSize(ZipArchiveEntry e) {
        long size = e.getSize();
        long compressed = e.getCompressedSize();
        if (size < 0 || compressed < 0) {
            return -1;
        }
        if (e.getMethod() == ZipMethod.STORED.getCode()) {
            return size == compressed ? size : -1;
        }
        if (e.getMethod() == ZipMethod.DEFLATED.getCode()) {
            return size <= compressed * DEFLATE_MAX_RATIO + Unpacking.CHUNK ? size : -1;
        }
        return -1;
    }

    private static boolean executable(ZipArchiveEntry e) {
        return e.getPlatform() == ZipArchiveEntry.PLATFORM_UNIX && (e.getUnixMode() & UNIX_EXECUTABLE) != 0;
    }

    /**
     * Checks an entry's local header: null when it is missing or truncated (the entry is not read), the name
     * it gives when that differs from the central directory's (a parser differential, recorded), else empty.
     */
    private Optional<String> localName(SeekableByteChannel data, ZipArchiveEntry e, String path) throws IOException {
        long off = e.getLocalHeaderOffset();
        byte[] header = off < 0 ? new byte[0] : readAt(data, off, LOCAL_HEADER);
        if (header.length < LOCAL_HEADER || header[0] != 'P' || header[1] != 'K' || header[2] != 3 || header[3] != 4) {
            session.unreadable(path, "zip entry has no local header at offset " + off + "; the entry is not read");
            return null;
        }
        int nameLength = u16(header, 26);
        byte[] local = readAt(data, off + LOCAL_HEADER, nameLength);
        if (local.length < nameLength) {
            session.unreadable(path, "zip local header is truncated; the entry is not read");
            return null;
        }
        byte[] central = e.getRawName();
        if (central == null || Arrays.equals(central, local)) {
            return Optional.empty();
        }
        String localText = new String(local, StandardCharsets.UTF_8);
        session.diagnose(DiagnosticCode.UNSAFE_PATH, path, "zip local header names the entry '"
                + EntryPath.printable(localText) + "' but the central directory names it '"
                + EntryPath.printable(e.getName()) + "'; scanned under both names");
        session.differential(path, "the zip's local header names this entry '" + EntryPath.printable(localText)
                + "' while its central directory names it '" + EntryPath.printable(e.getName()) + "': tools that"
                + " read local headers extract it under the other name");
        return Optional.of(localText);
    }

    /**
     * Entries whose compressed data runs past the start of the next local header (in offset order), like
     * Python's zipfile "Overlapped entries" check: the construction of non-recursive zip bombs.
     */
    private static Set<ZipArchiveEntry> overlapping(List<ZipArchiveEntry> list, SeekableByteChannel data)
            throws IOException {
        Set<ZipArchiveEntry> out = Collections.newSetFromMap(new IdentityHashMap<>());
        List<ZipArchiveEntry> byOffset = new ArrayList<>(list);
        byOffset.sort(Comparator.comparingLong(ZipArchiveEntry::getLocalHeaderOffset));
        for (int i = 0; i + 1 < byOffset.size(); i++) {
            ZipArchiveEntry e = byOffset.get(i);
            long off = e.getLocalHeaderOffset();
            if (e.isDirectory() && e.getCompressedSize() <= 0 || off < 0) {
                continue;
            }
            byte[] header = readAt(data, off, LOCAL_HEADER);
            if (header.length < LOCAL_HEADER) {
                continue;
            }
            long dataStart = off + LOCAL_HEADER + u16(header, 26) + u16(header, 28);
            long dataEnd = dataStart + Math.max(0, e.getCompressedSize());
            if (dataEnd > byOffset.get(i + 1).getLocalHeaderOffset()) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * Whether the central directory may list more than {@code max} records, bounding how many entry objects
     * the zip library would build: counted in the central directory the end record points to (the whole input
     * when there is no plausible end record), never more than that.
     */
    private static boolean centralRecordsMayExceed(SeekableByteChannel data, int max) throws IOException {
        long size = data.size();
        if (size / MIN_CENTRAL_RECORD <= max) {
            return false;
        }
        long from = 0;
        long to = size;
        int tail = (int) Math.min(size, END_RECORD + MAX_COMMENT);
        byte[] end = readAt(data, size - tail, tail);
        for (int i = end.length - END_RECORD; i >= 0; i--) {
            if (end[i] == 'P' && end[i + 1] == 'K' && end[i + 2] == 5 && end[i + 3] == 6) {
                long cdSize = u32(end, i + 12);
                long cdOffset = u32(end, i + 16);
                if (cdSize != 0xffffffffL && cdOffset != 0xffffffffL && cdOffset + cdSize <= size) {
                    from = cdOffset;
                    to = cdOffset + cdSize;
                }
                break;
            }
        }
        if ((to - from) / MIN_CENTRAL_RECORD <= max) {
            return false;
        }
        int count = 0;
        byte[] window = new byte[Unpacking.CHUNK + 3];
        for (long at = from; at < to; at += Unpacking.CHUNK) {
            byte[] part = readAt(data, at, (int) Math.min(window.length, to - at));
            for (int i = 0; i + 3 < part.length && i < Unpacking.CHUNK; i++) {
                if (part[i] == 'P' && part[i + 1] == 'K' && part[i + 2] == 1 && part[i + 3] == 2 && ++count > max) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Up to {@code n} bytes at {@code offset}; fewer at the end of the data. */
    private static byte[] readAt(SeekableByteChannel data, long offset, int n) throws IOException {
        if (offset < 0 || offset >= data.size()) {
            return new byte[0];
        }
        ByteBuffer b = ByteBuffer.allocate((int) Math.min(n, data.size() - offset));
        data.position(offset);
        while (b.hasRemaining() && data.read(b) > 0) {
            // read until full or end of data
        }
        return Arrays.copyOf(b.array(), b.position());
    }

    private static long u32(byte[] b, int at) {
        return (u16(b, at) | (long) u16(b, at + 2) << 16) & 0xffffffffL;
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }
}
