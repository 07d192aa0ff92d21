package dev.kingsnake.report;

import dev.kingsnake.spi.RuleInfo;

import java.util.List;
import java.util.TreeSet;

/** The README's rule table, generated from {@link RuleInfo} so that documentation cannot drift from code. */
public final class RuleTable {
    /** Marker lines in README.md between which the generated table goes. */
    public static final String BEGIN = "<!-- rules:begin -->";
    public static final String END = "<!-- rules:end -->";

    private RuleTable() {
    }

    /** A Markdown table: one row per rule, in the order given. */
    public static String markdown(List<RuleInfo> rules) {
        StringBuilder b = new StringBuilder();
        b.append("| Rule | Severity | Confidence | Tags | Flags |\n");
        b.append("|---|---|---|---|---|\n");
        for (RuleInfo r : rules) {
            b.append("| `").append(r.id()).append("` | ")
                    .append(r.severity()).append(" | ")
                    .append(r.confidence()).append(" | ")
                    .append(cell(String.join(", ", new TreeSet<>(r.tags())))).append(" | ")
                    .append(cell(r.summary())).append(" |\n");
        }
        return b.toString();
    }

    /**
     * Replaces whatever is between the {@link #BEGIN} and {@link #END} markers of {@code document} with
     * {@code table}.
     *
     * @throws IllegalArgumentException if the markers are missing or out of order
     */
    public static String splice(String document, String table) {
        int begin = document.indexOf(BEGIN);
        int end = document.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("the document has no " + BEGIN + " ... " + END + " section");
        }
        return document.substring(0, begin + BEGIN.length()) + "\n" + table + document.substring(end);
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\r", " ").replace("\n", " ");
    }
}
