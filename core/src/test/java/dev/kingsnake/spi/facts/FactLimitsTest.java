package dev.kingsnake.spi.facts;

import dev.kingsnake.Confidence;
import dev.kingsnake.Diagnostic;
import dev.kingsnake.DiagnosticCode;
import dev.kingsnake.Limits;
import dev.kingsnake.ScanResult;
import dev.kingsnake.Scanner;
import dev.kingsnake.Severity;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.PythonFileRule;
import dev.kingsnake.spi.Rule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.python.Expr;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The walks of the facts layer are bounded by the limits the scanner was given, and a walk that a limit cuts
 * leaves a {@code LIMIT_EXCEEDED} diagnostic on its file (the scan is partial), never a silent stop.
 */
class FactLimitsTest {
    /** A chain of 40 functions, each calling the next, and a value summed from 300 names. */
    private static final String SOURCE = "import os\n"
            + IntStream.range(0, 40).mapToObj(i -> "def f" + i + "():\n    f" + (i + 1) + "()\n")
            .collect(Collectors.joining())
            + "def f40():\n    os.system('true')\n"
            + "f0()\n"
            + "x = " + IntStream.range(0, 300).mapToObj(i -> "a" + i).collect(Collectors.joining(" + ")) + "\n"
            + "os.system(x)\n";

    /**
     * Asks what every scope reaches and where every call's arguments come from, as the rules do, one file at a
     * time: a per-file rule, whose results the engine may keep per file content.
     */
    private static final Rule ASKS = new PythonFileRule() {
        @Override
        public RuleInfo info() {
            return new RuleInfo("KS-TEST-FACTS", "asks facts", Severity.INFO, Confidence.LOW, Set.of(), "", "");
        }

        @Override
        public void check(PythonFile f, RuleContext ctx, FindingSink sink) {
            CallFacts calls = CallFacts.of(f);
            for (int s = 0; s < calls.scopeCount(); s++) {
                calls.reachable(s);
            }
            for (Expr.Call c : f.calls()) {
                c.args().forEach(DataFlow.of(f)::taint);
            }
        }
    };

    private static ScanResult scan(Limits limits) throws IOException {
        return scan(Scanner.builder().rules(List.of(ASKS)).limits(limits).build());
    }

    private static ScanResult scan(Scanner scanner) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("demo-1.0.dist-info/METADATA"));
            zip.write("Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n".getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("demo/__init__.py"));
            zip.write(SOURCE.getBytes(StandardCharsets.UTF_8));
        }
        return scanner.scan("demo-1.0-py3-none-any.whl", new ByteArrayInputStream(bytes.toByteArray()));
    }

    private static List<Diagnostic> cut(ScanResult r, String text) {
        return r.diagnostics().stream()
                .filter(d -> d.code() == DiagnosticCode.LIMIT_EXCEEDED && d.message().contains(text)).toList();
    }

    @Test
    void defaultsCutNothingHere() throws IOException {
        ScanResult r = scan(Limits.defaults());
        assertFalse(r.partial(), r.diagnostics()::toString);
    }

    @Test
    void theCallGraphWalkFollowsMaxReachableFunctions() throws IOException {
        ScanResult r = scan(Limits.builder().maxReachableFunctions(10).build());
        List<Diagnostic> d = cut(r, "maxReachableFunctions");
        assertEquals(1, d.size(), "once per file however many walks were cut: " + r.diagnostics());
        assertEquals("demo/__init__.py", d.get(0).file());
        assertTrue(d.get(0).message().contains("through 10 of"), d.get(0).message());
        assertTrue(r.partial());
        assertTrue(cut(scan(Limits.builder().maxReachableFunctions(64).build()), "maxReachableFunctions").isEmpty(),
                "42 scopes are followed whole under 64");
    }

    @Test
    void aDataFlowWalkFollowsAThousandthOfTheAnalysisSteps() throws IOException {
        ScanResult r = scan(Limits.builder().maxAnalysisSteps(200_000).build());
        List<Diagnostic> d = cut(r, "data flow");
        assertEquals(1, d.size(), r.diagnostics()::toString);
        assertEquals("demo/__init__.py", d.get(0).file());
        assertTrue(d.get(0).message().contains("after 200 nodes"), d.get(0).message());
        assertTrue(r.partial());
        assertTrue(cut(scan(Limits.builder().maxAnalysisSteps(2_000_000).build()), "data flow").isEmpty(),
                "the 600 nodes of the sum are walked whole in 2,000");
    }

    @Test
    void aFileCutShortIsNotReusedWithoutItsDiagnostic() throws IOException {
        // one scanner keeps per-file results by content: the same file scanned again must be cut again, or at
        // least carry the diagnostic, never come back whole
        Scanner scanner = Scanner.builder().rules(List.of(ASKS))
                .limits(Limits.builder().maxReachableFunctions(10).build()).build();
        for (int round = 0; round < 3; round++) {
            ScanResult r = scan(scanner);
            assertEquals(1, cut(r, "maxReachableFunctions").size(), "round " + round + ": " + r.diagnostics());
            assertTrue(r.partial(), "round " + round);
        }
    }
}
