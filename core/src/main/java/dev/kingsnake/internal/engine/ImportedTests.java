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

    /** What this check needs of a Python file: kept after the file's model is dropped (large packages). */
    record Importer(String path, String entryPath, boolean decoded, List<Stmt> imports) {
        Importer {
            imports = List.copyOf(imports);
        }

        static Importer of(PythonFile f) {
            return new Importer(f.path(), f.entryPath(), !f.decodeChain().isEmpty(), f.imports());
        }
    }

    static Set<String> of(List<PythonFile> files) {
        return ofImporters(files.stream().map(Importer::of).toList());
    }

    static Set<String> ofImporters(List<Importer> files) {
        Set<String> paths = new HashSet<>();
        for (Importer f : files) {
            if (!f.decoded() && !f.path().contains("!/")) {
                paths.add(f.path()); // code inside nested archives is data to this package
            }
        }
        Set<String> promoted = new HashSet<>();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            boolean changed = false;
            for (Importer f : files) {
                String base = f.entryPath();
                if (!paths.contains(base) || Scoring.isTestOrDocs(base) && !promoted.contains(base)) {
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

    /** The package's files that the file's imports name (relative imports from its directory, absolute by suffix). */
    private static List<String> targets(Importer f, String base, Set<String> paths) {
        List<String> out = new ArrayList<>();
        String dir = base.contains("/") ? base.substring(0, base.lastIndexOf('/')) : "";
        for (Stmt s : f.imports()) {
            if (s instanceof Stmt.Import imp) {
                for (Stmt.Alias a : imp.names()) {
                    absolute(a.name(), base, paths, out);
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
                    absolute(module, base, paths, out);
                    for (Stmt.Alias a : from.names()) {
                        absolute(module + "." + a.name(), base, paths, out);
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

    /**
     * An absolute import of the package's own modules ({@code import pkg.tests.helper} from a file inside
     * {@code pkg/}): resolved under the directory that holds the importing file's top package. Imports of other
     * distributions (setuptools, a vendored copy in test data) are not this package's code.
     */
    private static void absolute(String dotted, String importer, Set<String> paths, List<String> out) {
        String top = dotted.contains(".") ? dotted.substring(0, dotted.indexOf('.')) : dotted;
        int at = importer.startsWith(top + "/") ? 0 : importer.indexOf("/" + top + "/") + 1;
        if (at < 0 || at == 0 && !importer.startsWith(top + "/")) {
            return;
        }
        addModule(importer.substring(0, at) + dotted.replace('.', '/'), paths, out);
    }
}
