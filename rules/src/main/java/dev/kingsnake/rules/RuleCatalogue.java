package dev.kingsnake.rules;

import dev.kingsnake.Scanner;
import dev.kingsnake.spi.Rule;
import dev.kingsnake.spi.RuleInfo;

import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * The rule table of the README, generated from rule metadata so that it cannot drift from the code. The
 * README holds it between {@value #BEGIN} and {@value #END}; {@code RuleCatalogueTest} fails when they
 * differ (run it with {@code -Dkingsnake.updateReadme=true} to rewrite the section).
 */
public final class RuleCatalogue {
    public static final String BEGIN = "<!-- rules:begin -->";
    public static final String END = "<!-- rules:end -->";

    private RuleCatalogue() {
    }

    /** Metadata of every rule registered with {@link java.util.ServiceLoader}, sorted by id. */
    public static List<RuleInfo> registered() {
        return Scanner.loadRules().stream().map(Rule::info).sorted(Comparator.comparing(RuleInfo::id)).toList();
    }

    /** A GitHub-flavoured markdown table of the rules, one row each, sorted by id; ends with a newline. */
    public static String markdownTable(List<RuleInfo> rules) {
        StringBuilder sb = new StringBuilder();
        sb.append("| Rule | Severity / confidence | Tags | What it flags | Example | False positives |\n");
        sb.append("|---|---|---|---|---|---|\n");
        for (RuleInfo r : rules.stream().sorted(Comparator.comparing(RuleInfo::id)).toList()) {
            sb.append("| `").append(r.id()).append("` | ")
                    .append(r.severity()).append(" / ").append(r.confidence()).append(" | ")
                    .append(String.join(", ", new TreeSet<>(r.tags()))).append(" | ")
                    .append(cell(r.summary())).append(" | ")
                    .append(code(r.example())).append(" | ")
                    .append(cell(r.falsePositives())).append(" |\n");
        }
        return sb.toString();
    }

    private static String cell(String text) {
        return html(text.strip()).replace("\r\n", "\n").replace("\n", "<br>");
    }

    /** Each line in its own {@code <code>} element, so pipes, indentation and line breaks survive in a cell. */
    private static String code(String text) {
        StringBuilder sb = new StringBuilder();
        for (String line : text.strip().split("\r?\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append("<br>");
            }
            int indent = 0;
            while (indent < line.length() && line.charAt(indent) == ' ') {
                indent++;
            }
            sb.append("<code>").append("&nbsp;".repeat(indent)).append(html(line.substring(indent).stripTrailing()))
                    .append("</code>");
        }
        return sb.toString();
    }

    private static String html(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "&#124;")
                .replace("`", "&#96;");
    }
}
