package dev.kingsnake.internal.decode;

import dev.kingsnake.spi.PythonFile;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The package's own modules by path, so that a loader can read a table kept in a sibling module
 * ({@code from .charset import TABLE}; {@code from pkg.charset import TABLE}) the way Python would import it.
 */
public final class PackageModules {
    /** No module of the package is known (decoding one file alone). */
    static final PackageModules NONE = new PackageModules(List.of());

    private final Map<String, PythonFile> byPath;
    /**
     * What each absolute import found: a search of every path, once per module name rather than once per look-up
     * (torch's files import their siblings thousands of times).
     */
    private final Map<String, Optional<PythonFile>> absolute;
    private final Consumer<LookUp> onLookUp;

    /** One look-up: who imported what, and the file it found. */
    public record LookUp(PythonFile importer, int level, String module, Optional<PythonFile> found) {
    }

    /** @param files the package's real Python files (decoded layers are not modules) */
    public PackageModules(List<PythonFile> files) {
        this(new HashMap<>(), new ConcurrentHashMap<>(), lookUp -> { });
        for (PythonFile f : files) {
            if (f.decodeChain().isEmpty()) {
                byPath.put(f.path(), f);
            }
        }
    }

    private PackageModules(Map<String, PythonFile> byPath, Map<String, Optional<PythonFile>> absolute,
                           Consumer<LookUp> onLookUp) {
        this.byPath = byPath;
        this.absolute = absolute;
        this.onLookUp = onLookUp;
    }

    /**
     * The same modules, telling {@code onLookUp} of every look-up: a file's decoding is the same in any package where
     * the same look-ups find the same files.
     */
    public PackageModules watched(Consumer<LookUp> onLookUp) {
        return new PackageModules(byPath, absolute, onLookUp);
    }

    /** The package's real Python file at {@code path}. */
    public Optional<PythonFile> file(String path) {
        return Optional.ofNullable(byPath.get(path));
    }

    /**
     * The file {@code from <level dots><module> import ...} in {@code importer} reads: relative to the importer's
     * directory for a relative import, else a package directory anywhere in the archive with that dotted path.
     */
    public Optional<PythonFile> resolve(PythonFile importer, int level, String module) {
        Optional<PythonFile> found = find(importer, level, module);
        onLookUp.accept(new LookUp(importer, level, module, found));
        return found;
    }

    private Optional<PythonFile> find(PythonFile importer, int level, String module) {
        String rel = module.isEmpty() ? "" : module.replace('.', '/');
        if (level > 0) {
            String dir = importer.path();
            for (int i = 0; i < level; i++) {
                int slash = dir.lastIndexOf('/');
                dir = slash < 0 ? "" : dir.substring(0, slash);
            }
            String base = dir.isEmpty() ? rel : rel.isEmpty() ? dir : dir + "/" + rel;
            return at(base);
        }
        // NONE, shared by every scan, must not remember names
        return byPath.isEmpty() ? Optional.empty() : absolute.computeIfAbsent(rel, this::anywhere);
    }

    /** The first path, in the map's order, that ends with the module's dotted path. */
    private Optional<PythonFile> anywhere(String rel) {
        String file = rel + ".py";
        String nested = "/" + file;
        for (Map.Entry<String, PythonFile> e : byPath.entrySet()) {
            if (e.getKey().endsWith(nested) || e.getKey().equals(file)) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }

    private Optional<PythonFile> at(String base) {
        PythonFile f = byPath.get(base + ".py");
        return f != null ? Optional.of(f) : Optional.ofNullable(byPath.get(base + "/__init__.py"));
    }
}
