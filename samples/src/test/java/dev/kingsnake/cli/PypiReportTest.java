package dev.kingsnake.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kingsnake.cli.KingsnakeCommandTest.Run;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static dev.kingsnake.cli.KingsnakeCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code scan --format pypi-report} and {@code --submit}: the observation has exactly the API's fields within
 * its limits, links the decisive line on inspector.pypi.io when the file's PyPI URL is given, and is accepted by
 * a loopback server that enforces the documented contract (warehouse's openapi.yaml and
 * api_projects_observations view).
 */
class PypiReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SOURCE = "https://files.pythonhosted.org/packages/3f/9a/"
            + "0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b/colorfmt-0.3.1.tar.gz";
    private static final Pattern PROJECT_PATH = Pattern.compile("/danger-api/projects/([^/]+)/observations");

    @TempDir
    Path tmp;
    HttpServer pypi;
    final List<String> accepted = Collections.synchronizedList(new ArrayList<>());

    /** The shipped dropper sample as the sdist PyPI would serve: colorfmt-0.3.1/ at the top. */
    private Path sdist() throws IOException {
        Path archive = tmp.resolve("colorfmt-0.3.1.tar.gz");
        Path root = Path.of("packages/colorfmt-setup-download");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(Files.newOutputStream(archive)));
             Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                TarArchiveEntry e = new TarArchiveEntry("colorfmt-0.3.1/" + root.relativize(f).toString().replace('\\', '/'));
                e.setSize(Files.size(f));
                tar.putArchiveEntry(e);
                tar.write(Files.readAllBytes(f));
                tar.closeArchiveEntry();
            }
        }
        return archive;
    }

    @Test
    void theObservationHasExactlyTheApiFieldsAndLinksTheDecisiveLine() throws IOException {
        Run r = run("scan", "--format", "pypi-report", "--source-url", SOURCE, sdist().toString(), "packages/tinymath");
        assertEquals(1, r.code(), r.err());
        JsonNode reports = JSON.readTree(r.out()).get("reports");
        assertEquals(1, reports.size(), "one report, for the one MALICIOUS package");
        JsonNode report = reports.get(0);
        assertEquals("colorfmt", report.get("project").asText());
        assertEquals("/danger-api/projects/colorfmt/observations", report.get("endpoint").asText());
        JsonNode observation = report.get("observation");
        assertEquals(Set.of("kind", "summary", "inspector_url"), fields(observation));
        assertEquals("is_malware", observation.get("kind").asText());
        String summary = observation.get("summary").asText();
        assertTrue(summary.length() >= 10 && summary.length() <= 2000, summary);
        assertTrue(summary.startsWith("colorfmt 0.3.1 (colorfmt-0.3.1.tar.gz) is malware: When installed, it "), summary);
        assertTrue(summary.contains("colorfmt-0.3.1/setup.py:18 KS-PERSIST-DROPPER"), summary);
        assertEquals("https://inspector.pypi.io/project/colorfmt/0.3.1/packages/3f/9a/"
                        + "0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b/colorfmt-0.3.1.tar.gz/"
                        + "colorfmt-0.3.1/setup.py#line.18", observation.get("inspector_url").asText());
        assertFalse(report.has("inspectorUrlOmitted"));
        String markdown = report.get("markdown").asText();
        assertTrue(markdown.startsWith("### Malware report: colorfmt 0.3.1\n"), markdown);
        assertTrue(markdown.contains("<" + observation.get("inspector_url").asText() + ">"), markdown);
        assertTrue(markdown.contains("```python\n"), markdown);
    }

    @Test
    void withoutTheFileUrlTheInspectorLinkIsOmittedWithTheReason() throws IOException {
        Run r = run("scan", "--format", "pypi-report", sdist().toString());
        JsonNode report = JSON.readTree(r.out()).get("reports").get(0);
        assertEquals(Set.of("kind", "summary"), fields(report.get("observation")));
        assertTrue(report.get("inspectorUrlOmitted").asText().contains("--source-url"), report.toString());
        assertTrue(report.get("markdown").asText().contains("**Inspector:** not available"));
    }

    @Test
    void submitWithoutATokenStopsBeforeScanning() throws IOException {
        assumeTrue(System.getenv(PypiSubmitter.TOKEN_VARIABLE) == null, "this environment has a PyPI token set");
        Run r = run("scan", "--format", "pypi-report", "--submit", sdist().toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("PYPI_API_TOKEN"), r.err());
        assertEquals("", r.out());
    }

    @BeforeEach
    void startPypi() throws IOException {
        pypi = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        pypi.createContext("/", this::observations);
        pypi.start();
    }

    @AfterEach
    void stopPypi() {
        pypi.stop(0);
    }

    /** What warehouse checks, and what its openapi.yaml documents, for an observation. */
    private void observations(HttpExchange x) throws IOException {
        String error = violation(x);
        byte[] body = (error == null ? "{\"project\":\"p\",\"thanks\":\"for the observation\"}"
                : JSON.createObjectNode().put("error", error).toString()).getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/vnd.pypi.api-v0-danger+json");
        x.sendResponseHeaders(error == null ? 202 : 400, body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }

    private String violation(HttpExchange x) throws IOException {
        byte[] raw = x.getRequestBody().readAllBytes();
        if (!x.getRequestMethod().equals("POST")) {
            return "method " + x.getRequestMethod();
        }
        var m = PROJECT_PATH.matcher(x.getRequestURI().getRawPath());
        if (!m.matches()) {
            return "path " + x.getRequestURI();
        }
        if (!"application/vnd.pypi.api-v0-danger+json".equals(x.getRequestHeaders().getFirst("Content-Type"))) {
            return "content type " + x.getRequestHeaders().getFirst("Content-Type");
        }
        if (!"Bearer pypi-test-token".equals(x.getRequestHeaders().getFirst("Authorization"))) {
            return "authorization";
        }
        JsonNode body;
        try {
            body = JSON.readTree(raw);
        } catch (IOException e) {
            return "not JSON";
        }
        if (!Set.of("kind", "summary", "inspector_url").containsAll(fields(body))) {
            return "unknown fields " + fields(body);
        }
        String summary = body.path("summary").asText("");
        if (!body.path("kind").asText().equals("is_malware") || summary.length() < 10 || summary.length() > 2000) {
            return "kind or summary";
        }
        if (!body.path("inspector_url").asText("").startsWith("https://inspector.pypi.io/project/")) {
            return "inspector_url required for malware";
        }
        accepted.add(m.group(1) + " " + body.get("inspector_url").asText());
        return null;
    }

    @Test
    void theLoopbackServerRefusesWhatPypiRefuses() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        URI uri = URI.create("http://127.0.0.1:" + pypi.getAddress().getPort() + "/danger-api/projects/p/observations");
        for (String body : List.of("{\"kind\":\"is_malware\",\"summary\":\"long enough summary\"}",
                "{\"kind\":\"is_malware\",\"summary\":\"short\",\"inspector_url\":\"https://inspector.pypi.io/project/p\"}",
                "{\"kind\":\"is_malware\",\"summary\":\"long enough summary\",\"inspector_url\":\"https://example.invalid/\"}",
                "{\"kind\":\"is_malware\",\"summary\":\"long enough summary\",\"inspector_url\":\"https://inspector.pypi.io/project/p\",\"extra\":1}")) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri)
                    .header("Content-Type", "application/vnd.pypi.api-v0-danger+json")
                    .header("Authorization", "Bearer pypi-test-token")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, response.statusCode(), body);
        }
        assertTrue(accepted.isEmpty());
    }

    /** The real CLI in its own JVM, so that the token comes from a real environment variable. */
    @Test
    void submitSendsTheObservationToTheApiWithTheTokenFromTheEnvironment() throws Exception {
        Path archive = sdist();
        Path unlinked = Files.copy(archive, Files.createDirectory(tmp.resolve("other")).resolve("colorfmt-0.3.0.tar.gz"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                KingsnakeCommand.class.getName(), "scan", "-q", "--format", "pypi-report", "--submit",
                "--pypi-url", "http://127.0.0.1:" + pypi.getAddress().getPort() + "/",
                "--source-url", SOURCE, archive.toString(), unlinked.toString());
        pb.environment().put(PypiSubmitter.TOKEN_VARIABLE, "pypi-test-token");
        pb.redirectOutput(tmp.resolve("out.json").toFile()).redirectError(tmp.resolve("err.txt").toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        String err = Files.readString(tmp.resolve("err.txt"));
        // the second copy has no PyPI URL, so no inspector link: not sent, and the exit code says so
        assertEquals(2, p.exitValue(), err);
        assertEquals(List.of("colorfmt https://inspector.pypi.io/project/colorfmt/0.3.1/packages/3f/9a/"
                + "0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b/colorfmt-0.3.1.tar.gz/"
                + "colorfmt-0.3.1/setup.py#line.18"), accepted);
        assertTrue(err.contains("kingsnake: submitted: colorfmt 0.3.1 (HTTP 202)"), err);
        assertTrue(err.contains("kingsnake: not submitted: colorfmt 0.3.1: no inspector URL"), err);
        assertFalse(err.contains("pypi-test-token"), "the token is never printed");
        assertEquals(2, JSON.readTree(tmp.resolve("out.json").toFile()).get("reports").size());
    }

    /** --find-source-urls asks the index (here a loopback Simple API) for the file's URL; nothing else is asked. */
    @Test
    void theFileUrlCanBeLookedUpOnTheIndex() throws IOException {
        List<String> asked = Collections.synchronizedList(new ArrayList<>());
        pypi.createContext("/simple/", x -> {
            asked.add(x.getRequestURI().getPath());
            String page = JSON.createObjectNode().put("name", "colorfmt")
                    .<com.fasterxml.jackson.databind.node.ObjectNode>set("meta", JSON.createObjectNode().put("api-version", "1.1"))
                    .set("files", JSON.createArrayNode().add(JSON.createObjectNode()
                            .put("filename", "colorfmt-0.3.1.tar.gz").put("url", SOURCE + "#sha256=00")))
                    .toString();
            byte[] body = page.getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", "application/vnd.pypi.simple.v1+json");
            x.sendResponseHeaders(x.getRequestURI().getPath().equals("/simple/colorfmt/") ? 200 : 404, body.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(body);
            }
        });
        String root = "http://127.0.0.1:" + pypi.getAddress().getPort() + "/";
        // PyPI's Simple API under --pypi-url; the deprecated --index-url still names it directly
        for (List<String> index : List.of(List.of("--pypi-url", root), List.of("--index-url", root + "simple/"))) {
            asked.clear();
            List<String> args = new ArrayList<>(List.of("scan", "--format", "pypi-report", "--find-source-urls"));
            args.addAll(index);
            args.addAll(List.of(sdist().toString(), "packages/tinymath"));
            Run r = run(args.toArray(String[]::new));
            assertEquals(1, r.code(), r.err());
            JsonNode observation = JSON.readTree(r.out()).at("/reports/0/observation");
            assertEquals("https://inspector.pypi.io/project/colorfmt/0.3.1/packages/3f/9a/"
                    + "0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b/colorfmt-0.3.1.tar.gz/"
                    + "colorfmt-0.3.1/setup.py#line.18", observation.get("inspector_url").asText());
            assertEquals(List.of("/simple/colorfmt/"), asked, "only the MALICIOUS package's project is looked up");
        }
    }

    private static Set<String> fields(JsonNode o) {
        return Set.copyOf(KingsnakeCommandTest.names(o));
    }
}
