package dev.kingsnake.spark;

import java.io.Serializable;
import java.util.Objects;

/**
 * One archive named by the manifest.
 *
 * @param location as written in the manifest (a local path, or a {@code file:}, {@code hdfs:}, {@code s3a:}
 *                 ... URI); it is the {@code input} field of the result, as a path given to the CLI is
 * @param size     bytes, or {@link #UNKNOWN_SIZE} until the file is looked at
 * @param sha256   hex digest, or {@link #UNKNOWN_SHA256} until the file is read
 */
public record ArchiveRef(String location, long size, String sha256) implements Serializable {
    public static final long UNKNOWN_SIZE = -1;
    public static final String UNKNOWN_SHA256 = "";

    public ArchiveRef {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(sha256, "sha256");
    }

    public static ArchiveRef of(String location) {
        return new ArchiveRef(location, UNKNOWN_SIZE, UNKNOWN_SHA256);
    }

    public boolean sizeKnown() {
        return size >= 0;
    }

    public boolean sha256Known() {
        return !sha256.isEmpty();
    }

    public ArchiveRef withSize(long bytes) {
        return new ArchiveRef(location, bytes, sha256);
    }

    public ArchiveRef withSha256(String hex) {
        return new ArchiveRef(location, size, hex);
    }
}
