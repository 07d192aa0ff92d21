package dev.kingsnake.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The pinned projects of a requirements file or a lock file: {@code requirements.txt} (pip's format:
 * {@code name==version} lines, options, comments and environment markers skipped), {@code pylock.toml} (PEP 751,
 * {@code [[packages]]}), {@code uv.lock} and {@code poetry.lock} ({@code [[package]]}). Which format a file is comes
 * from its name: {@code *.lock} and {@code *.toml} as named, anything else is a requirements file.
 */
public final class LockFileReader {
    private static final TomlMapper TOML = new TomlMapper();

    /** What a file yields: the projects, and the lines it could not use (reported, not fatal). */
    public record Contents(List<PinnedRequirement> requirements, List<String> skipped) {
        public Contents {
            requirements = List.copyOf(requirements);
            skipped = List.copyOf(skipped);
        }
    }

    private LockFileReader() {
    }

    public static Contents read(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (name.endsWith(".toml") || name.endsWith(".lock")) {
            return toml(TOML.readTree(text), name.startsWith("pylock") ? "packages" : "package");
        }
        return requirements(text);
    }

    static Contents toml(JsonNode root, String table) {
        List<PinnedRequirement> out = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (JsonNode p : root.path(table)) {
            String pkg = p.path("name").asText("");
            String version = p.path("version").asText("");
            // uv.lock marks the project itself and path dependencies with a non-registry source
            boolean local = p.path("source").has("editable") || p.path("source").has("directory")
                    || p.path("source").has("virtual") || p.path("source").has("path")
                    || p.has("directory") || p.has("archive") && !p.path("archive").has("url");
            if (pkg.isEmpty() || version.isEmpty() || local) {
                skipped.add(pkg.isEmpty() ? p.toString() : pkg + " (no version from an index)");
                continue;
            }
            Optional<PinnedRequirement> r = PinnedRequirement.parse(pkg + "==" + version);
            if (r.isPresent()) {
                out.add(r.get());
            } else {
                skipped.add(pkg + " " + version);
            }
        }
        return new Contents(out, skipped);
    }

    static Contents requirements(String text) {
        List<PinnedRequirement> out = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        String joined = text.replace("\\\r\n", " ").replace("\\\n", " ");
        for (String raw : joined.split("\r?\n")) {
            String line = raw.replaceAll("(^|\\s)#.*$", "").strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("-")) {
                skipped.add(line); // pip options (-r, -c, -e, --index-url ...) are not followed
                continue;
            }
            int marker = line.indexOf(';');
            String requirement = (marker < 0 ? line : line.substring(0, marker)).replaceAll("\\s--hash=\\S+", "");
            Optional<PinnedRequirement> r = PinnedRequirement.parse(requirement);
            if (r.isPresent()) {
                out.add(r.get());
            } else {
                skipped.add(line);
            }
        }
        return new Contents(out, skipped);
    }
}
