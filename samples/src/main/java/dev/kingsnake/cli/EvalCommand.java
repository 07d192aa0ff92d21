package dev.kingsnake.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kingsnake.BatchScanner;
import dev.kingsnake.Inputs;
import dev.kingsnake.Scanner;
import dev.kingsnake.eval.Evaluation;
import dev.kingsnake.eval.Labels;
import dev.kingsnake.eval.Latency;
import dev.kingsnake.eval.NoHarmList;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code kingsnake eval}: recall, false positives and throughput on labelled sets of packages. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Scans a set of known-malicious and a set of known-benign packages and reports per-package recall, "
                        + "per-campaign recall (macro average over campaigns), false-positive rate, precision, the "
                        + "missed and falsely flagged packages, throughput and peak heap.",
                "Directories are expanded as by 'scan'. Nothing is executed; only the given paths are read."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the evaluation ran", "2:usage or I/O error"})
final class EvalCommand implements Callable<Integer> {
    private static final int TOP_FINDINGS = 3;

    @ParentCommand
    KingsnakeCommand parent;

    @Option(names = "--malicious", paramLabel = "DIR", required = true,
            description = "Known-malicious packages (repeatable).")
    List<Path> malicious;

    @Option(names = "--labels", paramLabel = "TSV",
            description = "Campaign labels: path relative to the (first) --malicious DIR, TAB, campaign; one header line. "
                    + "Without labels every package is its own campaign.")
    Path labels;

    @Option(names = "--no-harm", paramLabel = "TSV|none",
            description = "Labelled packages reviewed and judged to hold no harmful code (path relative to the (first) "
                    + "--malicious DIR, TAB, campaign, TAB, reason; one header line): recall is printed a second time "
                    + "without them. Default: the reviewed list shipped for the development corpus; 'none': no list.")
    String noHarm;

    @Option(names = "--benign", paramLabel = "DIR", required = true, description = "Known-benign packages (repeatable).")
    List<Path> benign;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write every figure and list as JSON to FILE.")
    Path json;

    @Option(names = "--sweep", description = "Also print recall and false-positive rate at thresholds 1.0, 1.5, ... 10.0.")
    boolean sweep;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N",
            description = "Packages scanned in parallel. Default: available processors (${DEFAULT-VALUE}).")
    int jobs = Runtime.getRuntime().availableProcessors();

    @Option(names = "--list", paramLabel = "N",
            description = "List at most N missed packages and N false positives. Default: ${DEFAULT-VALUE}.")
    int list = 200;

    @Mixin
    ScannerOptions scannerOptions;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = parent.err();
        List<Path> all = new ArrayList<>(malicious);
        all.addAll(benign);
        if (labels != null) {
            all.add(labels);
        }
        if (noHarm != null && !noHarm.equals("none")) {
            all.add(Path.of(noHarm));
        }
        for (Path p : all) {
            if (!Files.exists(p)) {
                err.println("kingsnake: no such file or directory: " + p);
                return KingsnakeCommand.EXIT_ERROR;
            }
        }
        if (jobs < 1) {
            err.println("kingsnake: --jobs must be at least 1");
            return KingsnakeCommand.EXIT_ERROR;
        }
        Labels campaignLabels = labels == null ? Labels.none() : Labels.read(labels, malicious.get(0));
        NoHarmList noHarmList = noHarm == null ? NoHarmList.shipped(malicious.get(0))
                : noHarm.equals("none") ? NoHarmList.none() : NoHarmList.read(Path.of(noHarm), malicious.get(0));
        Scanner scanner = scannerOptions.scanner();
        double threshold = scanner.threshold();
        Evaluation eval = new Evaluation();

        resetPeakHeap();
        long start = System.nanoTime();
        long[] bytes = new long[2];
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        try (ConsoleProgress progress = ConsoleProgress.open(true)) {
            long submitted = 0;
            for (boolean isMalicious : new boolean[] {true, false}) {
                try (BatchScanner batch = BatchScanner.builder(scanner).jobs(jobs).start(r -> {
                    Path input = Path.of(r.input());
                    String campaign = isMalicious ? campaignLabels.campaign(input) : "";
                    eval.add(Evaluation.sample(r, campaign, isMalicious, TOP_FINDINGS));
                    bytes[0] += r.stats().compressedBytes();
                    bytes[1] += r.stats().uncompressedBytes();
                    latencies.add(r.stats().elapsedMillis());
                    observeHeap();
                    progress.print(() -> { });
                })) {
                    List<Path> inputs = Inputs.expandAll(isMalicious ? malicious : benign);
                    submitted += inputs.size();
                    progress.total(submitted);
                    for (Path p : inputs) {
                        batch.submit(p);
                    }
                    batch.finish();
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long peakHeap = peakHeap();

        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(parent.out(), StandardCharsets.UTF_8), true);
        Evaluation.Figures f = eval.at(threshold);
        int packages = eval.samples().size();
        out.printf("Kingsnake %s evaluation at threshold %.1f (%d rules, %d jobs)%n", KingsnakeCommand.version(),
                threshold, scanner.rules().size(), jobs);
        out.printf("malicious: recall %s; per-campaign recall %.2f%% over %d campaigns; unreadable %d%n",
                f.recall(), 100 * f.campaignRecall(), f.campaigns(), f.maliciousErrors());
        Evaluation.Figures harmful = eval.at(threshold, s -> !s.malicious() || !noHarmList.contains(Path.of(s.input())));
        out.printf("malicious with harmful code (%d left out by the no-harm list, %s): recall %s; per-campaign recall "
                        + "%.2f%% over %d campaigns%n", f.recall().total() - harmful.recall().total(), noHarmList.source(),
                harmful.recall(), 100 * harmful.campaignRecall(), harmful.campaigns());
        out.printf("benign: false-positive rate %s; suspicious %d; unreadable %d%n", f.falsePositiveRate(),
                f.benignSuspicious(), f.benignErrors());
        out.printf("precision: %s%n", f.precision());
        out.printf("throughput: %d packages in %.1f s = %.1f packages/s; %.1f MB/s compressed, %.1f MB/s uncompressed; "
                        + "peak heap %d MB%n", packages, seconds, packages / seconds, bytes[0] / seconds / 1e6,
                bytes[1] / seconds / 1e6, peakHeap / (1024 * 1024));
        Latency latency = Latency.of(latencies);
        out.printf("latency per package: p50 %d ms, p90 %d ms, p99 %d ms, max %d ms%n", latency.p50Millis(),
                latency.p90Millis(), latency.p99Millis(), latency.maxMillis());
        Map<String, List<Evaluation.Sample>> missed = eval.missed(threshold);
        List<Evaluation.Sample> fps = eval.falsePositives(threshold);
        if (!missed.isEmpty()) {
            out.printf("%nmissed (%d packages in %d campaigns):%n", f.recall().total() - f.recall().hits(), missed.size());
            int n = 0;
            for (Map.Entry<String, List<Evaluation.Sample>> e : missed.entrySet()) {
                for (Evaluation.Sample s : e.getValue()) {
                    if (n++ < list) {
                        out.printf("  %s  %s  score %.2f %s%n", e.getKey(), s.input(), s.score(),
                                s.topFindings().isEmpty() ? "" : s.topFindings().get(0));
                    }
                }
            }
        }
        if (!fps.isEmpty()) {
            out.printf("%nfalse positives (%d):%n", fps.size());
            fps.stream().limit(list).forEach(s -> {
                out.printf("  %s  score %.2f%n", s.input(), s.score());
                s.topFindings().forEach(t -> out.printf("      %s%n", t));
            });
        }
        List<Evaluation.Figures> table = sweep ? eval.sweep(sweepThresholds()) : List.of();
        if (sweep) {
            out.printf("%n| threshold | recall | per-campaign recall | false-positive rate | precision |%n");
            out.printf("|---|---|---|---|---|%n");
            for (Evaluation.Figures s : table) {
                out.printf("| %.1f | %.2f%% | %.2f%% | %.2f%% | %.2f%% |%n", s.threshold(), 100 * s.recall().value(),
                        100 * s.campaignRecall(), 100 * s.falsePositiveRate().value(), 100 * s.precision().value());
            }
        }
        out.flush();
        if (json != null) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("version", KingsnakeCommand.version());
            doc.put("threshold", threshold);
            doc.put("figures", f);
            doc.put("harmfulCodeFigures", harmful);
            doc.put("packages", packages);
            doc.put("seconds", seconds);
            doc.put("compressedBytes", bytes[0]);
            doc.put("uncompressedBytes", bytes[1]);
            doc.put("peakHeapBytes", peakHeap);
            doc.put("latency", latency);
            doc.put("missed", missed);
            doc.put("falsePositives", fps);
            doc.put("sweep", table);
            try {
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), doc);
            } catch (IOException e) {
                err.println("kingsnake: cannot write " + json + ": " + KingsnakeCommand.message(e));
                return KingsnakeCommand.EXIT_ERROR;
            }
        }
        return KingsnakeCommand.EXIT_CLEAN;
    }

    static List<Double> sweepThresholds() {
        List<Double> out = new ArrayList<>();
        for (int i = 2; i <= 20; i++) {
            out.add(i / 2.0);
        }
        return out;
    }

    /**
     * The most heap in use seen after any package's result (garbage not yet collected included). The memory
     * pools' own peaks cannot be added up: each pool peaks at a different moment, and their sum exceeded -Xmx.
     */
    private static final java.util.concurrent.atomic.AtomicLong PEAK_HEAP = new java.util.concurrent.atomic.AtomicLong();

    private static void resetPeakHeap() {
        PEAK_HEAP.set(0);
        observeHeap();
    }

    private static void observeHeap() {
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        PEAK_HEAP.accumulateAndGet(used, Math::max);
    }

    private static long peakHeap() {
        observeHeap();
        return PEAK_HEAP.get();
    }
}
