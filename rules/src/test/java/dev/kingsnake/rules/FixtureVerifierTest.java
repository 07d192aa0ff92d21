package dev.kingsnake.rules;

import dev.kingsnake.Diagnostic;
import dev.kingsnake.DiagnosticCode;
import dev.kingsnake.Finding;
import dev.kingsnake.ScanResult;
import dev.kingsnake.Scanner;
import dev.kingsnake.Verdict;
import dev.kingsnake.spi.RuleInfo;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The shared rule-fixture verifier: every directory {@code fixtures/<RULE-ID>/} is packed as one package
 * (see {@link Fixture} for the contract), scanned with every {@link java.util.ServiceLoader} rule, and for the
 * directory's rule and every rule its markers name, the lines each rule reports in each file must equal the
 * marked lines.
 */
class FixtureVerifierTest {
    private static final Scanner SCANNER = Scanner.builder().build();

    @TestFactory
    Stream<DynamicTest> everyFixtureMatchesItsMarkers() {
        return Fixture.directories().stream()
                .map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), dir.toUri(), () -> verify(dir, SCANNER)));
    }

    @Test
    void fixturesAreDirectoriesOnly() throws IOException {
        Path root = Fixture.fixturesRoot();
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> s = Files.list(root)) {
            List<String> stray = s.filter(p -> !Files.isDirectory(p)).map(p -> p.getFileName().toString()).toList();
            assertEquals(List.of(), stray, "a fixture is a directory fixtures/<RULE-ID>/; these files would never be"
                    + " checked");
        }
    }

    /** Checks one fixture directory against what {@code scanner} reports; fails with every difference. */
    static void verify(Path dir, Scanner scanner) {
        Fixture fx = Fixture.load(dir);
        Set<String> known = scanner.rules().stream().map(RuleInfo::id).collect(Collectors.toSet());
        List<String> problems = new ArrayList<>(fx.problems);
        for (String id : fx.rules) {
            if (!known.contains(id)) {
                problems.add("no registered rule has the id " + id
                        + (id.equals(fx.ruleId) ? " (the fixture directory's name)" : " (named in a marker)"));
            }
        }
        if (!problems.isEmpty()) {
            fail("Fixture " + fx.ruleId + " is malformed:\n  " + String.join("\n  ", problems));
        }

        ScanResult result = scanner.scan(fx.archiveName, new ByteArrayInputStream(fx.archive));
        if (result.verdict() == Verdict.ERROR) {
            fail("Fixture " + fx.ruleId + " (" + fx.archiveName + ") could not be read: " + result.diagnostics());
        }
        for (Diagnostic d : result.diagnostics()) {
            if (d.code() == DiagnosticCode.RULE_FAILED) {
                problems.add("rule failed: " + d.message());
            }
        }

        // rule -> file -> line -> findings, for the checked rules
        Map<String, Map<String, Map<Integer, List<Finding>>>> actual = new TreeMap<>();
        Map<String, Set<String>> actualDecoded = new TreeMap<>();
        for (Finding f : result.findings()) {
            if (!fx.rules.contains(f.ruleId())) {
                continue;
            }
            String file = fx.relative(f.file());
            int layer = file.indexOf('#');
            if (layer >= 0) {
                actualDecoded.computeIfAbsent(f.ruleId(), k -> new TreeSet<>()).add(file.substring(0, layer));
                continue;
            }
            actual.computeIfAbsent(f.ruleId(), k -> new TreeMap<>()).computeIfAbsent(file, k -> new TreeMap<>())
                    .computeIfAbsent(f.line(), k -> new ArrayList<>()).add(f);
        }

        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        for (String rule : fx.rules) {
            Map<String, Set<Integer>> want = fx.expectedLines.getOrDefault(rule, Map.of());
            Map<String, Map<Integer, List<Finding>>> got = actual.getOrDefault(rule, Map.of());
            Set<String> files = new TreeSet<>(want.keySet());
            files.addAll(got.keySet());
            for (String file : files) {
                Set<Integer> wantLines = want.getOrDefault(file, Set.of());
                Map<Integer, List<Finding>> gotLines = got.getOrDefault(file, Map.of());
                for (int line : wantLines) {
                    if (!gotLines.containsKey(line)) {
                        missing.add(file + ":" + line + " " + rule);
                    }
                }
                for (Map.Entry<Integer, List<Finding>> e : gotLines.entrySet()) {
                    if (!wantLines.contains(e.getKey())) {
                        for (Finding f : e.getValue()) {
                            unexpected.add(file + ":" + f.line() + " " + rule + " \"" + f.message() + "\" evidence: "
                                    + f.evidence());
                        }
                    }
                }
            }
            Set<String> wantDecoded = fx.expectedDecoded.getOrDefault(rule, Set.of());
            Set<String> gotDecoded = actualDecoded.getOrDefault(rule, Set.of());
            for (String file : wantDecoded) {
                if (!gotDecoded.contains(file)) {
                    missing.add(file + "#layer* " + rule);
                }
            }
            for (String file : gotDecoded) {
                if (!wantDecoded.contains(file)) {
                    unexpected.add(file + "#layer* " + rule + " (add '# expect-decoded: " + rule + "' to " + file
                            + " if this is right)");
                }
            }
        }
        if (!missing.isEmpty() || !unexpected.isEmpty() || !problems.isEmpty()) {
            StringBuilder msg = new StringBuilder("Fixture " + fx.ruleId + " (" + fx.archiveName
                    + ") does not match its markers; checked rules " + fx.rules);
            problems.forEach(p -> msg.append("\n  problem:    ").append(p));
            missing.forEach(m -> msg.append("\n  missing:    ").append(m));
            unexpected.forEach(u -> msg.append("\n  unexpected: ").append(u));
            fail(msg.toString());
        }
    }
}
