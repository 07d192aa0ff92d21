package dev.kingsnake.rules;

import dev.kingsnake.ScanResult;
import dev.kingsnake.Scanner;
import dev.kingsnake.Verdict;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A typosquat carrying only a copied, harmless project is worth a look (SUSPICIOUS), not MALICIOUS. */
class PackageLevelScoringTest {

    @Test
    void harmlessTyposquatIsSuspiciousNotMalicious() {
        Fixture fx = Fixture.load(Fixture.fixturesRoot().resolve("KS-PKG-TYPOSQUAT"));
        ScanResult r = Scanner.builder().build().scan(fx.archiveName, new ByteArrayInputStream(fx.archive));
        assertEquals(Verdict.SUSPICIOUS, r.verdict(), r.findings().toString());
    }

    @Test
    void theSamePackageUnderItsRealNameIsBenign() {
        Fixture fx = Fixture.load(Fixture.fixturesRoot().resolve("KS-PKG-TYPOSQUAT"));
        ScanResult r = Scanner.builder().popularPackages(java.util.List.of("reqeusts", "requests")).build()
                .scan(fx.archiveName, new ByteArrayInputStream(fx.archive));
        assertEquals(Verdict.BENIGN, r.verdict(), r.findings().toString());
    }
}
