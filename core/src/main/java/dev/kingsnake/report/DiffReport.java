package dev.kingsnake.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kingsnake.CapabilitySummary;
import dev.kingsnake.Finding;
import dev.kingsnake.ReleaseDiff;
import dev.kingsnake.spi.RuleInfo;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes a {@link ReleaseDiff} as text, JSON or SARIF 2.1.0. Standouts come first in every format. Text from the
 * packages is escaped as in the scan report.
 */
public final class DiffReport {
    /** SARIF rule id of a metadata change. */
    static final String METADATA_RULE = "KS-DIFF-METADATA";
    /** SARIF rule id of a standout (start-up hook, install-time network, exec of decoded data). */
    static final String STANDOUT_RULE = "KS-DIFF-STANDOUT";

    private DiffReport() {
    }

    public static void write(ReleaseDiff d, ReportFormat format, ReportSettings settings, OutputStream out)
            throws IOException {
        switch (format) {
            case TEXT -> text(d, out);
            case SARIF -> writeJson(sarif(d, settings), out);
            default -> writeJson(json(d, settings), out);
        }
    }

    private static void writeJson(ObjectNode node, OutputStream out) throws IOException {
        ResultJson.MAPPER.writerWithDefaultPrettyPrinter().writeValue(out, node);
        out.write('\n');
        out.flush();
    }

    public static ObjectNode json(ReleaseDiff d, ReportSettings settings) {
        ObjectNode o = ResultJson.MAPPER.createObjectNode();
        o.putObject("tool").put("name", "Kingsnake").put("version", settings.toolVersion());
        o.put("threshold", settings.threshold());
        o.put("verdict", d.verdict().name());
        o.put("drift", d.drift());
        ArrayNode standouts = o.putArray("standouts");
        d.standouts().forEach(standouts::add);
        o.set("old", header(d.oldResult()));
        o.set("new", header(d.newResult()));
        ArrayNode files = o.putArray("files");
        for (ReleaseDiff.FileChange f : d.files()) {
            files.addObject().put("path", f.path()).put("change", f.change().name())
                    .put("oldSha256", f.oldSha256()).put("newSha256", f.newSha256());
        }
        ArrayNode caps = o.putArray("newCapabilities");
        for (CapabilitySummary c : d.newCapabilities()) {
            caps.addObject().put("id", c.id()).put("count", c.count()).put("reach", c.reach().name());
        }
        ArrayNode findings = o.putArray("newFindings");
        d.newFindings().forEach(f -> findings.add(ResultJson.toJson(f)));
        ArrayNode metadata = o.putArray("metadata");
        for (ReleaseDiff.MetadataChange m : d.metadata()) {
            metadata.addObject().put("field", m.field()).put("old", m.oldValue()).put("new", m.newValue());
        }
        return o;
    }

    private static ObjectNode header(dev.kingsnake.ScanResult r) {
        ObjectNode o = ResultJson.MAPPER.createObjectNode();
        o.put("input", r.input()).put("name", r.name()).put("version", r.version())
                .put("verdict", r.verdict().name()).put("score", r.score());
        return o;
    }

    public static ObjectNode sarif(ReleaseDiff d, ReportSettings settings) {
        ObjectNode root = ResultJson.MAPPER.createObjectNode();
        root.put("$schema", SarifReportWriter.SCHEMA);
        root.put("version", "2.1.0");
        ObjectNode run = root.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "Kingsnake").put("version", settings.toolVersion())
                .put("semanticVersion", settings.toolVersion());
        Map<String, String> summaries = new TreeMap<>();
        for (RuleInfo r : settings.rules()) {
            summaries.put(r.id(), r.summary());
        }
        Set<String> used = new LinkedHashSet<>();
        if (!d.standouts().isEmpty()) {
            used.add(STANDOUT_RULE);
        }
        if (!d.metadata().isEmpty()) {
            used.add(METADATA_RULE);
        }
        d.newFindings().forEach(f -> used.add(f.ruleId()));
        ArrayNode rules = driver.putArray("rules");
        Map<String, Integer> index = new TreeMap<>();
        for (String id : used) {
            index.put(id, rules.size());
            String text = id.equals(STANDOUT_RULE) ? "A change that makes a release dangerous on its own"
                    : id.equals(METADATA_RULE) ? "Package metadata changed between releases"
                    : summaries.getOrDefault(id, id);
            rules.addObject().put("id", id).putObject("shortDescription").put("text", text);
        }
        ArrayNode results = run.putArray("results");
        String input = d.newResult().input();
        for (String s : d.standouts()) {
            result(results, STANDOUT_RULE, index, "error", s, input);
        }
        for (ReleaseDiff.MetadataChange m : d.metadata()) {
            result(results, METADATA_RULE, index, "note", m.field() + ": '" + m.oldValue() + "' -> '"
                    + m.newValue() + "'", input);
        }
        for (Finding f : d.newFindings()) {
            ObjectNode r = result(results, f.ruleId(), index, SarifReportWriter.level(f.severity()),
                    f.message().isEmpty() ? f.ruleId() : f.message(), input);
            ObjectNode physical = (ObjectNode) r.get("locations").get(0).get("physicalLocation");
            physical.putObject("artifactLocation").put("uri", SarifReportWriter.uri(input, f.file()));
            if (f.line() > 0) {
                physical.putObject("region").put("startLine", f.line());
            }
            r.putObject("properties").put("reach", f.reach().name()).put("evidence", f.evidence());
        }
        ObjectNode props = run.putObject("properties");
        props.put("verdict", d.verdict().name()).put("drift", d.drift());
        props.put("old", d.oldResult().input()).put("new", input);
        return root;
    }

    private static ObjectNode result(ArrayNode results, String ruleId, Map<String, Integer> index, String level,
                                     String message, String input) {
        ObjectNode r = results.addObject();
        r.put("ruleId", ruleId).put("ruleIndex", index.get(ruleId)).put("level", level);
        r.putObject("message").put("text", message);
        r.putArray("locations").addObject().putObject("physicalLocation").putObject("artifactLocation")
                .put("uri", SarifReportWriter.uri(input, ""));
        return r;
    }

    static void text(ReleaseDiff d, OutputStream stream) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), false);
        out.printf(Locale.ROOT, "%-10s drift %4.1f  %s %s -> %s%n", d.verdict(), d.drift(),
                TextReportWriter.safe(d.newResult().name()), TextReportWriter.safe(d.oldResult().version()),
                TextReportWriter.safe(d.newResult().version()));
        out.printf(Locale.ROOT, "  old: %s %4.1f  %s%n  new: %s %4.1f  %s%n", d.oldResult().verdict(),
                d.oldResult().score(), TextReportWriter.safe(d.oldResult().input()), d.newResult().verdict(),
                d.newResult().score(), TextReportWriter.safe(d.newResult().input()));
        for (String s : d.standouts()) {
            out.println("  !! " + TextReportWriter.safe(s));
        }
        if (!d.newCapabilities().isEmpty()) {
            out.println("  new capabilities: " + TextReportWriter.capabilityLine(d.newCapabilities()));
        }
        for (Finding f : d.newFindings()) {
            out.println("  + " + f.ruleId() + "  " + f.severity() + "/" + f.confidence() + "  "
                    + TextReportWriter.safe(f.file()) + (f.line() > 0 ? ":" + f.line() : "") + "  ("
                    + f.reach().name().toLowerCase(Locale.ROOT).replace('_', '-') + ")  "
                    + TextReportWriter.safe(f.message()));
        }
        for (ReleaseDiff.MetadataChange m : d.metadata()) {
            out.println("  ~ " + m.field() + ": '" + TextReportWriter.safe(m.oldValue()) + "' -> '"
                    + TextReportWriter.safe(m.newValue()) + "'");
        }
        int added = 0;
        int removed = 0;
        int changed = 0;
        for (ReleaseDiff.FileChange f : d.files()) {
            switch (f.change()) {
                case ADDED -> added++;
                case REMOVED -> removed++;
                case CHANGED -> changed++;
            }
        }
        out.printf(Locale.ROOT, "  files: %d added, %d removed, %d changed%n", added, removed, changed);
        for (ReleaseDiff.FileChange f : d.files()) {
            char mark = switch (f.change()) {
                case ADDED -> 'A';
                case REMOVED -> 'D';
                case CHANGED -> 'M';
            };
            out.println("    " + mark + " " + TextReportWriter.safe(f.path()));
        }
        out.flush();
    }
}
