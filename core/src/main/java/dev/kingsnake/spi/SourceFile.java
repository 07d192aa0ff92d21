package dev.kingsnake.spi;

import dev.kingsnake.Limits;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

/** A file of the package, in memory. Decoded payload layers are files too ({@code setup.py#layer1}). */
public interface SourceFile {

    /** Path as it appears in the archive (normalised separators), plus {@code #layerN} for decoded layers. */
    String path();

    FileKind kind();

    /**
     * The raw bytes; shared for speed, never modify them. For a file that is not code or metadata (a native
     * library, data) and larger than 16 KiB, only its first bytes: such files are streamed through, see
     * {@link #size()} and {@link #sha256()}.
     */
    byte[] bytes();

    /** Bytes of the whole file (more than {@code bytes().length} when only its first bytes are kept). */
    default long size() {
        return bytes().length;
    }

    /** SHA-256 of the whole file; empty when a limit stopped reading it before its end. */
    default Optional<byte[]> sha256() {
        try {
            return Optional.of(MessageDigest.getInstance("SHA-256").digest(bytes()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /**
     * For a native binary (PE, ELF, Mach-O), the links it carries as text ({@code scheme://...}), found in its
     * first {@link dev.kingsnake.Limits#maxNativeScanBytes()} bytes while it streamed through: the binary itself
     * is never kept whole. In order of appearance, distinct, at most 64. Empty for every other file.
     */
    default List<String> embeddedLinks() {
        return List.of();
    }

    /** The content as text (declared encoding, else UTF-8, undecodable bytes replaced). */
    String text();

    /** True when the archive marks the entry executable. */
    boolean executable();

    /** For decoded layers, the decoding steps from the outer literal inwards; empty for real files. */
    List<String> decodeChain();

    /** For decoded layers, where the outermost encoded literal is; for real files, this file at line 0. */
    Location origin();

    /**
     * A fact about this file, computed on first use and shared by every rule that asks for it while the file
     * is scanned (see {@link dev.kingsnake.spi.facts}).
     */
    <T> T fact(FactKey<T> key);

    /** The limits the scanner was given: facts bound their own work by them. */
    default Limits limits() {
        return Limits.defaults();
    }

    /**
     * Tells the scan that a limit cut an analysis of this file short (a fact that stopped following calls or
     * values, say): the file gets a {@link dev.kingsnake.DiagnosticCode#LIMIT_EXCEEDED} diagnostic with this
     * message, once however often it is reported, and the scan is partial. Files the scanner builds record it;
     * others may ignore it.
     */
    default void limitReached(String message) {
    }

    /** The archive entry this file is, or was decoded from: {@code pkg/setup.py#layer2} is {@code pkg/setup.py}. */
    default String entryPath() {
        return entryPath(path());
    }

    /** The archive entry part of a file path: {@code pkg/setup.py#layer2} is {@code pkg/setup.py}. */
    static String entryPath(String path) {
        int hash = path.indexOf('#');
        return hash < 0 ? path : path.substring(0, hash);
    }
}
