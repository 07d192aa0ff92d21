package dev.kingsnake.index;

import java.net.URI;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * One file of a project as an index lists it.
 *
 * @param filename       the file's name ({@code pkg-1.0-py3-none-any.whl}, {@code pkg-1.0.tar.gz})
 * @param url            where to download it, resolved against the page it was listed on, without fragment
 * @param hashes         hash algorithm (lower case, e.g. {@code sha256}) to lower-case hex digest
 * @param requiresPython the {@code requires-python} specifier, if given
 * @param yanked         present when the file is yanked (PEP 592), holding the reason (possibly empty)
 * @param uploadTime     when the file was uploaded (PEP 700), if given
 * @param size           the file's size in bytes (PEP 700), if given
 * @param coreMetadata   present when the index serves the file's metadata at {@code url + ".metadata"}
 *                       (PEP 658/714), holding that metadata file's hashes (possibly none)
 */
public record DistributionFile(
        String filename,
        URI url,
        Map<String, String> hashes,
        Optional<String> requiresPython,
        Optional<String> yanked,
        Optional<Instant> uploadTime,
        OptionalLong size,
        Optional<Map<String, String>> coreMetadata) {

    public DistributionFile {
        Objects.requireNonNull(filename, "filename");
        Objects.requireNonNull(url, "url");
        hashes = Map.copyOf(lowerCase(hashes));
        Objects.requireNonNull(requiresPython, "requiresPython");
        Objects.requireNonNull(yanked, "yanked");
        Objects.requireNonNull(uploadTime, "uploadTime");
        Objects.requireNonNull(size, "size");
        coreMetadata = coreMetadata.map(h -> Map.copyOf(lowerCase(h)));
    }

    /** The sha-256 the index gives for the file, lower-case hex. */
    public Optional<String> sha256() {
        return Optional.ofNullable(hashes.get("sha256"));
    }

    /** The URL of the file's core metadata (PEP 658), when the index serves it. */
    public Optional<URI> coreMetadataUrl() {
        return coreMetadata.map(h -> URI.create(url + ".metadata"));
    }

    /**
     * The version in the file name, given the project's name: the part after the name up to the next {@code -}
     * for a wheel or egg, up to the archive extension for an sdist. Empty when the file name does not start with
     * the project's name (compared after PEP 503 normalisation).
     */
    public Optional<String> version(String projectName) {
        String want = ProjectName.normalize(projectName);
        String base = stripExtension(filename);
        int dash = -1;
        while ((dash = base.indexOf('-', dash + 1)) > 0) {
            if (ProjectName.normalize(base.substring(0, dash)).equals(want)) {
                String rest = base.substring(dash + 1);
                boolean builtDistribution = filename.endsWith(".whl") || filename.endsWith(".egg");
                int end = builtDistribution ? rest.indexOf('-') : -1;
                String version = end < 0 ? rest : rest.substring(0, end);
                return version.isEmpty() ? Optional.empty() : Optional.of(version);
            }
        }
        return Optional.empty();
    }

    private static String stripExtension(String name) {
        for (String ext : new String[] {".tar.gz", ".tar.bz2", ".tar.xz", ".tgz", ".zip", ".whl", ".egg", ".tar"}) {
            if (name.toLowerCase(Locale.ROOT).endsWith(ext)) {
                return name.substring(0, name.length() - ext.length());
            }
        }
        return name;
    }

    private static Map<String, String> lowerCase(Map<String, String> hashes) {
        Map<String, String> out = new TreeMap<>();
        hashes.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v.toLowerCase(Locale.ROOT)));
        return out;
    }
}
