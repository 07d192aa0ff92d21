package dev.kingsnake;

/** Stable reason codes for everything that kept a scan from seeing all of its input. */
public enum DiagnosticCode {
    /** The input is not an archive or file we can read (random bytes, truncated, corrupt). */
    ARCHIVE_UNREADABLE,
    /** A configured limit (bytes, entries, ratio, depth, time, ...) cut the scan short; the result is partial. */
    LIMIT_EXCEEDED,
    /** An archive entry is encrypted and was not read. */
    ENCRYPTED_ENTRY,
    /** An entry path escapes the archive (../, absolute, NUL, drive letter). */
    UNSAFE_PATH,
    /** A symbolic or hard link entry; never followed. */
    LINK_ENTRY,
    /** A Python file, or part of it, did not parse. */
    PARSE_ERROR,
    /** A file's bytes could not be decoded in its declared encoding; a lenient decode was used. */
    ENCODING_ERROR,
    /** A rule threw; its findings for this package are lost, every other rule still ran. */
    RULE_FAILED,
    /** A payload could not be decoded further (unknown format, cut off by a decode limit). */
    DECODE_INCOMPLETE,
    /** The input could not be opened (missing file, permission denied). */
    IO_ERROR,
    /** The scanner itself failed on this input (a bug, or the JVM ran out of memory); no findings. */
    SCAN_FAILED
}
