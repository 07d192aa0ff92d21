package dev.kingsnake.index;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The index pip is configured to use, found the way pip finds it, without running pip: {@code PIP_INDEX_URL},
 * else {@code index-url} of the {@code [global]} (or {@code [install]}) section of the last configuration file
 * that sets it, files read in pip's order (site-wide {@code /etc/pip.conf} and {@code $XDG_CONFIG_DIRS/pip/pip.conf},
 * user {@code ~/.pip/pip.conf} and {@code ~/.config/pip/pip.conf}, {@code $VIRTUAL_ENV/pip.conf}, then
 * {@code PIP_CONFIG_FILE}); PyPI when nothing is configured.
 */
public final class PipIndexConfig {
    /** pip's default. */
    public static final URI PYPI = URI.create("https://pypi.org/simple/");

    private PipIndexConfig() {
    }

    public static URI indexUrl(Map<String, String> env, Path home) {
        String fromEnv = env.getOrDefault("PIP_INDEX_URL", "").strip();
        if (!fromEnv.isEmpty()) {
            return URI.create(fromEnv);
        }
        Optional<String> found = Optional.empty();
        for (Path file : configFiles(env, home)) {
            Optional<String> here = indexUrlIn(file);
            if (here.isPresent()) {
                found = here;
            }
        }
        return found.map(URI::create).orElse(PYPI);
    }

    static List<Path> configFiles(Map<String, String> env, Path home) {
        List<Path> files = new ArrayList<>();
        files.add(Path.of("/etc/pip.conf"));
        for (String dir : env.getOrDefault("XDG_CONFIG_DIRS", "/etc/xdg").split(":")) {
            if (!dir.isBlank()) {
                files.add(Path.of(dir, "pip", "pip.conf"));
            }
        }
        files.add(home.resolve(".pip/pip.conf"));
        String xdgHome = env.getOrDefault("XDG_CONFIG_HOME", "");
        files.add((xdgHome.isBlank() ? home.resolve(".config") : Path.of(xdgHome)).resolve("pip/pip.conf"));
        if (!env.getOrDefault("VIRTUAL_ENV", "").isBlank()) {
            files.add(Path.of(env.get("VIRTUAL_ENV"), "pip.conf"));
        }
        if (!env.getOrDefault("PIP_CONFIG_FILE", "").isBlank()) {
            files.add(Path.of(env.get("PIP_CONFIG_FILE")));
        }
        return files;
    }

    /** {@code index-url} (or {@code index_url}) of the {@code [global]} or {@code [install]} section. */
    static Optional<String> indexUrlIn(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException | SecurityException e) {
            return Optional.empty(); // absent or unreadable: pip skips it too
        }
        String section = "";
        Optional<String> found = Optional.empty();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1).strip();
            } else if ((section.equals("global") || section.equals("install")) && !line.startsWith("#")
                    && !line.startsWith(";")) {
                int eq = line.indexOf('=');
                int colon = line.indexOf(':');
                int sep = eq < 0 ? colon : colon < 0 ? eq : Math.min(eq, colon);
                if (sep > 0 && line.substring(0, sep).strip().replace('_', '-').equals("index-url")) {
                    found = Optional.of(line.substring(sep + 1).strip());
                }
            }
        }
        return found;
    }
}
