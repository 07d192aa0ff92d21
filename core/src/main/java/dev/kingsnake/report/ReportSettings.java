package dev.kingsnake.report;

import dev.kingsnake.spi.RuleInfo;

import java.util.List;
import java.util.Objects;

/**
 * What report writers need to know besides the results.
 *
 * @param toolVersion Kingsnake's version, written into JSON and SARIF headers
 * @param threshold   the scanner's MALICIOUS threshold, written into the JSON header
 * @param rules       the rules the scanner ran (SARIF lists them as the tool's rules)
 * @param brief       text format only: print only packages that have findings, diagnostics or a verdict
 *                    other than BENIGN
 */
public record ReportSettings(String toolVersion, double threshold, List<RuleInfo> rules, boolean brief) {
    public ReportSettings {
        Objects.requireNonNull(toolVersion, "toolVersion");
        rules = List.copyOf(rules);
    }
}
