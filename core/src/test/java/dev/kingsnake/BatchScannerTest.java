package dev.kingsnake;

import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.Rule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.SourceFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchScannerTest {
    @TempDir
    Path tmp;

    /** Sleeps for the number of milliseconds written in the file, and reports it. */
    static final class SleepRule implements Rule {
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger maxRunning = new AtomicInteger();

        @Override
        public RuleInfo info() {
            return new RuleInfo("KS-TEST-SLEEP", "sleeps", Severity.INFO, Confidence.LOW, Set.of(), "", "");
        }

        @Override
        public void check(RuleContext ctx, FindingSink sink) {
            int now = running.incrementAndGet();
            maxRunning.accumulateAndGet(now, Math::max);
            try {
                for (SourceFile f : ctx.files()) {
                    String t = f.text().trim();
                    if (t.equals("OOM")) {
                        throw new OutOfMemoryError("simulated");
                    }
                    Thread.sleep(Long.parseLong(t));
                    sink.report(Location.file(f, Reach.UNKNOWN), "slept", t);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                running.decrementAndGet();
            }
        }
    }

    private List<Path> inputs(int... sleeps) throws IOException {
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < sleeps.length; i++) {
            out.add(Files.writeString(tmp.resolve(String.format("in%03d.py", i)), Integer.toString(sleeps[i])));
        }
        return out;
    }

    private static Scanner scanner(Rule rule) {
        return Scanner.builder().rules(List.of(rule)).build();
    }

    @Test
    void inputOrderIsKeptWhateverTheCompletionOrder() throws Exception {
        List<Path> in = inputs(80, 0, 40, 0, 60, 0, 0, 20, 0, 0);
        List<String> got = Collections.synchronizedList(new ArrayList<>());
        try (BatchScanner b = BatchScanner.builder(scanner(new SleepRule())).jobs(4)
                .order(BatchScanner.Order.INPUT).start(r -> got.add(r.input()))) {
            for (Path p : in) {
                b.submit(p);
            }
            b.finish();
        }
        assertEquals(in.stream().map(Path::toString).toList(), got);
    }

    @Test
    void completionOrderDeliversFastResultsFirst() throws Exception {
        List<Path> in = inputs(300, 0, 0);
        List<String> got = Collections.synchronizedList(new ArrayList<>());
        try (BatchScanner b = BatchScanner.builder(scanner(new SleepRule())).jobs(3).start(r -> got.add(r.input()))) {
            for (Path p : in) {
                b.submit(p);
            }
            b.finish();
        }
        assertEquals(3, got.size());
        assertEquals(in.get(0).toString(), got.get(2));
    }

    @Test
    void theWindowBoundsInputsInFlightAndJobsBoundParallelism() throws Exception {
        int[] sleeps = new int[40];
        java.util.Arrays.fill(sleeps, 5);
        List<Path> in = inputs(sleeps);
        SleepRule rule = new SleepRule();
        AtomicInteger delivered = new AtomicInteger();
        int maxInFlight = 0;
        try (BatchScanner b = BatchScanner.builder(scanner(rule)).jobs(2).window(3)
                .order(BatchScanner.Order.INPUT).start(r -> delivered.incrementAndGet())) {
            int submitted = 0;
            for (Path p : in) {
                b.submit(p);
                submitted++;
                maxInFlight = Math.max(maxInFlight, submitted - delivered.get());
            }
            b.finish();
        }
        assertEquals(40, delivered.get());
        assertTrue(maxInFlight <= 3, "in flight: " + maxInFlight);
        assertTrue(rule.maxRunning.get() <= 2, "parallel scans: " + rule.maxRunning.get());
    }

    @Test
    void aRuleThatRunsOutOfMemoryStillYieldsAResult() throws Exception {
        List<Path> in = inputs(0);
        in.add(Files.writeString(tmp.resolve("boom.py"), "OOM"));
        List<ScanResult> got = Collections.synchronizedList(new ArrayList<>());
        try (BatchScanner b = BatchScanner.builder(scanner(new SleepRule())).jobs(2).start(got::add)) {
            for (Path p : in) {
                b.submit(p);
            }
            b.finish();
        }
        assertEquals(2, got.size());
        ScanResult boom = got.stream().filter(r -> r.input().endsWith("boom.py")).findFirst().orElseThrow();
        // the error is isolated to the rule (see ScanFailureIsolationTest for errors outside rules)
        assertEquals(DiagnosticCode.RULE_FAILED, boom.diagnostics().get(0).code());
        assertTrue(boom.diagnostics().get(0).message().contains("OutOfMemoryError"));
        ScanResult fine = got.stream().filter(r -> !r.input().endsWith("boom.py")).findFirst().orElseThrow();
        assertNotEquals(Verdict.ERROR, fine.verdict());
    }

    @Test
    void aFailingSinkStopsDeliveryAndSurfacesFromFinish() throws Exception {
        List<Path> in = inputs(0, 0, 0, 0, 0);
        UncheckedIOException boom = new UncheckedIOException(new IOException("pipe closed"));
        AtomicInteger calls = new AtomicInteger();
        RuntimeException thrown;
        try (BatchScanner b = BatchScanner.builder(scanner(new SleepRule())).jobs(1).window(1).start(r -> {
            calls.incrementAndGet();
            throw boom;
        })) {
            thrown = assertThrows(RuntimeException.class, () -> {
                for (Path p : in) {
                    b.submit(p);
                }
                b.finish();
            });
        }
        assertSame(boom, thrown);
        assertEquals(1, calls.get());
    }

    @Test
    void invalidSettingsAreRejected() {
        Scanner s = scanner(new SleepRule());
        assertThrows(IllegalArgumentException.class, () -> BatchScanner.builder(s).jobs(0));
        assertThrows(IllegalArgumentException.class, () -> BatchScanner.builder(s).window(0));
    }
}
