package dev.kingsnake.index;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A file written to local storage by {@link IndexClient#download}.
 *
 * @param path   where it was written
 * @param sha256 its sha-256, lower-case hex, as computed while it was written
 * @param size   its size in bytes
 */
public record Downloaded(Path path, String sha256, long size) {
    public Downloaded {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
    }
}
