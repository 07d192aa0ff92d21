package dev.kingsnake.gate;

import dev.kingsnake.Finding;
import dev.kingsnake.ScanResult;
import dev.kingsnake.Verdict;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What the gate keeps of one scan: enough to decide again and to tell a client why, keyed by the file's sha-256
 * and the rules version that judged it.
 *
 * @param sha256       the file's digest, lower-case hex
 * @param rulesVersion the Kingsnake version, threshold and rule set that produced the verdict
 * @param verdict      the scanner's verdict
 * @param score        0–10
 * @param partial      a limit cut the scan short
 * @param evidence     the most serious findings (at most {@link #MAX_EVIDENCE}), or the diagnostics of an ERROR
 * @param scannedAt    when the scan finished
 * @param scanMillis   how long the scan took
 */
public record ScanRecord(String sha256, String rulesVersion, Verdict verdict, double score, boolean partial,
                         List<Evidence> evidence, Instant scannedAt, long scanMillis) {
    static final int MAX_EVIDENCE = 10;

    /** One finding as a client is told about it. */
    public record Evidence(String ruleId, String file, int line, String evidence) {
        public Evidence {
            Objects.requireNonNull(ruleId, "ruleId");
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(evidence, "evidence");
        }

        /** {@code KS-RULE at path:line}. */
        public String place() {
            return file.isEmpty() ? ruleId : ruleId + " at " + file + (line > 0 ? ":" + line : "");
        }
    }

    public ScanRecord {
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(rulesVersion, "rulesVersion");
        Objects.requireNonNull(verdict, "verdict");
        evidence = List.copyOf(evidence);
        Objects.requireNonNull(scannedAt, "scannedAt");
    }

    /** The record of a finished scan. */
    public static ScanRecord of(String sha256, String rulesVersion, ScanResult result, long scanMillis) {
        List<Evidence> evidence = result.verdict() == Verdict.ERROR
                ? result.diagnostics().stream().limit(MAX_EVIDENCE)
                        .map(d -> new Evidence(d.code().name(), d.file(), 0, d.message())).toList()
                : result.findings().stream().limit(MAX_EVIDENCE).map(ScanRecord::evidence).toList();
        return new ScanRecord(sha256, rulesVersion, result.verdict(), result.score(), result.partial(), evidence,
                Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS), scanMillis);
    }

    private static Evidence evidence(Finding f) {
        String text = f.evidence().isEmpty() ? f.message() : f.evidence();
        return new Evidence(f.ruleId(), f.file(), f.line(), text.length() > 200 ? text.substring(0, 200) + "..." : text);
    }

    /** The distinct rule ids of the evidence, most serious first. */
    public List<String> ruleIds() {
        return evidence.stream().map(Evidence::ruleId).distinct().toList();
    }

    /** One line: verdict, score and where the first findings are. */
    public String summary() {
        String places = evidence.stream().limit(3).map(Evidence::place).collect(Collectors.joining(", "));
        return verdict + " (score " + String.format(java.util.Locale.ROOT, "%.1f", score) + (partial ? ", partial scan" : "")
                + ")" + (places.isEmpty() ? "" : ": " + places);
    }
}
