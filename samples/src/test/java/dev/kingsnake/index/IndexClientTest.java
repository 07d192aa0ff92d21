package dev.kingsnake.index;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client against a JDK HTTP server on loopback. */
class IndexClientTest {
    private static final byte[] FILE = "not really a wheel, but bytes with a digest".getBytes(StandardCharsets.UTF_8);
    private static final AtomicInteger flakyCalls = new AtomicInteger();
    private static HttpServer server;
    private static URI root;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/simple/demo/", ex -> {
            String accept = ex.getRequestHeaders().getFirst("Accept");
            String json = "{\"meta\":{\"api-version\":\"1.0\"},\"name\":\"demo\",\"files\":[{\"filename\":\"demo-1.0.tar.gz\","
                    + "\"url\":\"/files/demo-1.0.tar.gz\",\"hashes\":{\"sha256\":\"" + sha256(FILE) + "\"}}]}";
            ex.getResponseHeaders().add("Content-Type", accept.startsWith(SimpleIndexParser.JSON_TYPE)
                    ? SimpleIndexParser.JSON_TYPE : "text/plain");
            send(ex, 200, json.getBytes(StandardCharsets.UTF_8));
        });
        server.createContext("/files/demo-1.0.tar.gz", ex -> send(ex, 200, FILE));
        server.createContext("/flaky", ex -> send(ex, flakyCalls.incrementAndGet() < 3 ? 503 : 200, FILE));
        server.createContext("/stall", ex -> {
            ex.sendResponseHeaders(200, FILE.length);
            ex.getResponseBody().write(FILE, 0, 4);
            ex.getResponseBody().flush();
            sleep(3000);
            ex.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        root = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/simple/");
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private static IndexClient client(long maxBytes) {
        return new IndexClient(root, new IndexClient.Settings(Duration.ofSeconds(2), Duration.ofMillis(500), 3,
                Duration.ofMillis(10), maxBytes));
    }

    @Test
    void fetchesPageAndVerifiedFile() {
        IndexClient client = client(1 << 20);
        ProjectPage page = ((Fetch.Found<ProjectPage>) client.project("Demo")).value();
        DistributionFile file = page.files().get(0);
        Fetch<Downloaded> d = client.download(file, dir.resolve("f"));
        Downloaded got = ((Fetch.Found<Downloaded>) assertInstanceOf(Fetch.Found.class, d)).value();
        assertEquals(sha256(FILE), got.sha256());
        assertEquals(FILE.length, got.size());
        assertTrue(client.project("absent") instanceof Fetch.Missing<ProjectPage> m && m.status() == 404);
    }

    @Test
    void refusesWrongDigestAndOversizeFiles() {
        Path target = dir.resolve("f");
        Fetch<Downloaded> wrong = client(1 << 20).download(root.resolve("/files/demo-1.0.tar.gz"),
                Optional.of("00".repeat(32)), target);
        assertEquals(Fetch.Failure.HASH_MISMATCH, ((Fetch.Failed<Downloaded>) wrong).kind());
        assertFalse(Files.exists(target), "a refused file is not left behind");
        Fetch<Downloaded> big = client(10).download(root.resolve("/files/demo-1.0.tar.gz"), Optional.empty(), target);
        assertEquals(Fetch.Failure.TOO_LARGE, ((Fetch.Failed<Downloaded>) big).kind());
    }

    @Test
    void retriesUnavailableAndTimesOutStalledBodies() {
        Fetch<Downloaded> flaky = client(1 << 20).download(root.resolve("/flaky"), Optional.empty(), dir.resolve("a"));
        assertInstanceOf(Fetch.Found.class, flaky);
        assertEquals(3, flakyCalls.get());
        IndexClient once = new IndexClient(root, new IndexClient.Settings(Duration.ofSeconds(2), Duration.ofMillis(300),
                1, Duration.ofMillis(10), 1 << 20));
        long start = System.nanoTime();
        Fetch<Downloaded> stalled = once.download(root.resolve("/stall"), Optional.empty(), dir.resolve("b"));
        assertEquals(Fetch.Failure.TIMEOUT, ((Fetch.Failed<Downloaded>) stalled).kind());
        assertTrue(System.nanoTime() - start < 2_500_000_000L, "the stall is cut at the idle timeout");
        Fetch<ProjectPage> down = new IndexClient(URI.create("http://127.0.0.1:1/simple/"), once.settings())
                .project("demo");
        assertEquals(Fetch.Failure.UNREACHABLE, ((Fetch.Failed<ProjectPage>) down).kind());
    }

    static String sha256(byte[] data) {
        return HexFormat.of().formatHex(IndexClient.sha256().digest(data));
    }

    private static void send(com.sun.net.httpserver.HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
