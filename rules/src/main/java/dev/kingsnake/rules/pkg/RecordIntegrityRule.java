package dev.kingsnake.rules.pkg;

import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.kingsnake.Confidence;
import dev.kingsnake.PackageKind;
import dev.kingsnake.Reach;
import dev.kingsnake.Severity;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.Rule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.SourceFile;
import dev.kingsnake.spi.Tags;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A wheel whose RECORD does not describe its contents: hashes or sizes that do not match, files that are not
 * listed, listed files that are absent, or no RECORD at all. Build tools write RECORD last, from the files
 * they packed; a mismatch means someone changed the wheel after it was built.
 */
public final class RecordIntegrityRule implements Rule {
    private static final RuleInfo INFO = new RuleInfo("KS-PKG-RECORD-MISMATCH",
            "A wheel's RECORD does not match its files: wrong sha256 or size, files not listed, listed files"
                    + " missing, or no RECORD at all (the wheel was altered after it was built).",
            Severity.MEDIUM, Confidence.HIGH, Set.of(Tags.METADATA),
            "pkg-1.0.dist-info/RECORD:  pkg/__init__.py,sha256=<hash of another content>,120",
            "RECORD itself and its signatures (RECORD.jws, RECORD.p7s) carry no hash by design; hex digests (written"
                    + " by some build tools instead of base64) are accepted; directories are"
                    + " ignored; entries a size, count or compression-ratio limit may have cut short are not compared. Weak evidence alone: a"
                    + " repacked but honest wheel looks the same.");
    private static final int MAX_REPORTS = 10;
    private static final long RATIO_CHECK_BYTES = 1024L * 1024L;
    private static final ObjectReader CSV = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .readerFor(String[].class);

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(RuleContext ctx, FindingSink sink) {
        if (ctx.packageInfo().kind() != PackageKind.WHEEL) {
            return;
        }
        List<SourceFile> files = ArchiveLayout.realFiles(ctx);
        Set<String> distInfo = ArchiveLayout.topDistInfoDirs(files);
        if (distInfo.isEmpty()) {
            return;
        }
        String recordPath = distInfo.iterator().next() + "/RECORD";
        SourceFile record = files.stream().filter(f -> f.path().equals(recordPath)).findFirst().orElse(null);
        if (record == null) {
            PackageMetadata.whole(ctx).ifPresent(at -> sink.report(at, "The wheel has no " + recordPath,
                    recordPath + " missing", Severity.MEDIUM, Confidence.MEDIUM));
            return;
        }
        Map<String, SourceFile> byPath = new LinkedHashMap<>();
        for (SourceFile f : files) {
            byPath.put(f.path(), f);
        }
        long total = 0;
        for (SourceFile f : files) {
            total += f.size();
        }
        // a limit may have stopped reading: then absent or short files say nothing about the wheel
        boolean cut = files.size() >= ctx.limits().maxEntries()
                || total >= ctx.limits().maxTotalBytes() - ctx.limits().maxEntryBytes();
        Map<String, Integer> listed = new HashMap<>();
        int reports = 0;
        String[] lines = record.text().split("\r\n|\n|\r", -1);
        for (int i = 0; i < lines.length && reports < MAX_REPORTS; i++) {
            String[] row = row(lines[i]);
            if (row.length == 0 || row[0].isBlank()) {
                continue;
            }
            String path = row[0];
            listed.put(path, i + 1);
            String hash = row.length > 1 ? row[1].strip() : "";
            String size = row.length > 2 ? row[2].strip() : "";
            SourceFile f = byPath.get(path);
            Location at = Location.of(record, i + 1, 1, Reach.UNKNOWN);
            if (f == null) {
                if (!path.endsWith("/") && !cut) {
                    sink.report(at, "RECORD lists " + path + " but the wheel does not contain it", lines[i]);
                    reports++;
                }
                continue;
            }
            if (hash.isEmpty() || maybeCutShort(f.size(), size, cut)) {
                continue;
            }
            // asked once: a file that does not keep its digest (a Python file) hashes its bytes on each call
            Optional<byte[]> sha256 = f.sha256();
            if (sha256.isEmpty()) {
                continue;
            }
            String problem = f.size() == f.bytes().length ? compare(f.bytes(), sha256.get(), hash, size)
                    : compare(f.size(), sha256.get(), hash, size);
            if (problem != null) {
                sink.report(at, "RECORD does not match " + path + ": " + problem, lines[i]);
                reports++;
            }
        }
        for (SourceFile f : files) {
            if (reports >= MAX_REPORTS) {
                break;
            }
            String name = ArchiveLayout.baseName(f.path());
            boolean signature = f.path().startsWith(distInfo.iterator().next() + "/")
                    && (name.equals("RECORD") || name.equals("RECORD.jws") || name.equals("RECORD.p7s"));
            if (!signature && !listed.containsKey(f.path())) {
                sink.report(Location.file(f, Reach.UNKNOWN), f.path() + " is in the wheel but not in its RECORD",
                        f.path());
                reports++;
            }
        }
    }

    /**
     * Shorter than RECORD says and long enough (or the package big enough) that a size or compression-ratio
     * limit may have stopped reading it: the compression-ratio bound applies once an entry passed
     * {@value #RATIO_CHECK_BYTES} bytes (see {@link dev.kingsnake.Limits}).
     */
    private static boolean maybeCutShort(long read, String recordedSize, boolean cut) {
        long recorded;
        try {
            recorded = Long.parseLong(recordedSize);
        } catch (NumberFormatException e) {
            return cut;
        }
        return read < recorded && (cut || read >= RATIO_CHECK_BYTES);
    }

    /** Why the bytes do not match RECORD's hash and size, or null when they do (or the algorithm is unknown). */
    static String compare(byte[] bytes, String hash, String size) {
        return compare(bytes, null, hash, size);
    }

    /**
     * As {@link #compare(byte[], String, String)}, with the bytes' SHA-256 already known ({@code sha256}, or null):
     * a sha256 row is then checked against it instead of hashing the bytes again.
     */
    static String compare(byte[] bytes, byte[] sha256, String hash, String size) {
        int eq = hash.indexOf('=');
        if (eq <= 0) {
            return "malformed hash '" + hash + "'";
        }
        String algorithm = hash.substring(0, eq).toLowerCase(Locale.ROOT);
        String javaName = switch (algorithm) {
            case "sha256" -> "SHA-256";
            case "sha384" -> "SHA-384";
            case "sha512" -> "SHA-512";
            default -> null;
        };
        if (javaName == null) {
            return null;
        }
        try {
            byte[] digest = sha256 != null && javaName.equals("SHA-256") ? sha256
                    : MessageDigest.getInstance(javaName).digest(bytes);
            String actual = Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
            String expected = hash.substring(eq + 1).replaceAll("=+$", "");
            if (!actual.equals(expected) && !HexFormat.of().formatHex(digest).equalsIgnoreCase(expected)) {
                return algorithm + " is " + actual + ", RECORD says " + expected;
            }
        } catch (NoSuchAlgorithmException e) {
            return null;
        }
        if (!size.isEmpty() && !size.equals(Integer.toString(bytes.length))) {
            return "size is " + bytes.length + ", RECORD says " + size;
        }
        return null;
    }

    /** Like {@link #compare(byte[], String, String)} for a file streamed through: only its SHA-256 is known. */
    private static String compare(long length, byte[] sha256, String hash, String size) {
        int eq = hash.indexOf('=');
        if (eq <= 0 || !hash.substring(0, eq).equalsIgnoreCase("sha256")) {
            return eq <= 0 ? "malformed hash '" + hash + "'" : null;
        }
        String actual = Base64.getUrlEncoder().withoutPadding().encodeToString(sha256);
        String expected = hash.substring(eq + 1).replaceAll("=+$", "");
        if (!actual.equals(expected) && !HexFormat.of().formatHex(sha256).equalsIgnoreCase(expected)) {
            return "sha256 is " + actual + ", RECORD says " + expected;
        }
        if (!size.isEmpty() && !size.equals(Long.toString(length))) {
            return "size is " + length + ", RECORD says " + size;
        }
        return null;
    }

    private static String[] row(String line) {
        if (line.isBlank()) {
            return new String[0];
        }
        try {
            try (MappingIterator<String[]> rows = CSV.readValues(line)) {
                return rows.hasNextValue() ? rows.nextValue() : new String[0];
            }
        } catch (IOException e) {
            return new String[] {line};
        }
    }
}
