package dev.kingsnake.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kingsnake.Diagnostic;
import dev.kingsnake.DiagnosticCode;
import dev.kingsnake.PackageKind;
import dev.kingsnake.ScanResult;
import dev.kingsnake.ScanStats;
import dev.kingsnake.Scanner;
import dev.kingsnake.Verdict;
import dev.kingsnake.index.Downloaded;
import dev.kingsnake.index.Fetch;
import dev.kingsnake.report.ResultJson;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What an executor does with each archive: read it through Hadoop's filesystem API, scan it with the JVM's
 * warm {@link Scanner}, and digest its bytes on the way. Never throws for one archive: a location that
 * cannot be opened becomes an ERROR result with an IO_ERROR diagnostic, and the scanner itself returns a
 * result for any bytes, so one hostile archive cannot fail a task.
 */
final class ArchiveScan implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Pure ASCII like the CLI's JSON Lines, so a U+2028 in evidence cannot split a record. */
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    private final List<String> scannerArgs;
    private final HadoopFiles files;
    private final String rulesVersion;

    ArchiveScan(List<String> scannerArgs, HadoopFiles files, String rulesVersion) {
        this.scannerArgs = List.copyOf(scannerArgs);
        this.files = files;
        this.rulesVersion = rulesVersion;
    }

    /** Scans a partition lazily, one archive in memory at a time. */
    Iterator<ScannedArchive> scanAll(Iterator<ArchiveRef> refs) {
        Scanner scanner = WarmScanner.forOptions(scannerArgs);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return refs.hasNext();
            }

            @Override
            public ScannedArchive next() {
                return scan(scanner, refs.next());
            }
        };
    }

    ScannedArchive scan(Scanner scanner, ArchiveRef ref) {
        if (isHttp(ref.location())) {
            return scanDownload(scanner, ref);
        }
        long start = System.nanoTime();
        MessageDigest digest = RulesVersion.sha256();
        ScanResult result;
        String sha256 = ArchiveRef.UNKNOWN_SHA256;
        try (InputStream raw = files.open(ref.location()); DigestInputStream in = new DigestInputStream(raw, digest)) {
            result = scanner.scan(ref.location(), in);
            // A limit may stop the scan early; the digest still covers every byte of the file.
            in.transferTo(OutputStream.nullOutputStream());
            sha256 = HexFormat.of().formatHex(digest.digest());
        } catch (IOException | RuntimeException e) {
            result = unreadable(ref.location(), "cannot read " + ref.location() + ": " + describe(e), start);
        }
        return new ScannedArchive(result.verdict().name(), json(result, sha256));
    }

    /**
     * An {@code http(s)} location (a file an index listed): downloaded with the index client, which checks the
     * listed sha-256, to a temporary file of the executor that is deleted after the scan.
     */
    private ScannedArchive scanDownload(Scanner scanner, ArchiveRef ref) {
        long start = System.nanoTime();
        Path file = null;
        try {
            file = Files.createTempFile("kingsnake-spark-", ".download");
            URI url = URI.create(ref.location());
            Fetch<Downloaded> got = IndexListing.client(url.resolve("/")).download(url,
                    ref.sha256Known() ? Optional.of(ref.sha256()) : Optional.empty(), file);
            if (got instanceof Fetch.Found<Downloaded> found) {
                try (InputStream in = Files.newInputStream(file)) {
                    ScanResult result = scanner.scan(ref.location(), in);
                    return new ScannedArchive(result.verdict().name(), json(result, found.value().sha256()));
                }
            }
            String reason = got instanceof Fetch.Missing<Downloaded> missing ? "HTTP " + missing.status()
                    : ((Fetch.Failed<Downloaded>) got).message();
            return error(unreadable(ref.location(), "cannot download " + ref.location() + ": " + reason, start));
        } catch (IOException | RuntimeException e) {
            return error(unreadable(ref.location(), "cannot download " + ref.location() + ": " + describe(e), start));
        } finally {
            deleteQuietly(file);
        }
    }

    /** The result for a project the index did not list: ERROR, so it is counted and retried next run. */
    ScannedArchive unlisted(IndexListing.Listed.Unlisted project) {
        return error(unreadable(project.page(), "cannot list " + project.page() + ": " + project.reason(),
                System.nanoTime()));
    }

    private ScannedArchive error(ScanResult result) {
        return new ScannedArchive(result.verdict().name(), json(result, ArchiveRef.UNKNOWN_SHA256));
    }

    private static boolean isHttp(String location) {
        String l = location.toLowerCase(Locale.ROOT);
        return l.startsWith("http://") || l.startsWith("https://");
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a temporary file of the executor: its local directory goes with the application
            }
        }
    }

    /**
     * The SHA-256 of a location's bytes, or {@link ArchiveRef#UNKNOWN_SHA256} when it cannot be read; an index's
     * files come with theirs, and one without is scanned again rather than downloaded twice.
     */
    String sha256(String location) {
        if (isHttp(location)) {
            return ArchiveRef.UNKNOWN_SHA256;
        }
        MessageDigest digest = RulesVersion.sha256();
        try (InputStream raw = files.open(location); DigestInputStream in = new DigestInputStream(raw, digest)) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException | RuntimeException e) {
            return ArchiveRef.UNKNOWN_SHA256;
        }
    }

    /** The size of a location, or 0 when it cannot be looked at (its scan then reports why). */
    long size(String location) {
        if (isHttp(location)) {
            return 0;
        }
        try {
            return files.size(location);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private String json(ScanResult result, String sha256) {
        ObjectNode o = ResultJson.toJson(result);
        o.put("sha256", sha256);
        o.put("rulesVersion", rulesVersion);
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ScanResult unreadable(String location, String message, long start) {
        return new ScanResult(location, "", "", PackageKind.UNKNOWN, Verdict.ERROR, 0, List.of(),
                List.of(Diagnostic.of(DiagnosticCode.IO_ERROR, message)),
                new ScanStats(0, 0, 0, 0, 0, (System.nanoTime() - start) / 1_000_000));
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
