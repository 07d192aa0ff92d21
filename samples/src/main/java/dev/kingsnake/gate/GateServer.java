package dev.kingsnake.gate;

import dev.kingsnake.Scanner;
import dev.kingsnake.index.IndexClient;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;

import java.io.Writer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A running gate: Jetty on {@code host:port} in front of the upstream index. {@link #close()} stops it gracefully:
 * it stops accepting, lets requests in progress finish (up to the stop timeout), then closes the store and the
 * audit log.
 */
public final class GateServer implements AutoCloseable {

    /**
     * Everything a gate needs.
     *
     * @param host           address to listen on
     * @param port           port (0: any free one, see {@link #port()})
     * @param upstream       the public index's Simple API root
     * @param privateUpstream an index whose projects are never taken from the public one
     * @param policy         what is let through
     * @param jdbcUrl        verdict store
     * @param cacheDir       where downloaded files are kept
     * @param audit          where audit lines go
     * @param scanner        the scanner
     * @param rulesVersion   key of the scanner's verdicts in the store
     * @param client         upstream client settings
     * @param jobs           scans run at once
     * @param pageTtl        how long an upstream project page is reused
     * @param stopTimeout    how long a graceful stop waits for requests in progress
     * @param streamAfter    how long a file request waits for a scan before streaming the file while it runs
     */
    public record Config(String host, int port, URI upstream, Optional<URI> privateUpstream, GatePolicy policy,
                         String jdbcUrl, Path cacheDir, Writer audit, Scanner scanner, String rulesVersion,
                         IndexClient.Settings client, int jobs, Duration pageTtl, Duration stopTimeout,
                         Duration streamAfter) {
        public Config {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(upstream, "upstream");
            Objects.requireNonNull(privateUpstream, "privateUpstream");
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(jdbcUrl, "jdbcUrl");
            Objects.requireNonNull(cacheDir, "cacheDir");
            Objects.requireNonNull(audit, "audit");
            Objects.requireNonNull(scanner, "scanner");
            Objects.requireNonNull(rulesVersion, "rulesVersion");
            Objects.requireNonNull(client, "client");
            Objects.requireNonNull(pageTtl, "pageTtl");
            Objects.requireNonNull(stopTimeout, "stopTimeout");
            if (streamAfter.isNegative() || streamAfter.isZero()) {
                throw new IllegalArgumentException("streamAfter must be positive: " + streamAfter);
            }
            if (jobs < 1) {
                throw new IllegalArgumentException("jobs must be at least 1: " + jobs);
            }
        }
    }

    private final Server server;
    private final ServerConnector connector;
    private final VerdictStore store;
    private final Inspections inspections;
    private final AuditLog audit;

    private GateServer(Server server, ServerConnector connector, VerdictStore store, Inspections inspections,
                       AuditLog audit) {
        this.server = server;
        this.connector = connector;
        this.store = store;
        this.inspections = inspections;
        this.audit = audit;
    }

    /** Opens the store, binds the port and starts serving. */
    public static GateServer start(Config config) throws Exception {
        VerdictStore store = VerdictStore.open(config.jdbcUrl());
        GateMetrics metrics = new GateMetrics();
        Inspections inspections = new Inspections(store, config.scanner(), config.rulesVersion(), config.cacheDir(),
                metrics, config.jobs());
        Upstreams upstreams = new Upstreams(new IndexClient(config.upstream(), config.client()),
                config.privateUpstream().map(u -> new IndexClient(u, config.client())), config.pageTtl());
        AuditLog audit = new AuditLog(config.audit());
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(config.host());
        connector.setPort(config.port());
        server.addConnector(connector);
        server.setHandler(new GracefulHandler(new GateHandler(upstreams, inspections, config.policy(), audit, metrics,
                Clock.systemUTC(), config.streamAfter())));
        server.setStopTimeout(config.stopTimeout().toMillis());
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            inspections.close();
            store.close();
            throw e;
        }
        return new GateServer(server, connector, store, inspections, audit);
    }

    /** The port it listens on. */
    public int port() {
        return connector.getLocalPort();
    }

    /** Packages scanned or being scanned since the start (a stored verdict needs no scan). */
    public long scansStarted() {
        return inspections.scansStarted();
    }

    /** Blocks until the server stops. */
    public void join() throws InterruptedException {
        server.join();
    }

    @Override
    public void close() throws Exception {
        try {
            server.stop();
        } finally {
            inspections.close();
            store.close();
            audit.close();
        }
    }
}
