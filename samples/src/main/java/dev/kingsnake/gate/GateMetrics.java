package dev.kingsnake.gate;

import dev.kingsnake.Verdict;
import dev.kingsnake.index.Fetch;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** The gate's counters and timers, scraped at {@code /metrics} in the Prometheus text format. */
public final class GateMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Timer fileLatency;

    public GateMetrics() {
        fileLatency = Timer.builder("kingsnake.gate.file.latency")
                .description("Time from a file request to its answer's first byte (download and scan included)")
                .publishPercentiles(0.5, 0.99).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
    }

    /** One decision about a file: served, refused, hidden or failed. */
    void decision(String action, String verdict) {
        Counter.builder("kingsnake.gate.decisions").description("Decisions about files, by action and verdict")
                .tag("action", action).tag("verdict", verdict).register(registry).increment();
    }

    /** One finished scan. */
    void scanned(Verdict verdict, long nanos) {
        Timer.builder("kingsnake.gate.scans").description("Files scanned (each file once per rules version)")
                .tag("verdict", verdict.name().toLowerCase(Locale.ROOT)).register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A request that waited for a download and scan another request had started. */
    void joinedInFlight() {
        registry.counter("kingsnake.gate.inflight.joined").increment();
    }

    void upstreamFailure(Fetch.Failure kind) {
        Counter.builder("kingsnake.gate.upstream.failures").description("Upstream requests that failed, by kind")
                .tag("kind", kind.name().toLowerCase(Locale.ROOT)).register(registry).increment();
    }

    void storeFailure() {
        registry.counter("kingsnake.gate.store.failures").increment();
    }

    void fileAnswered(long nanos) {
        fileLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }
}
