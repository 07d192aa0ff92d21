package dev.kingsnake.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kingsnake.CapabilitySummary;
import dev.kingsnake.Diagnostic;
import dev.kingsnake.Finding;
import dev.kingsnake.ScanResult;
import dev.kingsnake.ScanStats;
import dev.kingsnake.SuppressedFinding;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * The JSON form of a {@link ScanResult}: one JSON Lines record, and each element of the JSON report's
 * {@code results} array. This is a contract other tools parse: fields may be added, never renamed or
 * dropped.
 *
 * <pre>
 * {"input", "name", "version", "kind", "verdict", "score", "partial",
 *  "findings": [{"rule", "severity", "confidence", "file", "line", "column", "message", "evidence",
 *                "reach", "decodeChain": [..]}],
 *  "diagnostics": [{"code", "file", "message"}],
 *  "suppressed": [{same fields as a finding, "suppression"}],   only when something was suppressed
 *  "stats": {"files", "pythonFiles", "pythonBytes", "compressedBytes", "uncompressedBytes", "elapsedMillis"},
 *  "capabilities": [{"id", "count", "reach"}],
 *  "origin": {"url", "sha256", "uploadTime"}}   only for files fetched from an index
 * </pre>
 */
public final class ResultJson {
    /**
     * Shared, thread-safe; generators it creates never close the stream they write to. Output is pure ASCII
     * (every other character escaped as {@code \\uXXXX}): evidence from hostile packages may hold U+2028,
     * U+0085 and the like, which line-splitting consumers (e.g. Python's {@code str.splitlines}) would
     * otherwise take for line breaks inside one JSON Lines record.
     */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .build();

    private ResultJson() {
    }

    /** A pretty-printing generator on {@code out} that leaves {@code out} open when closed. */
    static JsonGenerator prettyGenerator(OutputStream out) {
        try {
            return MAPPER.getFactory().createGenerator(out).useDefaultPrettyPrinter();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectNode toJson(ScanResult r) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("input", r.input());
        o.put("name", r.name());
        o.put("version", r.version());
        o.put("kind", r.kind().name());
        o.put("verdict", r.verdict().name());
        o.put("score", r.score());
        o.put("partial", r.partial());
        ArrayNode findings = o.putArray("findings");
        for (Finding f : r.findings()) {
            findings.add(toJson(f));
        }
        ArrayNode diagnostics = o.putArray("diagnostics");
        for (Diagnostic d : r.diagnostics()) {
            diagnostics.add(toJson(d));
        }
        if (!r.suppressed().isEmpty()) {
            // only when present, so that results of scans without suppressions stay exactly as they were
            ArrayNode suppressed = o.putArray("suppressed");
            for (SuppressedFinding s : r.suppressed()) {
                suppressed.add(toJson(s.finding()).put("suppression", s.reason()));
            }
        }
        o.set("stats", toJson(r.stats()));
        ArrayNode capabilities = o.putArray("capabilities");
        for (CapabilitySummary c : CapabilitySummary.of(r.findings())) {
            capabilities.addObject().put("id", c.id()).put("count", c.count()).put("reach", c.reach().name());
        }
        return o;
    }

    /** {@link #toJson(ScanResult)} plus, for a file downloaded from an index, its {@code origin}. */
    static ObjectNode toJson(ScanResult r, ReportSettings settings) {
        ObjectNode o = toJson(r);
        FileOrigin origin = settings.origins().get(r.input());
        if (origin != null) {
            o.putObject("origin").put("url", origin.url()).put("sha256", origin.sha256())
                    .put("uploadTime", origin.uploadTime());
        }
        return o;
    }

    public static ObjectNode toJson(Finding f) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("rule", f.ruleId());
        o.put("severity", f.severity().name());
        o.put("confidence", f.confidence().name());
        o.put("file", f.file());
        o.put("line", f.line());
        o.put("column", f.column());
        o.put("message", f.message());
        o.put("evidence", f.evidence());
        o.put("reach", f.reach().name());
        ArrayNode chain = o.putArray("decodeChain");
        f.decodeChain().forEach(chain::add);
        return o;
    }

    public static ObjectNode toJson(Diagnostic d) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("code", d.code().name());
        o.put("file", d.file());
        o.put("message", d.message());
        return o;
    }

    public static ObjectNode toJson(ScanStats s) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("files", s.files());
        o.put("pythonFiles", s.pythonFiles());
        o.put("pythonBytes", s.pythonBytes());
        o.put("compressedBytes", s.compressedBytes());
        o.put("uncompressedBytes", s.uncompressedBytes());
        o.put("elapsedMillis", s.elapsedMillis());
        return o;
    }

    public static ObjectNode toJson(ScanSummary s) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("packages", s.packages());
        o.put("malicious", s.malicious());
        o.put("suspicious", s.suspicious());
        o.put("benign", s.benign());
        o.put("errors", s.errors());
        o.put("partial", s.partial());
        o.put("findings", s.findings());
        o.put("diagnostics", s.diagnostics());
        o.put("compressedBytes", s.compressedBytes());
        o.put("uncompressedBytes", s.uncompressedBytes());
        o.put("pythonBytes", s.pythonBytes());
        o.put("elapsedMillis", s.elapsedMillis());
        return o;
    }
}
