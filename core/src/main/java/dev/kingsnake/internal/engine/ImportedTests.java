package dev.kingsnake.internal.engine;

import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.python.Stmt;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Files in test directories that shipped code imports. Scoring weighs tests lightly because installing or
 * importing a package does not run them; a module under {@code tests/} that the package's own code imports
 * runs all the same (a payload hidden as {@code pkg/tests/helper_test.py} and imported from
 * {@code pkg/__init__.py}), so it counts as shipped. Only test directories and test-named files are promoted:
 * documentation and examples are never imported by shipped code, and {@code testing} packages are public API.
 */
final class ImportedTests {
    private static final Pattern TEST_PATH = Pattern.compile(
            "(^|.*/)tests?/.*|(^|.*/)(test_[^/]*|[^/]*_test)\\.py");
    private static final int MAX_ROUNDS = 4;

    private ImportedTests() {
    }

    static Set<String> of(List<PythonFile> files) {
        Set<String> paths = new HashSet<>();
        for (PythonFile f : files) {
            if (f.decodeChain().isEmpty()) {
                paths.add(f.path());
            }
        }
        Set<String> promoted = new HashSet<>();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            boolean changed = false;
            for (PythonFile f : files) {
                String base = basePath(f.path());
                if (Scoring.isTestOrDocs(base) && !promoted.contains(base)) {
                    continue; // only shipped code (or tests it already imports) makes an import count
                }
                for (String target : targets(f, base, paths)) {
                    if (TEST_PATH.matcher(target.toLowerCase(Locale.ROOT)).matches() && Scoring.isTestOrDocs(target)
                            && promoted.add(target)) {
                        changed = true;
                    }
                }
            }
            if (!changed) {
                break;
            }
        }
        return promoted;
    }

    private static String basePath(String path) {
        int hash = path.indexOf('#');
        return hash < 0 ? path : path.substring(0, hash);
    }

    /** The package's files that the file's imports name (relative imports from its directory, absolute by suffix). */
    private static List<String> targets(PythonFile f, String base, Set<String> paths) {
        List<String> out = new ArrayList<>();
        String dir = base.contains("/") ? base.substring(0, base.lastIndexOf('/')) : "";
        for (Stmt s : f.imports()) {
            if (s instanceof Stmt.Import imp) {
                for (Stmt.Alias a : imp.names()) {
                    bySuffix(a.name(), paths, out);
                }
            } else if (s instanceof Stmt.ImportFrom from) {
                String module = from.module() == null ? "" : from.module();
                if (from.level() > 0) {
                    String d = dir;
                    for (int i = 1; i < from.level() && d.contains("/"); i++) {
                        d = d.substring(0, d.lastIndexOf('/'));
                    }
                    String prefix = module.isEmpty() ? d : d + "/" + module.replace('.', '/');
                    addModule(prefix, paths, out);
                    for (Stmt.Alias a : from.names()) {
                        addModule(prefix + "/" + a.name(), paths, out);
                    }
                } else if (!module.isEmpty()) {
                    bySuffix(module, paths, out);
                    for (Stmt.Alias a : from.names()) {
                        bySuffix(module + "." + a.name(), paths, out);
                    }
                }
            }
        }
        return out;
    }

    private static void addModule(String prefix, Set<String> paths, List<String> out) {
        for (String candidate : List.of(prefix + ".py", prefix + "/__init__.py")) {
            if (paths.contains(candidate)) {
                out.add(candidate);
            }
        }
    }

    private static void bySuffix(String dotted, Set<String> paths, List<String> out) {
        String rel = dotted.replace('.', '/');
        for (String p : paths) {
            if (p.endsWith("/" + rel + ".py") || p.endsWith("/" + rel + "/__init__.py") || p.equals(rel + ".py")) {
                out.add(p);
            }
        }
    }
}
