package dev.kingsnake.gate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kingsnake.Confidence;
import dev.kingsnake.Scanner;
import dev.kingsnake.Severity;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A scan that outlasts the client's read timeout: the gate streams the file while it scans, holding back the end
 * until the verdict. pip runs with a 3 s timeout against scans made to take 8 s.
 */
class GateStreamingTest {
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
        pip = GateFixtures.pipOrSkip(dir);
        List<Rule> rules = GateFixtures.shippedRules();
        rules.add(new SlowRule());
        upstream = new TestIndex().root("public", false, Duration.ZERO);
        auditFile = GateFixtures.auditFile(dir, "stream");
        gate = GateServer.start(GateFixtures.config(dir, "stream", upstream.simple("public"), Optional.empty(),
                GatePolicy.defaults(), Scanner.builder().rules(rules).build(), Duration.ofSeconds(10),
                Duration.ofSeconds(1)));
    }

    @AfterAll
    static void stop() throws Exception {
        GateFixtures.stop(gate, upstream);
    }

    private static String index() {
        return GateFixtures.index(gate);
    }

    private static List<JsonNode> audit(String filename) throws Exception {
        return GateFixtures.audit(auditFile, filename);
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
                "slow_bad_init.pth", GateFixtures.PTH_HOOK));
        upstream.add("public", "slow-bad", name, bytes, Duration.ofDays(30));
        Path out = Files.createDirectories(dir.resolve("bad"));
        long scansBefore = gate.scansStarted();
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
        // one scan, the stored verdict answered the second request (what the gate's warm-up waits for)
        assertEquals(scansBefore + 1, gate.scansStarted());
        HttpResponse<String> direct = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gate.port() + "/files/slow-bad/" + name)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, direct.statusCode());
        assertTrue(direct.body().contains("KS-IMPORT-PTH-CODE at slow_bad_init.pth:1"), direct.body());
    }
}
