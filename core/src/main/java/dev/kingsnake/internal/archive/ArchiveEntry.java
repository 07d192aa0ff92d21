package dev.kingsnake.internal.archive;

import java.util.List;
import java.util.Optional;

/**
 * One file read from a package.
 *
 * @param path       normalised path inside the package ("/" separators, no leading "./"); entries of nested
 *                   archives are prefixed with the nested archive's path and "!/"
 * @param rawPath    the path exactly as the archive wrote it
 * @param bytes      content kept in memory: all of it for code and metadata (unless a limit cut it), only the
 *                   first bytes of anything else (native libraries, data), which is streamed through
 * @param executable whether the archive marks it executable
 * @param size       bytes the entry holds (read through to its end, or up to where a limit stopped reading)
 * @param sha256     SHA-256 of the whole entry; empty when a limit stopped reading it before its end
 * @param links      links a native binary carries as text, found while it streamed through; empty otherwise
 */
public record ArchiveEntry(String path, String rawPath, byte[] bytes, boolean executable, long size,
                           Optional<byte[]> sha256, List<String> links) {

    public ArchiveEntry {
        links = List.copyOf(links);
    }

    /** Whether {@link #bytes} holds the whole entry. */
    public boolean whole() {
        return bytes.length == size;
    }
}
