package dev.kingsnake.spi;

import dev.kingsnake.PackageKind;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the package says about itself.
 *
 * @param fileName   the input's file name (no directories), or the name given to the scanner
 * @param kind       sdist, wheel, egg, ...
 * @param name       from PKG-INFO/METADATA, else guessed from the file name; empty if unknown
 * @param version    likewise
 * @param metadata   the PKG-INFO/METADATA headers (keys as written, values in order); empty if none
 * @param metadataPath path of the metadata file inside the package; empty if none
 */
public record PackageInfo(String fileName, PackageKind kind, String name, String version,
                          Map<String, List<String>> metadata, String metadataPath) {
    public PackageInfo {
        metadata = Map.copyOf(metadata);
    }

    /** First value of a header, matched case-insensitively. */
    public Optional<String> header(String key) {
        for (Map.Entry<String, List<String>> e : metadata.entrySet()) {
            if (e.getKey().equalsIgnoreCase(key) && !e.getValue().isEmpty()) {
                return Optional.of(e.getValue().get(0));
            }
        }
        return Optional.empty();
    }
}
