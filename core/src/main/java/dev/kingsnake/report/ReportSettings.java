package dev.kingsnake.report;

import dev.kingsnake.spi.RuleInfo;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What report writers need to know besides the results.
 *
 * @param toolVersion Kingsnake's version, written into JSON and SARIF headers
 * @param threshold   the scanner's MALICIOUS threshold, written into the JSON header
 * @param rules       the rules the scanner ran (SARIF lists them as the tool's rules)
 * @param brief       text format only: print only packages that have findings, diagnostics or a verdict
 *                    other than BENIGN
 * @param origins     for inputs downloaded from an index, keyed by the result's input: where each came from
 *                    (written as the result's {@code origin} in JSON and JSON Lines)
 */
public record ReportSettings(String toolVersion, double threshold, List<RuleInfo> rules, boolean brief,
                             Map<String, FileOrigin> origins) {
    public ReportSettings {
        Objects.requireNonNull(toolVersion, "toolVersion");
        rules = List.copyOf(rules);
        origins = Map.copyOf(origins);
    }

    /** Settings for local inputs only (no origins). */
    public ReportSettings(String toolVersion, double threshold, List<RuleInfo> rules, boolean brief) {
        this(toolVersion, threshold, rules, brief, Map.of());
    }
}
