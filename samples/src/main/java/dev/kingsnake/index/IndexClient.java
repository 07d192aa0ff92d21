package dev.kingsnake.index;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads one Simple API index over HTTP(S): project pages (JSON preferred, HTML accepted) and files. Thread-safe;
 * share one per index. Transient failures (no connection, timeouts, 429 and 5xx answers) are tried
 * {@link Settings#attempts()} times in all with a doubling pause; a stalled body fails after
 * {@link Settings#idleTimeout()} without data. Nothing here throws on a bad index: every outcome is a {@link Fetch}.
 */
public final class IndexClient {
    /** What pip sends, JSON first: an index that speaks PEP 691 answers in JSON, an older one in HTML. */
    static final String ACCEPT = SimpleIndexParser.JSON_TYPE + ", " + SimpleIndexParser.HTML_TYPE
            + ";q=0.2, text/html;q=0.01";
    private static final int MAX_PAGE_BYTES = 64 << 20;

    /**
     * @param connectTimeout time to open a connection
     * @param idleTimeout    time the index may take to start answering, or stay silent in the middle of a body
     * @param attempts       tries per request, at least 1
     * @param retryPause     pause before the first retry; doubled before each further one
     * @param maxFileBytes   largest file downloaded
     */
    public record Settings(Duration connectTimeout, Duration idleTimeout, int attempts, Duration retryPause,
                           long maxFileBytes) {
        public Settings {
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            Objects.requireNonNull(retryPause, "retryPause");
            if (attempts < 1) {
                throw new IllegalArgumentException("attempts must be at least 1: " + attempts);
            }
            if (maxFileBytes < 1) {
                throw new IllegalArgumentException("maxFileBytes must be positive: " + maxFileBytes);
            }
        }

        /** 5 s to connect, 10 s idle, 3 attempts from 200 ms apart, files up to 2 GiB. */
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(5), Duration.ofSeconds(10), 3, Duration.ofMillis(200), 2L << 30);
        }
    }

    private final URI root;
    private final Settings settings;
    private final HttpClient http;

    /** A client of the index whose Simple API root is {@code root} (e.g. {@code https://pypi.org/simple/}). */
    public IndexClient(URI root, Settings settings) {
        String r = root.toString();
        this.root = URI.create(r.endsWith("/") ? r : r + "/");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.http = HttpClient.newBuilder().connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    public URI root() {
        return root;
    }

    public Settings settings() {
        return settings;
    }

    /** The project's page, asked for under its normalised name. */
    public Fetch<ProjectPage> project(String name) {
        URI url = root.resolve(ProjectName.normalize(name) + "/");
        return withRetries(() -> {
            HttpRequest request = HttpRequest.newBuilder(url).timeout(settings.idleTimeout())
                    .header("Accept", ACCEPT).GET().build();
            HttpResponse<InputStream> response = http.send(request, IdleTimeoutBody.handler(settings.idleTimeout()));
            try (InputStream body = response.body()) {
                Optional<Fetch<ProjectPage>> status = statusFailure(response.statusCode(), url);
                if (status.isPresent()) {
                    return status.get();
                }
                byte[] bytes = body.readNBytes(MAX_PAGE_BYTES + 1);
                if (bytes.length > MAX_PAGE_BYTES) {
                    return new Fetch.Failed<>(Fetch.Failure.TOO_LARGE, url + ": project page larger than "
                            + MAX_PAGE_BYTES + " bytes");
                }
                String type = response.headers().firstValue("Content-Type").orElse("text/html");
                try {
                    ProjectPage page = SimpleIndexParser.parse(type, new String(bytes, StandardCharsets.UTF_8),
                            response.uri(), name);
                    return new Fetch.Found<>(page);
                } catch (IllegalArgumentException e) {
                    return new Fetch.Failed<>(Fetch.Failure.BAD_RESPONSE, url + ": " + e.getMessage());
                }
            }
        });
    }

    /** Downloads a listed file to {@code target}, refusing it when its sha-256 differs from the listed one. */
    public Fetch<Downloaded> download(DistributionFile file, Path target) {
        return download(file.url(), file.sha256(), target);
    }

    /**
     * Downloads {@code url} to {@code target} (replaced), computing its sha-256 on the way; when
     * {@code expectedSha256} is given, a different digest is a {@link Fetch.Failure#HASH_MISMATCH} and the file
     * is deleted. Larger than {@link Settings#maxFileBytes()} is {@link Fetch.Failure#TOO_LARGE}.
     */
    public Fetch<Downloaded> download(URI url, Optional<String> expectedSha256, Path target) {
        Fetch<Downloaded> result = withRetries(() -> {
            HttpRequest request = HttpRequest.newBuilder(url).timeout(settings.idleTimeout()).GET().build();
            HttpResponse<InputStream> response = http.send(request, IdleTimeoutBody.handler(settings.idleTimeout()));
            try (InputStream body = response.body()) {
                Optional<Fetch<Downloaded>> status = statusFailure(response.statusCode(), url);
                if (status.isPresent()) {
                    return status.get();
                }
                long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
                if (declared > settings.maxFileBytes()) {
                    return tooLarge(url);
                }
                return copy(body, url, target);
            }
        });
        if (result instanceof Fetch.Found<Downloaded> found && expectedSha256.isPresent()
                && !expectedSha256.get().equalsIgnoreCase(found.value().sha256())) {
            deleteQuietly(target);
            return new Fetch.Failed<>(Fetch.Failure.HASH_MISMATCH, url + ": sha-256 is " + found.value().sha256()
                    + " but the index lists " + expectedSha256.get().toLowerCase(java.util.Locale.ROOT));
        }
        if (!(result instanceof Fetch.Found)) {
            deleteQuietly(target);
        }
        return result;
    }

    private Fetch<Downloaded> copy(InputStream body, URI url, Path target) throws IOException {
        MessageDigest sha256 = sha256();
        long size = 0;
        byte[] buffer = new byte[1 << 16];
        // the body arrives in buffers of a few KiB; writing each as it comes would cost a system call apiece
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(target), 1 << 20)) {
            int n;
            while ((n = body.read(buffer)) > 0) {
                size += n;
                if (size > settings.maxFileBytes()) {
                    return tooLarge(url);
                }
                sha256.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
        }
        return new Fetch.Found<>(new Downloaded(target, HexFormat.of().formatHex(sha256.digest()), size));
    }

    private <T> Fetch<T> tooLarge(URI url) {
        return new Fetch.Failed<>(Fetch.Failure.TOO_LARGE, url + ": larger than the limit of "
                + settings.maxFileBytes() + " bytes");
    }

    private static <T> Optional<Fetch<T>> statusFailure(int status, URI url) {
        if (status == 404 || status == 410) {
            return Optional.of(new Fetch.Missing<>(status));
        }
        if (status == 429 || status / 100 == 5) {
            return Optional.of(new Fetch.Failed<>(Fetch.Failure.UNAVAILABLE, url + ": HTTP " + status));
        }
        if (status / 100 != 2) {
            return Optional.of(new Fetch.Failed<>(Fetch.Failure.BAD_RESPONSE, url + ": HTTP " + status));
        }
        return Optional.empty();
    }

    /** One request; exceptions are turned into failures here. */
    private interface Attempt<T> {
        Fetch<T> run() throws IOException, InterruptedException;
    }

    private <T> Fetch<T> withRetries(Attempt<T> attempt) {
        Fetch<T> last = null;
        long pause = settings.retryPause().toMillis();
        for (int i = 0; i < settings.attempts(); i++) {
            if (i > 0) {
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new Fetch.Failed<>(Fetch.Failure.UNREACHABLE, "interrupted");
                }
                pause *= 2;
            }
            try {
                last = attempt.run();
            } catch (HttpTimeoutException e) {
                last = new Fetch.Failed<>(Fetch.Failure.TIMEOUT, "no answer within "
                        + settings.idleTimeout().toMillis() + " ms");
            } catch (ConnectException e) {
                last = new Fetch.Failed<>(Fetch.Failure.UNREACHABLE, "connection refused or failed");
            } catch (IOException e) {
                last = new Fetch.Failed<>(Fetch.Failure.UNREACHABLE, e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Fetch.Failed<>(Fetch.Failure.UNREACHABLE, "interrupted");
            }
            if (!retryable(last)) {
                return last;
            }
        }
        return last;
    }

    private static boolean retryable(Fetch<?> f) {
        if (f instanceof Fetch.Failed<?> failed) {
            return switch (failed.kind()) {
                case UNREACHABLE, TIMEOUT, UNAVAILABLE -> true;
                case BAD_RESPONSE, HASH_MISMATCH, TOO_LARGE -> false;
            };
        }
        return false;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // a leftover temporary file; the caller's directory is cleaned with it
        }
    }
}
