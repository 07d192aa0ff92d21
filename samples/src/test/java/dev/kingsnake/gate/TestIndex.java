package dev.kingsnake.gate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A small Simple API index on loopback for the gate's tests: several roots ({@code /NAME/simple/}), each serving
 * PEP 691 JSON or PEP 503 HTML, files listed with a chosen sha-256 (to lie), upload time, yank reason and delay.
 */
final class TestIndex implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One listed file. */
    record Listed(String project, String filename, byte[] bytes, String listedSha256, Instant uploaded,
                  Optional<String> yanked, Duration delay) {
    }

    private final HttpServer server;
    private final Map<String, List<Listed>> roots = new ConcurrentHashMap<>();
    private final Map<String, Boolean> htmlOnly = new ConcurrentHashMap<>();
    private final Map<String, Duration> pageDelay = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> fileRequests = new ConcurrentHashMap<>();
    /** PEP 658 metadata files by the file name they describe, with the sha-256 the page lists for them. */
    private final Map<String, Map.Entry<byte[], String>> metadata = new ConcurrentHashMap<>();

    TestIndex() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-index");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    /** A root answering JSON (or HTML only); pages delayed by {@code delay}. */
    TestIndex root(String name, boolean html, Duration delay) {
        roots.putIfAbsent(name, new CopyOnWriteArrayList<>());
        htmlOnly.put(name, html);
        pageDelay.put(name, delay);
        return this;
    }

    URI simple(String root) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + root + "/simple/");
    }

    /** Lists a file honestly, uploaded {@code age} ago. */
    Listed add(String root, String project, String filename, byte[] bytes, Duration age) {
        return add(root, new Listed(project, filename, bytes, sha256(bytes), Instant.now().minus(age), Optional.empty(),
                Duration.ZERO));
    }

    Listed add(String root, Listed f) {
        roots.computeIfAbsent(root, r -> new CopyOnWriteArrayList<>()).add(f);
        return f;
    }

    /** Serves {@code bytes} as the core metadata of {@code filename}, listed with {@code listedSha256}. */
    void addMetadata(String filename, byte[] bytes, String listedSha256) {
        metadata.put(filename, Map.entry(bytes, listedSha256));
    }

    int fileRequests(String filename) {
        return fileRequests.computeIfAbsent(filename, f -> new AtomicInteger()).get();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String[] parts = ex.getRequestURI().getPath().split("/");
            // /ROOT/simple/PROJECT/ or /ROOT/files/FILENAME
            if (parts.length < 4 || !roots.containsKey(parts[1])) {
                send(ex, 404, "text/plain", "no such root".getBytes(StandardCharsets.UTF_8));
                return;
            }
            List<Listed> files = roots.get(parts[1]);
            if (parts[2].equals("files") && parts[3].endsWith(".metadata")) {
                Map.Entry<byte[], String> m = metadata.get(parts[3].substring(0, parts[3].length() - 9));
                send(ex, m == null ? 404 : 200, "text/plain", m == null ? new byte[0] : m.getKey());
                return;
            }
            if (parts[2].equals("files")) {
                Optional<Listed> f = files.stream().filter(l -> l.filename().equals(parts[3])).findFirst();
                if (f.isEmpty()) {
                    send(ex, 404, "text/plain", new byte[0]);
                    return;
                }
                fileRequests.computeIfAbsent(parts[3], k -> new AtomicInteger()).incrementAndGet();
                sleep(f.get().delay());
                send(ex, 200, "application/octet-stream", f.get().bytes());
                return;
            }
            sleep(pageDelay.getOrDefault(parts[1], Duration.ZERO));
            List<Listed> project = files.stream().filter(l -> l.project().equals(parts[3])).toList();
            if (project.isEmpty()) {
                send(ex, 404, "text/plain", new byte[0]);
                return;
            }
            String accept = String.valueOf(ex.getRequestHeaders().getFirst("Accept"));
            if (!htmlOnly.get(parts[1]) && accept.contains("application/vnd.pypi.simple.v1+json")) {
                send(ex, 200, "application/vnd.pypi.simple.v1+json", json(parts[1], parts[3], project));
            } else {
                send(ex, 200, "text/html", html(parts[1], project));
            }
        }
    }

    private byte[] json(String root, String name, List<Listed> files) throws IOException {
        ObjectNode page = JSON.createObjectNode();
        page.putObject("meta").put("api-version", "1.1");
        page.put("name", name);
        ArrayNode list = page.putArray("files");
        for (Listed f : files) {
            ObjectNode n = list.addObject();
            n.put("filename", f.filename());
            n.put("url", "/" + root + "/files/" + f.filename());
            n.putObject("hashes").put("sha256", f.listedSha256());
            n.put("requires-python", ">=3.7");
            n.put("upload-time", f.uploaded().toString());
            n.put("size", f.bytes().length);
            f.yanked().ifPresent(reason -> n.put("yanked", reason));
            Map.Entry<byte[], String> m = metadata.get(f.filename());
            if (m != null) {
                n.putObject("core-metadata").put("sha256", m.getValue());
            }
        }
        page.putArray("versions");
        return JSON.writeValueAsBytes(page);
    }

    private static byte[] html(String root, List<Listed> files) {
        StringBuilder b = new StringBuilder("<!DOCTYPE html><html><body>\n");
        for (Listed f : files) {
            b.append("<a href=\"/").append(root).append("/files/").append(f.filename()).append("#sha256=")
                    .append(f.listedSha256()).append("\" data-requires-python=\"&gt;=3.7\"")
                    .append(f.yanked().map(y -> " data-yanked=\"" + y + "\"").orElse("")).append('>')
                    .append(f.filename()).append("</a><br/>\n");
        }
        return b.append("</body></html>\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A minimal wheel {@code name-version-py3-none-any.whl} holding {@code files} and its dist-info. */
    static byte[] wheel(String name, String version, Map<String, String> files) throws IOException {
        String dist = name.replace('-', '_') + "-" + version + ".dist-info/";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            StringBuilder record = new StringBuilder();
            for (Map.Entry<String, String> e : new java.util.TreeMap<>(files).entrySet()) {
                put(zip, e.getKey(), e.getValue());
                record.append(e.getKey()).append(",,\n");
            }
            put(zip, dist + "METADATA", "Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version
                    + "\nSummary: test package made by the gate tests\n");
            put(zip, dist + "WHEEL", "Wheel-Version: 1.0\nGenerator: kingsnake-tests\nRoot-Is-Purelib: true\n"
                    + "Tag: py3-none-any\n");
            record.append(dist).append("METADATA,,\n").append(dist).append("WHEEL,,\n").append(dist).append("RECORD,,\n");
            put(zip, dist + "RECORD", record.toString());
        }
        return bytes.toByteArray();
    }

    static String wheelName(String name, String version) {
        return name.replace('-', '_') + "-" + version + "-py3-none-any.whl";
    }

    private static void put(ZipOutputStream zip, String name, String text) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(text.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
