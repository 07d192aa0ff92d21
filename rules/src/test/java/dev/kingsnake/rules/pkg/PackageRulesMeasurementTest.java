package dev.kingsnake.rules.pkg;

import dev.kingsnake.Finding;
import dev.kingsnake.ScanResult;
import dev.kingsnake.Scanner;
import dev.kingsnake.Verdict;
import dev.kingsnake.spi.Rule;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scans real benign packages with only the package-level rules: alone they must never make one MALICIOUS and
 * make at most 1% SUSPICIOUS. Slow (about a thousand wheels), so it runs only with {@code -Dkingsnake.measure=true};
 * the packages are read from {@code ../shared/corpus/benign-dev} and from the folders listed in
 * {@code -Dkingsnake.benign.dirs} (separated like a class path: a machine's wheelhouses, see README Evaluation);
 * {@code -Dkingsnake.measure.only=<prefix>} keeps the packages whose file name starts with the prefix. Which
 * rules fire where on a corpus is what {@code kingsnake eval} reports.
 */
class PackageRulesMeasurementTest {
    private static final List<Rule> RULES = List.of(new TyposquatRule(), new DependencyConfusionRule(),
            new NameMismatchRule(), new MetadataMissingRule(), new StarjackingRule(), new DisposableEmailRule(),
            new RecordIntegrityRule(), new MisplacedFileRule(), new NativeBinaryRule(), new DisguisedExecutableRule(),
            new EntryPointHijackRule());
    private static final Scanner SCANNER = Scanner.builder().rules(RULES).build();

    @Test
    void benignWheels() throws IOException {
        Assumptions.assumeTrue(Boolean.getBoolean("kingsnake.measure"), "run with -Dkingsnake.measure=true");
        List<Path> inputs = new ArrayList<>();
        inputs.addAll(list(Path.of("..", "..", "shared", "corpus", "benign-dev")));
        for (String dir : System.getProperty("kingsnake.benign.dirs", "").split(java.io.File.pathSeparator)) {
            if (!dir.isBlank()) {
                inputs.addAll(list(Path.of(dir)));
            }
        }
        Assumptions.assumeFalse(inputs.isEmpty(), "no benign corpus");
        Tally t = scan(inputs);
        t.print("benign");
        assertEquals(0, t.malicious, "package-level findings alone made a benign package MALICIOUS");
        assertTrue(t.suspicious * 100 <= inputs.size(), "more than 1% of benign packages SUSPICIOUS");
    }

    private static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        String only = System.getProperty("kingsnake.measure.only", "");
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".whl") || p.toString().endsWith(".tar.gz")
                    || p.toString().endsWith(".zip"))
                    .filter(p -> only.isEmpty() || p.getFileName().toString().startsWith(only)).sorted().toList();
        }
    }

    private static Tally scan(List<Path> inputs) {
        Tally t = new Tally();
        t.total = inputs.size();
        for (Path p : inputs) {
            ScanResult r = SCANNER.scan(p);
            if (r.verdict() == Verdict.MALICIOUS) {
                t.malicious++;
            } else if (r.verdict() == Verdict.SUSPICIOUS) {
                t.suspicious++;
            }
            java.util.Set<String> seen = new java.util.TreeSet<>();
            for (Finding f : r.findings()) {
                if (seen.add(f.ruleId())) {
                    t.packagesPerRule.merge(f.ruleId(), 1, Integer::sum);
                    t.examples.computeIfAbsent(f.ruleId(), k -> new ArrayList<>());
                    if (t.examples.get(f.ruleId()).size() < 15) {
                        t.examples.get(f.ruleId()).add(p.getFileName() + " [" + f.severity() + "/" + f.confidence()
                                + " " + f.file() + ":" + f.line() + "] " + f.message());
                    }
                }
            }
            if (r.verdict() != Verdict.BENIGN && t.flagged.size() < 40) {
                t.flagged.add(p.getFileName() + " " + r.verdict() + " " + r.score());
            }
        }
        return t;
    }

    private static final class Tally {
        int total;
        int malicious;
        int suspicious;
        final Map<String, Integer> packagesPerRule = new TreeMap<>();
        final Map<String, List<String>> examples = new TreeMap<>();
        final List<String> flagged = new ArrayList<>();

        void print(String corpus) {
            System.out.printf("package rules on %s: %d packages, %d MALICIOUS, %d SUSPICIOUS%n", corpus, total,
                    malicious, suspicious);
            packagesPerRule.forEach((rule, n) -> System.out.printf("  %-28s %4d packages%n", rule, n));
            examples.forEach((rule, ex) -> ex.forEach(e -> System.out.println("    " + rule + ": " + e)));
            flagged.forEach(f -> System.out.println("  flagged: " + f));
        }
    }
}
