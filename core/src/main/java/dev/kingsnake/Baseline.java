package dev.kingsnake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The findings a project has already looked at, by fingerprint. A scanner given a baseline
 * ({@link Suppressions#withBaseline}) sets these findings aside and reports only new ones.
 *
 * <p>A fingerprint is {@code <digest>:<n>}: the digest covers the rule, the package name, the file path with the
 * version written as {@code {version}}, the evidence with its whitespace collapsed and the decoding chain, but
 * not line numbers, so code moving within a file or a new release keeps its fingerprints; {@code n} numbers the
 * findings with the same digest in line order, so a second copy of a known finding is new (a baseline keyed by
 * rule and file alone would hide it).
 */
public final class Baseline {
    public static final Baseline EMPTY = new Baseline(Map.of());
    /** Made when a baseline is first read or written, not by every scan that has none. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }
    private static final int FORMAT = 1;

    /** Fingerprint to a short description (package, rule, file) kept so a reviewer can read the file. */
    private final Map<String, Entry> entries;

    /** What the baseline file says about one finding, besides its fingerprint. */
    public record Entry(String packageName, String ruleId, String file) {
    }

    private Baseline(Map<String, Entry> entries) {
        this.entries = Map.copyOf(entries);
    }

    /** The baseline of these results: every finding, suppressed or not. */
    public static Baseline of(Iterable<ScanResult> results) {
        Builder b = new Builder();
        results.forEach(b::add);
        return b.build();
    }

    /** Collects a baseline result by result, as a batch delivers them; not thread-safe. */
    public static final class Builder {
        private final Map<String, Entry> entries = new HashMap<>();

        public Builder add(ScanResult r) {
            List<Finding> all = allFindings(r);
            List<String> prints = fingerprints(r.name(), r.version(), all);
            for (int i = 0; i < all.size(); i++) {
                Finding f = all.get(i);
                entries.put(prints.get(i), new Entry(r.name(), f.ruleId(), f.file()));
            }
            return this;
        }

        public Baseline build() {
            return new Baseline(entries);
        }
    }

    /** A result's findings followed by its suppressed ones. */
    public static List<Finding> allFindings(ScanResult r) {
        return Stream.concat(r.findings().stream(), r.suppressed().stream().map(SuppressedFinding::finding)).toList();
    }

    public boolean contains(String fingerprint) {
        return entries.containsKey(fingerprint);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public Set<String> fingerprints() {
        return entries.keySet();
    }

    /**
     * The fingerprints of one package's findings, in the order given. The numbering of equal digests follows
     * line and column, so the result does not depend on the order of {@code findings}.
     */
    public static List<String> fingerprints(String packageName, String version, List<Finding> findings) {
        List<String> digests = new ArrayList<>(findings.size());
        for (Finding f : findings) {
            digests.add(digest(packageName, version, f));
        }
        Integer[] order = new Integer[findings.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.<Integer, String>comparing(digests::get)
                .thenComparingInt(i -> findings.get(i).line())
                .thenComparingInt(i -> findings.get(i).column()));
        String[] out = new String[order.length];
        Map<String, Integer> seen = new HashMap<>();
        for (int i : order) {
            int n = seen.merge(digests.get(i), 1, Integer::sum);
            out[i] = digests.get(i) + ":" + n;
        }
        return List.of(out);
    }

    private static String digest(String packageName, String version, Finding f) {
        String file = f.file().replaceAll("#layer[0-9]+", "#layer");
        if (!version.isEmpty()) {
            file = file.replace(version, "{version}");
        }
        String evidence = f.evidence().strip().replaceAll("\\s+", " ");
        String key = String.join("\u0000", f.ruleId(), canonicalName(packageName), file, evidence,
                String.join(">", f.decodeChain()));
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** PEP 503 normalisation, so {@code Foo_Bar} and {@code foo-bar} share fingerprints. */
    static String canonicalName(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
    }

    /** Reads a baseline file written by {@link #write}. */
    public static Baseline read(Path file) throws IOException {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException("not a Kingsnake baseline: " + e.getMessage(), e);
        }
        if (root == null || root.path("kingsnakeBaseline").asInt() != FORMAT || !root.path("findings").isArray()) {
            throw new IOException("not a Kingsnake baseline (format " + FORMAT + ")");
        }
        Map<String, Entry> out = new HashMap<>();
        for (JsonNode f : root.path("findings")) {
            String print = f.path("fingerprint").asText("");
            if (print.isEmpty()) {
                throw new IOException("baseline entry without a fingerprint");
            }
            out.put(print, new Entry(f.path("package").asText(""), f.path("rule").asText(""),
                    f.path("file").asText("")));
        }
        return new Baseline(out);
    }

    /** Writes the baseline as JSON, sorted by package, file, rule and fingerprint so that diffs stay small. */
    public void write(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            write(out);
        }
    }

    public void write(OutputStream out) throws IOException {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("kingsnakeBaseline", FORMAT);
        ArrayNode list = root.putArray("findings");
        TreeMap<String, String> sorted = new TreeMap<>();
        entries.forEach((print, e) -> sorted.put(String.join("\u0000", e.packageName(), e.file(), e.ruleId(), print),
                print));
        for (String print : sorted.values()) {
            Entry e = entries.get(print);
            list.addObject().put("package", e.packageName()).put("rule", e.ruleId()).put("file", e.file())
                    .put("fingerprint", print);
        }
        Json.MAPPER.writer().without(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                .writeValue(out, root);
    }
}
