package dev.kingsnake.rules;

import dev.kingsnake.Confidence;
import dev.kingsnake.Reach;
import dev.kingsnake.Scanner;
import dev.kingsnake.Severity;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.Rule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.SourceFile;
import dev.kingsnake.spi.Tags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fixture verifier itself: it passes exactly when the markers match, and packs files as documented. */
class FixtureContractTest {
    private static final String ID = "KS-TEST-FLAG";

    /** Reports each line containing BANG, each file containing WHOLE at line 0, and any marker it can see. */
    static final class FlagRule implements Rule {
        @Override
        public RuleInfo info() {
            return new RuleInfo(ID, "BANG lines.", Severity.LOW, Confidence.LOW, Set.of(Tags.METADATA), "BANG", "none");
        }

        @Override
        public void check(RuleContext ctx, FindingSink sink) {
            for (SourceFile f : ctx.files()) {
                String[] lines = f.text().split("\n", -1);
                for (int i = 0; i < lines.length; i++) {
                    boolean markerLeft = !f.path().endsWith(".py") && lines[i].contains("# expect");
                    if (lines[i].contains("BANG") || markerLeft) {
                        sink.report(Location.of(f, i + 1, 1, Reach.UNKNOWN), "flag", lines[i]);
                    }
                }
                if (f.text().contains("WHOLE")) {
                    sink.report(Location.file(f, Reach.UNKNOWN), "whole", f.path());
                }
            }
        }
    }

    private static final Scanner SCANNER = Scanner.builder().rules(List.of(new FlagRule())).build();

    @TempDir
    Path tmp;

    private Path fixture(String... pathsAndTexts) throws IOException {
        Path dir = tmp.resolve(ID);
        for (int i = 0; i < pathsAndTexts.length; i += 2) {
            Path p = dir.resolve(pathsAndTexts[i]);
            Files.createDirectories(p.getParent());
            Files.writeString(p, pathsAndTexts[i + 1], StandardCharsets.UTF_8);
        }
        return dir;
    }

    @Test
    void matchingMarkersPass() throws IOException {
        Path dir = fixture("setup.py", "a = 1\nb = 'BANG'  # expect: " + ID + "\n",
                "notes.txt", "# expect-file: " + ID + "\nWHOLE\nBANG # expect: " + ID + "\nplain\n");
        assertDoesNotThrow(() -> FixtureVerifierTest.verify(dir, SCANNER));
    }

    @Test
    void anUnmarkedFindingFails() throws IOException {
        Path dir = fixture("setup.py", "a = 'BANG'\n");
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> FixtureVerifierTest.verify(dir, SCANNER));
        assertTrue(e.getMessage().contains("unexpected: setup.py:1 " + ID), e.getMessage());
    }

    @Test
    void aMarkedLineWithoutFindingFails() throws IOException {
        Path dir = fixture("setup.py", "a = 1  # expect: " + ID + "\n");
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> FixtureVerifierTest.verify(dir, SCANNER));
        assertTrue(e.getMessage().contains("missing:    setup.py:1 " + ID), e.getMessage());
    }

    @Test
    void aMissingWholeFileFindingFails() throws IOException {
        Path dir = fixture("setup.py", "# expect-file: " + ID + "\n");
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> FixtureVerifierTest.verify(dir, SCANNER));
        assertTrue(e.getMessage().contains("missing:    setup.py:0 " + ID), e.getMessage());
    }

    @Test
    void unknownRuleIdsInMarkersFail() throws IOException {
        Path dir = fixture("setup.py", "a = 'BANG'  # expect: " + ID + ", KS-NO-SUCH-RULE\n");
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> FixtureVerifierTest.verify(dir, SCANNER));
        assertTrue(e.getMessage().contains("KS-NO-SUCH-RULE"), e.getMessage());
    }

    @Test
    void sdistPackingStripsMarkersOutsidePython() throws IOException {
        Fixture fx = Fixture.load(fixture("PKG-INFO", "# expect-file: " + ID + "\nName: x # expect: " + ID + "\n",
                "setup.py", "x = 1  # expect: " + ID + "\n"));
        assertEquals("fixture-" + ID + "-1.0.tar.gz", fx.archiveName);
        assertEquals("fixture-1.0/", fx.root);
        assertEquals(Set.of(0, 1), fx.expectedLines.get(ID).get("PKG-INFO"));
        assertEquals(Set.of(1), fx.expectedLines.get(ID).get("setup.py"));
    }

    @Test
    void wheelPackingIsNamedAfterTheDistInfoDirectory() throws IOException {
        Fixture fx = Fixture.load(fixture("demo-2.0.dist-info/METADATA", "Name: demo\n", "demo/__init__.py", ""));
        assertEquals("demo-2.0-py3-none-any.whl", fx.archiveName);
        assertEquals("", fx.root);
        Fixture custom = Fixture.load(fixture(Fixture.PROPERTIES, "archive=other-1.0.tar.gz\nroot=elsewhere-1.0\n"));
        assertEquals("other-1.0.tar.gz", custom.archiveName);
        assertEquals("elsewhere-1.0/", custom.root);
    }
}
