package dev.kingsnake.report;

import dev.kingsnake.ScanResult;

import java.io.Closeable;
import java.io.IOException;

/**
 * Writes scan results in one report format as they arrive. Not thread-safe: call it from one thread
 * at a time (a {@link dev.kingsnake.BatchScanner} sink is). {@link #close()} flushes but leaves the
 * underlying stream open, so a writer can share {@code System.out}.
 */
public interface ReportWriter extends Closeable {
    /** Writes (or, for formats that group, records) one package's result and flushes it. */
    void result(ScanResult result) throws IOException;

    /** Writes what comes after the last result (summary, closing brackets). Call once, then close. */
    void finish(ScanSummary summary) throws IOException;
}
