package dev.kingsnake;

import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.Rule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.SourceFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A StackOverflowError, OutOfMemoryError or any other Error thrown while one package is scanned costs
 * at most that package's result: inside a rule it is that rule's RULE_FAILED and every other rule still
 * reports; anywhere else the package becomes an ERROR result with SCAN_FAILED; a batch always delivers
 * one result per input and goes on. No test exhausts the real heap: OutOfMemoryError is thrown by a
 * rule; the StackOverflowError is real (unbounded recursion).
 */
class ScanFailureIsolationTest {
    @TempDir
    Path tmp;

    /** Reports every file: proof that the other rules still ran. */
    static final class EveryFileRule implements Rule {
        @Override
        public RuleInfo info() {
            return new RuleInfo("KS-TEST-EVERY", "every file", Severity.INFO, Confidence.LOW, Set.of(), "", "");
        }

        @Override
        public void check(RuleContext ctx, FindingSink sink) {
            for (SourceFile f : ctx.files()) {
                sink.report(Location.file(f, Reach.UNKNOWN), "seen", f.path());
            }
        }
    }

    /** Fails as the package's text says: OOM, SOE (real recursion), ASSERT, or a custom Error. */
    static final class FailingRule implements Rule {
        /** Set by check() when the package says ESCAPE: the next rule's info() then fails, outside isolation. */
        static final ThreadLocal<Boolean> ESCAPE = ThreadLocal.withInitial(() -> false);

        @Override
        public RuleInfo info() {
            return new RuleInfo("KS-TEST-FAIL", "fails", Severity.INFO, Confidence.LOW, Set.of(), "", "");
        }

        @Override
        public void check(RuleContext ctx, FindingSink sink) {
            for (SourceFile f : ctx.files()) {
                switch (f.text().trim()) {
                    case "OOM" -> throw new OutOfMemoryError("simulated: Java heap space");
                    case "SOE" -> sink.report(Location.file(f, Reach.UNKNOWN), "depth", "" + recurse(0));
                    case "ASSERT" -> throw new AssertionError("a rule's own assertion");
                    case "ESCAPE" -> ESCAPE.set(true);
                    default -> {
                    }
                }
            }
        }

        private static int recurse(int n) {
            return recurse(n + 1) + 1;
        }
    }

    /** Its info() throws an OutOfMemoryError while a package that said ESCAPE is being scanned. */
    static final class FragileInfoRule implements Rule {
        @Override
        public RuleInfo info() {
            if (FailingRule.ESCAPE.get()) {
                FailingRule.ESCAPE.set(false);
                throw new OutOfMemoryError("simulated, outside any rule's check()");
            }
            return new RuleInfo("KS-TEST-FRAGILE", "fragile", Severity.INFO, Confidence.LOW, Set.of(), "", "");
        }

        @Override
        public void check(RuleContext ctx, FindingSink sink) {
        }
    }

    private static Scanner scanner() {
        return Scanner.builder().rules(List.of(new FailingRule(), new FragileInfoRule(), new EveryFileRule())).build();
    }

    private static ScanResult scanText(Scanner s, String text) {
        return s.scan("pkg.py", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static void assertRuleFailedButOthersRan(ScanResult r, String errorClass) {
        assertNotEquals(Verdict.ERROR, r.verdict());
        List<Diagnostic> failed = r.diagnostics().stream()
                .filter(d -> d.code() == DiagnosticCode.RULE_FAILED).toList();
        assertEquals(1, failed.size(), r.diagnostics().toString());
        assertTrue(failed.get(0).message().startsWith("KS-TEST-FAIL failed: " + errorClass), failed.get(0).message());
        assertTrue(r.findings().stream().anyMatch(f -> f.ruleId().equals("KS-TEST-EVERY")), r.findings().toString());
    }

    @Test
    void anOutOfMemoryErrorInARuleCostsOnlyThatRule() {
        assertRuleFailedButOthersRan(scanText(scanner(), "OOM"), "java.lang.OutOfMemoryError");
    }

    @Test
    void aRealStackOverflowInARuleCostsOnlyThatRule() {
        assertRuleFailedButOthersRan(scanText(scanner(), "SOE"), "java.lang.StackOverflowError");
    }

    @Test
    void anyOtherErrorInARuleCostsOnlyThatRule() {
        assertRuleFailedButOthersRan(scanText(scanner(), "ASSERT"), "java.lang.AssertionError");
    }

    @Test
    void anErrorOutsideTheRulesBecomesAnErrorResultInsteadOfAThrow() {
        ScanResult r = scanText(scanner(), "ESCAPE");
        assertEquals(Verdict.ERROR, r.verdict());
        assertEquals(List.of(DiagnosticCode.SCAN_FAILED), r.diagnostics().stream().map(Diagnostic::code).toList());
        assertTrue(r.diagnostics().get(0).message().contains("OutOfMemoryError"), r.diagnostics().toString());
        assertEquals("pkg.py", r.input());
    }

    @Test
    void aBatchDeliversOneResultPerInputWhateverFails() throws Exception {
        List<String> texts = List.of("1", "OOM", "2", "SOE", "ESCAPE", "3", "ASSERT", "4");
        List<Path> in = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            in.add(Files.writeString(tmp.resolve(String.format("in%02d.py", i)), texts.get(i)));
        }
        List<ScanResult> got = Collections.synchronizedList(new ArrayList<>());
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (BatchScanner b = BatchScanner.builder(scanner()).jobs(2).window(2).start(got::add)) {
                for (Path p : in) {
                    b.submit(p);
                }
                b.finish();
            }
        });
        assertEquals(texts.size(), got.size());
        Map<String, ScanResult> byText = got.stream().collect(Collectors.toMap(
                r -> texts.get(in.indexOf(Path.of(r.input()))), Function.identity()));
        for (String ok : List.of("1", "2", "3", "4")) {
            ScanResult r = byText.get(ok);
            assertTrue(r.diagnostics().isEmpty(), r.diagnostics().toString());
            assertEquals(1, r.findings().size());
        }
        assertRuleFailedButOthersRan(byText.get("OOM"), "java.lang.OutOfMemoryError");
        assertRuleFailedButOthersRan(byText.get("SOE"), "java.lang.StackOverflowError");
        assertRuleFailedButOthersRan(byText.get("ASSERT"), "java.lang.AssertionError");
        assertEquals(Verdict.ERROR, byText.get("ESCAPE").verdict());
        assertEquals(DiagnosticCode.SCAN_FAILED, byText.get("ESCAPE").diagnostics().get(0).code());
    }
}
