package dev.kingsnake.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kingsnake.Confidence;
import dev.kingsnake.Diagnostic;
import dev.kingsnake.DiagnosticCode;
import dev.kingsnake.Finding;
import dev.kingsnake.PackageKind;
import dev.kingsnake.Reach;
import dev.kingsnake.ScanResult;
import dev.kingsnake.ScanStats;
import dev.kingsnake.Severity;
import dev.kingsnake.Verdict;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.Tags;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportWritersTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static final RuleInfo RULE = new RuleInfo("KS-TEST-EXEC", "Runs decoded code", Severity.CRITICAL, Confidence.HIGH,
            Set.of(Tags.EXECUTE, Tags.DECODE), "exec(base64.b64decode(s))", "Rarely: code generators.");

    static ScanResult malicious() {
        Finding f = new Finding("KS-TEST-EXEC", Severity.CRITICAL, Confidence.HIGH, "evil-1.0/setup.py", 12, 5,
                "exec of base64-decoded data", "exec(base64.b64decode(\"aW1wb3J0IG9z\"))", Reach.INSTALL_TIME,
                List.of("base64"));
        Finding whole = new Finding("KS-TEST-EXEC", Severity.LOW, Confidence.LOW, "evil-1.0/blob.bin", 0, 0,
                "odd file", "", Reach.UNKNOWN, List.of());
        return new ScanResult("dist/evil 1.0.tar.gz", "evil", "1.0", PackageKind.SDIST, Verdict.MALICIOUS, 8.4,
                List.of(f, whole), List.of(new Diagnostic(DiagnosticCode.PARSE_ERROR, "evil-1.0/x.py", "bad token")),
                new ScanStats(3, 2, 120, 400, 900, 7));
    }

    static ScanResult broken() {
        return new ScanResult("junk.tar.gz", "", "", PackageKind.UNKNOWN, Verdict.ERROR, 0, List.of(),
                List.of(Diagnostic.of(DiagnosticCode.ARCHIVE_UNREADABLE, "not an archive")), ScanStats.EMPTY);
    }

    static String write(ReportFormat format, boolean brief, ScanResult... results) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ScanSummary.Tally tally = new ScanSummary.Tally();
        try (ReportWriter w = format.writer(out, new ReportSettings("9.9.9", 5.0, List.of(RULE), brief))) {
            for (ScanResult r : results) {
                tally.add(r);
                w.result(r);
            }
            w.finish(tally.summary());
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    static List<String> names(JsonNode o) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }

    /** The JSON Lines contract: if this fails, a field was renamed or dropped. Add fields freely. */
    @Test
    void jsonlContractFieldsArePinned() throws IOException {
        String text = write(ReportFormat.JSONL, false, malicious(), broken());
        String[] lines = text.split("\n");
        assertEquals(2, lines.length);
        JsonNode o = JSON.readTree(lines[0]);
        assertTrue(names(o).containsAll(List.of("input", "name", "version", "kind", "verdict", "score", "partial",
                "findings", "diagnostics", "stats")), names(o).toString());
        JsonNode f = o.get("findings").get(0);
        assertTrue(names(f).containsAll(List.of("rule", "severity", "confidence", "file", "line", "column",
                "message", "evidence", "reach", "decodeChain")), names(f).toString());
        JsonNode d = o.get("diagnostics").get(0);
        assertTrue(names(d).containsAll(List.of("code", "file", "message")), names(d).toString());
        JsonNode s = o.get("stats");
        assertTrue(names(s).containsAll(List.of("files", "pythonFiles", "pythonBytes", "compressedBytes",
                "uncompressedBytes", "elapsedMillis")), names(s).toString());

        assertEquals("dist/evil 1.0.tar.gz", o.get("input").asText());
        assertEquals("evil", o.get("name").asText());
        assertEquals("1.0", o.get("version").asText());
        assertEquals("SDIST", o.get("kind").asText());
        assertEquals("MALICIOUS", o.get("verdict").asText());
        assertEquals(8.4, o.get("score").asDouble());
        assertFalse(o.get("partial").asBoolean());
        assertEquals("KS-TEST-EXEC", f.get("rule").asText());
        assertEquals("CRITICAL", f.get("severity").asText());
        assertEquals("HIGH", f.get("confidence").asText());
        assertEquals("evil-1.0/setup.py", f.get("file").asText());
        assertEquals(12, f.get("line").asInt());
        assertEquals(5, f.get("column").asInt());
        assertEquals("INSTALL_TIME", f.get("reach").asText());
        assertEquals("base64", f.get("decodeChain").get(0).asText());
        assertEquals("PARSE_ERROR", d.get("code").asText());
        assertEquals(900, s.get("uncompressedBytes").asLong());
        assertEquals(400, s.get("compressedBytes").asLong());

        JsonNode err = JSON.readTree(lines[1]);
        assertEquals("ERROR", err.get("verdict").asText());
        assertEquals("ARCHIVE_UNREADABLE", err.get("diagnostics").get(0).get("code").asText());
    }

    @Test
    void jsonlKeepsHostileTextOnOneLine() throws IOException {
        Finding f = new Finding("KS-TEST-EXEC", Severity.HIGH, Confidence.HIGH, "a\nb.py", 1, 1, "m\r\n",
                "x = '\u2028\u0085\u001b[31m\u00e9'\n", Reach.CALLED, List.of());
        ScanResult r = new ScanResult("in\n.py", "", "", PackageKind.SOURCE_FILE, Verdict.SUSPICIOUS, 3, List.of(f),
                List.of(), ScanStats.EMPTY);
        String text = write(ReportFormat.JSONL, false, r);
        assertEquals(1, text.split("\n").length);
        assertTrue(text.chars().allMatch(c -> c < 0x80), "JSON Lines output is pure ASCII: " + text);
        assertEquals("x = '\u2028\u0085\u001b[31m\u00e9'\n",
                JSON.readTree(text).get("findings").get(0).get("evidence").asText());
    }

    @Test
    void jsonIsOneDocumentWithResultsAndSummary() throws IOException {
        JsonNode doc = JSON.readTree(write(ReportFormat.JSON, false, malicious(), broken()));
        assertEquals("9.9.9", doc.get("tool").get("version").asText());
        assertEquals(5.0, doc.get("threshold").asDouble());
        assertEquals(2, doc.get("results").size());
        assertEquals("evil", doc.get("results").get(0).get("name").asText());
        JsonNode s = doc.get("summary");
        assertEquals(2, s.get("packages").asInt());
        assertEquals(1, s.get("malicious").asInt());
        assertEquals(1, s.get("errors").asInt());
        assertEquals(2, s.get("findings").asInt());
        assertEquals(2, s.get("diagnostics").asInt());
    }

    @Test
    void jsonWithNoResultsIsStillADocument() throws IOException {
        JsonNode doc = JSON.readTree(write(ReportFormat.JSON, false));
        assertEquals(0, doc.get("results").size());
        assertEquals(0, doc.get("summary").get("packages").asInt());
    }

    @Test
    void sarifHasTheRequiredStructure() throws IOException {
        JsonNode log = JSON.readTree(write(ReportFormat.SARIF, false, malicious(), broken()));
        assertEquals("2.1.0", log.get("version").asText());
        assertTrue(log.get("$schema").asText().endsWith("/sarif-schema-2.1.0.json"));
        assertEquals(1, log.get("runs").size());
        JsonNode run = log.get("runs").get(0);
        JsonNode driver = run.get("tool").get("driver");
        assertEquals("Kingsnake", driver.get("name").asText());
        JsonNode rule = driver.get("rules").get(0);
        assertEquals("KS-TEST-EXEC", rule.get("id").asText());
        assertEquals("Runs decoded code", rule.get("shortDescription").get("text").asText());
        assertEquals("error", rule.get("defaultConfiguration").get("level").asText());

        JsonNode results = run.get("results");
        assertEquals(2, results.size());
        JsonNode r = results.get(0);
        assertEquals("KS-TEST-EXEC", r.get("ruleId").asText());
        assertEquals(0, r.get("ruleIndex").asInt());
        assertEquals("error", r.get("level").asText());
        assertEquals("exec of base64-decoded data", r.get("message").get("text").asText());
        JsonNode loc = r.get("locations").get(0).get("physicalLocation");
        assertEquals("dist/evil%201.0.tar.gz!/evil-1.0/setup.py", loc.get("artifactLocation").get("uri").asText());
        assertEquals(12, loc.get("region").get("startLine").asInt());
        assertEquals(5, loc.get("region").get("startColumn").asInt());
        assertEquals("MALICIOUS", r.get("properties").get("verdict").asText());

        // a whole-file finding has no region: SARIF requires startLine >= 1
        JsonNode whole = results.get(1);
        assertEquals("note", whole.get("level").asText());
        assertFalse(whole.get("locations").get(0).get("physicalLocation").has("region"));

        JsonNode inv = run.get("invocations").get(0);
        assertTrue(inv.get("executionSuccessful").isBoolean());
        JsonNode notes = inv.get("toolExecutionNotifications");
        assertEquals(2, notes.size());
        assertEquals("PARSE_ERROR", notes.get(0).get("descriptor").get("id").asText());
        assertTrue(notes.get(0).get("message").get("text").asText().contains("bad token"));
        assertEquals("error", notes.get(1).get("level").asText());
    }

    @Test
    void sarifUrisArePercentEncoded() {
        assertEquals("a/b%23c!/x%3Ay/%C3%A9.py",
                SarifReportWriter.uri("a/b#c", "x:y/\u00e9.py"));
        assertEquals("C%3A/dist/p.whl", SarifReportWriter.uri("C:\\dist\\p.whl", ""));
    }

    @Test
    void textShowsVerdictLocationEvidenceDiagnosticsAndSummary() throws IOException {
        String text = write(ReportFormat.TEXT, false, malicious(), broken());
        assertTrue(text.contains("MALICIOUS"), text);
        assertTrue(text.contains("8.4"), text);
        assertTrue(text.contains("evil 1.0"), text);
        assertTrue(text.contains("evil-1.0/setup.py:12:5"), text);
        assertTrue(text.contains("| exec(base64.b64decode(\"aW1wb3J0IG9z\"))"), text);
        assertTrue(text.contains("decoded: base64"), text);
        assertTrue(text.contains("PARSE_ERROR evil-1.0/x.py: bad token"), text);
        assertTrue(text.contains("ARCHIVE_UNREADABLE"), text);
        assertTrue(text.contains("2 packages scanned"), text);
        assertTrue(text.contains("1 malicious"), text);
    }

    @Test
    void textEscapesTerminalControlCharactersFromPackages() throws IOException {
        Finding f = new Finding("KS-TEST-EXEC", Severity.HIGH, Confidence.HIGH, "x.py", 1, 1, "m",
                "print('\u001b]0;pwned\u0007')\nnext", Reach.CALLED, List.of());
        ScanResult r = new ScanResult("in.py", "\u001b[2J", "", PackageKind.SOURCE_FILE, Verdict.SUSPICIOUS, 3,
                List.of(f), List.of(), ScanStats.EMPTY);
        String text = write(ReportFormat.TEXT, false, r);
        assertFalse(text.contains("\u001b"), text);
        assertFalse(text.contains("\u0007"), text);
        assertTrue(text.contains("\\u001b]0;pwned\\u0007')\\nnext"), text);
    }

    @Test
    void briefTextLeavesOutCleanBenignPackages() throws IOException {
        ScanResult clean = new ScanResult("clean.whl", "clean", "1", PackageKind.WHEEL, Verdict.BENIGN, 0, List.of(),
                List.of(), ScanStats.EMPTY);
        assertTrue(write(ReportFormat.TEXT, false, clean).contains("clean.whl"));
        String brief = write(ReportFormat.TEXT, true, clean, broken());
        assertFalse(brief.contains("clean.whl"), brief);
        assertTrue(brief.contains("junk.tar.gz"), brief);
        assertTrue(brief.contains("2 packages scanned"), brief);
    }
}
