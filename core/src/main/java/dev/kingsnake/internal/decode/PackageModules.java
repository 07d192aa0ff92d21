package dev.kingsnake.internal.decode;

import dev.kingsnake.spi.PythonFile;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The package's own modules by path, so that a loader can read a table kept in a sibling module
 * ({@code from .charset import TABLE}; {@code from pkg.charset import TABLE}) the way Python would import it.
 */
public final class PackageModules {
    /** No module of the package is known (decoding one file alone). */
    static final PackageModules NONE = new PackageModules(List.of());

    private final Map<String, PythonFile> byPath;
    private final Runnable onLookUp;

    /** @param files the package's real Python files (decoded layers are not modules) */
    public PackageModules(List<PythonFile> files) {
        this(new HashMap<>(), () -> { });
        for (PythonFile f : files) {
            if (f.decodeChain().isEmpty()) {
                byPath.put(f.path(), f);
            }
        }
    }

    private PackageModules(Map<String, PythonFile> byPath, Runnable onLookUp) {
        this.byPath = byPath;
        this.onLookUp = onLookUp;
    }

    /**
     * The same modules, calling {@code onLookUp} whenever one is looked for: a file whose decoding looked for none
     * decoded the same in any package.
     */
    public PackageModules watched(Runnable onLookUp) {
        return new PackageModules(byPath, onLookUp);
    }

    /**
     * The file {@code from <level dots><module> import ...} in {@code importer} reads: relative to the importer's
     * directory for a relative import, else a package directory anywhere in the archive with that dotted path.
     */
    Optional<PythonFile> resolve(PythonFile importer, int level, String module) {
        onLookUp.run();
        String rel = module.isEmpty() ? "" : module.replace('.', '/');
        if (level > 0) {
            String dir = importer.path();
            for (int i = 0; i < level; i++) {
                int slash = dir.lastIndexOf('/');
                dir = slash < 0 ? "" : dir.substring(0, slash);
            }
            String base = dir.isEmpty() ? rel : rel.isEmpty() ? dir : dir + "/" + rel;
            return find(base);
        }
        for (String path : byPath.keySet()) {
            if (path.endsWith("/" + rel + ".py") || path.equals(rel + ".py")) {
                return Optional.of(byPath.get(path));
            }
        }
        return Optional.empty();
    }

    private Optional<PythonFile> find(String base) {
        PythonFile f = byPath.get(base + ".py");
        return f != null ? Optional.of(f) : Optional.ofNullable(byPath.get(base + "/__init__.py"));
    }
}
