package dev.kingsnake.internal.engine;

import dev.kingsnake.Confidence;
import dev.kingsnake.Finding;
import dev.kingsnake.Reach;
import dev.kingsnake.Severity;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.Tags;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScoringTest {
    private static final double MALICIOUS = 5.0;
    private static final double SUSPICIOUS = 2.5;

    private final Scoring scoring = new Scoring();
    private final Map<String, RuleInfo> rules = new HashMap<>();

    private void rule(String id, Severity s, Confidence c, String... tags) {
        rules.put(id, new RuleInfo(id, "test rule", s, c, Set.of(tags), "x", "y"));
    }

    private static Finding finding(String rule, Severity s, Confidence c, String file, Reach reach) {
        return new Finding(rule, s, c, file, 1, 1, "m", "e", reach, List.of());
    }

    private static Finding finding(String rule, Severity s, Confidence c) {
        return finding(rule, s, c, "pkg/mod.py", Reach.CALLED);
    }

    private double score(Finding... fs) {
        return scoring.score(List.of(fs), rules);
    }

    @Test
    void inALargeCodeBaseScatteredFindingsWeighLessThanOneFileDoingItAll() {
        rule("KS-T-SHELL", Severity.MEDIUM, Confidence.HIGH, Tags.PROCESS);
        rule("KS-T-CRED", Severity.MEDIUM, Confidence.MEDIUM, Tags.CREDENTIALS);
        rule("KS-T-NET", Severity.MEDIUM, Confidence.HIGH, Tags.NETWORK);
        List<Finding> scattered = List.of(
                finding("KS-T-SHELL", Severity.MEDIUM, Confidence.HIGH, "pkg/cli.py", Reach.CALLED),
                finding("KS-T-CRED", Severity.MEDIUM, Confidence.MEDIUM, "pkg/ssh/client.py", Reach.CALLED),
                finding("KS-T-NET", Severity.MEDIUM, Confidence.HIGH, "pkg/web/server.py", Reach.CALLED));
        double small = scoring.score(scattered, rules, Set.of(), 5);
        assertEquals(1.5 + 1.05 + 1.5 + 3.0, small, 1e-9, "a small package adds everything");
        double large = scoring.score(scattered, rules, Set.of(), Scoring.LARGE_PACKAGE_FILES);
        // worst file (1.5) + 0.3 x the other two files' rules (1.05 + 1.5); no combination across files
        assertEquals(1.5 + 0.3 * (1.05 + 1.5), large, 0.01);
        assertTrue(large < MALICIOUS && small >= MALICIOUS, small + " / " + large);

        // the same behaviours in one file of a large package keep their full weight
        List<Finding> together = scattered.stream().map(f -> finding(f.ruleId(), f.severity(), f.confidence(),
                "pkg/payload.py", Reach.CALLED)).toList();
        List<Finding> withNoise = new ArrayList<>(together);
        withNoise.add(finding("KS-T-SHELL", Severity.MEDIUM, Confidence.HIGH, "pkg/other.py", Reach.CALLED));
        assertEquals(small, scoring.score(together, rules, Set.of(), 500), 1e-9);
        assertTrue(scoring.score(withNoise, rules, Set.of(), 500) >= small);
    }

    @Test
    void aPackageThatSaysNothingAboutItselfAndCallsOutWhileInstallingCombines() {
        rule("KS-T-ANON", Severity.LOW, Confidence.LOW, Tags.METADATA, Tags.ANONYMOUS);
        rule("KS-T-INET", Severity.HIGH, Confidence.MEDIUM, Tags.NETWORK);
        rule("KS-T-IPROC", Severity.MEDIUM, Confidence.MEDIUM, Tags.PROCESS);
        Finding anon = finding("KS-T-ANON", Severity.LOW, Confidence.LOW, "PKG-INFO", Reach.UNKNOWN);
        Finding net = finding("KS-T-INET", Severity.HIGH, Confidence.MEDIUM, "setup.py", Reach.INSTALL_TIME);
        Finding proc = finding("KS-T-IPROC", Severity.MEDIUM, Confidence.MEDIUM, "setup.py", Reach.INSTALL_TIME);
        double alone = score(anon, net);
        assertEquals(Scoring.weight(anon) + Scoring.weight(net) + Scoring.ANONYMOUS_NETWORK_BONUS, alone, 0.01);
        // network called later, or a process at install time, does not complete it
        Finding later = finding("KS-T-INET", Severity.HIGH, Confidence.MEDIUM, "pkg/client.py", Reach.CALLED);
        assertEquals(Scoring.weight(anon) + Scoring.weight(later), score(anon, later), 0.01);
        assertEquals(Scoring.weight(anon) + Scoring.weight(proc), score(anon, proc), 0.01);
        // a described package with the same install-time request gets no bonus
        assertEquals(Scoring.weight(net), score(net), 0.01);
    }

    @Test
    void aCapabilityAloneStaysBenign() {
        rule("KS-T-SHELL", Severity.LOW, Confidence.MEDIUM, Tags.PROCESS);
        assertTrue(score(finding("KS-T-SHELL", Severity.LOW, Confidence.MEDIUM)) < SUSPICIOUS);
    }

    @Test
    void credentialsPlusNetworkFromTwoRulesCombine() {
        rule("KS-T-CRED", Severity.HIGH, Confidence.MEDIUM, Tags.CREDENTIALS);
        rule("KS-T-NET", Severity.MEDIUM, Confidence.HIGH, Tags.NETWORK);
        double cred = score(finding("KS-T-CRED", Severity.HIGH, Confidence.MEDIUM));
        double net = score(finding("KS-T-NET", Severity.MEDIUM, Confidence.HIGH));
        double both = score(finding("KS-T-CRED", Severity.HIGH, Confidence.MEDIUM),
                finding("KS-T-NET", Severity.MEDIUM, Confidence.HIGH));
        assertTrue(cred < MALICIOUS && net < SUSPICIOUS, cred + " / " + net);
        assertEquals(cred + net + 3.0, both, 1e-9, "credentials + network earns the combination bonus");
        assertTrue(both >= MALICIOUS);
    }

    @Test
    void oneRuleCarryingBothTagsDoesNotCombineWithItself() {
        rule("KS-T-BOTH", Severity.HIGH, Confidence.HIGH, Tags.CREDENTIALS, Tags.EXFILTRATION);
        assertEquals(3.5, score(finding("KS-T-BOTH", Severity.HIGH, Confidence.HIGH)), 1e-9);
    }

    @Test
    void weakFindingsDoNotTakePartInCombinations() {
        rule("KS-T-CRED", Severity.HIGH, Confidence.HIGH, Tags.CREDENTIALS);
        rule("KS-T-NET", Severity.LOW, Confidence.LOW, Tags.NETWORK);
        double w = Scoring.weight(finding("KS-T-NET", Severity.LOW, Confidence.LOW));
        assertTrue(w < Scoring.TAG_GATE);
        assertEquals(3.5 + w, score(finding("KS-T-CRED", Severity.HIGH, Confidence.HIGH),
                finding("KS-T-NET", Severity.LOW, Confidence.LOW)), 0.01);
    }

    @Test
    void testCodeDoesNotCompleteCombinations() {
        rule("KS-T-CRED", Severity.HIGH, Confidence.HIGH, Tags.CREDENTIALS);
        rule("KS-T-NET", Severity.HIGH, Confidence.HIGH, Tags.NETWORK);
        double s = score(finding("KS-T-CRED", Severity.HIGH, Confidence.HIGH, "pkg/tests/test_env.py", Reach.CALLED),
                finding("KS-T-NET", Severity.HIGH, Confidence.HIGH, "pkg/tests/test_env.py", Reach.CALLED));
        assertEquals(Math.min(Scoring.NON_SHIPPED_CAP, 2 * 3.5 * 0.3), s, 0.01, "no combination bonus");
    }

    @Test
    void eachCombinationCountsOnceHoweverManyRulesComplete() {
        rule("KS-T-DEC", Severity.MEDIUM, Confidence.HIGH, Tags.DECODE);
        rule("KS-T-EX1", Severity.MEDIUM, Confidence.HIGH, Tags.EXECUTE);
        rule("KS-T-EX2", Severity.MEDIUM, Confidence.HIGH, Tags.EXECUTE);
        double s = score(finding("KS-T-DEC", Severity.MEDIUM, Confidence.HIGH),
                finding("KS-T-EX1", Severity.MEDIUM, Confidence.HIGH),
                finding("KS-T-EX2", Severity.MEDIUM, Confidence.HIGH));
        assertEquals(3 * 1.5 + 2.5, s, 1e-9);
    }

    @Test
    void metadataAloneIsCappedBelowMaliciousButAddsToCode() {
        rule("KS-T-TYPO", Severity.HIGH, Confidence.HIGH, Tags.METADATA);
        rule("KS-T-META", Severity.HIGH, Confidence.HIGH, Tags.METADATA);
        rule("KS-T-BIN", Severity.CRITICAL, Confidence.HIGH, Tags.METADATA, Tags.BINARY);
        rule("KS-T-NET", Severity.HIGH, Confidence.MEDIUM, Tags.NETWORK);
        double meta = score(finding("KS-T-TYPO", Severity.HIGH, Confidence.HIGH),
                finding("KS-T-META", Severity.HIGH, Confidence.HIGH),
                finding("KS-T-BIN", Severity.CRITICAL, Confidence.HIGH));
        assertEquals(Scoring.METADATA_CAP, meta, 1e-9);
        assertTrue(meta >= SUSPICIOUS && meta < MALICIOUS);
        double code = score(finding("KS-T-NET", Severity.HIGH, Confidence.MEDIUM));
        double both = score(finding("KS-T-TYPO", Severity.HIGH, Confidence.HIGH),
                finding("KS-T-NET", Severity.HIGH, Confidence.MEDIUM));
        assertEquals(code + Scoring.METADATA_CAP, both, 1e-9);
        assertTrue(code < MALICIOUS && both >= MALICIOUS);
    }

    @Test
    void metadataTagsDoNotCompleteCodeCombinations() {
        rule("KS-T-META", Severity.HIGH, Confidence.HIGH, Tags.METADATA, Tags.NETWORK);
        rule("KS-T-CRED", Severity.MEDIUM, Confidence.HIGH, Tags.CREDENTIALS);
        assertEquals(1.5 + 3.0, score(finding("KS-T-META", Severity.HIGH, Confidence.HIGH),
                finding("KS-T-CRED", Severity.MEDIUM, Confidence.HIGH)), 1e-9);
    }

    @Test
    void installTimeRaisesAndTestsLower() {
        rule("KS-T-NET", Severity.HIGH, Confidence.HIGH, Tags.NETWORK);
        double called = score(finding("KS-T-NET", Severity.HIGH, Confidence.HIGH));
        double install = score(finding("KS-T-NET", Severity.HIGH, Confidence.HIGH, "setup.py", Reach.INSTALL_TIME));
        double inTests = score(finding("KS-T-NET", Severity.HIGH, Confidence.HIGH, "pkg/tests/test_x.py",
                Reach.CALLED));
        assertTrue(install > called && called > inTests, install + " > " + called + " > " + inTests);
        assertEquals(called * 1.4, install, 0.01);
        assertTrue(Scoring.isTestOrDocs("pkg/test_net.py#layer1"));
        assertTrue(Scoring.isTestOrDocs("docs/conf.py"));
    }

    @Test
    void repeatsAddAtMostHalf() {
        rule("KS-T-NET", Severity.HIGH, Confidence.HIGH, Tags.NETWORK);
        List<Finding> many = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            many.add(finding("KS-T-NET", Severity.HIGH, Confidence.HIGH));
        }
        assertEquals(3.5 * 1.5, scoring.score(many, rules), 1e-9);
        assertEquals(3.5 * 1.1, score(finding("KS-T-NET", Severity.HIGH, Confidence.HIGH),
                finding("KS-T-NET", Severity.MEDIUM, Confidence.HIGH)), 1e-9);
    }

    @Test
    void scoreIsCappedAtTen() {
        rule("KS-T-A", Severity.CRITICAL, Confidence.HIGH, Tags.BACKDOOR);
        rule("KS-T-B", Severity.CRITICAL, Confidence.HIGH, Tags.DOWNLOAD);
        assertEquals(10.0, score(finding("KS-T-A", Severity.CRITICAL, Confidence.HIGH),
                finding("KS-T-B", Severity.CRITICAL, Confidence.HIGH)), 1e-9);
    }

    @Test
    void nonShippedCodeTogetherStaysBelowSuspiciousAndApartFromShippedFindings() {
        for (String id : List.of("KS-T-A", "KS-T-B", "KS-T-C", "KS-T-D")) {
            rule(id, Severity.CRITICAL, Confidence.HIGH, Tags.BACKDOOR);
        }
        double tests = score(finding("KS-T-A", Severity.CRITICAL, Confidence.HIGH, "p/tests/t.py", Reach.CALLED),
                finding("KS-T-B", Severity.CRITICAL, Confidence.HIGH, "p/demos/d.py", Reach.CALLED),
                finding("KS-T-C", Severity.CRITICAL, Confidence.HIGH, "p/benchmark/b.py", Reach.CALLED),
                finding("KS-T-D", Severity.CRITICAL, Confidence.HIGH, "docs/conf.py", Reach.CALLED));
        assertEquals(Scoring.NON_SHIPPED_CAP, tests, 1e-9);
        assertTrue(tests < SUSPICIOUS);

        double shipped = score(finding("KS-T-A", Severity.CRITICAL, Confidence.HIGH));
        double both = score(finding("KS-T-A", Severity.CRITICAL, Confidence.HIGH),
                finding("KS-T-A", Severity.CRITICAL, Confidence.HIGH, "p/tests/t.py", Reach.CALLED));
        assertEquals(shipped + 6.0 * 0.3, both, 1e-9, "a test finding neither raises nor repeats the shipped one");
    }

    @Test
    void nonShippedPathsAreRecognisedBySegmentNotSubstring() {
        assertTrue(Scoring.isTestOrDocs("pkg-1.0/tests/x.py"));
        assertTrue(Scoring.isTestOrDocs("tests/x.py"));
        assertTrue(Scoring.isTestOrDocs("pkg/demo/x.py"));
        assertTrue(Scoring.isTestOrDocs("pkg/benchmarks/x.py"));
        assertTrue(Scoring.isTestOrDocs("pkg/x_test.py"));
        assertTrue(Scoring.isTestOrDocs("conftest.py"));
        assertTrue(!Scoring.isTestOrDocs("pytestx/__init__.py"));
        assertTrue(!Scoring.isTestOrDocs("pkg/latest/x.py"));
        assertTrue(!Scoring.isTestOrDocs("setup.py"));
        assertTrue(Scoring.isTestOrDocs("venv-1.0/src/venv/embed/pip-26.0-py3-none-any.whl!/pip/_vendor/x.py"));
        assertTrue(!Scoring.isTestOrDocs("venv-1.0/src/venv/embed/notes!.py"));
    }

    @Test
    void aFalseIdentityWithInstallTimeActionEarnsTheIdentityBonus() {
        rule("KS-T-CONFUSION", Severity.MEDIUM, Confidence.MEDIUM, Tags.METADATA, Tags.IDENTITY);
        rule("KS-T-NET", Severity.HIGH, Confidence.MEDIUM, Tags.NETWORK);
        Finding identity = finding("KS-T-CONFUSION", Severity.MEDIUM, Confidence.MEDIUM, "PKG-INFO", Reach.UNKNOWN);
        Finding atInstall = finding("KS-T-NET", Severity.HIGH, Confidence.MEDIUM, "setup.py", Reach.INSTALL_TIME);
        Finding whenCalled = finding("KS-T-NET", Severity.HIGH, Confidence.MEDIUM, "pkg/net.py", Reach.CALLED);
        double apart = score(identity) + score(atInstall);
        double both = score(identity, atInstall);
        assertEquals(apart + Scoring.IDENTITY_INSTALL_BONUS, both, 1e-9);
        assertTrue(apart < MALICIOUS && both >= MALICIOUS, apart + " / " + both);
        assertEquals(score(identity) + score(whenCalled), score(identity, whenCalled), 1e-9,
                "code that only runs when called does not complete it");
    }

    @Test
    void integrityFindingsWithoutTheIdentityTagDoNotEarnTheIdentityBonus() {
        rule("KS-T-MISMATCH", Severity.MEDIUM, Confidence.HIGH, Tags.METADATA);
        rule("KS-T-PROC", Severity.MEDIUM, Confidence.MEDIUM, Tags.PROCESS);
        Finding mismatch = finding("KS-T-MISMATCH", Severity.MEDIUM, Confidence.HIGH, "PKG-INFO", Reach.UNKNOWN);
        Finding proc = finding("KS-T-PROC", Severity.MEDIUM, Confidence.MEDIUM, "setup.py", Reach.INSTALL_TIME);
        assertEquals(score(mismatch) + score(proc), score(mismatch, proc), 1e-9);
    }

    @Test
    void hiddenAndTopLevelToolingDirectoriesAreNotShipped() {
        assertTrue(Scoring.isTestOrDocs("pkg-1.0/.github/workflows/get-libs.py"));
        assertTrue(Scoring.isTestOrDocs("pkg-1.0/.ci/download.py"));
        assertTrue(Scoring.isTestOrDocs("pkg-1.0/devscripts/release.py"));
        assertTrue(Scoring.isTestOrDocs("pkg-1.0/tools/vendor.py"));
        assertTrue(Scoring.isTestOrDocs("pkg-1.0/dev/python-install.py"));
        assertTrue(Scoring.isTestOrDocs("pkg-1.0/ci/upload.py"));
        assertTrue(!Scoring.isTestOrDocs("pkg-1.0/pkg/dev/net.py"), "a package's own dev module is shipped");
        assertTrue(Scoring.isTestOrDocs("pkg/samples/get.py"));
        assertTrue(Scoring.isTestOrDocs("meson-1.0/manual tests/4 standalone binaries/build.py"));
        assertTrue(Scoring.isTestOrDocs("pkg-1.0/integration_tests/run.py"));
        assertTrue(Scoring.isTestOrDocs("pkg-1.0/unittests/machinefiletests.py"));
        assertTrue(!Scoring.isTestOrDocs("pkg-1.0/pkg/contests/net.py"), "a word that merely ends in 'tests'");
        assertTrue(!Scoring.isTestOrDocs("pkg-1.0/pkg/latest/net.py"));
        assertTrue(!Scoring.isTestOrDocs("ttat-api-test-0.1.0/ttat-api-test/__init__.py"), "a package named *-test");
        assertTrue(!Scoring.isTestOrDocs("pkg-1.0/pkg/tools/net.py"), "a package's own tools module is shipped");
        assertTrue(!Scoring.isTestOrDocs("pkg/tools/net.py"), "a wheel's top-level package is shipped");
        assertTrue(!Scoring.isTestOrDocs("pkg-1.0/setup.py"));
        assertTrue(!Scoring.isTestOrDocs("pkg-1.0.dist-info/METADATA"));
    }
}
