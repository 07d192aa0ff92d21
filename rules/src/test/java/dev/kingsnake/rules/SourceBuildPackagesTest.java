package dev.kingsnake.rules;

import dev.kingsnake.Finding;
import dev.kingsnake.ScanResult;
import dev.kingsnake.Scanner;
import dev.kingsnake.Severity;
import dev.kingsnake.Verdict;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A build that downloads the versioned source release of the library it wraps, unpacks it in the build tree and
 * hands it to build tools is told apart from the same download whose archive is unpacked elsewhere or whose
 * "build" starts a program of it (packages under {@code src/test/resources/packages/}).
 */
class SourceBuildPackagesTest {

    private static ScanResult scan(String name) {
        Fixture fx = Fixture.load(Fixture.fixturesRoot().resolveSibling("packages").resolve(name));
        return Scanner.builder().build().scan(fx.archiveName, new ByteArrayInputStream(fx.archive));
    }

    private static String brief(ScanResult r) {
        return r.score() + " " + r.findings().stream().filter(f -> f.severity() != Severity.INFO)
                .map(f -> f.ruleId() + "/" + f.severity() + "@" + f.line()).toList();
    }

    private static List<Finding> of(ScanResult r, String rule) {
        return r.findings().stream().filter(f -> f.ruleId().equals(rule)).toList();
    }

    @Test
    void aSourceReleaseBuiltInTheBuildTreeIsBenign() {
        ScanResult r = scan("source-build");
        assertEquals(Verdict.BENIGN, r.verdict(), brief(r));
        List<Finding> network = of(r, "KS-INSTALL-NETWORK");
        assertEquals(1, network.size(), network.toString());
        assertEquals(Severity.LOW, network.get(0).severity());
        for (String rule : List.of("KS-INSTALL-PROCESS", "KS-INSTALL-FILE-WRITE", "KS-PERSIST-DROPPER")) {
            assertEquals(List.of(), of(r, rule), rule + ": cd into the tree and build it, write its config.h");
        }
    }

    @Test
    void anInTreeBackendBuildingASourceReleaseIsBenign() {
        ScanResult r = scan("source-build-backend");
        assertEquals(Verdict.BENIGN, r.verdict(), brief(r));
        List<Finding> backend = of(r, "KS-INSTALL-BUILD-BACKEND");
        assertEquals(2, backend.size(), backend.toString());
        assertTrue(backend.stream().allMatch(f -> f.severity().compareTo(Severity.MEDIUM) <= 0), backend.toString());
    }

    @Test
    void theSameArchiveUnpackedInATemporaryDirectoryAndRunIsMalicious() {
        ScanResult r = scan("source-dropper");
        assertEquals(Verdict.MALICIOUS, r.verdict(), brief(r));
        assertEquals(Severity.HIGH, of(r, "KS-INSTALL-NETWORK").get(0).severity());
    }

    @Test
    void aBuildChainThatStartsAProgramOfTheArchiveIsMalicious() {
        ScanResult r = scan("source-build-chain");
        assertEquals(Verdict.MALICIOUS, r.verdict(), brief(r));
        assertEquals(Severity.HIGH, of(r, "KS-INSTALL-NETWORK").get(0).severity());
    }
}
