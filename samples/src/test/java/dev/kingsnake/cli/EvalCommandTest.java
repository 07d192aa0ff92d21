package dev.kingsnake.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvalCommandTest {

    @Test
    void countsEveryPackageOnceAndWritesFiguresAsJson(@TempDir Path dir) throws IOException {
        Path mal = Files.createDirectories(dir.resolve("mal"));
        Path ben = Files.createDirectories(dir.resolve("ben"));
        Files.writeString(mal.resolve("one.py"), "print('a')\n");
        Files.writeString(Files.createDirectories(mal.resolve("two")).resolve("two.py"), "print('b')\n");
        Files.writeString(ben.resolve("three.py"), "x = 1\n");
        Files.writeString(dir.resolve("labels.tsv"), "path\tcampaign\none.py\tc1\ntwo/two.py\tc1\n");
        Path json = dir.resolve("eval.json");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        int code = KingsnakeCommand.commandLine(out, new PrintWriter(err, true)).execute("eval",
                "--malicious", mal.toString(), "--labels", dir.resolve("labels.tsv").toString(),
                "--benign", ben.toString(), "--json", json.toString(), "--sweep", "--jobs", "1");

        assertEquals(0, code, err.toString());
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("per-campaign recall"), text);
        assertTrue(text.contains("| threshold |"), text);
        assertTrue(text.matches("(?s).*latency per package: p50 \\d+ ms, p90 \\d+ ms, p99 \\d+ ms, max \\d+ ms.*"), text);
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        assertEquals(3, doc.get("packages").asInt());
        assertTrue(doc.get("latency").get("maxMillis").asLong() >= doc.get("latency").get("p50Millis").asLong());
        assertEquals(2, doc.at("/figures/recall/total").asInt());
        assertEquals(1, doc.at("/figures/campaigns").asInt());
        assertEquals(1, doc.at("/figures/falsePositiveRate/total").asInt());
        assertEquals(19, doc.get("sweep").size());
    }

    @Test
    void recallWithoutTheNoHarmListCountsOnlyPackagesWithHarmfulCode(@TempDir Path dir) throws IOException {
        Path mal = Files.createDirectories(dir.resolve("mal"));
        Path ben = Files.createDirectories(dir.resolve("ben"));
        Files.writeString(mal.resolve("runs.py"), "import subprocess\nsubprocess.run(input())\n");
        Files.writeString(mal.resolve("placeholder.py"), "print('a')\n");
        Files.writeString(mal.resolve("empty.py"), "x = 1\n");
        Files.writeString(ben.resolve("three.py"), "x = 1\n");
        Files.writeString(dir.resolve("labels.tsv"), "path\tcampaign\nruns.py\tc1\nplaceholder.py\tc1\nempty.py\tc2\n");
        Files.writeString(dir.resolve("no-harm.tsv"), "path\tcampaign\treason\nplaceholder.py\tc1\tprints\n"
                + "empty.py\tc2\tplaceholder\n");
        Path json = dir.resolve("eval.json");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        int code = KingsnakeCommand.commandLine(out, new PrintWriter(err, true)).execute("eval",
                "--malicious", mal.toString(), "--labels", dir.resolve("labels.tsv").toString(),
                "--no-harm", dir.resolve("no-harm.tsv").toString(), "--benign", ben.toString(),
                "--threshold", "0.05", "--json", json.toString(), "--jobs", "1");

        assertEquals(0, code, err.toString());
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("malicious with harmful code (2 left out by the no-harm list"), text);
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        assertEquals(1, doc.at("/figures/recall/hits").asInt());
        assertEquals(3, doc.at("/figures/recall/total").asInt());
        assertEquals(0.25, doc.at("/figures/campaignRecall").asDouble(), 1e-9);
        assertEquals(1, doc.at("/harmfulCodeFigures/recall/hits").asInt());
        assertEquals(1, doc.at("/harmfulCodeFigures/recall/total").asInt());
        assertEquals(1, doc.at("/harmfulCodeFigures/campaigns").asInt());
        assertEquals(1.0, doc.at("/harmfulCodeFigures/campaignRecall").asDouble(), 1e-9);
        assertEquals(1, doc.at("/harmfulCodeFigures/falsePositiveRate/total").asInt());
    }

    @Test
    void missingDirectoryIsAUsageErrorWithoutStackTrace(@TempDir Path dir) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        int code = KingsnakeCommand.commandLine(out, new PrintWriter(err, true)).execute("eval",
                "--malicious", dir.resolve("nope").toString(), "--benign", dir.toString());
        assertEquals(2, code);
        assertTrue(err.toString().startsWith("kingsnake: no such file or directory"), err.toString());
    }
}
