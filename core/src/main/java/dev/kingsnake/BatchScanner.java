package dev.kingsnake;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Scans many packages in parallel with bounded memory, handing each result to a sink as soon as it
 * may be delivered.
 *
 * <p>At most {@code window} inputs are in flight (queued, being scanned, or finished but waiting for
 * delivery); {@link #submit(Path)} blocks while the window is full, so memory stays flat however many
 * inputs are fed in. The sink is called by one thread at a time (never concurrently), so it need not be
 * thread-safe. With {@link Order#COMPLETION} results are delivered as scans finish; with
 * {@link Order#INPUT} they are delivered in submission order, and a slow package holds back at most
 * {@code window - 1} finished ones behind it.
 *
 * <p>Every submitted input yields exactly one result: if {@link Scanner#scan(Path)} ever throws (a bug),
 * the result has verdict {@link Verdict#ERROR} and a {@link DiagnosticCode#SCAN_FAILED} diagnostic.
 *
 * <pre>{@code
 * try (BatchScanner batch = BatchScanner.builder(scanner).jobs(4).start(r -> System.out.println(r))) {
 *     for (Path p : paths) batch.submit(p);
 *     batch.finish();
 * }
 * }</pre>
 */
public final class BatchScanner implements AutoCloseable {
    /** The order in which results reach the sink. */
    public enum Order {
        /** As each scan completes: best throughput. */
        COMPLETION,
        /** In submission order, reordering within the window. */
        INPUT
    }

    private final Scanner scanner;
    private final Order order;
    private final int window;
    private final Semaphore permits;
    private final ExecutorService pool;
    private final Consumer<? super ScanResult> sink;
    private final Object deliveryLock = new Object();
    private final TreeMap<Long, ScanResult> waiting = new TreeMap<>();
    private long nextSubmitted;
    private long nextToDeliver;
    private volatile RuntimeException sinkFailure;
    private boolean finished;

    private BatchScanner(Builder b, Consumer<? super ScanResult> sink) {
        this.scanner = b.scanner;
        this.order = b.order;
        this.window = b.window > 0 ? b.window : b.jobs * 4;
        this.permits = new Semaphore(window);
        this.sink = Objects.requireNonNull(sink, "sink");
        AtomicInteger n = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "kingsnake-scan-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.pool = Executors.newFixedThreadPool(b.jobs, threads);
    }

    public static Builder builder(Scanner scanner) {
        return new Builder(scanner);
    }

    /**
     * Queues one input (anything {@link Scanner#scan(Path)} accepts); blocks while the window is full.
     *
     * @throws RuntimeException the sink's exception, if the sink has failed (no further results are delivered)
     */
    public void submit(Path input) throws InterruptedException {
        Objects.requireNonNull(input, "input");
        checkSink();
        if (finished) {
            throw new IllegalStateException("finish() was already called");
        }
        permits.acquire();
        long seq = nextSubmitted++;
        try {
            pool.execute(() -> deliver(seq, scanOne(input)));
        } catch (RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    /**
     * Waits until every submitted input has been delivered, then stops the worker threads.
     *
     * @throws RuntimeException the sink's exception, if the sink failed
     */
    public void finish() throws InterruptedException {
        if (!finished) {
            finished = true;
            permits.acquire(window);
            permits.release(window);
            pool.shutdown();
        }
        checkSink();
    }

    /** Stops the workers; results not yet delivered are dropped. Call {@link #finish()} first to keep them. */
    @Override
    public void close() {
        finished = true;
        pool.shutdownNow();
    }

    private ScanResult scanOne(Path input) {
        try {
            return scanner.scan(input);
        } catch (RuntimeException | Error e) {
            // any Error, not only OOM/SOE: a worker that died here would never release its window
            // permit, and finish() would wait forever
            return new ScanResult(input.toString(), "", "", PackageKind.UNKNOWN, Verdict.ERROR, 0, List.of(),
                    List.of(Diagnostic.of(DiagnosticCode.SCAN_FAILED, "scanner failed: " + e)), ScanStats.EMPTY);
        }
    }

    private void deliver(long seq, ScanResult result) {
        int delivered = 0;
        synchronized (deliveryLock) {
            if (order == Order.COMPLETION) {
                emit(result);
                delivered = 1;
            } else {
                waiting.put(seq, result);
                while (!waiting.isEmpty() && waiting.firstKey() == nextToDeliver) {
                    emit(waiting.pollFirstEntry().getValue());
                    nextToDeliver++;
                    delivered++;
                }
            }
        }
        permits.release(delivered);
    }

    private void emit(ScanResult result) {
        if (sinkFailure != null) {
            return;
        }
        try {
            sink.accept(result);
        } catch (RuntimeException e) {
            sinkFailure = e;
        }
    }

    private void checkSink() {
        RuntimeException e = sinkFailure;
        if (e != null) {
            throw e;
        }
    }

    public static final class Builder {
        private final Scanner scanner;
        private int jobs = Runtime.getRuntime().availableProcessors();
        private int window;
        private Order order = Order.COMPLETION;

        private Builder(Scanner scanner) {
            this.scanner = Objects.requireNonNull(scanner, "scanner");
        }

        /** Worker threads (default: available processors). */
        public Builder jobs(int jobs) {
            if (jobs < 1) {
                throw new IllegalArgumentException("jobs must be at least 1: " + jobs);
            }
            this.jobs = jobs;
            return this;
        }

        /** Inputs in flight at once (default: 4 per job). */
        public Builder window(int window) {
            if (window < 1) {
                throw new IllegalArgumentException("window must be at least 1: " + window);
            }
            this.window = window;
            return this;
        }

        public Builder order(Order order) {
            this.order = Objects.requireNonNull(order, "order");
            return this;
        }

        /** Starts the workers; {@code sink} receives every result, one call at a time. */
        public BatchScanner start(Consumer<? super ScanResult> sink) {
            return new BatchScanner(this, sink);
        }
    }
}
