package dev.kingsnake.internal.archive;

import dev.kingsnake.Diagnostic;
import dev.kingsnake.DiagnosticCode;
import dev.kingsnake.Limits;
import dev.kingsnake.PackageKind;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Reads a package into memory. Minimal first version: zip, tar.gz, a single .py file and a directory.
 * Never writes to disk, never follows links.
 */
public final class ArchiveReader {
    private final Limits limits;

    public ArchiveReader(Limits limits) {
        this.limits = limits;
    }

    public UnpackedPackage read(Path path) {
        try {
            if (Files.isDirectory(path)) {
                return readDirectory(path);
            }
            try (InputStream in = Files.newInputStream(path)) {
                return read(path.getFileName().toString(), in);
            }
        } catch (IOException e) {
            return new UnpackedPackage(PackageKind.UNKNOWN, List.of(),
                    List.of(Diagnostic.of(DiagnosticCode.IO_ERROR, e.toString())), 0, 0, false);
        }
    }

    public UnpackedPackage read(String name, InputStream raw) {
        List<dev.kingsnake.internal.archive.ArchiveEntry> out = new ArrayList<>();
        List<Diagnostic> diags = new ArrayList<>();
        long total = 0;
        String lower = name.toLowerCase(Locale.ROOT);
        try (BufferedInputStream in = new BufferedInputStream(raw)) {
            in.mark(4);
            int b0 = in.read();
            int b1 = in.read();
            in.reset();
            ArchiveInputStream<? extends ArchiveEntry> ais;
            PackageKind kind;
            if (b0 == 'P' && b1 == 'K') {
                ais = new ZipArchiveInputStream(in);
                kind = lower.endsWith(".whl") ? PackageKind.WHEEL
                        : lower.endsWith(".egg") ? PackageKind.EGG : PackageKind.SDIST;
            } else if (b0 == 0x1f && b1 == 0x8b) {
                ais = new TarArchiveInputStream(new GzipCompressorInputStream(in));
                kind = PackageKind.SDIST;
            } else {
                byte[] all = in.readNBytes((int) Math.min(limits.maxEntryBytes(), Integer.MAX_VALUE - 8));
                out.add(new dev.kingsnake.internal.archive.ArchiveEntry(name, name, all, false));
                return new UnpackedPackage(PackageKind.SOURCE_FILE, out, diags, all.length, all.length, true);
            }
            ArchiveEntry e;
            while ((e = ais.getNextEntry()) != null) {
                if (e.isDirectory()) {
                    continue;
                }
                byte[] data = ais.readNBytes((int) Math.min(limits.maxEntryBytes(), Integer.MAX_VALUE - 8));
                total += data.length;
                out.add(new dev.kingsnake.internal.archive.ArchiveEntry(e.getName(), e.getName(), data, false));
            }
            return new UnpackedPackage(kind, out, diags, 0, total, true);
        } catch (IOException | RuntimeException e) {
            diags.add(Diagnostic.of(DiagnosticCode.ARCHIVE_UNREADABLE, e.toString()));
            return new UnpackedPackage(PackageKind.UNKNOWN, out, diags, 0, total, !out.isEmpty());
        }
    }

    private UnpackedPackage readDirectory(Path dir) throws IOException {
        List<dev.kingsnake.internal.archive.ArchiveEntry> out = new ArrayList<>();
        long total = 0;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    byte[] data = Files.readAllBytes(p);
                    total += data.length;
                    String rel = dir.relativize(p).toString().replace('\\', '/');
                    out.add(new dev.kingsnake.internal.archive.ArchiveEntry(rel, rel, data, Files.isExecutable(p)));
                }
            }
        }
        return new UnpackedPackage(PackageKind.DIRECTORY, out, List.of(), total, total, true);
    }
}
