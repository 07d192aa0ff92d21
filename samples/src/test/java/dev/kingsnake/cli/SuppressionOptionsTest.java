package dev.kingsnake.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kingsnake.cli.KingsnakeCommandTest.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.kingsnake.cli.KingsnakeCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code scan --suppressions / --baseline / --write-baseline} on the shipped samples. */
class SuppressionOptionsTest {
    private static final String DROPPER = "packages/colorfmt-setup-download";

    @TempDir
    Path tmp;

    @Test
    void aBaselineOfTodaysFindingsMakesTheNextRunCleanAndKeepsThemMarked() throws IOException {
        Path baseline = tmp.resolve("baseline.json");
        Run first = run("scan", "-q", "--format", "jsonl", "--write-baseline", baseline.toString(), "packages");
        assertEquals(1, first.code(), first.err());
        assertTrue(Files.size(baseline) > 0);

        Run second = run("scan", "-q", "--format", "jsonl", "--baseline", baseline.toString(), "packages");
        assertEquals(0, second.code(), second.err());
        List<JsonNode> results = second.jsonl();
        long suppressed = 0;
        for (JsonNode r : results) {
            assertEquals("BENIGN", r.get("verdict").asText(), r.toString());
            assertEquals(0, r.get("findings").size());
            assertEquals(0.0, r.get("score").asDouble());
            for (JsonNode s : r.path("suppressed")) {
                assertEquals("baseline", s.get("suppression").asText());
                suppressed++;
            }
        }
        long before = first.jsonl().stream().mapToLong(r -> r.get("findings").size()).sum();
        assertEquals(before, suppressed);
    }

    @Test
    void aSuppressionFileSetsAsideMatchingFindingsOnly() throws IOException {
        Path toml = Files.writeString(tmp.resolve("suppress.toml"), """
                [[suppress]]
                rule = "KS-PERSIST-DROPPER"
                path = "setup.py"
                reason = "reviewed: our updater"
                """);
        Run r = run("scan", "-q", "--format", "jsonl", "--suppressions", toml.toString(), DROPPER);
        JsonNode result = r.jsonl().get(0);
        assertTrue(result.path("suppressed").size() >= 1, result.toString());
        for (JsonNode s : result.get("suppressed")) {
            assertEquals("KS-PERSIST-DROPPER", s.get("rule").asText());
            assertEquals("reviewed: our updater", s.get("suppression").asText());
        }
        for (JsonNode f : result.get("findings")) {
            assertTrue(!f.get("rule").asText().equals("KS-PERSIST-DROPPER"), f.toString());
        }
        Run plain = run("scan", "-q", "--format", "jsonl", DROPPER);
        assertTrue(result.get("score").asDouble() <= plain.jsonl().get(0).get("score").asDouble());

        Run text = run("scan", "-q", "--suppressions", toml.toString(), DROPPER);
        assertTrue(text.out().contains("~ KS-PERSIST-DROPPER  setup.py:18:9  suppressed: reviewed: our updater"),
                text.out());
    }

    @Test
    void aBrokenSuppressionFileStopsBeforeScanning() throws IOException {
        Path toml = Files.writeString(tmp.resolve("bad.toml"), "[[suppress]]\nrule = \"KS-X\"\nreason = \"r\"\n");
        Run r = run("scan", "--suppressions", toml.toString(), DROPPER);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("suppression 1: a suppression of KS-X names a path glob, a sha256 or both"), r.err());
        assertEquals("", r.out());
        r.assertNoStackTrace();
    }
}
