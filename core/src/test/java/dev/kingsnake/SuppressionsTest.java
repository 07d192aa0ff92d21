package dev.kingsnake;

import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.Rule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Suppressions and baselines are applied by the scanner before scoring: suppressed findings are kept apart,
 * the score is that of the rest, every part of an entry must match, and nothing inside a package suppresses.
 */
class SuppressionsTest {
    @TempDir
    Path tmp;

    /** Reports every line that calls {@code danger(}. */
    static final class DangerRule implements Rule {
        @Override
        public RuleInfo info() {
            return new RuleInfo("KS-TEST-DANGER", "calls danger()", Severity.CRITICAL, Confidence.HIGH, Set.of(), "", "");
        }

        @Override
        public void check(RuleContext ctx, FindingSink sink) {
            for (PythonFile f : ctx.pythonFiles()) {
                String[] lines = f.text().split("\n", -1);
                for (int i = 0; i < lines.length; i++) {
                    if (lines[i].contains("danger(")) {
                        sink.report(Location.of(f, i + 1, 1, Reach.CALLED), "danger", lines[i]);
                    }
                }
            }
        }
    }

    private Scanner scanner(Suppressions s) {
        return Scanner.builder().rules(List.of(new DangerRule())).threshold(1.0).suppressions(s).build();
    }

    private Path project(String name, String a, String b) throws IOException {
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir.resolve("pkg"));
        Files.writeString(dir.resolve("setup.py"), "from setuptools import setup\nsetup(name='demo', version='1.0')\n");
        Files.writeString(dir.resolve("pkg/a.py"), a);
        if (b != null) {
            Files.writeString(dir.resolve("pkg/b.py"), b);
        }
        return dir;
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static Suppressions toml(String text) throws IOException {
        return Suppressions.parse(text);
    }

    @Test
    void suppressedFindingsAreKeptApartAndTheScoreIsThatOfTheRest() throws Exception {
        String a = "import os\ndanger(1)\n";
        String b = "danger(2)\ndanger(3)\n";
        Path both = project("both", a, b);
        Path onlyA = project("only-a", a, null);
        ScanResult unsuppressed = scanner(Suppressions.NONE).scan(both);
        assertEquals(3, unsuppressed.findings().size());

        Suppressions s = toml("""
                [[suppress]]
                rule = "KS-TEST-DANGER"
                path = "**/b.py"
                reason = "vendored test helper"
                """);
        ScanResult r = scanner(s).scan(both);
        assertEquals(1, r.findings().size());
        assertEquals(2, r.suppressed().size());
        assertTrue(r.suppressed().stream().allMatch(x -> x.reason().equals("vendored test helper")
                && x.finding().file().endsWith("b.py")));
        // the scoring sees only what is left: the same score as the package without b.py
        assertEquals(scanner(Suppressions.NONE).scan(onlyA).score(), r.score(), 1e-9);
        assertTrue(r.score() < unsuppressed.score());
    }

    @Test
    void everyGivenPartMustMatchSoAChangedFileComesBack() throws Exception {
        String b = "danger(2)\n";
        Suppressions pinned = toml("""
                [[suppress]]
                rule = "KS-TEST-DANGER"
                path = "pkg/b.py"
                sha256 = "%s"
                reason = "reviewed"
                """.formatted(sha256(b)));
        assertEquals(1, scanner(pinned).scan(project("same", "x = 1\n", b)).suppressed().size());

        ScanResult changed = scanner(pinned).scan(project("changed", "x = 1\n", b + "danger(9)\n"));
        assertEquals(2, changed.findings().size());
        assertTrue(changed.suppressed().isEmpty());
        assertEquals(Verdict.MALICIOUS, changed.verdict());

        Suppressions otherRule = toml("""
                [[suppress]]
                rule = "KS-OTHER"
                sha256 = "%s"
                reason = "reviewed"
                """.formatted(sha256(b)));
        assertTrue(scanner(otherRule).scan(project("rule", "x = 1\n", b)).suppressed().isEmpty());

        Suppressions otherPath = toml("""
                [[suppress]]
                rule = "KS-TEST-DANGER"
                path = "pkg/a.py"
                sha256 = "%s"
                reason = "reviewed"
                """.formatted(sha256(b)));
        assertTrue(scanner(otherPath).scan(project("path", "x = 1\n", b)).suppressed().isEmpty());
    }

    @Test
    void nothingInsideThePackageSuppresses() throws Exception {
        Path dir = project("inline", "danger(1)  # kingsnake: ignore\n# noqa kingsnake: disable=KS-TEST-DANGER\n", null);
        Files.writeString(dir.resolve("kingsnake-suppressions.toml"), """
                [[suppress]]
                rule = "KS-TEST-DANGER"
                path = "**"
                reason = "the package says so"
                """);
        Files.writeString(dir.resolve(".kingsnake.toml"), Files.readString(dir.resolve("kingsnake-suppressions.toml")));
        ScanResult r = scanner(Suppressions.NONE).scan(dir);
        assertEquals(1, r.findings().size());
        assertEquals(Verdict.MALICIOUS, r.verdict());
    }

    @Test
    void aBaselineHidesKnownFindingsWhereverTheyMoveButNotASecondCopy() throws Exception {
        ScanResult before = scanner(Suppressions.NONE).scan(project("v1", "danger(1)\nx = 2\n", "danger(2)\n"));
        Baseline baseline = Baseline.of(List.of(before));
        Path file = tmp.resolve("baseline.json");
        baseline.write(file);
        Suppressions s = Suppressions.NONE.withBaseline(Baseline.read(file));

        ScanResult moved = scanner(s).scan(project("v2", "import sys\n\n\ndanger(1)\nx = 2\n", "danger(2)\n"));
        assertTrue(moved.findings().isEmpty(), moved.findings().toString());
        assertEquals(2, moved.suppressed().size());
        assertTrue(moved.suppressed().stream().allMatch(x -> x.reason().equals(Suppressions.BASELINE_REASON)));
        assertEquals(0.0, moved.score());

        ScanResult copied = scanner(s).scan(project("v3", "danger(1)\nx = 2\ndanger(1)\n", "danger(2)\n"));
        assertEquals(1, copied.findings().size());
        assertEquals(2, copied.suppressed().size());
        assertEquals(Verdict.MALICIOUS, copied.verdict());
    }

    @Test
    void fingerprintsDoNotDependOnOrderOrRun() {
        Finding f1 = new Finding("R", Severity.LOW, Confidence.LOW, "p-1.0/a.py", 3, 1, "m", "x()", Reach.CALLED, List.of());
        Finding f2 = new Finding("R", Severity.LOW, Confidence.LOW, "p-1.0/a.py", 9, 1, "m", "x()", Reach.CALLED, List.of());
        List<String> forward = Baseline.fingerprints("p", "1.0", List.of(f1, f2));
        List<String> backward = Baseline.fingerprints("p", "1.0", List.of(f2, f1));
        assertEquals(forward.get(0), backward.get(1));
        assertEquals(forward.get(1), backward.get(0));
        assertTrue(forward.get(0).endsWith(":1") && forward.get(1).endsWith(":2"));
        // a new release keeps the fingerprints of unchanged findings
        Finding next = new Finding("R", Severity.LOW, Confidence.LOW, "p-1.1/a.py", 5, 1, "m", "x()", Reach.CALLED, List.of());
        assertEquals(forward.get(0), Baseline.fingerprints("P", "1.1", List.of(next)).get(0));
    }

    @Test
    void incompleteEntriesAreRejectedWithTheirNumber() {
        IOException noReason = assertThrows(IOException.class, () -> toml("""
                [[suppress]]
                rule = "KS-A"
                path = "a.py"
                reason = "ok"
                [[suppress]]
                rule = "KS-B"
                path = "b.py"
                """));
        assertTrue(noReason.getMessage().startsWith("suppression 2:"), noReason.getMessage());
        assertThrows(IOException.class, () -> toml("[[suppress]]\nrule = \"KS-A\"\nreason = \"r\"\n"));
        assertThrows(IOException.class, () -> toml("[[suppress]]\nrule = \"KS-A\"\nsha256 = \"abc\"\nreason = \"r\"\n"));
        assertThrows(IOException.class, () -> toml("suppress = 3\n"));
    }

    private static boolean glob(String glob, String path) {
        return Suppression.globPattern(glob).matcher(path).matches();
    }

    @Test
    void globsStayWithinSegmentsUnlessDoubleStarred() {
        assertTrue(glob("*/setup.py", "demo-1.0/setup.py"));
        assertTrue(!glob("*/setup.py", "demo-1.0/sub/setup.py"));
        assertTrue(glob("**/setup.py", "setup.py"));
        assertTrue(glob("**/setup.py", "a/b/setup.py"));
        assertTrue(glob("a/**", "a/b/c.py"));
        assertTrue(!glob("a.py", "a_py"));
        assertEquals(Optional.of("r"), Suppressions.of(List.of(new Suppression("R", Optional.of("*.py"), Optional.empty(), "r")))
                .reason(new Finding("R", Severity.LOW, Confidence.LOW, "x.py#layer2", 1, 1, "", "", Reach.CALLED, List.of()),
                        "f:1", Optional::empty));
    }
}
