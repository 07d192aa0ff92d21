package dev.kingsnake.internal.archive;

/**
 * One file read from a package, in memory.
 *
 * @param path       normalised path inside the package ("/" separators, no leading "./"); entries of nested
 *                   archives are prefixed with the nested archive's path and "!/"
 * @param rawPath    the path exactly as the archive wrote it
 * @param bytes      content as read (possibly cut off by a limit)
 * @param executable whether the archive marks it executable
 */
public record ArchiveEntry(String path, String rawPath, byte[] bytes, boolean executable) {
}
