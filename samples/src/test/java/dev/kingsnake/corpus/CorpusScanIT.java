package dev.kingsnake.corpus;

import dev.kingsnake.BatchScanner;
import dev.kingsnake.Diagnostic;
import dev.kingsnake.DiagnosticCode;
import dev.kingsnake.Inputs;
import dev.kingsnake.ScanResult;
import dev.kingsnake.Scanner;
import dev.kingsnake.Verdict;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Scans every archive of the shared dev corpora in a JVM limited to 512 MiB of heap (see the
 * {@code corpus} execution in samples/pom.xml): one result per archive, no rule or scan failure, and an
 * ERROR verdict only for archives that really cannot be read. Skipped where ../shared is absent.
 */
class CorpusScanIT {
    private static final Path CORPUS = Path.of("../../shared/corpus");

    @Test
    void everyArchiveYieldsOneResultWithoutFailures() throws Exception {
        assumeTrue(Files.isDirectory(CORPUS.resolve("malicious-dev")), "no shared corpus here");
        List<Path> inputs = new ArrayList<>(Inputs.expandAll(List.of(CORPUS.resolve("malicious-dev"),
                CORPUS.resolve("benign-dev"))));
        long maxHeap = Runtime.getRuntime().maxMemory();
        assertTrue(maxHeap <= 600L * 1024 * 1024, "run with -Xmx512m, heap is " + maxHeap);

        ConcurrentLinkedQueue<ScanResult> results = new ConcurrentLinkedQueue<>();
        Scanner scanner = Scanner.builder().build();
        try (BatchScanner batch = BatchScanner.builder(scanner).jobs(2).start(results::add)) {
            for (Path p : inputs) {
                batch.submit(p);
            }
            batch.finish();
        }

        assertEquals(inputs.size(), results.size());
        Set<String> seen = new HashSet<>();
        List<String> failures = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (ScanResult r : results) {
            assertTrue(seen.add(r.input()), "two results for " + r.input());
            for (Diagnostic d : r.diagnostics()) {
                if (d.code() == DiagnosticCode.RULE_FAILED || d.code() == DiagnosticCode.SCAN_FAILED) {
                    failures.add(r.input() + ": " + d);
                }
            }
            if (r.verdict() == Verdict.ERROR) {
                boolean reason = r.diagnostics().stream().anyMatch(d -> d.code() == DiagnosticCode.ARCHIVE_UNREADABLE
                        || d.code() == DiagnosticCode.IO_ERROR);
                (reason ? unreadable : failures).add(r.input() + ": " + r.diagnostics());
            }
        }
        System.out.printf("corpus scan: %d archives, %d unreadable%n", results.size(), unreadable.size());
        unreadable.forEach(u -> System.out.println("  unreadable " + u));
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void corpusDirectoriesAreWhereTheTestExpectsThem() throws IOException {
        assumeTrue(Files.isDirectory(CORPUS.resolve("malicious-dev")), "no shared corpus here");
        assertTrue(Inputs.expandAll(List.of(CORPUS.resolve("malicious-dev"))).size() > 900);
    }
}
