package dev.kingsnake.internal.archive;

import dev.kingsnake.DiagnosticCode;
import dev.kingsnake.Limits;
import dev.kingsnake.PackageKind;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Reads a package into memory: an sdist (tar, tar.gz/.bz2/.xz, zip), a wheel, an egg, a lone source file or
 * an unpacked directory. The format is judged by content, never by name. Nothing is written to disk, no link
 * is followed, nothing is executed, and every {@link Limits} bound is enforced on bytes actually read.
 * Damaged or hostile input becomes diagnostics on the result; {@code read} does not throw.
 *
 * <p>Zips are read through their central directory (what pip does): from memory when the input is at most
 * {@code maxEntryBytes}, through a file channel when it is a larger file. A larger stream is read front to back,
 * a zip among them through its local headers. Whatever the input's size, only one entry is read at a time and
 * only code and metadata are kept whole (see {@link FileClassifier}); the biggest entries of a zip read through a
 * file channel are inflated and hashed on a second thread while the rest is read, with the same result (see
 * {@link ContainerReaders}).
 * Thread-safe: each call keeps its own state.
 */
public final class ArchiveReader {
    private static final int MAX_IN_MEMORY = Integer.MAX_VALUE - 16;
    private static final int SHOWN_BYTES = 8;

    private final Limits limits;
    private final boolean readAhead;

    public ArchiveReader(Limits limits) {
        this(limits, true);
    }

    /** With {@code readAhead} false, no entry is read on a second thread (for tests: the order to compare with). */
    ArchiveReader(Limits limits, boolean readAhead) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.readAhead = readAhead;
    }

    /** Reads an archive, a single file, or (recursively, without following links) a directory. */
    public UnpackedPackage read(Path path) {
        return read(path, entry -> { });
    }

    /**
     * As {@link #read(Path)}, telling {@code onEntry} of each file as soon as it is read, in the order of
     * {@link UnpackedPackage#entries()} (on the calling thread), so that work on it can start while the rest of
     * the package is still being read.
     */
    public UnpackedPackage read(Path path, Consumer<ArchiveEntry> onEntry) {
        Unpacking session = new Unpacking(limits, onEntry, readAhead);
        try {
            if (Files.isDirectory(path)) {
                return readDirectory(session, path);
            }
            if (!Files.isRegularFile(path)) {
                session.diagnose(DiagnosticCode.IO_ERROR, "", path + " is not a regular file, a directory or readable");
                return session.result(PackageKind.UNKNOWN, 0, false);
            }
            long size = Files.size(path);
            String name = path.getFileName() == null ? path.toString() : path.getFileName().toString();
            if (size <= inMemoryLimit()) {
                return readBytes(session, name, Files.readAllBytes(path));
            }
            byte[] head;
            try (InputStream in = Files.newInputStream(path)) {
                head = in.readNBytes(Format.SNIFF_BYTES);
            }
            if (Format.sniff(head, head.length) == Format.ZIP) {
                boolean clean = session.readers().readZip(() -> Files.newByteChannel(path, StandardOpenOption.READ),
                        "", 0);
                return session.result(zipKind(session, name), size, clean);
            }
            try (InputStream in = Files.newInputStream(path)) {
                return readStream(session, name, in, size);
            }
        } catch (IOException e) {
            session.diagnose(DiagnosticCode.IO_ERROR, "", "cannot read " + path + ": " + Unpacking.describe(e));
            return session.result(PackageKind.UNKNOWN, 0, false);
        } catch (RuntimeException | StackOverflowError e) {
            return failed(session, e);
        }
    }

    /** Reads an archive or a single file from a stream; {@code name} may be a path, its last segment is used. */
    public UnpackedPackage read(String name, InputStream in) {
        Unpacking session = new Unpacking(limits, entry -> { }, readAhead);
        String fileName = Unpacking.lastSegment(name);
        try {
            int limit = inMemoryLimit();
            byte[] head = in.readNBytes(limit);
            if (head.length < limit) {
                return readBytes(session, fileName, head);
            }
            return readStream(session, fileName, new SequenceInputStream(new ByteArrayInputStream(head), in), -1);
        } catch (IOException e) {
            session.diagnose(DiagnosticCode.IO_ERROR, "", "cannot read " + name + ": " + Unpacking.describe(e));
            return session.result(PackageKind.UNKNOWN, 0, false);
        } catch (RuntimeException | StackOverflowError e) {
            return failed(session, e);
        }
    }

    /** Inputs up to this size are read into memory at once; larger ones are read through a channel or streamed. */
    private int inMemoryLimit() {
        return (int) Math.min(limits.maxEntryBytes(), MAX_IN_MEMORY);
    }

    /** A bug in a library or in this reader still ends as a diagnostic, keeping what was read. */
    private static UnpackedPackage failed(Unpacking session, Throwable e) {
        session.unreadable("", "unpacking failed: " + Unpacking.describe(e));
        return session.result(PackageKind.UNKNOWN, 0, false);
    }

    private UnpackedPackage readBytes(Unpacking session, String name, byte[] data) {
        Format format = Format.sniff(data, data.length);
        if (format == Format.ZIP) {
            boolean clean = session.readers().readZip(data, "", 0);
            return session.result(zipKind(session, name), data.length, clean);
        }
        CountingInputStream raw = new CountingInputStream(new ByteArrayInputStream(data));
        return readFormat(session, name, format, raw, data.length, head(data));
    }

    private UnpackedPackage readStream(Unpacking session, String name, InputStream in, long size) throws IOException {
        CountingInputStream raw = new CountingInputStream(in);
        BufferedInputStream buffered = new BufferedInputStream(raw, Unpacking.CHUNK);
        buffered.mark(Format.SNIFF_BYTES);
        byte[] head = buffered.readNBytes(Format.SNIFF_BYTES);
        buffered.reset();
        Format format = Format.sniff(head, head.length);
        if (format == Format.ZIP) {
            boolean clean = session.readers().readZipStream(buffered, "", 0);
            if (size < 0) {
                skipRest(buffered);
            }
            return session.result(zipKind(session, name), size >= 0 ? size : raw.count(), clean);
        }
        UnpackedPackage p = readFormat(session, name, format, buffered, -1, head);
        if (size >= 0) {
            return p;
        }
        skipRest(buffered);
        return new UnpackedPackage(p.kind(), p.entries(), p.diagnostics(), raw.count(),
                p.uncompressedBytes(), p.readable(), p.differentials());
    }

    /**
     * Reads to the end of an input whose size is not known (what a reader stopped before: a zip's central
     * directory, the rest after a limit), at most {@code maxTotalBytes}, to count it.
     */
    private void skipRest(InputStream in) throws IOException {
        byte[] scratch = new byte[Unpacking.CHUNK];
        long left = limits.maxTotalBytes();
        int r;
        while (left > 0 && (r = in.read(scratch, 0, (int) Math.min(scratch.length, left))) > 0) {
            left -= r;
        }
    }

    /** Everything but a zip, which needs random access when it is available. */
    private UnpackedPackage readFormat(Unpacking session, String name, Format format, InputStream in, long size,
                                       byte[] head) {
        ContainerReaders readers = session.readers();
        switch (format) {
            case EMPTY -> {
                session.unreadable("", "the input is empty (0 bytes)");
                return session.result(PackageKind.UNKNOWN, 0, false);
            }
            case TAR -> {
                CountingInputStream raw = new CountingInputStream(in);
                boolean clean = readers.readTar(raw, () -> Expansion.since(raw::count), true, "", 0, "tar");
                return session.result(PackageKind.SDIST, size, clean);
            }
            case GZIP, BZIP2, XZ -> {
                ContainerReaders.Decompressed d = readers.readCompressed(in, format, name, "", 0);
                Format inner = d.inner();
                PackageKind kind = inner == null ? PackageKind.UNKNOWN : switch (inner) {
                    case TAR, ZIP -> PackageKind.SDIST;
                    case TEXT, EMPTY -> PackageKind.SOURCE_FILE;
                    default -> PackageKind.UNKNOWN;
                };
                if (inner == Format.BINARY || inner == Format.ZSTD) {
                    session.unreadable("", format.label() + " stream holds " + inner.label() + ", not a tar or zip"
                            + " archive; kept as a single file");
                }
                return session.result(kind, size, d.clean() && kind != PackageKind.UNKNOWN);
            }
            case ZSTD -> {
                session.unreadable("", "zstd-compressed input is not supported");
                return session.result(PackageKind.UNKNOWN, size, false);
            }
            case TEXT -> {
                String path = session.entryPath("", name, 0);
                CountingInputStream raw = new CountingInputStream(in);
                Unpacking.Content c = session.readContent(raw, path, size, true, Expansion.since(raw::count), false);
                session.addFile(path, name, c, false, 0);
                if (looksLikeArchiveName(name)) {
                    session.unreadable("", "named like an archive but holds plain text; scanned as a single file");
                }
                return session.result(PackageKind.SOURCE_FILE, size, c.stop() != Unpacking.Stop.BROKEN);
            }
            default -> {
                session.unreadable("", "not a zip, tar, gzip, bzip2 or xz archive, nor a text file (starts with "
                        + HexFormat.ofDelimiter(" ").formatHex(head, 0, Math.min(SHOWN_BYTES, head.length)) + ")");
                return session.result(PackageKind.UNKNOWN, size, false);
            }
        }
    }

    private static byte[] head(byte[] data) {
        return data.length <= SHOWN_BYTES ? data : java.util.Arrays.copyOf(data, SHOWN_BYTES);
    }

    private static PackageKind zipKind(Unpacking session, String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (session.sawWheelMarker() || lower.endsWith(".whl")) {
            return PackageKind.WHEEL;
        }
        if (session.sawEggMarker() || lower.endsWith(".egg")) {
            return PackageKind.EGG;
        }
        return PackageKind.SDIST;
    }

    private static boolean looksLikeArchiveName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return List.of(".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".tar", ".zip", ".whl", ".egg").stream()
                .anyMatch(lower::endsWith);
    }

    // ------------------------------------------------------------------ directories

    /**
     * Walks an unpacked project depth-first in name order without following links (each link is a
     * LINK_ENTRY diagnostic), reading regular files under the same limits as archive entries. Archives found
     * inside are opened like nested archives.
     */
    private UnpackedPackage readDirectory(Unpacking session, Path root) {
        long inputBytes = 0;
        Deque<Path> pending = new ArrayDeque<>();
        pending.push(root);
        try {
            while (!pending.isEmpty() && !session.stopped()) {
                Path dir = pending.pop();
                List<Path> children = list(session, root, dir);
                List<Path> subdirs = new ArrayList<>();
                for (Path child : children) {
                    String rel = relative(root, child);
                    session.admitEntry(rel);
                    BasicFileAttributes a;
                    try {
                        a = Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    } catch (IOException e) {
                        session.diagnose(DiagnosticCode.IO_ERROR, rel, Unpacking.describe(e));
                        continue;
                    }
                    if (a.isSymbolicLink()) {
                        session.linkEntry(session.entryPath("", rel, 0), "symbolic", null);
                    } else if (a.isDirectory()) {
                        if (rel.length() > limits.maxPathLength()) {
                            session.limit(rel.substring(0, limits.maxPathLength()), "maxPathLength ("
                                    + limits.maxPathLength() + ") exceeded: directory not read");
                        } else {
                            subdirs.add(child);
                        }
                    } else if (a.isRegularFile()) {
                        inputBytes += a.size();
                        if (readFile(session, child, rel, a.size()) == Unpacking.Stop.PACKAGE) {
                            break;
                        }
                    }
                }
                for (int i = subdirs.size() - 1; i >= 0; i--) {
                    pending.push(subdirs.get(i));
                }
            }
        } catch (LimitReached e) {
            // recorded by the session
        }
        return session.result(PackageKind.DIRECTORY, inputBytes, true);
    }

    private List<Path> list(Unpacking session, Path root, Path dir) {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path c : ds) {
                children.add(c);
                if (children.size() > limits.maxEntries()) {
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            session.diagnose(DiagnosticCode.IO_ERROR, relative(root, dir), "cannot list directory: "
                    + Unpacking.describe(e));
        }
        children.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return children;
    }

    private static Unpacking.Stop readFile(Unpacking session, Path file, String rel, long size) {
        String path = session.entryPath("", rel, 0);
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            CountingInputStream raw = new CountingInputStream(in);
            Unpacking.Content c = session.readContent(raw, path, size, true, Expansion.since(raw::count), false);
            session.addFile(path, rel, c, executable(file), 0);
            return c.stop();
        } catch (IOException e) {
            session.diagnose(DiagnosticCode.IO_ERROR, path, Unpacking.describe(e));
            return Unpacking.Stop.NONE;
        }
    }

    private static boolean executable(Path file) {
        try {
            PosixFileAttributes a = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.permissions().contains(PosixFilePermission.OWNER_EXECUTE);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static String relative(Path root, Path p) {
        return root.relativize(p).toString().replace(root.getFileSystem().getSeparator(), "/");
    }
}
