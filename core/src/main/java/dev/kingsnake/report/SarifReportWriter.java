package dev.kingsnake.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kingsnake.Baseline;
import dev.kingsnake.Diagnostic;
import dev.kingsnake.Excerpt;
import dev.kingsnake.Finding;
import dev.kingsnake.ScanResult;
import dev.kingsnake.Severity;
import dev.kingsnake.Verdict;
import dev.kingsnake.spi.RuleInfo;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * SARIF 2.1.0, one run, streamed. The tool's rules come from {@link RuleInfo}; each finding is a result
 * whose location is the artifact {@code <input>!/<file>} (percent-encoded) with {@code startLine} and
 * {@code startColumn} when known, and whose properties carry the package's name, version, verdict and
 * score. {@code partialFingerprints} carry the line-independent {@link Baseline} fingerprint, so code-scanning
 * services match a finding across runs even when code moves; suppressed findings are results with an
 * {@code external} suppression and its justification. Diagnostics become tool execution notifications of the run's invocation (the first
 * {@value #MAX_NOTIFICATIONS} are kept; the count of the rest is given). Severity maps to level:
 * CRITICAL and HIGH are {@code error}, MEDIUM {@code warning}, LOW and INFO {@code note}.
 */
final class SarifReportWriter implements ReportWriter {
    static final int MAX_NOTIFICATIONS = 10_000;
    static final String SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
    /** The key of our fingerprint in {@code partialFingerprints}; the version changes if the fingerprint does. */
    static final String FINGERPRINT_KEY = "kingsnakeFinding/v1";

    private final JsonGenerator gen;
    private final ReportSettings settings;
    private final Map<String, Integer> ruleIndex = new HashMap<>();
    private final List<ObjectNode> notifications = new ArrayList<>();
    private long omittedNotifications;
    private boolean started;

    SarifReportWriter(OutputStream out, ReportSettings settings) {
        this.gen = ResultJson.prettyGenerator(out);
        this.settings = settings;
        for (int i = 0; i < settings.rules().size(); i++) {
            ruleIndex.put(settings.rules().get(i).id(), i);
        }
    }

    private void start() throws IOException {
        if (started) {
            return;
        }
        started = true;
        gen.writeStartObject();
        gen.writeStringField("$schema", SCHEMA);
        gen.writeStringField("version", "2.1.0");
        gen.writeArrayFieldStart("runs");
        gen.writeStartObject();
        ObjectNode tool = ResultJson.MAPPER.createObjectNode();
        ObjectNode driver = tool.putObject("driver");
        driver.put("name", "Kingsnake");
        driver.put("version", settings.toolVersion());
        driver.put("semanticVersion", settings.toolVersion());
        ArrayNode rules = driver.putArray("rules");
        for (RuleInfo info : settings.rules()) {
            rules.add(rule(info));
        }
        gen.writeFieldName("tool");
        ResultJson.MAPPER.writeTree(gen, tool);
        gen.writeArrayFieldStart("results");
    }

    private static ObjectNode rule(RuleInfo info) {
        ObjectNode r = ResultJson.MAPPER.createObjectNode();
        r.put("id", info.id());
        r.putObject("shortDescription").put("text", info.summary());
        StringBuilder full = new StringBuilder(info.summary());
        if (!info.falsePositives().isEmpty()) {
            full.append(" False positives: ").append(info.falsePositives());
        }
        r.putObject("fullDescription").put("text", full.toString());
        if (!info.example().isEmpty()) {
            r.putObject("help").put("text", "Example: " + info.example());
        }
        r.putObject("defaultConfiguration").put("level", level(info.severity()));
        ObjectNode props = r.putObject("properties");
        ArrayNode tags = props.putArray("tags");
        new TreeSet<>(info.tags()).forEach(tags::add);
        props.put("severity", info.severity().name());
        props.put("confidence", info.confidence().name());
        return r;
    }

    @Override
    public void result(ScanResult r) throws IOException {
        start();
        List<Finding> all = Baseline.allFindings(r);
        List<String> prints = Baseline.fingerprints(r.name(), r.version(), all);
        for (int i = 0; i < all.size(); i++) {
            ObjectNode result = result(r, all.get(i));
            result.putObject("partialFingerprints").put(FINGERPRINT_KEY, prints.get(i));
            if (i >= r.findings().size()) {
                result.putArray("suppressions").addObject().put("kind", "external")
                        .put("justification", r.suppressed().get(i - r.findings().size()).reason());
            }
            ResultJson.MAPPER.writeTree(gen, result);
        }
        for (Diagnostic d : r.diagnostics()) {
            if (notifications.size() < MAX_NOTIFICATIONS) {
                notifications.add(notification(r, d));
            } else {
                omittedNotifications++;
            }
        }
        gen.flush();
    }

    private ObjectNode result(ScanResult r, Finding f) {
        ObjectNode o = ResultJson.MAPPER.createObjectNode();
        o.put("ruleId", f.ruleId());
        Integer index = ruleIndex.get(f.ruleId());
        if (index != null) {
            o.put("ruleIndex", index);
        }
        o.put("level", level(f.severity()));
        o.putObject("message").put("text", f.message().isEmpty() ? f.ruleId() : f.message());
        ObjectNode physical = o.putArray("locations").addObject().putObject("physicalLocation");
        physical.putObject("artifactLocation").put("uri", uri(r.input(), f.file()));
        if (f.line() > 0) {
            ObjectNode region = physical.putObject("region");
            region.put("startLine", f.line());
            if (f.column() > 0) {
                region.put("startColumn", f.column());
            }
            if (!f.evidence().isEmpty()) {
                region.putObject("snippet").put("text", f.evidence());
            }
            Excerpt context = f.context();
            if (!context.lines().isEmpty()) {
                ObjectNode around = physical.putObject("contextRegion");
                around.put("startLine", context.firstLine());
                around.put("endLine", context.lastLine());
                around.putObject("snippet").put("text", String.join("\n", context.lines()));
            }
        }
        ObjectNode props = o.putObject("properties");
        props.put("package", r.name());
        props.put("version", r.version());
        props.put("verdict", r.verdict().name());
        props.put("score", r.score());
        props.put("severity", f.severity().name());
        props.put("confidence", f.confidence().name());
        props.put("reach", f.reach().name());
        props.put("evidence", f.evidence());
        ArrayNode chain = props.putArray("decodeChain");
        f.decodeChain().forEach(chain::add);
        return o;
    }

    private static ObjectNode notification(ScanResult r, Diagnostic d) {
        ObjectNode n = ResultJson.MAPPER.createObjectNode();
        n.put("level", r.verdict() == Verdict.ERROR ? "error" : "warning");
        n.putObject("message").put("text", d.code() + ": " + d.message());
        n.putObject("descriptor").put("id", d.code().name());
        n.putArray("locations").addObject().putObject("physicalLocation")
                .putObject("artifactLocation").put("uri", uri(r.input(), d.file()));
        return n;
    }

    @Override
    public void finish(ScanSummary summary) throws IOException {
        start();
        gen.writeEndArray();
        ObjectNode invocation = ResultJson.MAPPER.createObjectNode();
        invocation.put("executionSuccessful", true);
        ArrayNode notes = invocation.putArray("toolExecutionNotifications");
        notifications.forEach(notes::add);
        if (omittedNotifications > 0) {
            notes.addObject().put("level", "note").putObject("message")
                    .put("text", omittedNotifications + " more diagnostics omitted");
        }
        gen.writeArrayFieldStart("invocations");
        ResultJson.MAPPER.writeTree(gen, invocation);
        gen.writeEndArray();
        gen.writeObjectFieldStart("properties");
        gen.writeFieldName("summary");
        ResultJson.MAPPER.writeTree(gen, ResultJson.toJson(summary));
        gen.writeNumberField("threshold", settings.threshold());
        gen.writeEndObject();
        gen.writeEndObject();
        gen.writeEndArray();
        gen.writeEndObject();
        gen.writeRaw('\n');
        gen.flush();
    }

    @Override
    public void close() throws IOException {
        gen.flush();
    }

    static String level(Severity s) {
        return switch (s) {
            case CRITICAL, HIGH -> "error";
            case MEDIUM -> "warning";
            case LOW, INFO -> "note";
        };
    }

    /** {@code input!/file}, percent-encoded so that it is a valid URI reference. */
    static String uri(String input, String file) {
        String path = input.replace('\\', '/');
        if (!file.isEmpty()) {
            path = path + "!/" + file;
        }
        return percentEncode(path, "/!");
    }

    /** Percent-encodes all but RFC 3986's unreserved characters and those in {@code keep}. */
    static String percentEncode(String s, String keep) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            boolean unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || (c < 0x80 && keep.indexOf(c) >= 0);
            if (unreserved) {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return b.toString();
    }
}
