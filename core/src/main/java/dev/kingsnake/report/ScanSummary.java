package dev.kingsnake.report;

import dev.kingsnake.ScanResult;
import dev.kingsnake.Verdict;

/**
 * Totals over a batch of scan results.
 *
 * @param packages          results counted
 * @param malicious         results with verdict MALICIOUS
 * @param suspicious        results with verdict SUSPICIOUS
 * @param benign            results with verdict BENIGN
 * @param errors            results with verdict ERROR (input unreadable)
 * @param partial           results cut short by a limit
 * @param findings          findings over all results
 * @param diagnostics       diagnostics over all results
 * @param compressedBytes   input bytes as given
 * @param uncompressedBytes bytes after decompression
 * @param pythonBytes       Python source bytes analysed
 * @param elapsedMillis     wall time of the whole batch
 */
public record ScanSummary(long packages, long malicious, long suspicious, long benign, long errors, long partial,
                          long findings, long diagnostics, long compressedBytes, long uncompressedBytes,
                          long pythonBytes, long elapsedMillis) {

    /** Adds results up; not thread-safe (feed it from a {@link dev.kingsnake.BatchScanner} sink). */
    public static final class Tally {
        private final long startNanos = System.nanoTime();
        private long packages;
        private long malicious;
        private long suspicious;
        private long benign;
        private long errors;
        private long partial;
        private long findings;
        private long diagnostics;
        private long compressedBytes;
        private long uncompressedBytes;
        private long pythonBytes;

        public void add(ScanResult r) {
            packages++;
            switch (r.verdict()) {
                case MALICIOUS -> malicious++;
                case SUSPICIOUS -> suspicious++;
                case BENIGN -> benign++;
                case ERROR -> errors++;
            }
            if (r.partial()) {
                partial++;
            }
            findings += r.findings().size();
            diagnostics += r.diagnostics().size();
            compressedBytes += r.stats().compressedBytes();
            uncompressedBytes += r.stats().uncompressedBytes();
            pythonBytes += r.stats().pythonBytes();
        }

        /** The totals so far; elapsed time counts from the tally's creation. */
        public ScanSummary summary() {
            return new ScanSummary(packages, malicious, suspicious, benign, errors, partial, findings, diagnostics,
                    compressedBytes, uncompressedBytes, pythonBytes, (System.nanoTime() - startNanos) / 1_000_000);
        }
    }

    /** Number of results with the given verdict. */
    public long count(Verdict v) {
        return switch (v) {
            case MALICIOUS -> malicious;
            case SUSPICIOUS -> suspicious;
            case BENIGN -> benign;
            case ERROR -> errors;
        };
    }
}
