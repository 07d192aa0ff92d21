package dev.kingsnake.gate;

import dev.kingsnake.index.DistributionFile;
import dev.kingsnake.index.Downloaded;
import dev.kingsnake.index.Fetch;
import dev.kingsnake.index.IndexClient;
import dev.kingsnake.index.ProjectName;
import dev.kingsnake.index.ProjectPage;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The gate's HTTP surface. {@code /simple/NAME/}: the upstream's project page, negotiated JSON or HTML, with file
 * URLs pointing at the gate and refused files left out. {@code /files/NAME/FILE}: the file, served only after the
 * policy let it through; refused with 403, upstream failures 502 (504 when it timed out). A refusal's reason
 * travels in the status line, which is what pip prints, and in full in the body. A scan that takes longer than
 * {@code streamAfter} does not keep the client waiting in silence: see {@link #streamWhileScanning}.
 * {@code /healthz}, {@code /metrics}.
 */
final class GateHandler extends Handler.Abstract {
    private static final String FILES = "/files/";
    private static final String SIMPLE = "/simple/";
    private static final int MAX_REASON_CHARS = 300;
    private static final int HOLD_BACK_BYTES = 64 * 1024;

    private final Upstreams upstreams;
    private final Inspections inspections;
    private final GatePolicy policy;
    private final AuditLog audit;
    private final GateMetrics metrics;
    private final Clock clock;
    private final Duration streamAfter;

    GateHandler(Upstreams upstreams, Inspections inspections, GatePolicy policy, AuditLog audit, GateMetrics metrics,
                Clock clock, Duration streamAfter) {
        this.upstreams = Objects.requireNonNull(upstreams, "upstreams");
        this.inspections = Objects.requireNonNull(inspections, "inspections");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.streamAfter = Objects.requireNonNull(streamAfter, "streamAfter");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String method = request.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return text(request, response, callback, 405, "the gate answers GET and HEAD only\n", "");
        }
        String path = request.getHttpURI().getDecodedPath();
        if (path.equals("/healthz")) {
            return text(request, response, callback, 200, "ok\n", "");
        }
        if (path.equals("/metrics")) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            Content.Sink.write(response, true, metrics.scrape(), callback);
            return true;
        }
        if (path.startsWith(SIMPLE) && path.length() > SIMPLE.length()) {
            return projectPage(request, response, callback, path.substring(SIMPLE.length()));
        }
        if (path.startsWith(FILES)) {
            String[] parts = path.substring(FILES.length()).split("/", -1);
            if (parts.length == 2 && !parts[0].isEmpty() && !parts[1].isEmpty()) {
                return file(request, response, callback, parts[0], parts[1]);
            }
        }
        return text(request, response, callback, 404, "not found: the gate serves /simple/NAME/ and the files "
                + "it lists (no list of all projects)\n", "");
    }

    private boolean projectPage(Request request, Response response, Callback callback, String rest) throws IOException {
        String name = rest.endsWith("/") ? rest.substring(0, rest.length() - 1) : rest;
        if (!ProjectName.isValid(name)) {
            return text(request, response, callback, 404, "not a project name: " + name + "\n", "");
        }
        String normal = ProjectName.normalize(name);
        if (!normal.equals(name) || !rest.endsWith("/")) {
            response.setStatus(301);
            response.getHeaders().put(HttpHeader.LOCATION, SIMPLE + normal + "/");
            callback.succeeded();
            return true;
        }
        String type = IndexPages.negotiate(request.getHeaders().get(HttpHeader.ACCEPT) == null ? ""
                : request.getHeaders().get(HttpHeader.ACCEPT));
        if (type.isEmpty()) {
            return text(request, response, callback, 406, "the gate answers in "
                    + "application/vnd.pypi.simple.v1+json or text/html\n", "");
        }
        Fetch<Upstreams.SourcedPage> fetched = upstreams.project(normal);
        if (fetched instanceof Fetch.Missing<Upstreams.SourcedPage>) {
            return text(request, response, callback, 404, "no project " + normal + " on the upstream index\n", "");
        }
        if (fetched instanceof Fetch.Failed<Upstreams.SourcedPage> failed) {
            metrics.upstreamFailure(failed.kind());
            return upstreamFailure(request, response, callback, failed.kind(), failed.message());
        }
        Upstreams.SourcedPage sourced = ((Fetch.Found<Upstreams.SourcedPage>) fetched).value();
        ProjectPage page = sourced.page();
        List<DistributionFile> shown = new ArrayList<>();
        for (DistributionFile f : page.files()) {
            GatePolicy.Candidate c = candidate(normal, f);
            Optional<ScanRecord> known = f.sha256().flatMap(inspections::known);
            if (policy.listed(c, known, clock.instant())) {
                shown.add(f);
            } else {
                String reason = policy.beforeScan(c, clock.instant()) instanceof GatePolicy.Decision.Refuse r
                        ? r.reason() : known.map(ScanRecord::summary).orElse("");
                record(request, normal, f.filename(), f.sha256().orElse(""), sourced.origin(), "hidden", reason,
                        known, known.isPresent(), 0);
            }
        }
        ProjectPage filtered = page.withFiles(shown);
        String body = type.equals(dev.kingsnake.index.SimpleIndexParser.JSON_TYPE)
                ? IndexPages.json(filtered, f -> fileUrl(normal, f))
                : IndexPages.html(filtered, f -> fileUrl(normal, f));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type + (type.endsWith("html") ? "; charset=utf-8" : ""));
        response.getHeaders().put(HttpHeader.VARY, "Accept");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "max-age=60");
        Content.Sink.write(response, true, body, callback);
        return true;
    }

    private static String fileUrl(String project, DistributionFile f) {
        return FILES + project + "/" + URLEncoder.encode(f.filename(), StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The file as the policy sees it, under the (normalised) name the client asked for. */
    private static GatePolicy.Candidate candidate(String project, DistributionFile f) {
        return new GatePolicy.Candidate(project, f.version(project), f.sha256(), f.uploadTime());
    }

    private boolean file(Request request, Response response, Callback callback, String project, String filename)
            throws IOException {
        long start = System.nanoTime();
        String normal = ProjectName.normalize(project);
        Fetch<Upstreams.SourcedPage> fetched = upstreams.project(normal);
        if (fetched instanceof Fetch.Failed<Upstreams.SourcedPage> failed) {
            metrics.upstreamFailure(failed.kind());
            record(request, normal, filename, "", Upstreams.Origin.PUBLIC, "failed", failed.message(),
                    Optional.empty(), false, start);
            return upstreamFailure(request, response, callback, failed.kind(), failed.message());
        }
        if (fetched instanceof Fetch.Missing<Upstreams.SourcedPage>) {
            return text(request, response, callback, 404, "no project " + normal + " on the upstream index\n", "");
        }
        Upstreams.SourcedPage sourced = ((Fetch.Found<Upstreams.SourcedPage>) fetched).value();
        boolean metadata = filename.endsWith(".metadata");
        String archive = metadata ? filename.substring(0, filename.length() - ".metadata".length()) : filename;
        Optional<DistributionFile> listed = sourced.page().file(archive)
                .filter(f -> !metadata || f.coreMetadata().isPresent());
        if (listed.isEmpty()) {
            return text(request, response, callback, 404, filename + " is not listed for " + normal
                    + " on the upstream index\n", "");
        }
        DistributionFile f = listed.get();
        IndexClient client = upstreams.client(sourced.origin());
        GatePolicy.Candidate c = candidate(normal, f);
        GatePolicy.Decision before = policy.beforeScan(c, clock.instant());
        if (metadata) {
            return before instanceof GatePolicy.Decision.Refuse r
                    ? refuse(request, response, callback, filename, f.sha256().orElse(""), r.reason())
                    : coreMetadata(request, response, callback, client, f);
        }
        if (before instanceof GatePolicy.Decision.Refuse r) {
            record(request, normal, filename, f.sha256().orElse(""), sourced.origin(), "refused", r.reason(),
                    Optional.empty(), false, start);
            return refuse(request, response, callback, filename, f.sha256().orElse(""), r.reason());
        }
        Inspections.Outcome outcome = inspections.fetch(client, f);
        if (outcome instanceof Inspections.Outcome.Failed failed) {
            record(request, normal, filename, f.sha256().orElse(""), sourced.origin(), "failed", failed.message(),
                    Optional.empty(), false, start);
            return upstreamFailure(request, response, callback, failed.kind(), failed.message());
        }
        Inspections.Outcome.Ready ready = (Inspections.Outcome.Ready) outcome;
        Served served = new Served(request, normal, filename, ready.sha256(), sourced.origin(), start);
        if (before instanceof GatePolicy.Decision.Serve allowed) {
            served.record("served", allowed.why(), Optional.empty(), false);
            return stream(request, response, callback, ready.file());
        }
        boolean fromStore = inspections.known(ready.sha256()).isPresent();
        CompletableFuture<ScanRecord> verdict = inspections.judge(ready);
        ScanRecord scan;
        try {
            scan = verdict.get(streamAfter.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            if (f.sha256().isPresent()) {
                return streamWhileScanning(response, callback, ready.file(), verdict, served);
            }
            // without the page's #sha256 a client could keep a cut file as if whole: it waits for the verdict
            scan = verdict.join();
        } catch (ExecutionException | InterruptedException e) {
            throw new IllegalStateException("scan of " + filename + " failed", e);
        }
        GatePolicy.Decision after = policy.afterScan(scan);
        if (after instanceof GatePolicy.Decision.Refuse r) {
            served.record("refused", r.reason(), Optional.of(scan), fromStore);
            return refuse(request, response, callback, filename, ready.sha256(), r.reason() + details(scan));
        }
        GatePolicy.Decision.Serve serve = (GatePolicy.Decision.Serve) after;
        served.record("served", serve.warning().orElse(serve.why()), Optional.of(scan), fromStore);
        serve.warning().ifPresent(w -> response.getHeaders().put("X-Kingsnake-Warning", statusLineText(w)));
        return stream(request, response, callback, ready.file());
    }

    /** What an audit line about a file request repeats. */
    private final class Served {
        private final Request request;
        private final String project;
        private final String filename;
        private final String sha256;
        private final Upstreams.Origin origin;
        private final long startNanos;

        Served(Request request, String project, String filename, String sha256, Upstreams.Origin origin,
               long startNanos) {
            this.request = request;
            this.project = project;
            this.filename = filename;
            this.sha256 = sha256;
            this.origin = origin;
            this.startNanos = startNanos;
        }

        void record(String action, String reason, Optional<ScanRecord> scan, boolean fromStore) {
            GateHandler.this.record(request, project, filename, sha256, origin, action, reason, scan, fromStore,
                    startNanos);
            if (action.equals("served")) {
                metrics.fileAnswered(System.nanoTime() - startNanos);
            }
        }
    }

    /**
     * The scan outlasted {@code streamAfter}: send the file now, all but its last {@value #HOLD_BACK_BYTES} bytes,
     * then one held byte every {@code streamAfter} so the client's read timeout (pip: 15 s) does not fire, and the
     * rest once the verdict lets it through. A refused file's connection is cut short of its length: the client
     * has neither the whole file nor (for a wheel or zip) its central directory, and its sha-256 from the page
     * cannot match (pip reports the hash mismatch; only files the page lists with a sha-256 are streamed). The
     * file is then left out of the page, and a direct request gets the 403 and the reason.
     */
    private boolean streamWhileScanning(Response response, Callback callback, Path file,
                                        CompletableFuture<ScanRecord> verdict, Served served) {
        try (InputStream in = Files.newInputStream(file)) {
            long size = Files.size(file);
            int held = (int) Math.min(HOLD_BACK_BYTES, size);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, size);
            OutputStream out = Content.Sink.asOutputStream(response);
            copy(in, out, size - held, file);
            out.flush();
            byte[] tail = in.readNBytes(held);
            int sent = 0;
            ScanRecord scan;
            while (true) {
                try {
                    scan = verdict.get(streamAfter.toMillis(), TimeUnit.MILLISECONDS);
                    break;
                } catch (TimeoutException e) {
                    if (sent < tail.length - 1) {
                        out.write(tail[sent++]);
                        out.flush();
                    }
                }
            }
            GatePolicy.Decision after = policy.afterScan(scan);
            if (after instanceof GatePolicy.Decision.Refuse r) {
                served.record("refused", r.reason() + " (connection cut: the file was being streamed while scanned)",
                        Optional.of(scan), false);
                callback.failed(new IOException("refused while streaming: " + r.reason()));
                return true;
            }
            GatePolicy.Decision.Serve serve = (GatePolicy.Decision.Serve) after;
            served.record("served", serve.warning().orElse(serve.why()) + " (streamed while scanned)",
                    Optional.of(scan), false);
            out.write(tail, sent, tail.length - sent);
            out.close();
            callback.succeeded();
        } catch (IOException e) {
            callback.failed(e);
        } catch (ExecutionException | InterruptedException e) {
            callback.failed(e);
        }
        return true;
    }

    private boolean coreMetadata(Request request, Response response, Callback callback, IndexClient client,
                                 DistributionFile f) throws IOException {
        Path tmp = Files.createTempFile("kingsnake-metadata-", ".tmp");
        try {
            Fetch<Downloaded> got = client.download(f.coreMetadataUrl().orElseThrow(),
                    Optional.ofNullable(f.coreMetadata().orElseThrow().get("sha256")), tmp);
            if (got instanceof Fetch.Failed<Downloaded> failed) {
                return upstreamFailure(request, response, callback, failed.kind(), failed.message());
            }
            if (got instanceof Fetch.Missing<Downloaded>) {
                return text(request, response, callback, 404, "the upstream has no metadata file for "
                        + f.filename() + "\n", "");
            }
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
            response.write(true, ByteBuffer.wrap(Files.readAllBytes(tmp)), callback);
            return true;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private boolean stream(Request request, Response response, Callback callback, Path file) {
        try {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, Files.size(file));
            if (request.getMethod().equals("HEAD")) {
                callback.succeeded();
                return true;
            }
            try (InputStream in = Files.newInputStream(file);
                 OutputStream out = Content.Sink.asOutputStream(response)) {
                copy(in, out, Files.size(file), file);
            }
            callback.succeeded();
        } catch (IOException e) {
            callback.failed(e);
        }
        return true;
    }

    /** Copies {@code count} bytes in large writes (Jetty sends each write as it comes). */
    private static void copy(InputStream in, OutputStream out, long count, Path file) throws IOException {
        byte[] buffer = new byte[1 << 20];
        for (long left = count; left > 0; ) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new IOException(file + " shrank while being served");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    private boolean refuse(Request request, Response response, Callback callback, String filename, String sha256,
                           String reason) {
        String body = "Kingsnake gate refused " + filename + (sha256.isEmpty() ? "" : " (sha256 " + sha256 + ")")
                + ":\n" + reason + "\n\n" + policy.appeal().replace("<digest>", sha256.isEmpty() ? "<digest>" : sha256)
                + "\n";
        return text(request, response, callback, 403, body, "Refused by Kingsnake gate: "
                + reason.lines().findFirst().orElse(""));
    }

    private boolean upstreamFailure(Request request, Response response, Callback callback, Fetch.Failure kind,
                                    String message) {
        int status = kind == Fetch.Failure.TIMEOUT ? 504 : 502;
        String what = kind == Fetch.Failure.HASH_MISMATCH ? "refused, the upstream's file does not match its index: "
                : "upstream index failed: ";
        return text(request, response, callback, status, "Kingsnake gate: " + what + message + "\n",
                "Kingsnake gate: " + what + message);
    }

    private static String details(ScanRecord r) {
        StringBuilder b = new StringBuilder();
        for (ScanRecord.Evidence e : r.evidence()) {
            b.append("\n  ").append(e.place()).append(": ").append(e.evidence().strip());
        }
        return b.toString();
    }

    /**
     * A plain-text answer. A non-empty {@code reason} replaces the status line's reason phrase: pip shows that phrase
     * (and not the body) when a download fails, so that is where a refusal must be explained.
     */
    private boolean text(Request request, Response response, Callback callback, int status, String body,
                         String reason) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        if (!reason.isEmpty()) {
            String phrase = statusLineText(reason);
            request.addHttpStreamWrapper(stream -> new HttpStream.Wrapper(stream) {
                @Override
                public void send(MetaData.Request req, MetaData.Response res, boolean last, ByteBuffer content,
                                 Callback cb) {
                    MetaData.Response withReason = res == null ? null : new MetaData.Response(res.getStatus(), phrase,
                            res.getHttpVersion(), res.getHttpFields(), res.getContentLength(), res.getTrailersSupplier());
                    super.send(req, withReason, last, content, cb);
                }
            });
        }
        Content.Sink.write(response, true, body, callback);
        return true;
    }

    /** Printable ASCII on one line, at most {@value #MAX_REASON_CHARS} characters: what a status line or header can carry. */
    static String statusLineText(String text) {
        StringBuilder b = new StringBuilder();
        for (char ch : text.toCharArray()) {
            if (b.length() >= MAX_REASON_CHARS) {
                b.append("...");
                break;
            }
            b.append(ch >= 0x20 && ch < 0x7f ? ch : ' ');
        }
        return b.toString().strip();
    }

    private void record(Request request, String project, String file, String sha256, Upstreams.Origin origin,
                        String action, String reason, Optional<ScanRecord> scan, boolean fromStore, long startNanos) {
        String agent = request.getHeaders().get(HttpHeader.USER_AGENT);
        long millis = startNanos == 0 ? 0 : (System.nanoTime() - startNanos) / 1_000_000;
        audit.write(new AuditLog.Entry(Request.getRemoteAddr(request), agent == null ? "" : agent, project, file,
                sha256, origin.name().toLowerCase(java.util.Locale.ROOT), action, reason, scan, fromStore, millis));
        metrics.decision(action, scan.map(r -> r.verdict().name().toLowerCase(java.util.Locale.ROOT))
                .orElse("none"));
    }
}
