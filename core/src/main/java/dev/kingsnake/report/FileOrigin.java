package dev.kingsnake.report;

import java.util.Objects;

/**
 * Where a scanned file was downloaded from, for results of packages fetched by name from an index.
 *
 * @param url        the file's URL on the index
 * @param sha256     its sha-256, lower-case hex, as computed on download (and checked against the index's)
 * @param uploadTime when the index says it was uploaded (ISO-8601), or empty
 */
public record FileOrigin(String url, String sha256, String uploadTime) {
    public FileOrigin {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(sha256, "sha256");
        uploadTime = uploadTime == null ? "" : uploadTime;
    }
}
