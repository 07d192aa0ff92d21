package dev.kingsnake.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kingsnake.Inputs;
import dev.kingsnake.Limits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class KingsnakeCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Surefire runs in the module directory. */
    private static final Path SAMPLES = Path.of("packages");

    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
        List<JsonNode> jsonl() throws IOException {
            List<JsonNode> out = new ArrayList<>();
            for (String line : this.out.split("\n")) {
                if (!line.isEmpty()) {
                    out.add(JSON.readTree(line));
                }
            }
            return out;
        }

        void assertNoStackTrace() {
            assertFalse(err.contains("Exception") || err.contains("\tat ") || err.contains("Caused by"), err);
        }
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        // as main builds it: for "scan ..." only the scan subcommand
        int code = KingsnakeCommand.commandLine(out, new PrintWriter(err, true), args).execute(args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString());
    }

    private Path write(String rel, String text) throws IOException {
        Path p = tmp.resolve(rel);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, text);
    }

    static List<String> names(JsonNode o) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }

    @Test
    void scansTheShippedSamplesOnePackagePerProjectDirectory() throws IOException {
        Run r = run("scan", "--format", "jsonl", SAMPLES.toString());
        List<JsonNode> results = r.jsonl();
        Set<String> inputs = new HashSet<>();
        Set<String> names = new HashSet<>();
        boolean malicious = false;
        for (JsonNode o : results) {
            inputs.add(Path.of(o.get("input").asText()).getFileName().toString());
            names.add(o.get("name").asText() + " " + o.get("version").asText());
            assertEquals("DIRECTORY", o.get("kind").asText());
            malicious |= o.get("verdict").asText().equals("MALICIOUS");
            if (o.get("input").asText().endsWith("tinymath")) {
                assertEquals("BENIGN", o.get("verdict").asText(), "the benign sample must not be flagged: " + o);
            }
        }
        assertEquals(Set.of("tinymath", "colorfmt-setup-download", "reqhelper-obfuscated", "fastlog-pth"), inputs);
        assertEquals(Set.of("tinymath 1.2.0", "colorfmt 0.3.1", "reqhelper 2.0.4", "fastlog 1.0.0"), names);
        assertEquals(4, results.size());
        assertEquals(malicious ? 1 : 0, r.code(), r.err());
        r.assertNoStackTrace();
    }

    @Test
    void jsonlContractThroughTheCommandLine() throws IOException {
        write("pkg/evil.py", "x = 1\nimport os  # " + TestRules.Marker.MARKER + "\n");
        Run r = run("scan", "--format", "jsonl", tmp.resolve("pkg").toString());
        List<JsonNode> results = r.jsonl();
        assertEquals(1, results.size(), r.out());
        JsonNode o = results.get(0);
        assertEquals(List.of("input", "name", "version", "kind", "verdict", "score", "partial", "findings",
                "diagnostics", "stats"), names(o).subList(0, 10));
        JsonNode f = o.get("findings").get(0);
        assertEquals(List.of("rule", "severity", "confidence", "file", "line", "column", "message", "evidence",
                "reach", "decodeChain"), names(f).subList(0, 10));
        assertEquals(List.of("files", "pythonFiles", "pythonBytes", "compressedBytes", "uncompressedBytes",
                "elapsedMillis"), names(o.get("stats")).subList(0, 6));
        assertEquals("KS-TEST-MARKER", f.get("rule").asText());
        assertEquals(2, f.get("line").asInt());
        assertEquals(14, f.get("column").asInt());
        assertTrue(f.get("evidence").asText().contains("import os"));
    }

    @Test
    void exitCodeIsOneWhenAPackageIsMalicious() throws IOException {
        write("in/clean.py", "print('hello')\n");
        write("in/evil.py", "run()  # " + TestRules.Marker.MARKER + "\n");
        Run r = run("scan", "--format", "jsonl", tmp.resolve("in").toString());
        assertEquals(1, r.code(), r.err());
        assertEquals(2, r.jsonl().size());
        assertEquals(0, run("scan", tmp.resolve("in/clean.py").toString()).code());
    }

    @Test
    void failOnSuspiciousAndThresholdChangeTheExitCode() throws IOException {
        Path evil = write("evil.py", "run()  # " + TestRules.Marker.MARKER + "\n");
        Run high = run("scan", "--format", "jsonl", "--threshold", "9", evil.toString());
        assertEquals("SUSPICIOUS", high.jsonl().get(0).get("verdict").asText());
        assertEquals(0, high.code());
        assertEquals(1, run("scan", "--threshold", "9", "--fail-on", "suspicious", evil.toString()).code());
        assertEquals(2, run("scan", "--threshold", "11", evil.toString()).code());
    }

    @Test
    void everyFormatParses() throws IOException {
        write("in/evil.py", "run()  # " + TestRules.Marker.MARKER + "\n");
        write("in/broken.tar.gz", "this is not a tarball");
        String in = tmp.resolve("in").toString();

        JsonNode json = JSON.readTree(run("scan", "--format", "json", in).out());
        assertEquals(2, json.get("results").size());
        assertEquals(2, json.get("summary").get("packages").asInt());

        JsonNode sarif = JSON.readTree(run("scan", "--format", "sarif", in).out());
        assertEquals("2.1.0", sarif.get("version").asText());
        JsonNode result = sarif.get("runs").get(0).get("results").get(0);
        assertEquals("KS-TEST-MARKER", result.get("ruleId").asText());
        assertTrue(result.get("locations").get(0).get("physicalLocation").get("artifactLocation").get("uri")
                .asText().endsWith("evil.py!/evil.py"), result.toString());
        Set<String> ruleIds = new HashSet<>();
        sarif.get("runs").get(0).get("tool").get("driver").get("rules").forEach(x -> ruleIds.add(x.get("id").asText()));
        assertTrue(ruleIds.contains("KS-TEST-MARKER"), ruleIds.toString());

        assertEquals(2, run("scan", "--format", "JSONL", in).jsonl().size());

        Run text = run("scan", "--format", "text", in);
        assertTrue(text.out().contains("evil.py:1:10"), text.out());
        assertTrue(text.out().contains("2 packages scanned"), text.out());
    }

    @Test
    void inputExpansionRule() throws IOException {
        write("tree/a-1.0.tar.gz", "x");
        write("tree/b.py", "x = 1\n");
        write("tree/README.md", "# skipped\n");
        write("tree/proj/pyproject.toml", "[project]\nname = 'p'\n");
        write("tree/proj/p/__init__.py", "x = 1\n");
        write("tree/proj/dist/c-1.0.zip", "x");
        write("tree/sub/d-1.0-py3-none-any.whl", "x");
        Run r = run("scan", "--format", "jsonl", "--ordered", "--jobs", "2", tmp.resolve("tree").toString());
        List<String> inputs = r.jsonl().stream().map(o -> tmp.relativize(Path.of(o.get("input").asText()))
                .toString().replace('\\', '/')).toList();
        assertEquals(List.of("tree/a-1.0.tar.gz", "tree/b.py", "tree/proj", "tree/sub/d-1.0-py3-none-any.whl"),
                inputs);
        // the project directory itself, named directly, is one package too
        assertEquals(1, run("scan", "--format", "jsonl", tmp.resolve("tree/proj").toString()).jsonl().size());
    }

    @Test
    void disableRuleTakesARuleOutOfTheScan() throws IOException {
        Path evil = write("evil.py", "run()  # " + TestRules.Marker.MARKER + "\n");
        Run on = run("scan", "--format", "jsonl", evil.toString());
        assertEquals("KS-TEST-MARKER", on.jsonl().get(0).get("findings").get(0).get("rule").asText());
        Run off = run("scan", "--format", "jsonl", "--disable-rule", "ks-test-marker", evil.toString());
        assertEquals(0, off.jsonl().get(0).get("findings").size(), off.out());
        assertEquals(0, off.code(), off.err());
        Run unknown = run("scan", "--disable-rule", "KS-NO-SUCH-RULE", evil.toString());
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("Unknown rule id for --disable-rule: KS-NO-SUCH-RULE"), unknown.err());
        unknown.assertNoStackTrace();
    }

    @Test
    void missingPathIsAClearErrorWithExitCodeTwo() {
        Run r = run("scan", tmp.resolve("does-not-exist.tar.gz").toString());
        assertEquals(2, r.code());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("kingsnake: no such file or directory: "), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        r.assertNoStackTrace();
    }

    @Test
    void usageErrorsAreOneLineMessagesWithExitCodeTwo() {
        for (String[] args : List.of(
                new String[] {"scan", "--limit-total-bytes", "12Q", "x"},
                new String[] {"scan", "--limit-timeout", "soon", "x"},
                new String[] {"scan", "--format", "xml", "x"},
                new String[] {"scan", "--jobs", "0", "x"},
                new String[] {"scan", "--limit-entries", "0", "packages"},
                new String[] {"scan"},
                new String[] {"frobnicate"},
                new String[] {})) {
            Run r = run(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().startsWith("kingsnake: ") || r.err().startsWith("Usage:"), r.err());
            r.assertNoStackTrace();
        }
    }

    @Test
    void outputFileGetsTheReport() throws IOException {
        Path evil = write("evil.py", "x = 1\n");
        Path report = tmp.resolve("report.jsonl");
        Run r = run("scan", "--format", "jsonl", "--output", report.toString(), evil.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.out());
        assertEquals(1, Files.readAllLines(report).size());
        Run bad = run("scan", "--output", tmp.resolve("no/such/dir/r.txt").toString(), evil.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().startsWith("kingsnake: cannot write "), bad.err());
        bad.assertNoStackTrace();
    }

    private static Limits parsedLimits(String... args) {
        CommandLine cl = KingsnakeCommand.commandLine(new ByteArrayOutputStream(), new PrintWriter(new StringWriter()));
        CommandLine.ParseResult pr = cl.parseArgs(args);
        ScanCommand scan = (ScanCommand) pr.subcommand().commandSpec().userObject();
        return scan.scannerOptions.limits();
    }

    @Test
    void everyLimitOptionReachesLimits() {
        Limits l = parsedLimits("scan",
                "--limit-total-bytes", "1G",
                "--limit-entry-bytes", "8M",
                "--limit-entries", "1234",
                "--limit-ratio", "77",
                "--limit-depth", "0",
                "--limit-path-length", "300",
                "--limit-parse-bytes", "512K",
                "--limit-syntax-nesting", "50",
                "--limit-decoded-layer-bytes", "2MiB",
                "--limit-decode-layers", "5",
                "--limit-decoded-package-bytes", "3m",
                "--limit-timeout", "PT1M30S",
                "--limit-analysis-steps", "4000",
                "--limit-evaluation-depth", "30",
                "x");
        assertEquals(1L << 30, l.maxTotalBytes());
        assertEquals(8L << 20, l.maxEntryBytes());
        assertEquals(1234, l.maxEntries());
        assertEquals(77, l.maxCompressionRatio());
        assertEquals(0, l.maxNestingDepth());
        assertEquals(300, l.maxPathLength());
        assertEquals(512L << 10, l.maxParseBytes());
        assertEquals(50, l.maxSyntaxNesting());
        assertEquals(2L << 20, l.maxDecodedBytesPerLayer());
        assertEquals(5, l.maxDecodeLayers());
        assertEquals(3L << 20, l.maxDecodedBytesPerPackage());
        assertEquals(Duration.ofSeconds(90), l.packageTimeout());
        assertEquals(4000, l.maxAnalysisSteps());
        assertEquals(30, l.maxEvaluationDepth());
        assertEquals(Limits.defaults(), parsedLimits("scan", "x"));
        assertEquals(Duration.ofSeconds(7), parsedLimits("scan", "--limit-timeout", "7", "x").packageTimeout());
    }

    @Test
    void limitsReachTheRulesDuringAScan() throws IOException {
        Path probe = write("probe.py", "# " + TestRules.LimitsProbe.PROBE + "\n");
        Run r = run("scan", "--format", "jsonl", "--limit-entries", "4321", "--limit-timeout", "45s",
                probe.toString());
        String evidence = r.jsonl().get(0).get("findings").get(0).get("evidence").asText();
        assertTrue(evidence.contains("maxEntries=4321"), evidence);
        assertTrue(evidence.contains("packageTimeout=PT45S"), evidence);
    }

    @Test
    void aLimitFromTheCommandLineCutsTheScanShort() throws IOException {
        for (int i = 0; i < 5; i++) {
            write("proj/m" + i + ".py", "x = " + i + "\n");
        }
        write("proj/setup.py", "from setuptools import setup\nsetup(name='p')\n");
        JsonNode whole = run("scan", "--format", "jsonl", tmp.resolve("proj").toString()).jsonl().get(0);
        assertFalse(whole.get("partial").asBoolean(), whole.toString());
        JsonNode cut = run("scan", "--format", "jsonl", "--limit-entries", "2", tmp.resolve("proj").toString())
                .jsonl().get(0);
        assertTrue(cut.get("partial").asBoolean(), cut.toString());
        assertEquals("LIMIT_EXCEEDED", cut.get("diagnostics").get(0).get("code").asText());
        assertTrue(cut.get("stats").get("files").asInt() <= 2, cut.toString());
    }

    @Test
    void aPartialScanSaysSoInTheVerdictColumnAndCanFailTheRun() throws IOException {
        for (int i = 0; i < 5; i++) {
            write("proj/m" + i + ".py", "x = " + i + "\n");
        }
        write("proj/setup.py", "from setuptools import setup\nsetup(name='p')\n");
        String proj = tmp.resolve("proj").toString();
        Run text = run("scan", "--limit-entries", "2", proj);
        assertTrue(text.out().lines().anyMatch(l -> l.startsWith("BENIGN/PARTIAL ")), text.out());
        assertEquals(0, text.code(), "a partial scan alone does not fail the run by default");
        assertEquals(1, run("scan", "--fail-on-partial", "--limit-entries", "2", proj).code());
        assertEquals(0, run("scan", "--fail-on-partial", proj).code(), "a whole benign scan passes");
        assertTrue(run("scan", proj).out().lines().noneMatch(l -> l.contains("PARTIAL")));
    }

    @Test
    void sizesAndDurationsParse() {
        assertEquals(100L, SizeConverter.parse("100"));
        assertEquals(64L << 20, SizeConverter.parse("64M"));
        assertEquals(64L << 20, SizeConverter.parse("64mb"));
        assertEquals(1L << 30, SizeConverter.parse("1GiB"));
        assertEquals(512L << 10, SizeConverter.parse("512k"));
        assertEquals(2L << 40, SizeConverter.parse("2T"));
        assertThrows(CommandLine.TypeConversionException.class, () -> SizeConverter.parse("-1"));
        assertThrows(CommandLine.TypeConversionException.class, () -> SizeConverter.parse("1X"));
        assertThrows(CommandLine.TypeConversionException.class, () -> SizeConverter.parse("99999999999T"));
        assertEquals("64M", SizeConverter.format(64L << 20));
        assertEquals("1000", SizeConverter.format(1000));
        DurationConverter d = new DurationConverter();
        assertEquals(Duration.ofSeconds(60), d.convert("60"));
        assertEquals(Duration.ofSeconds(90), d.convert("90s"));
        assertEquals(Duration.ofMinutes(2), d.convert("2m"));
        assertEquals(Duration.ofMillis(500), d.convert("500ms"));
        assertEquals(Duration.ofHours(1), d.convert("1h"));
        assertEquals(Duration.ofSeconds(90), d.convert("PT1M30S"));
        assertThrows(CommandLine.TypeConversionException.class, () -> d.convert("soon"));
        assertThrows(CommandLine.TypeConversionException.class, () -> d.convert("P1X"));
    }

    @Test
    void rulesCommandListsRulesFoundByServiceLoader() throws IOException {
        Run text = run("rules");
        assertEquals(0, text.code());
        assertTrue(text.out().contains("KS-TEST-MARKER"), text.out());
        assertTrue(text.out().contains("CRITICAL"), text.out());
        Run md = run("rules", "--format", "markdown");
        assertTrue(md.out().startsWith("| Rule |"), md.out());
        assertTrue(md.out().contains("| `KS-TEST-MARKER` | CRITICAL / HIGH |"), md.out());
        JsonNode json = JSON.readTree(run("rules", "--format", "json").out());
        assertTrue(json.isArray());
        boolean found = false;
        for (JsonNode n : json) {
            found |= n.get("id").asText().equals("KS-TEST-MARKER");
        }
        assertTrue(found, json.toString());
    }

    @Test
    void versionAndHelp() {
        Run v = run("--version");
        assertEquals(0, v.code());
        assertTrue(v.out().matches("kingsnake \\d+\\.\\d+\\.\\d+.*\\s*"), v.out());
        Run h = run("scan", "--help");
        assertEquals(0, h.code());
        assertTrue(h.out().contains("--limit-decoded-package-bytes"), h.out());
        assertTrue(h.out().contains("Default: 256M"), h.out());
    }

    /** A command line for one subcommand's arguments knows only that one; without one, or for help, all. */
    @Test
    void onlyTheNamedSubcommandIsBuilt() {
        PrintWriter err = new PrintWriter(new StringWriter());
        assertEquals(Set.of("scan"), KingsnakeCommand.commandLine(new ByteArrayOutputStream(), err, "scan", "x")
                .getSubcommands().keySet());
        Set<String> all = KingsnakeCommand.SUBCOMMANDS.keySet();
        assertEquals(Set.of("scan", "diff", "rules", "eval", "gate", "help"), all);
        for (String[] args : List.of(new String[] {}, new String[] {"help", "scan"}, new String[] {"--help"},
                new String[] {"frobnicate"})) {
            assertEquals(all, KingsnakeCommand.commandLine(new ByteArrayOutputStream(), err, args)
                    .getSubcommands().keySet(), String.join(" ", args));
        }
        Run usage = run("--help");
        assertEquals(0, usage.code());
        for (String name : all) {
            assertTrue(usage.out().contains("  " + name + " "), name + " in " + usage.out());
        }
        Run help = run("help", "scan");
        assertEquals(0, help.code(), help.err());
        assertTrue(help.out().contains("--limit-decoded-package-bytes"), help.out());
        Run rules = run("rules");
        assertEquals(0, rules.code(), rules.err());
    }

    /**
     * Real archives through the whole command line: one valid JSON line per archive, no stack trace. A
     * fixed eighth of the shared malicious corpus keeps the build fast; CorpusScanIT scans all of it
     * through the library, and {@code kingsnake scan --format jsonl ../shared/corpus/malicious-dev} is the
     * manual full run.
     */
    @Test
    void corpusYieldsOneLinePerArchive() throws IOException {
        Path corpus = Path.of("..", "..", "shared", "corpus", "malicious-dev");
        assumeTrue(Files.isDirectory(corpus), "no shared corpus at " + corpus.toAbsolutePath());
        List<Path> all = Inputs.expandAll(List.of(corpus));
        List<String> args = new ArrayList<>(List.of("scan", "--format", "jsonl", "--quiet"));
        for (int i = 0; i < all.size(); i += 8) {
            args.add(all.get(i).toString());
        }
        Run r = run(args.toArray(String[]::new));
        List<JsonNode> results = r.jsonl();
        assertEquals(args.size() - 4, results.size());
        assertEquals(Set.copyOf(args.subList(4, args.size())),
                results.stream().map(o -> o.get("input").asText()).collect(Collectors.toSet()));
        assertTrue(r.code() == 0 || r.code() == 1, r.err());
        r.assertNoStackTrace();
    }
}
