package dev.kingsnake;

import dev.kingsnake.internal.archive.ArchiveEntry;
import dev.kingsnake.internal.archive.ArchiveReader;
import dev.kingsnake.internal.archive.UnpackedPackage;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a new release of a package changed, and whether the change is dangerous (see README "Release diff"): files
 * added, removed and changed by content hash; findings and capabilities new in the new release, with their reach;
 * metadata drift; a drift score and a verdict for the change. A new start-up hook ({@code .pth}), install-time
 * network access or execution of decoded data is a {@link #standouts() standout}, listed first.
 *
 * @param oldResult       the scan of the old release
 * @param newResult       the scan of the new release
 * @param files           files added, removed or changed, by path (release versions in paths replaced by
 *                        {@value #VERSION_PLACEHOLDER})
 * @param newFindings     findings of the new release that the old one does not have (capabilities excluded)
 * @param newCapabilities capabilities the new release has that the old one lacks, or has at an earlier reach
 * @param metadata        metadata fields that differ
 * @param standouts       the changes that make a release dangerous on their own, most serious first
 * @param drift           0–10: the score increase plus what the new capabilities, standouts and metadata add
 * @param verdict         the verdict of the change at the scanner's threshold (never ERROR unless a release could
 *                        not be read)
 */
public record ReleaseDiff(ScanResult oldResult, ScanResult newResult, List<FileChange> files,
                          List<Finding> newFindings, List<CapabilitySummary> newCapabilities,
                          List<MetadataChange> metadata, List<String> standouts, double drift, Verdict verdict) {

    /** Stands for the release's own version in paths, so that {@code foo-1.0/x.py} and {@code foo-1.1/x.py} pair. */
    public static final String VERSION_PLACEHOLDER = "{version}";

    public ReleaseDiff {
        Objects.requireNonNull(oldResult, "oldResult");
        Objects.requireNonNull(newResult, "newResult");
        files = List.copyOf(files);
        newFindings = List.copyOf(newFindings);
        newCapabilities = List.copyOf(newCapabilities);
        metadata = List.copyOf(metadata);
        standouts = List.copyOf(standouts);
        Objects.requireNonNull(verdict, "verdict");
    }

    public enum Change { ADDED, REMOVED, CHANGED }

    /** A file that differs; a hash is empty on the side where the file does not exist. */
    public record FileChange(String path, Change change, String oldSha256, String newSha256) {
    }

    /**
     * A metadata field that differs. List fields (dependencies, entry points) give one change per item, with the
     * side that lacks it empty.
     */
    public record MetadataChange(String field, String oldValue, String newValue) {
    }

    /** Drift added by each standout: one alone reaches the default MALICIOUS threshold with the score increase. */
    static final double STANDOUT_WEIGHT = 3.0;
    /** Drift of a capability the old release did not have; twice that when it runs at install or import time. */
    static final double CAPABILITY_WEIGHT = 0.5;
    static final double CAPABILITIES_CAP = 3.0;
    /** Drift of a changed identity field (author, maintainer, e-mail addresses, home page, build backend). */
    static final double IDENTITY_WEIGHT = 1.0;
    /** Drift of each dependency or entry point added; together at most {@link #LIST_CAP}. */
    static final double LIST_WEIGHT = 0.5;
    static final double LIST_CAP = 2.0;

    /** Header fields compared as identity, in the order reported. */
    private static final List<String> IDENTITY_FIELDS = List.of("Author", "Author-email", "Maintainer",
            "Maintainer-email", "Home-page");

    /** Scans both releases with {@code scanner} and compares them; archives are read with {@code limits}. */
    public static ReleaseDiff compare(Scanner scanner, Limits limits, Path oldPackage, Path newPackage) {
        ScanResult oldResult = scanner.scan(oldPackage);
        ScanResult newResult = scanner.scan(newPackage);
        ArchiveReader reader = new ArchiveReader(limits);
        return compare(oldResult, reader.read(oldPackage), newResult, reader.read(newPackage), scanner.threshold());
    }

    static ReleaseDiff compare(ScanResult oldResult, UnpackedPackage oldPkg, ScanResult newResult,
                               UnpackedPackage newPkg, double threshold) {
        Map<String, String> oldHashes = hashes(oldPkg, oldResult.version());
        Map<String, String> newHashes = hashes(newPkg, newResult.version());
        List<FileChange> files = new ArrayList<>();
        Set<String> paths = new TreeSet<>(oldHashes.keySet());
        paths.addAll(newHashes.keySet());
        for (String p : paths) {
            String a = oldHashes.getOrDefault(p, "");
            String b = newHashes.getOrDefault(p, "");
            if (a.isEmpty()) {
                files.add(new FileChange(p, Change.ADDED, "", b));
            } else if (b.isEmpty()) {
                files.add(new FileChange(p, Change.REMOVED, a, ""));
            } else if (!a.equals(b)) {
                files.add(new FileChange(p, Change.CHANGED, a, b));
            }
        }

        Set<String> oldKeys = new HashSet<>();
        for (Finding f : oldResult.findings()) {
            oldKeys.add(findingKey(f, oldResult.version()));
        }
        List<Finding> newFindings = new ArrayList<>();
        List<Finding> newCapabilityFindings = new ArrayList<>();
        for (Finding f : newResult.findings()) {
            if (!oldKeys.contains(findingKey(f, newResult.version()))) {
                (CapabilitySummary.isCapability(f) ? newCapabilityFindings : newFindings).add(f);
            }
        }
        Map<String, Reach> oldCaps = new TreeMap<>();
        CapabilitySummary.of(oldResult.findings()).forEach(c -> oldCaps.put(c.id(), c.reach()));
        List<CapabilitySummary> newCapabilities = new ArrayList<>();
        for (CapabilitySummary c : CapabilitySummary.of(newResult.findings())) {
            Reach before = oldCaps.get(c.id());
            if (before == null || c.reach().compareTo(before) < 0) {
                newCapabilities.add(c);
            }
        }

        List<MetadataChange> metadata = metadataChanges(oldPkg, newPkg);
        List<String> standouts = standouts(newFindings, newCapabilityFindings);

        double drift = Math.max(0, newResult.score() - oldResult.score()) + STANDOUT_WEIGHT * standouts.size();
        double capabilities = 0;
        for (CapabilitySummary c : newCapabilities) {
            capabilities += c.reach() == Reach.INSTALL_TIME || c.reach() == Reach.IMPORT_TIME
                    ? 2 * CAPABILITY_WEIGHT : CAPABILITY_WEIGHT;
        }
        drift += Math.min(CAPABILITIES_CAP, capabilities);
        double lists = 0;
        for (MetadataChange m : metadata) {
            if (m.field().equals("Requires-Dist") || m.field().equals("entry point")) {
                lists += m.newValue().isEmpty() ? 0 : LIST_WEIGHT;
            } else {
                drift += IDENTITY_WEIGHT;
            }
        }
        drift = Math.min(10.0, Math.round((drift + Math.min(LIST_CAP, lists)) * 100.0) / 100.0);
        Verdict verdict = !oldPkg.readable() || !newPkg.readable() ? Verdict.ERROR
                : drift >= threshold ? Verdict.MALICIOUS
                : drift >= threshold / 2 ? Verdict.SUSPICIOUS : Verdict.BENIGN;
        return new ReleaseDiff(oldResult, newResult, files, newFindings, newCapabilities, metadata, standouts,
                drift, verdict);
    }

    /**
     * The changes that stand out: a new {@code .pth} start-up hook, network access at install time, execution of
     * decoded data. Each is reported once.
     */
    private static List<String> standouts(List<Finding> newFindings, List<Finding> newCapabilities) {
        Set<String> out = new java.util.LinkedHashSet<>();
        for (Finding f : newCapabilities) {
            if (f.ruleId().equals("KS-CAP-INSTALL-HOOK") && f.file().toLowerCase(Locale.ROOT).endsWith(".pth")) {
                out.add("new start-up hook: " + f.file() + " runs code at every interpreter start");
            }
        }
        for (Finding f : newFindings) {
            if (f.ruleId().equals("KS-IMPORT-PTH-CODE")) {
                out.add("new start-up hook: " + f.file() + " runs code at every interpreter start");
            }
        }
        for (Finding f : newCapabilities) {
            if (f.ruleId().equals("KS-CAP-NETWORK-CLIENT") && f.reach() == Reach.INSTALL_TIME) {
                out.add("new install-time network access: " + f.file() + ":" + f.line());
            }
        }
        for (Finding f : newFindings) {
            if (f.ruleId().equals("KS-INSTALL-NETWORK")) {
                out.add("new install-time network access: " + f.file() + ":" + f.line());
            }
        }
        for (Finding f : newFindings) {
            if (f.ruleId().equals("KS-EXEC-DECODED-CODE") || f.ruleId().equals("KS-PROCESS-ENCODED-COMMAND")) {
                out.add("new execution of decoded data: " + f.file() + ":" + f.line());
            }
        }
        return List.copyOf(out);
    }

    /** A finding's identity across releases: rule, file (version neutral) and evidence; lines move. */
    private static String findingKey(Finding f, String version) {
        return f.ruleId() + '\u0000' + neutral(f.file(), version) + '\u0000' + f.evidence();
    }

    /** The path with the release's version replaced by {@value #VERSION_PLACEHOLDER}. */
    static String neutral(String path, String version) {
        return version.isEmpty() ? path : path.replace(version, VERSION_PLACEHOLDER);
    }

    private static Map<String, String> hashes(UnpackedPackage pkg, String version) {
        Map<String, String> out = new TreeMap<>();
        for (ArchiveEntry e : pkg.entries()) {
            out.put(neutral(e.path(), version), sha256(e.bytes()));
        }
        return out;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static List<MetadataChange> metadataChanges(UnpackedPackage oldPkg, UnpackedPackage newPkg) {
        ReleaseMetadata a = ReleaseMetadata.of(oldPkg);
        ReleaseMetadata b = ReleaseMetadata.of(newPkg);
        List<MetadataChange> out = new ArrayList<>();
        for (String field : IDENTITY_FIELDS) {
            String x = a.header(field);
            String y = b.header(field);
            if (!x.equalsIgnoreCase(y)) {
                out.add(new MetadataChange(field, x, y));
            }
        }
        if (!a.buildBackend().equals(b.buildBackend())) {
            out.add(new MetadataChange("build-backend", a.buildBackend(), b.buildBackend()));
        }
        listChanges("Requires-Dist", a.dependencies(), b.dependencies(), out);
        listChanges("entry point", a.entryPoints(), b.entryPoints(), out);
        return out;
    }

    private static void listChanges(String field, Set<String> a, Set<String> b, List<MetadataChange> out) {
        for (String x : a) {
            if (!b.contains(x)) {
                out.add(new MetadataChange(field, x, ""));
            }
        }
        for (String y : b) {
            if (!a.contains(y)) {
                out.add(new MetadataChange(field, "", y));
            }
        }
    }

    /**
     * The metadata of one release: PKG-INFO/METADATA headers (the shallowest metadata file), dependencies
     * (Requires-Dist, else an egg-info requires.txt), entry points (entry_points.txt) and the pyproject build
     * backend.
     */
    record ReleaseMetadata(Map<String, List<String>> headers, Set<String> dependencies, Set<String> entryPoints,
                           String buildBackend) {
        private static final Pattern BACKEND = Pattern.compile("(?m)^\\s*build-backend\\s*=\\s*[\"']([^\"']*)[\"']");
        private static final Pattern DEPENDENCY_NAME = Pattern.compile("^\\s*([A-Za-z0-9][A-Za-z0-9._-]*)(.*)$");

        String header(String key) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(key) && !e.getValue().isEmpty()) {
                    return e.getValue().get(0).strip();
                }
            }
            return "";
        }

        static ReleaseMetadata of(UnpackedPackage pkg) {
            ArchiveEntry meta = shallowest(pkg, p -> p.endsWith(".dist-info/METADATA") || p.endsWith("PKG-INFO")
                    && !p.contains(".egg-info/"));
            if (meta == null) {
                meta = shallowest(pkg, p -> p.endsWith(".egg-info/PKG-INFO"));
            }
            Map<String, List<String>> headers = meta == null ? Map.of() : headers(text(meta));
            Set<String> deps = new TreeSet<>();
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase("Requires-Dist")) {
                    e.getValue().forEach(v -> deps.add(normalizeDependency(v)));
                }
            }
            if (deps.isEmpty()) {
                ArchiveEntry requires = shallowest(pkg, p -> p.endsWith(".egg-info/requires.txt"));
                if (requires != null) {
                    for (String line : text(requires).split("\n")) {
                        String l = line.strip();
                        if (l.startsWith("[")) {
                            break; // extras follow; the unconditional requirements come first
                        }
                        if (!l.isEmpty() && !l.startsWith("#")) {
                            deps.add(normalizeDependency(l));
                        }
                    }
                }
            }
            Set<String> entryPoints = new TreeSet<>();
            ArchiveEntry eps = shallowest(pkg, p -> p.endsWith(".dist-info/entry_points.txt")
                    || p.endsWith(".egg-info/entry_points.txt"));
            if (eps != null) {
                String section = "";
                for (String line : text(eps).split("\n")) {
                    String l = line.strip();
                    if (l.startsWith("[") && l.endsWith("]")) {
                        section = l.substring(1, l.length() - 1).strip();
                    } else if (l.contains("=") && !l.startsWith("#")) {
                        entryPoints.add(section + ": " + l.replaceAll("\\s*=\\s*", " = "));
                    }
                }
            }
            ArchiveEntry pyproject = shallowest(pkg, p -> p.endsWith("pyproject.toml"));
            String backend = "";
            if (pyproject != null) {
                Matcher m = BACKEND.matcher(text(pyproject));
                backend = m.find() ? m.group(1).strip() : "";
            }
            return new ReleaseMetadata(headers, deps, entryPoints, backend);
        }

        /** {@code Requests (>=2.0)} and {@code requests>=2.0} are the same requirement. */
        private static String normalizeDependency(String requirement) {
            Matcher m = DEPENDENCY_NAME.matcher(requirement.strip());
            if (!m.matches()) {
                return requirement.strip();
            }
            String name = m.group(1).toLowerCase(Locale.ROOT).replaceAll("[._-]+", "-");
            String rest = m.group(2).replaceAll("\\s+", "").replace("(", "").replace(")", "");
            return name + rest;
        }

        private static ArchiveEntry shallowest(UnpackedPackage pkg, java.util.function.Predicate<String> match) {
            ArchiveEntry best = null;
            for (ArchiveEntry e : pkg.entries()) {
                if (match.test(e.path()) && !e.path().contains("!/")
                        && (best == null || depth(e.path()) < depth(best.path()))) {
                    best = e;
                }
            }
            return best;
        }

        private static int depth(String path) {
            return (int) path.chars().filter(c -> c == '/').count();
        }

        private static String text(ArchiveEntry e) {
            return new String(e.bytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
        }

        /** RFC 822-style headers up to the first blank line; continuation lines are joined. */
        private static Map<String, List<String>> headers(String text) {
            Map<String, List<String>> out = new LinkedHashMap<>();
            String last = null;
            for (String line : text.split("\n")) {
                if (line.isEmpty()) {
                    break;
                }
                if ((line.startsWith(" ") || line.startsWith("\t")) && last != null) {
                    List<String> values = out.get(last);
                    values.set(values.size() - 1, values.get(values.size() - 1) + " " + line.strip());
                    continue;
                }
                int colon = line.indexOf(':');
                if (colon > 0) {
                    last = line.substring(0, colon).strip();
                    out.computeIfAbsent(last, k -> new ArrayList<>()).add(line.substring(colon + 1).strip());
                }
            }
            return out;
        }
    }
}
