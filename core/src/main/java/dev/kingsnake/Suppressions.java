package dev.kingsnake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.kingsnake.spi.SourceFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * What a scanner sets aside: the entries of the user's suppression file and the findings of a {@link Baseline}.
 * Suppressed findings are reported as such ({@link ScanResult#suppressed()}) and do not count towards the score.
 * Suppressions come only from the user, never from the scanned package: no comment or file inside a package
 * is honoured.
 *
 * <p>The file is TOML, one {@code [[suppress]]} table per entry:
 * <pre>
 * [[suppress]]
 * rule = "KS-NET-INSTALL"
 * path = "&#42;/setup.py"          # glob over the path inside the package (optional)
 * sha256 = "9f86d08...0a08"     # SHA-256 of that file's bytes (optional; path, sha256 or both)
 * reason = "our build downloads the toolchain from our own mirror"
 * </pre>
 */
public final class Suppressions {
    public static final Suppressions NONE = new Suppressions(List.of(), Baseline.EMPTY);
    /** The reason given for findings that are in the baseline. */
    public static final String BASELINE_REASON = "baseline";

    /** Made when a suppression file is first read, not by every scan that has none. */
    private static final class Toml {
        static final TomlMapper MAPPER = new TomlMapper();
    }

    private final List<Suppression> entries;
    private final List<Pattern> globs;
    private final Baseline baseline;

    private Suppressions(List<Suppression> entries, Baseline baseline) {
        this.entries = List.copyOf(entries);
        this.globs = this.entries.stream().map(e -> e.pathGlob().map(Suppression::globPattern).orElse(null)).toList();
        this.baseline = Objects.requireNonNull(baseline, "baseline");
    }

    public static Suppressions of(List<Suppression> entries) {
        return new Suppressions(entries, Baseline.EMPTY);
    }

    /** These entries and, in addition, every finding of {@code baseline}. */
    public Suppressions withBaseline(Baseline baseline) {
        return new Suppressions(entries, baseline);
    }

    public List<Suppression> entries() {
        return entries;
    }

    public Baseline baseline() {
        return baseline;
    }

    public boolean isEmpty() {
        return entries.isEmpty() && baseline.isEmpty();
    }

    /** Reads a suppression file. */
    public static Suppressions read(Path toml) throws IOException {
        return parse(Files.readString(toml));
    }

    /**
     * Parses the TOML text of a suppression file.
     *
     * @throws IOException when it is not TOML or an entry is incomplete (the message says which)
     */
    public static Suppressions parse(String toml) throws IOException {
        JsonNode root = Toml.MAPPER.readTree(toml);
        List<Suppression> out = new ArrayList<>();
        JsonNode list = root.path("suppress");
        if (!list.isMissingNode() && !list.isArray()) {
            throw new IOException("suppress must be an array of tables: [[suppress]]");
        }
        for (JsonNode entry : list) {
            try {
                out.add(new Suppression(text(entry, "rule").orElse(""), text(entry, "path"), text(entry, "sha256"),
                        text(entry, "reason").orElse("")));
            } catch (IllegalArgumentException e) {
                throw new IOException("suppression " + (out.size() + 1) + ": " + e.getMessage(), e);
            }
        }
        return of(out);
    }

    private static Optional<String> text(JsonNode entry, String field) {
        JsonNode v = entry.get(field);
        return v == null || !v.isTextual() ? Optional.empty() : Optional.of(v.asText());
    }

    /**
     * Why a finding is suppressed, if it is.
     *
     * @param finding     the finding
     * @param fingerprint its {@link Baseline#fingerprints fingerprint}
     * @param entrySha256 the SHA-256 of the finding's archive entry, computed on demand (empty when the finding
     *                    is about the package as a whole)
     */
    public Optional<String> reason(Finding finding, String fingerprint, Supplier<Optional<String>> entrySha256) {
        String entryPath = SourceFile.entryPath(finding.file());
        for (int i = 0; i < entries.size(); i++) {
            Suppression s = entries.get(i);
            Pattern glob = globs.get(i);
            if (s.ruleId().equals(finding.ruleId())
                    && (glob == null || glob.matcher(entryPath).matches())
                    && (s.sha256().isEmpty() || entrySha256.get().filter(s.sha256().get()::equals).isPresent())) {
                return Optional.of(s.reason());
            }
        }
        return baseline.contains(fingerprint) ? Optional.of(BASELINE_REASON) : Optional.empty();
    }

}
