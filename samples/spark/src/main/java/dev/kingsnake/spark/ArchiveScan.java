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
import dev.kingsnake.report.ResultJson;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;

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
            result = unreadable(ref.location(), e, start);
        }
        return new ScannedArchive(result.verdict().name(), json(result, sha256));
    }

    /** The SHA-256 of a location's bytes, or {@link ArchiveRef#UNKNOWN_SHA256} when it cannot be read. */
    String sha256(String location) {
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

    private static ScanResult unreadable(String location, Exception e, long start) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new ScanResult(location, "", "", PackageKind.UNKNOWN, Verdict.ERROR, 0, List.of(),
                List.of(Diagnostic.of(DiagnosticCode.IO_ERROR, "cannot read " + location + ": " + reason)),
                new ScanStats(0, 0, 0, 0, 0, (System.nanoTime() - start) / 1_000_000));
    }
}
