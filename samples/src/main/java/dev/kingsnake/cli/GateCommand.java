package dev.kingsnake.cli;

import dev.kingsnake.Scanner;
import dev.kingsnake.gate.GatePolicy;
import dev.kingsnake.gate.GateServer;
import dev.kingsnake.gate.WarmUp;
import dev.kingsnake.index.IndexClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code kingsnake gate}: a package index proxy that scans every file before a client gets it. */
@Command(name = "gate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Serves the Simple API of --upstream (PEP 503 HTML and PEP 691 JSON) to pip and uv, scanning every "
                        + "file before it is served: MALICIOUS files are refused with 403 and the reason, and left "
                        + "out of index pages so resolvers fall back to an earlier release. Verdicts are kept by "
                        + "sha-256 in a database. Runs until stopped (SIGTERM/Ctrl-C: graceful stop).",
                ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped", "2:usage error, bad policy, or the port or database could not be opened"})
final class GateCommand implements Callable<Integer> {
    @ParentCommand
    KingsnakeCommand parent;

    @Option(names = "--upstream", required = true, paramLabel = "URL",
            description = "The index's Simple API root, e.g. https://pypi.org/simple/.")
    URI upstream;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Address to serve on. Default: ${DEFAULT-VALUE}.")
    String listen = "127.0.0.1:3141";

    @Option(names = "--config", paramLabel = "FILE", description = "Policy file (TOML), see README \"Put Kingsnake in front of pip\".")
    Path config;

    @Option(names = "--min-age", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Cooldown: hide and refuse files uploaded less than this long ago (3d, 12h). Overrides the policy file.")
    Duration minAge;

    @Option(names = "--private-upstream", paramLabel = "URL",
            description = "A private index: a project it has is never taken from --upstream (dependency confusion guard).")
    URI privateUpstream;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where the verdict database (verdicts.db) and downloaded files (cache/) live. Default: ${DEFAULT-VALUE}.")
    Path dataDir = Path.of("kingsnake-gate");

    @Option(names = "--db", paramLabel = "JDBC-URL",
            description = "Verdict database instead of DIR/verdicts.db, e.g. a server database shared by several gates.")
    String jdbcUrl;

    @Option(names = "--audit-log", paramLabel = "FILE",
            description = "Append one JSON line per decision to FILE. Default: standard output.")
    Path auditLog;

    @Option(names = "--upstream-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long the upstream may stay silent (before answering or within a body). Default: ${DEFAULT-VALUE}.")
    Duration upstreamTimeout = IndexClient.Settings.defaults().idleTimeout();

    @Option(names = "--upstream-attempts", paramLabel = "N",
            description = "Tries per upstream request (no connection, timeout, 429, 5xx). Default: ${DEFAULT-VALUE}.")
    int upstreamAttempts = IndexClient.Settings.defaults().attempts();

    @Option(names = "--max-file-size", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Largest file taken from the upstream. Default: ${DEFAULT-VALUE}.")
    ByteSize maxFileSize = new ByteSize(IndexClient.Settings.defaults().maxFileBytes());

    @Option(names = "--page-ttl", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long an upstream project page is reused. Default: ${DEFAULT-VALUE}.")
    Duration pageTtl = Duration.ofSeconds(60);

    @Option(names = "--stream-after", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "A scan still running after this long: stream the file meanwhile, holding back its last "
                    + "64 KiB (trickled to keep the client's read timeout at bay) until the verdict. Default: ${DEFAULT-VALUE}.")
    Duration streamAfter = Duration.ofSeconds(5);

    @Option(names = {"-j", "--jobs"}, paramLabel = "N",
            description = "Files scanned at once. Default: available processors (${DEFAULT-VALUE}).")
    int jobs = Runtime.getRuntime().availableProcessors();

    @Option(names = "--warm-up", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "At start, scan a synthetic package made in memory a few times on a background thread, so "
                    + "that the first real package finds the JIT warm; stops when the first real scan starts. "
                    + "Serving does not wait for it. Default: on (--no-warm-up: off).")
    boolean warmUp = true;

    @Mixin
    ScannerOptions scannerOptions;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = parent.err();
        int colon = listen.lastIndexOf(':');
        int port;
        try {
            port = Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (colon <= 0 || port < 0 || port > 65535) {
            err.println("kingsnake: --listen must be HOST:PORT, not '" + listen + "'");
            return KingsnakeCommand.EXIT_ERROR;
        }
        if (jobs < 1 || upstreamAttempts < 1 || streamAfter.isZero() || streamAfter.isNegative()) {
            err.println("kingsnake: --jobs and --upstream-attempts must be at least 1, --stream-after positive");
            return KingsnakeCommand.EXIT_ERROR;
        }
        GatePolicy policy = GatePolicy.defaults();
        if (config != null) {
            try {
                policy = GatePolicy.parse(Files.readString(config));
            } catch (IOException | IllegalArgumentException e) {
                err.println("kingsnake: " + config + ": " + KingsnakeCommand.message(e));
                return KingsnakeCommand.EXIT_ERROR;
            }
        }
        if (minAge != null) {
            policy = policy.withMinAge(minAge);
        }
        Scanner scanner = scannerOptions.scanner();
        Files.createDirectories(dataDir);
        String db = jdbcUrl != null ? jdbcUrl : "jdbc:sqlite:" + dataDir.resolve("verdicts.db").toAbsolutePath();
        Writer audit = auditLog == null
                ? new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8)
                : Files.newBufferedWriter(auditLog, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
        GateServer.Config cfg = new GateServer.Config(listen.substring(0, colon), port, upstream,
                Optional.ofNullable(privateUpstream), policy, db, dataDir.resolve("cache"), new BufferedWriter(audit),
                scanner, rulesVersion(scanner), new IndexClient.Settings(Duration.ofSeconds(5), upstreamTimeout,
                upstreamAttempts, Duration.ofMillis(200), maxFileSize.bytes()), jobs, pageTtl, Duration.ofSeconds(30),
                streamAfter);
        GateServer gate;
        try {
            gate = GateServer.start(cfg);
        } catch (Exception e) {
            err.println("kingsnake: cannot start the gate: " + KingsnakeCommand.message(e));
            return KingsnakeCommand.EXIT_ERROR;
        }
        err.println("kingsnake gate " + KingsnakeCommand.version() + " on http://" + listen.substring(0, colon) + ":"
                + gate.port() + "/simple/ in front of " + upstream
                + (privateUpstream == null ? "" : " (private: " + privateUpstream + ")"));
        if (warmUp) {
            // a scanner of its own: the gate's keeps per-file results, which the synthetic files must not take
            WarmUp.start(scannerOptions.scanner(), () -> gate.scansStarted() > 0);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            try {
                gate.close();
            } catch (Exception e) {
                err.println("kingsnake: gate stopped with an error: " + KingsnakeCommand.message(e));
            } finally {
                stopped.countDown();
            }
        }, "kingsnake-gate-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        gate.join();
        stopped.await();
        return KingsnakeCommand.EXIT_CLEAN;
    }

    /**
     * What a stored verdict depends on: Kingsnake's version, the threshold, the rules run and the limits. A change to
     * any of them re-scans files on their next request.
     */
    private String rulesVersion(Scanner scanner) {
        StringBuilder key = new StringBuilder().append(scanner.threshold()).append('|')
                .append(scannerOptions.limits()).append('|');
        scanner.rules().forEach(r -> key.append(r.id()).append(','));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.toString().getBytes(StandardCharsets.UTF_8));
            return KingsnakeCommand.version() + "+" + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
