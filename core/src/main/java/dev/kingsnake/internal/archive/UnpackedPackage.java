package dev.kingsnake.internal.archive;

import dev.kingsnake.Diagnostic;
import dev.kingsnake.PackageKind;
import dev.kingsnake.spi.ParserDifferential;

import java.util.List;

/**
 * Everything read from one input.
 *
 * @param kind              what the input is
 * @param entries           regular files read, in archive order
 * @param diagnostics       what could not be read, and why
 * @param compressedBytes   size of the input as given
 * @param uncompressedBytes bytes of all entries read (including the parts streamed through and not kept)
 * @param readable          false when nothing at all could be read (the verdict is then ERROR)
 * @param differentials     where two ways of reading the archive disagree
 */
public record UnpackedPackage(PackageKind kind, List<ArchiveEntry> entries, List<Diagnostic> diagnostics,
                              long compressedBytes, long uncompressedBytes, boolean readable,
                              List<ParserDifferential> differentials) {
    public UnpackedPackage {
        entries = List.copyOf(entries);
        diagnostics = List.copyOf(diagnostics);
        differentials = List.copyOf(differentials);
    }
}
