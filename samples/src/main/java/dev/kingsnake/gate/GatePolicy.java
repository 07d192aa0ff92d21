package dev.kingsnake.gate;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.kingsnake.Verdict;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the gate lets through: plain data, read from a TOML file, deciding without I/O. A file is first judged by
 * what the index says of it ({@link #beforeScan}: deny list, allow list, cooldown), then by its scan
 * ({@link #afterScan}). Index pages leave out every file that would be refused ({@link #listed}), so a resolver
 * falls back to an earlier release instead of failing on a refused one.
 *
 * @param minAge            files uploaded more recently than this are hidden and refused (zero: no cooldown)
 * @param unknownUploadTime what a cooldown does with a file whose index gives no upload time
 * @param suspicious        what to do with a SUSPICIOUS file (served with a warning, or refused)
 * @param partial           what to do with a file whose scan a limit cut short (when the verdict is not MALICIOUS)
 * @param error             what to do with a file the scanner could not read
 * @param allow             served without a scan (deny wins over allow)
 * @param deny              always refused and left out of index pages
 * @param appeal            how to appeal a refusal, told to the client with every refusal
 */
public record GatePolicy(Duration minAge, Action unknownUploadTime, Action suspicious, Action partial, Action error,
                         List<PackageSelector> allow, List<PackageSelector> deny, String appeal) {

    /** Serve or refuse. */
    public enum Action { SERVE, REFUSE }

    /** What the index says of a requested file. */
    public record Candidate(String project, Optional<String> version, Optional<String> sha256,
                            Optional<Instant> uploadTime) {
        public Candidate {
            Objects.requireNonNull(project, "project");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(sha256, "sha256");
            Objects.requireNonNull(uploadTime, "uploadTime");
        }
    }

    /** The policy's answer for one file. */
    public sealed interface Decision {
        /** Serve it; {@code warning} is told to the client and logged. */
        record Serve(Optional<String> warning, String why) implements Decision {
        }

        /** Scan it, then ask {@link #afterScan}. */
        record Scan() implements Decision {
        }

        /** Refuse it (HTTP 403) for this reason. */
        record Refuse(String reason) implements Decision {
        }
    }

    private static final Set<String> KEYS = Set.of("min-age", "unknown-upload-time", "suspicious", "partial", "error",
            "allow", "deny", "appeal");
    static final String DEFAULT_APPEAL = "If this is a mistake, ask the gate's operator to add sha256:<digest> to the "
            + "allow list of its policy file.";

    public GatePolicy {
        Objects.requireNonNull(minAge, "minAge");
        if (minAge.isNegative()) {
            throw new IllegalArgumentException("min-age must not be negative: " + minAge);
        }
        Objects.requireNonNull(unknownUploadTime, "unknownUploadTime");
        Objects.requireNonNull(suspicious, "suspicious");
        Objects.requireNonNull(partial, "partial");
        Objects.requireNonNull(error, "error");
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
        Objects.requireNonNull(appeal, "appeal");
    }

    /** No cooldown, SUSPICIOUS served with a warning, partial scans and scanner errors refused (fail closed). */
    public static GatePolicy defaults() {
        return new GatePolicy(Duration.ZERO, Action.REFUSE, Action.SERVE, Action.REFUSE, Action.REFUSE, List.of(),
                List.of(), DEFAULT_APPEAL);
    }

    /** This policy with another cooldown. */
    public GatePolicy withMinAge(Duration age) {
        return new GatePolicy(age, unknownUploadTime, suspicious, partial, error, allow, deny, appeal);
    }

    /**
     * Reads a policy file; keys not given keep their {@linkplain #defaults() defaults}. Every problem (unknown key,
     * bad value, bad list entry) is reported at once in the exception's message, so a typo in a security setting
     * stops the gate instead of being ignored.
     */
    public static GatePolicy parse(String toml) {
        JsonNode root;
        try {
            root = new TomlMapper().readTree(toml);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("policy is not valid TOML: " + e.getOriginalMessage());
        }
        List<String> problems = new ArrayList<>();
        for (Iterator<String> keys = root.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!KEYS.contains(key)) {
                problems.add("unknown key '" + key + "' (known: " + String.join(", ", new java.util.TreeSet<>(KEYS)) + ")");
            }
        }
        GatePolicy d = defaults();
        Duration minAge = d.minAge();
        if (root.has("min-age")) {
            Optional<Duration> parsed = Durations.parse(root.get("min-age").asText());
            if (parsed.isEmpty()) {
                problems.add("min-age '" + root.get("min-age").asText() + "' is not a duration (e.g. 3d, 12h)");
            }
            minAge = parsed.orElse(minAge);
        }
        GatePolicy policy = new GatePolicy(minAge,
                action(root, "unknown-upload-time", d.unknownUploadTime(), problems),
                action(root, "suspicious", d.suspicious(), problems),
                action(root, "partial", d.partial(), problems),
                action(root, "error", d.error(), problems),
                selectors(root, "allow", problems), selectors(root, "deny", problems),
                root.has("appeal") ? root.get("appeal").asText() : d.appeal());
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("policy: " + String.join("; ", problems));
        }
        return policy;
    }

    private static Action action(JsonNode root, String key, Action fallback, List<String> problems) {
        if (!root.has(key)) {
            return fallback;
        }
        String value = root.get(key).asText().toUpperCase(Locale.ROOT);
        try {
            return Action.valueOf(value);
        } catch (IllegalArgumentException e) {
            problems.add(key + " must be \"serve\" or \"refuse\", not '" + root.get(key).asText() + "'");
            return fallback;
        }
    }

    private static List<PackageSelector> selectors(JsonNode root, String key, List<String> problems) {
        List<PackageSelector> out = new ArrayList<>();
        if (!root.has(key)) {
            return out;
        }
        if (!root.get(key).isArray()) {
            problems.add(key + " must be a list of strings");
            return out;
        }
        for (JsonNode entry : root.get(key)) {
            Optional<PackageSelector> s = PackageSelector.parse(entry.asText());
            if (s.isEmpty()) {
                problems.add(key + " entry '" + entry.asText() + "' is not NAME, NAME==VERSION or sha256:HEX");
            }
            s.ifPresent(out::add);
        }
        return out;
    }

    /** The decision from what the index says, before any download. */
    public Decision beforeScan(Candidate c, Instant now) {
        Optional<PackageSelector> denied = deny.stream()
                .filter(s -> s.matches(c.project(), c.version(), c.sha256())).findFirst();
        if (denied.isPresent()) {
            return new Decision.Refuse("denied by the gate's policy (" + describe(denied.get()) + ")");
        }
        Optional<PackageSelector> allowed = allow.stream()
                .filter(s -> s.matches(c.project(), c.version(), c.sha256())).findFirst();
        if (allowed.isPresent()) {
            return new Decision.Serve(Optional.empty(), "allowed by the gate's policy (" + describe(allowed.get()) + ")");
        }
        if (!minAge.isZero()) {
            if (c.uploadTime().isEmpty()) {
                if (unknownUploadTime == Action.REFUSE) {
                    return new Decision.Refuse("upload time unknown and the gate's cooldown is " + Durations.format(minAge));
                }
            } else {
                Duration age = Duration.between(c.uploadTime().get(), now);
                if (age.compareTo(minAge) < 0) {
                    return new Decision.Refuse("uploaded " + Durations.format(age)
                            + " ago, younger than the gate's cooldown of " + Durations.format(minAge));
                }
            }
        }
        return new Decision.Scan();
    }

    /** The decision from a scan. */
    public Decision afterScan(ScanRecord r) {
        if (r.verdict() == Verdict.MALICIOUS) {
            return new Decision.Refuse(r.summary());
        }
        if (r.verdict() == Verdict.ERROR) {
            return error == Action.REFUSE ? new Decision.Refuse("the scanner could not read the file: " + r.summary())
                    : new Decision.Serve(Optional.of("not scanned: " + r.summary()), "error served by policy");
        }
        if (r.partial() && partial == Action.REFUSE) {
            return new Decision.Refuse("the scan was cut short by a limit: " + r.summary());
        }
        if (r.verdict() == Verdict.SUSPICIOUS) {
            return suspicious == Action.REFUSE ? new Decision.Refuse(r.summary())
                    : new Decision.Serve(Optional.of(r.summary()), "suspicious served by policy");
        }
        return new Decision.Serve(r.partial() ? Optional.of("partial scan: " + r.summary()) : Optional.empty(),
                r.verdict().name().toLowerCase(Locale.ROOT));
    }

    /** Whether an index page lists the file: not when it would be refused, before or after its (known) scan. */
    public boolean listed(Candidate c, Optional<ScanRecord> known, Instant now) {
        Decision before = beforeScan(c, now);
        if (before instanceof Decision.Refuse) {
            return false;
        }
        if (before instanceof Decision.Serve) {
            return true;
        }
        return known.map(r -> !(afterScan(r) instanceof Decision.Refuse)).orElse(true);
    }

    private static String describe(PackageSelector s) {
        if (s instanceof PackageSelector.Project p) {
            return p.name();
        }
        if (s instanceof PackageSelector.Release r) {
            return r.name() + "==" + r.version();
        }
        return "sha256:" + ((PackageSelector.File) s).sha256();
    }
}
