package dev.kingsnake;

/**
 * Counters of one scan.
 *
 * @param files             files (archive entries) read, including nested archives' entries
 * @param pythonFiles       Python source files analysed (excluding decoded layers)
 * @param pythonBytes       bytes of Python source analysed
 * @param compressedBytes   bytes of the input as given (archive size)
 * @param uncompressedBytes bytes of all entries after decompression
 * @param elapsedMillis     wall time of the scan
 */
public record ScanStats(int files, int pythonFiles, long pythonBytes, long compressedBytes,
                        long uncompressedBytes, long elapsedMillis) {
    public static final ScanStats EMPTY = new ScanStats(0, 0, 0, 0, 0, 0);
}
