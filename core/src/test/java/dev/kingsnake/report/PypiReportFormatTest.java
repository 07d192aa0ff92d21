package dev.kingsnake.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kingsnake.Confidence;
import dev.kingsnake.Excerpt;
import dev.kingsnake.Finding;
import dev.kingsnake.PackageKind;
import dev.kingsnake.Reach;
import dev.kingsnake.ScanResult;
import dev.kingsnake.ScanStats;
import dev.kingsnake.Severity;
import dev.kingsnake.Verdict;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The PyPI report and the HTML page on hostile and oversized results. */
class PypiReportFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ReportSettings SETTINGS = new ReportSettings("9.9.9", 5.0, List.of(ReportWritersTest.RULE), false);
    private static final String URL = "https://files.pythonhosted.org/packages/aa/bb/cc/Evil_Pkg-1.0.tar.gz";

    private static ScanResult hostile(int findings) {
        List<Finding> list = new ArrayList<>();
        for (int i = 0; i < findings; i++) {
            String evil = "x".repeat(250) + "`` ``` <script>alert(1)</script> [a](javascript:x) **b** \u202e\u0007";
            list.add(new Finding(i % 2 == 0 ? "KS-TEST-EXEC" : "KS-OTHER-" + i, Severity.HIGH, Confidence.HIGH,
                    i == 0 ? "Evil_Pkg-1.0/pkg/__init__.py#layer1" : "Evil_Pkg-1.0/pkg/m o d.py", 7 + i, 1,
                    "message " + evil, evil, Reach.IMPORT_TIME, i == 0 ? List.of("base64") : List.of(),
                    new Excerpt(5 + i, List.of("a", "b", evil))));
        }
        return new ScanResult("dl/Evil_Pkg-1.0.tar.gz", "Evil_Pkg", "1.0", PackageKind.SDIST, Verdict.MALICIOUS, 9.5,
                list, List.of(), ScanStats.EMPTY);
    }

    @Test
    void theSummaryStaysWithinTheApiLimitsHoweverMuchEvidenceThereIs() {
        for (int n : new int[]{1, 3, 40}) {
            PypiReport report = PypiReport.of(hostile(n), SETTINGS, List.of(URL));
            String summary = report.observation().summary();
            assertTrue(summary.length() >= 10 && summary.length() <= 2000, n + ": " + summary.length());
            assertTrue(summary.startsWith("Evil_Pkg 1.0 (Evil_Pkg-1.0.tar.gz) is malware: When imported, it runs code"), summary);
            assertFalse(summary.contains("\u202e") || summary.contains("\u0007"), "invisible characters are spelled out");
        }
    }

    @Test
    void theInspectorLinkPointsAtAFileOfTheDistributionNotADecodedLayer() {
        PypiReport report = PypiReport.of(hostile(3), SETTINGS, List.of("https://example.invalid/x.tar.gz", URL));
        assertEquals(Optional.of("https://inspector.pypi.io/project/evil-pkg/1.0/packages/aa/bb/cc/Evil_Pkg-1.0.tar.gz/"
                + "Evil_Pkg-1.0/pkg/m%20o%20d.py#line.8"), report.observation().inspectorUrl());
        assertTrue(report.observation().submittable());

        for (String bad : List.of("http://files.pythonhosted.org/packages/aa/bb/cc/Evil_Pkg-1.0.tar.gz",
                "https://files.pythonhosted.org.example.invalid/packages/aa/bb/cc/Evil_Pkg-1.0.tar.gz",
                "https://files.pythonhosted.org/packages/aa/Evil_Pkg-1.0.tar.gz")) {
            PypiReport r = PypiReport.of(hostile(3), SETTINGS, List.of(bad));
            assertTrue(r.observation().inspectorUrl().isEmpty(), bad);
            assertFalse(r.observation().submittable());
            assertTrue(r.inspectorUrlOmitted().orElseThrow().startsWith("not a files.pythonhosted.org"), bad);
        }
    }

    @Test
    void theMarkdownKeepsPackageTextInert() {
        String md = PypiReport.of(hostile(2), SETTINGS, List.of(URL)).markdown();
        // outside code blocks every character that would make markup is escaped; inside them it is code
        String prose = md.replaceAll("(?s) {3}````python\n.*? {3}````\n", "");
        assertFalse(prose.contains("<script>"), prose);
        assertFalse(prose.contains("[a](javascript"), prose);
        assertTrue(prose.contains("\\<script\\>"), prose);
        // evidence sits in fences longer than any backtick run inside it
        assertTrue(md.contains("   ````python\n"), md);
    }

    @Test
    void theJsonObservationHasOnlyTheApiFields() throws IOException {
        JsonNode report = JSON.readTree(ReportWritersTest.write(ReportFormat.PYPI_REPORT, false, hostile(2),
                ReportWritersTest.broken()));
        assertEquals(1, report.get("reports").size());
        JsonNode o = report.at("/reports/0/observation");
        assertEquals(List.of("kind", "summary"), ReportWritersTest.names(o));
        assertTrue(report.at("/reports/0/inspectorUrlOmitted").asText().contains("--source-url"));
        assertEquals(2, report.at("/summary/packages").asInt());
    }

    @Test
    void theHtmlPageEscapesEverythingFromThePackage() throws IOException {
        String html = ReportWritersTest.write(ReportFormat.HTML, false, ReportWritersTest.broken(), hostile(2));
        assertFalse(html.contains("<script>"), "no markup from the package");
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assertTrue(html.contains("\\u202e") && !html.contains("\u202e"), "bidi override shown, not applied");
        assertTrue(html.indexOf("data-verdict=\"MALICIOUS\"") < html.indexOf("data-verdict=\"ERROR\""),
                "MALICIOUS before ERROR whatever the input order");
        assertTrue(html.contains("Content-Security-Policy"));
    }
}
