package dev.kingsnake.internal.engine;

import dev.kingsnake.DiagnosticCode;
import dev.kingsnake.Limits;
import dev.kingsnake.ScanResult;
import dev.kingsnake.Scanner;
import dev.kingsnake.Verdict;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.Rule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.Confidence;
import dev.kingsnake.Reach;
import dev.kingsnake.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeadlineTest {

    /**
     * Reports one finding per file, then spins for {@code spinMillis}, so that the deadline falls between
     * rules. The margins are wide (seconds) so that a slow, shared machine cannot change the outcome.
     */
    private static Rule slowRule(String id, AtomicInteger runs, long spinMillis) {
        return new Rule() {
            @Override
            public RuleInfo info() {
                return new RuleInfo(id, "slow test rule", Severity.LOW, Confidence.LOW, Set.of(), "", "");
            }

            @Override
            public void check(RuleContext ctx, FindingSink sink) {
                runs.incrementAndGet();
                ctx.files().forEach(f -> sink.report(Location.file(f, Reach.UNKNOWN), "seen", f.path()));
                long until = System.nanoTime() + spinMillis * 1_000_000L;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            }
        };
    }

    @Test
    void aScanPastItsDeadlineStopsCleanlyKeepingFindingsSoFar(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("setup.py"), "from setuptools import setup\nsetup(name='x')\n");
        AtomicInteger runs = new AtomicInteger();
        Scanner scanner = Scanner.builder()
                .limits(Limits.builder().packageTimeout(Duration.ofSeconds(3)).build())
                .rules(List.of(slowRule("KS-TEST-SLOW-A", runs, 3_200), slowRule("KS-TEST-SLOW-B", runs, 0),
                        slowRule("KS-TEST-SLOW-C", runs, 0)))
                .build();

        ScanResult r = scanner.scan(dir);

        assertTrue(r.partial(), r.diagnostics().toString());
        assertTrue(r.diagnostics().stream().anyMatch(d -> d.code() == DiagnosticCode.LIMIT_EXCEEDED
                && d.message().contains("time limit")), r.diagnostics().toString());
        assertEquals(1, runs.get(), "rules after the deadline must not run");
        assertFalse(r.findings().isEmpty(), "findings made before the deadline are kept");
        assertEquals(Verdict.BENIGN, r.verdict());
    }

    @Test
    void withinTheDeadlineEveryRuleRuns(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("setup.py"), "x = 1\n");
        AtomicInteger runs = new AtomicInteger();
        Scanner scanner = Scanner.builder()
                .rules(List.of(slowRule("KS-TEST-SLOW-A", runs, 0), slowRule("KS-TEST-SLOW-B", runs, 0)))
                .build();
        ScanResult r = scanner.scan(dir);
        assertEquals(2, runs.get());
        assertFalse(r.partial());
    }
}
