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
 * @param sourceUrls  pypi-report format only: the PyPI download URLs of the scanned files
 *                    ({@code https://files.pythonhosted.org/packages/..../name-1.0.tar.gz}), matched to inputs by
 *                    file name, so that reports link to the file on inspector.pypi.io
 * @param origins     for inputs downloaded from an index, keyed by the result's input: where each came from
 *                    (written as the result's {@code origin} in JSON and JSON Lines)
 */
public record ReportSettings(String toolVersion, double threshold, List<RuleInfo> rules, boolean brief,
                             List<String> sourceUrls, Map<String, FileOrigin> origins) {
    public ReportSettings {
        Objects.requireNonNull(toolVersion, "toolVersion");
        rules = List.copyOf(rules);
        sourceUrls = List.copyOf(sourceUrls);
        origins = Map.copyOf(origins);
    }

    /** Settings without source URLs or origins. */
    public ReportSettings(String toolVersion, double threshold, List<RuleInfo> rules, boolean brief) {
        this(toolVersion, threshold, rules, brief, List.of(), Map.of());
    }

    /** Settings with source URLs, without origins. */
    public ReportSettings(String toolVersion, double threshold, List<RuleInfo> rules, boolean brief,
                          List<String> sourceUrls) {
        this(toolVersion, threshold, rules, brief, sourceUrls, Map.of());
    }
}
