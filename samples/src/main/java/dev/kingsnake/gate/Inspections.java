package dev.kingsnake.gate;

import dev.kingsnake.ScanResult;
import dev.kingsnake.Scanner;
import dev.kingsnake.Verdict;
import dev.kingsnake.index.Downloaded;
import dev.kingsnake.index.DistributionFile;
import dev.kingsnake.index.Fetch;
import dev.kingsnake.index.IndexClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Gets a file ready to serve: downloaded once into the cache directory (content-addressed, written only after its
 * sha-256 matched the index), scanned once per rules version (the verdict kept in the {@link VerdictStore}, except
 * ERROR verdicts, which may pass).
 * Concurrent requests for the same file wait for the same download and scan. Scans run on a pool of {@code jobs}
 * threads, so a burst of requests cannot start more scans than the machine has cores for.
 */
public final class Inspections implements AutoCloseable {

    /** What became of a request for a file. */
    public sealed interface Outcome {
        /**
         * The file is in the cache and has a verdict ({@code record} is empty for a file served without a scan).
         *
         * @param fromStore the verdict was found in the store, not scanned now
         */
        record Ready(Path file, String sha256, Optional<ScanRecord> record, boolean fromStore) implements Outcome {
        }

        /** The upstream could not deliver the file. */
        record Failed(Fetch.Failure kind, String message) implements Outcome {
        }
    }

    private final VerdictStore store;
    private final Scanner scanner;
    private final String rulesVersion;
    private final Path cacheDir;
    private final GateMetrics metrics;
    private final ExecutorService workers;
    private final ExecutorService downloaders;
    private final ConcurrentHashMap<String, CompletableFuture<Outcome>> downloads = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<ScanRecord>> scans = new ConcurrentHashMap<>();
    private final AtomicLong scansStarted = new AtomicLong();

    public Inspections(VerdictStore store, Scanner scanner, String rulesVersion, Path cacheDir, GateMetrics metrics,
                       int jobs) throws IOException {
        this.store = Objects.requireNonNull(store, "store");
        this.scanner = Objects.requireNonNull(scanner, "scanner");
        this.rulesVersion = Objects.requireNonNull(rulesVersion, "rulesVersion");
        this.cacheDir = Files.createDirectories(cacheDir);
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.workers = Executors.newFixedThreadPool(jobs, daemon("kingsnake-gate-scan"));
        this.downloaders = Executors.newCachedThreadPool(daemon("kingsnake-gate-download"));
    }

    /** Scans started so far (stored verdicts and joined scans not counted). */
    public long scansStarted() {
        return scansStarted.get();
    }

    public String rulesVersion() {
        return rulesVersion;
    }

    /** The stored verdict of a file under the current rules, if any (used to hide files from index pages). */
    public Optional<ScanRecord> known(String sha256) {
        try {
            return store.find(sha256, rulesVersion);
        } catch (SQLException e) {
            metrics.storeFailure();
            return Optional.empty();
        }
    }

    /** Downloads the file unless it is in the cache; one download however many requests ask at once. */
    public Outcome fetch(IndexClient client, DistributionFile file) {
        return singleFlight(downloads, downloaders, file.sha256().orElse(file.url().toString()),
                () -> download(client, file)).join();
    }

    /**
     * The verdict of a fetched file: the stored one, or a scan started now (one scan however many requests ask at
     * once). The future completes when the scan does; callers may stream while they wait.
     */
    public CompletableFuture<ScanRecord> judge(Outcome.Ready fetched) {
        Optional<ScanRecord> known = known(fetched.sha256());
        if (known.isPresent()) {
            return CompletableFuture.completedFuture(known.get());
        }
        return singleFlight(scans, workers, fetched.sha256(), () -> scan(fetched.file(), fetched.sha256()));
    }

    /** Fetches the file and, when {@code scan}, waits for its verdict. */
    public Outcome prepare(IndexClient client, DistributionFile file, boolean scan) {
        Outcome fetched = fetch(client, file);
        if (!scan || !(fetched instanceof Outcome.Ready ready)) {
            return fetched;
        }
        boolean stored = known(ready.sha256()).isPresent();
        return new Outcome.Ready(ready.file(), ready.sha256(), Optional.of(judge(ready).join()), stored);
    }

    /** Runs {@code work} unless a run for {@code key} is in progress, whose result is then shared. */
    private <T> CompletableFuture<T> singleFlight(ConcurrentHashMap<String, CompletableFuture<T>> running,
                                                  ExecutorService pool, String key, Supplier<T> work) {
        CompletableFuture<T> mine = new CompletableFuture<>();
        CompletableFuture<T> other = running.putIfAbsent(key, mine);
        if (other != null) {
            metrics.joinedInFlight();
            return other;
        }
        CompletableFuture.supplyAsync(work, pool).whenComplete((value, error) -> {
            running.remove(key, mine);
            if (error != null) {
                mine.completeExceptionally(error instanceof CompletionException c ? c.getCause() : error);
            } else {
                mine.complete(value);
            }
        });
        return mine;
    }

    private Outcome download(IndexClient client, DistributionFile file) {
        Optional<String> listed = file.sha256().filter(h -> PackageSelector.SHA256.matcher(h).matches());
        if (listed.isPresent() && Files.isRegularFile(cachePath(listed.get(), file.filename()))) {
            return new Outcome.Ready(cachePath(listed.get(), file.filename()), listed.get(), Optional.empty(), false);
        }
        Path part;
        try {
            part = Files.createTempFile(cacheDir, "download-", ".part");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Fetch<Downloaded> got = client.download(file, part);
        if (!(got instanceof Fetch.Found<Downloaded> found)) {
            Fetch.Failed<Downloaded> failed = got instanceof Fetch.Failed<Downloaded> f ? f
                    : new Fetch.Failed<>(Fetch.Failure.BAD_RESPONSE, file.url() + ": HTTP "
                    + ((Fetch.Missing<Downloaded>) got).status() + " for a file the index lists");
            deleteQuietly(part);
            metrics.upstreamFailure(failed.kind());
            return new Outcome.Failed(failed.kind(), failed.message());
        }
        String sha256 = found.value().sha256();
        Path cached = cachePath(sha256, file.filename());
        try {
            Files.createDirectories(cached.getParent());
            Files.move(part, cached, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(part);
            throw new UncheckedIOException(e);
        }
        return new Outcome.Ready(cached, sha256, Optional.empty(), false);
    }

    private ScanRecord scan(Path file, String sha256) {
        scansStarted.incrementAndGet();
        long start = System.nanoTime();
        ScanResult result = scanner.scan(file);
        long nanos = System.nanoTime() - start;
        metrics.scanned(result.verdict(), nanos);
        ScanRecord record = ScanRecord.of(sha256, rulesVersion, result, TimeUnit.NANOSECONDS.toMillis(nanos));
        if (record.verdict() != Verdict.ERROR) {
            // an ERROR may be passing (out of memory under load, a timeout): the next request scans again
            try {
                store.save(record);
            } catch (SQLException e) {
                metrics.storeFailure();
            }
        }
        return record;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** {@code cache/ab/abcdef.../name.whl}: the scanner sees the file's own name, which tells wheels from sdists. */
    private Path cachePath(String sha256, String filename) {
        String last = filename.substring(Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\')) + 1);
        String safeName = last.isEmpty() || last.equals(".") || last.equals("..") ? "file" : last;
        return cacheDir.resolve(sha256.substring(0, 2)).resolve(sha256).resolve(safeName);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // a leftover .part file; harmless, removed with the cache directory
        }
    }

    @Override
    public void close() throws InterruptedException {
        downloaders.shutdown();
        workers.shutdown();
        downloaders.awaitTermination(30, TimeUnit.SECONDS);
        workers.awaitTermination(30, TimeUnit.SECONDS);
    }
}
