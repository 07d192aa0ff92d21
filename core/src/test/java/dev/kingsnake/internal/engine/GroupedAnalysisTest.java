package dev.kingsnake.internal.engine;

import dev.kingsnake.Confidence;
import dev.kingsnake.Limits;
import dev.kingsnake.Reach;
import dev.kingsnake.ScanResult;
import dev.kingsnake.Severity;
import dev.kingsnake.internal.archive.TestArchives;
import dev.kingsnake.internal.archive.TestArchives.Member;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.PythonFileRule;
import dev.kingsnake.spi.Rule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.SourceFile;
import dev.kingsnake.spi.Tags;
import dev.kingsnake.spi.python.Expr;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A large package analysed group by group finds what the same package analysed at once finds. */
class GroupedAnalysisTest {

    /** Reports every call of exec, file by file. */
    static final class ExecCalls implements PythonFileRule {
        private static final RuleInfo INFO = new RuleInfo("KS-TEST-EXEC", "exec call", Severity.HIGH, Confidence.HIGH,
                Set.of(Tags.EXECUTE), "exec(x)", "test rule");

        @Override
        public RuleInfo info() {
            return INFO;
        }

        @Override
        public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
            for (Expr.Call c : file.calls()) {
                if (file.calleeName(c).orElse("").equals("exec")) {
                    sink.report(Location.of(file, c), "exec", "exec");
                }
            }
        }
    }

    /** Reports, once per package, how many files it has and whether setup.py has a model. */
    static final class FileCount implements Rule {
        private static final RuleInfo INFO = new RuleInfo("KS-TEST-COUNT", "file count", Severity.LOW, Confidence.LOW,
                Set.of(Tags.METADATA), "-", "test rule");

        @Override
        public RuleInfo info() {
            return INFO;
        }

        @Override
        public void check(RuleContext ctx, FindingSink sink) {
            SourceFile first = ctx.files().get(0);
            boolean setupModel = ctx.pythonFiles().stream().anyMatch(f -> f.path().endsWith("/setup.py"));
            sink.report(Location.file(first, Reach.UNKNOWN), ctx.files().size() + " files, setup.py model "
                    + setupModel, "");
        }
    }

    /** Reports, for every Python file, how many Python files its context holds: the whole package, or a group. */
    static final class ContextSize implements PythonFileRule {
        private static final RuleInfo INFO = new RuleInfo("KS-TEST-CONTEXT", "context size", Severity.LOW,
                Confidence.LOW, Set.of(Tags.METADATA), "-", "test rule");

        @Override
        public RuleInfo info() {
            return INFO;
        }

        @Override
        public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
            sink.report(Location.file(file, Reach.UNKNOWN), Integer.toString(ctx.pythonFiles().size()), "");
        }
    }

    /** An sdist with a setup.py and {@code modules} small modules, each ending with {@code tail.apply(i)}. */
    private static byte[] bigPackage(int modules, IntFunction<String> tail) {
        List<Member> members = new ArrayList<>();
        members.add(Member.file("big-1.0/setup.py", "from setuptools import setup\nsetup(name='big')\n"));
        for (int i = 0; i < modules; i++) {
            String body = "def f" + i + "(x):\n    return x + " + i + "\n" + tail.apply(i);
            members.add(Member.file("big-1.0/big/m" + i + ".py", body));
        }
        return TestArchives.gzip(TestArchives.tar(members));
    }

    @Test
    void groupsFindWhatTheWholePackageFinds() {
        byte[] archive = bigPackage(30, i -> i % 7 == 3 ? "exec(compile('x = 1', 'm', 'exec'))\n" : "");
        List<Rule> rules = List.of(new ExecCalls(), new FileCount());
        ScanEngine atOnce = new ScanEngine(Limits.defaults(), rules, 5.0, 2.5, Optional.empty());
        ScanEngine grouped = new ScanEngine(Limits.defaults(), rules, 5.0, 2.5, Optional.empty(), 200);
        ScanResult whole = atOnce.scan("big-1.0.tar.gz", new ByteArrayInputStream(archive));
        ScanResult parts = grouped.scan("big-1.0.tar.gz", new ByteArrayInputStream(archive));
        assertEquals(4, whole.findings().stream().filter(f -> f.ruleId().equals("KS-TEST-EXEC")).count());
        assertEquals(whole.findings(), parts.findings());
        assertEquals(whole.score(), parts.score());
        assertEquals(whole.stats().pythonFiles(), parts.stats().pythonFiles());
        assertEquals(whole.stats().pythonBytes(), parts.stats().pythonBytes());
        assertFalse(parts.partial());
    }

    /**
     * The size of a group and the size above which a package is grouped are two settings (groups of 4 MiB, for
     * packages of more than 8 MiB): a package between the two is analysed at once, a bigger one in groups no
     * bigger than a group's size.
     */
    @Test
    void onlyAPackageAboveTheThresholdIsGroupedAndItsGroupsHaveTheGroupSize() {
        byte[] archive = bigPackage(30, i -> "");
        int pythonFiles = 31;
        List<Rule> rules = List.of(new ContextSize());
        ScanEngine between = new ScanEngine(Limits.defaults(), rules, 5.0, 2.5, Optional.empty(), 200, 100_000);
        ScanResult atOnce = between.scan("big-1.0.tar.gz", new ByteArrayInputStream(archive));
        assertEquals(pythonFiles, atOnce.findings().size());
        assertTrue(atOnce.findings().stream().allMatch(f -> f.message().equals(Integer.toString(pythonFiles))),
                atOnce::toString);
        ScanEngine above = new ScanEngine(Limits.defaults(), rules, 5.0, 2.5, Optional.empty(), 200, 400);
        ScanResult grouped = above.scan("big-1.0.tar.gz", new ByteArrayInputStream(archive));
        assertEquals(pythonFiles, grouped.findings().size());
        // modules of about 30 bytes: at most 7 in a group of 200 bytes, and more than one group
        assertTrue(grouped.findings().stream().allMatch(f -> Integer.parseInt(f.message()) <= 7), grouped::toString);
        assertTrue(grouped.stats().pythonBytes() > 400, "the package is above the threshold");
    }

    /**
     * The package rules and the groups run concurrently; what comes out (findings, diagnostics and their order)
     * must not depend on which task finishes first.
     */
    @Test
    void concurrentGroupsGiveTheSameResultEveryTime() {
        byte[] archive = bigPackage(40, i -> (i % 5 == 2 ? "exec(compile('x = 1', 'm', 'exec'))\n" : "")
                + (i % 9 == 4 ? "def broken(:\n" : ""));
        ScanEngine grouped = new ScanEngine(Limits.defaults(), List.of(new ExecCalls(), new FileCount()), 5.0, 2.5,
                Optional.empty(), 150);
        ScanResult first = grouped.scan("big-1.0.tar.gz", new ByteArrayInputStream(archive));
        assertEquals(8, first.findings().stream().filter(f -> f.ruleId().equals("KS-TEST-EXEC")).count());
        assertEquals(4, first.diagnostics().size(), first::toString);
        for (int run = 0; run < 30; run++) {
            ScanResult again = grouped.scan("big-1.0.tar.gz", new ByteArrayInputStream(archive));
            assertEquals(first.findings(), again.findings());
            assertEquals(first.diagnostics(), again.diagnostics());
        }
    }
}
