package dev.kingsnake.internal.engine;

import dev.kingsnake.Limits;
import dev.kingsnake.ScanResult;
import dev.kingsnake.internal.archive.ArchiveEntry;
import dev.kingsnake.internal.archive.TestArchives;
import dev.kingsnake.internal.archive.TestArchives.Member;
import dev.kingsnake.internal.python.ParseOutcome;
import dev.kingsnake.internal.python.PythonParser;
import dev.kingsnake.spi.Rule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parsing while the archive is still read changes nothing in what a scan finds. */
class ParseAheadTest {

    /** A wheel bigger than {@link ScanEngine#PARSE_AHEAD_MIN_INPUT}: modules, one broken, and a big native library. */
    private static byte[] bigWheel() {
        List<Member> members = new ArrayList<>();
        members.add(Member.file("big/__init__.py", "import os\n"));
        for (int i = 0; i < 40; i++) {
            members.add(Member.file("big/m" + i + ".py", "def f" + i + "(x):\n    return x + " + i + "\n"
                    + (i % 7 == 3 ? "exec(compile('x = 1', 'm', 'exec'))\n" : "")
                    + (i % 11 == 5 ? "def broken(:\n" : "")));
        }
        byte[] library = new byte[(int) ScanEngine.PARSE_AHEAD_MIN_INPUT + (1 << 20)];
        new Random(16).nextBytes(library);
        members.add(Member.file("big/_native.so", library));
        members.add(Member.file("big/late.py", "exec(compile('y = 2', 'late', 'exec'))\n"));
        members.add(Member.file("big-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: big\nVersion: 1.0\n"));
        members.add(Member.file("big-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\nRoot-Is-Purelib: false\n"));
        return TestArchives.zip(members);
    }

    @Test
    void aBigFileScansAsTheSameBytesStreamedDo(@TempDir Path dir) throws IOException {
        byte[] wheel = bigWheel();
        Path file = dir.resolve("big-1.0-py3-none-any.whl");
        Files.write(file, wheel);
        assertTrue(Files.size(file) >= ScanEngine.PARSE_AHEAD_MIN_INPUT);
        List<Rule> rules = List.of(new GroupedAnalysisTest.ExecCalls(), new GroupedAnalysisTest.FileCount());
        for (long group : List.of(ScanEngine.GROUP_SOURCE_BYTES, 300L)) {
            ScanEngine engine = new ScanEngine(Limits.defaults(), rules, 5.0, 2.5, Optional.empty(), group);
            ScanResult streamed = engine.scan(file.getFileName().toString(), new ByteArrayInputStream(wheel));
            assertEquals(7, streamed.findings().stream().filter(f -> f.ruleId().equals("KS-TEST-EXEC")).count());
            assertEquals(4, streamed.diagnostics().size(), streamed::toString);
            for (int run = 0; run < 5; run++) {
                ScanResult ahead = engine.scan(file);
                assertEquals(streamed.findings(), ahead.findings());
                assertEquals(streamed.diagnostics(), ahead.diagnostics());
                assertEquals(streamed.score(), ahead.score());
                assertFalse(ahead.partial());
            }
        }
    }

    private static ArchiveEntry entry(String path, byte[] bytes) {
        return new ArchiveEntry(path, path, bytes, false, bytes.length, Optional.empty(), List.of());
    }

    private static ArchiveEntry python(String path, String text) {
        return entry(path, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void parsesAheadOnlyPythonWithinItsBudgetAndHandsEachParseOverOnce() {
        PythonParser parser = new PythonParser(Limits.defaults());
        List<Runnable> queued = new ArrayList<>();
        ParseAhead ahead = new ParseAhead(parser, queued::add, 30);
        ArchiveEntry first = python("a.py", "x = 1\n");
        ArchiveEntry data = entry("a.dat", new byte[] {1, 2, 3});
        ArchiveEntry second = python("b.py", "def f():\n    return 2\n");
        ArchiveEntry overBudget = python("c.py", "y = 3\n");
        for (ArchiveEntry e : List.of(first, data, second, overBudget)) {
            ahead.accept(e);
        }
        assertEquals(2, queued.size(), "a.py and b.py (29 bytes); c.py would pass the 30-byte budget");
        queued.get(0).run();
        ParseOutcome parsedAhead = ahead.parse(first);
        assertEquals(parser.parse("a.py", first.bytes()).module().toString(), parsedAhead.module().toString());
        // b.py's task never ran: the analysis parses it itself, and the late task then does nothing
        ParseOutcome parsedNow = ahead.parse(second);
        queued.get(1).run();
        assertEquals(parser.parse("b.py", second.bytes()).module().toString(), parsedNow.module().toString());
        // taken once: asking again parses again rather than holding the first outcome
        assertFalse(ahead.parse(first) == parsedAhead);
        assertSame(ParseOutcome.class, ahead.parse(overBudget).getClass());
        ahead.close();
    }
}
