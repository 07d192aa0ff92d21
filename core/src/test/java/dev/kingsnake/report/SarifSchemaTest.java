package dev.kingsnake.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.kingsnake.Confidence;
import dev.kingsnake.Diagnostic;
import dev.kingsnake.DiagnosticCode;
import dev.kingsnake.Excerpt;
import dev.kingsnake.Finding;
import dev.kingsnake.PackageKind;
import dev.kingsnake.Reach;
import dev.kingsnake.ScanResult;
import dev.kingsnake.ScanStats;
import dev.kingsnake.Severity;
import dev.kingsnake.SuppressedFinding;
import dev.kingsnake.Verdict;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SARIF report validates against the official OASIS SARIF 2.1.0 schema (test resource, see its SOURCE.md),
 * for hostile and degenerate results too; startLine is never below 1; fingerprints survive a re-run from another
 * path and moved code.
 */
class SarifSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Schema SCHEMA = loadSchema();

    private static Schema loadSchema() {
        try (InputStream in = SarifSchemaTest.class.getResourceAsStream("/sarif/sarif-schema-2.1.0.json")) {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(in, InputFormat.JSON);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Finding finding(String file, int line, int column, String evidence, List<String> chain, Excerpt context) {
        return new Finding("KS-TEST-EXEC", Severity.HIGH, Confidence.MEDIUM, file, line, column, "m\u0000\u001b[31m",
                evidence, Reach.IMPORT_TIME, chain, context);
    }

    /** Line 0, column 0, decoded layers, odd paths, control characters, a suppressed finding, a nameless package. */
    static List<ScanResult> awkwardResults(String input, int shift) {
        Finding inLayer = finding("p-1.0/a b/ü.py#layer2", 3 + shift, 0, "exec(x)\u2028", List.of("base64", "zlib"),
                new Excerpt(1 + shift, List.of("x = 1", "", "exec(x)")));
        Finding wholeFile = finding("p-1.0/blob.bin", 0, 0, "", List.of(), Excerpt.NONE);
        Finding packageLevel = finding("", 0, 0, "\"name\": \"p\"", List.of(), Excerpt.NONE);
        Finding same = finding("p-1.0/setup.py", 10 + shift, 4, "exec(x)", List.of(), Excerpt.NONE);
        Finding sameAgain = finding("p-1.0/setup.py", 20 + shift, 4, "exec(x)", List.of(), Excerpt.NONE);
        Finding suppressed = finding("p-1.0/tests/t.py", 2 + shift, 1, "exec(y)", List.of(), Excerpt.NONE);
        ScanResult p = new ScanResult(input, "p", "1.0", PackageKind.SDIST, Verdict.MALICIOUS, 9.0,
                List.of(inLayer, wholeFile, packageLevel, same, sameAgain),
                List.of(new Diagnostic(DiagnosticCode.PARSE_ERROR, "p-1.0/x.py", "bad \u0007 token"),
                        Diagnostic.of(DiagnosticCode.LIMIT_EXCEEDED, "limit")),
                new ScanStats(4, 2, 100, 50, 200, 3), List.of(new SuppressedFinding(suppressed, "reviewed")));
        ScanResult nameless = new ScanResult("junk%20.tar.gz", "", "", PackageKind.UNKNOWN, Verdict.ERROR, 0,
                List.of(), List.of(Diagnostic.of(DiagnosticCode.ARCHIVE_UNREADABLE, "not an archive")), ScanStats.EMPTY);
        return List.of(p, nameless);
    }

    private static JsonNode sarif(List<ScanResult> results) throws IOException {
        return JSON.readTree(ReportWritersTest.write(ReportFormat.SARIF, false, results.toArray(ScanResult[]::new)));
    }

    @Test
    void validAgainstTheOfficialSchema() throws IOException {
        String text = ReportWritersTest.write(ReportFormat.SARIF, false,
                awkwardResults("dist/p-1.0.tar.gz", 0).toArray(ScanResult[]::new));
        List<Error> errors = SCHEMA.validate(text, InputFormat.JSON);
        assertTrue(errors.isEmpty(), errors.toString());
        String empty = ReportWritersTest.write(ReportFormat.SARIF, false);
        assertTrue(SCHEMA.validate(empty, InputFormat.JSON).isEmpty());
    }

    @Test
    void theValidatorCatchesWhatTheSchemaForbids() throws IOException {
        ObjectMapper m = new ObjectMapper();
        var root = (com.fasterxml.jackson.databind.node.ObjectNode) sarif(awkwardResults("p.tar.gz", 0));
        ((com.fasterxml.jackson.databind.node.ObjectNode) root.at("/runs/0/results/0/locations/0/physicalLocation/region"))
                .put("startLine", 0);
        assertFalse(SCHEMA.validate(m.writeValueAsString(root), InputFormat.JSON).isEmpty());
    }

    @Test
    void startLineIsNeverBelowOneAndSuppressionsCarryTheirReason() throws IOException {
        JsonNode results = sarif(awkwardResults("p.tar.gz", 0)).at("/runs/0/results");
        assertEquals(6, results.size());
        int suppressed = 0;
        for (JsonNode r : results) {
            JsonNode region = r.at("/locations/0/physicalLocation/region");
            if (!region.isMissingNode()) {
                assertTrue(region.get("startLine").asInt() >= 1, r.toString());
            }
            JsonNode context = r.at("/locations/0/physicalLocation/contextRegion");
            if (!context.isMissingNode()) {
                assertTrue(context.get("startLine").asInt() <= region.get("startLine").asInt());
                assertTrue(context.get("endLine").asInt() >= region.get("startLine").asInt());
            }
            if (r.has("suppressions")) {
                suppressed++;
                assertEquals("reviewed", r.at("/suppressions/0/justification").asText());
                assertEquals("external", r.at("/suppressions/0/kind").asText());
            }
        }
        assertEquals(1, suppressed);
    }

    @Test
    void partialFingerprintsAreStableAcrossRunsAndDistinctWithinOne() throws IOException {
        List<String> first = fingerprints(sarif(awkwardResults("/tmp/run1/p-1.0.tar.gz", 0)));
        List<String> again = fingerprints(sarif(awkwardResults("/var/ci/other/p-1.0.tar.gz", 7)));
        assertEquals(first, again);
        assertEquals(first.size(), first.stream().distinct().count(), first.toString());
        assertNotEquals(first.get(3), first.get(4)); // the same evidence twice in one file: two findings
    }

    private static List<String> fingerprints(JsonNode sarif) {
        List<String> out = new ArrayList<>();
        for (JsonNode r : sarif.at("/runs/0/results")) {
            out.add(r.at("/partialFingerprints/" + SarifReportWriter.FINGERPRINT_KEY.replace("/", "~1")).asText());
        }
        assertFalse(out.contains(""));
        return out;
    }
}
