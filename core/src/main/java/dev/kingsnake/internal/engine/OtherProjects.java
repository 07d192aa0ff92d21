package dev.kingsnake.internal.engine;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Directories of an sdist that hold a project of their own: below a root that has its own {@code setup.py} or
 * {@code pyproject.toml}, a directory with another {@code setup.py}/{@code pyproject.toml} and no
 * {@code __init__.py} on the way down (repository tooling, vendored or example projects of a monorepo). pip
 * builds and installs the root project only, so installing the package neither runs nor installs their code.
 * A directory inside a Python package never counts: the package is installed whole, whatever it holds.
 */
final class OtherProjects {
    private static final Set<String> PROJECT_FILES = Set.of("setup.py", "pyproject.toml");

    private OtherProjects() {
    }

    /** The other projects' directories, each ending in '/'. */
    static Set<String> of(List<String> paths) {
        Set<String> dirsWithProjectFile = new HashSet<>();
        Set<String> packageDirs = new HashSet<>();
        for (String p : paths) {
            int slash = p.lastIndexOf('/');
            if (slash < 0 || p.contains("!/")) {
                continue;
            }
            String dir = p.substring(0, slash + 1);
            String name = p.substring(slash + 1);
            if (PROJECT_FILES.contains(name)) {
                dirsWithProjectFile.add(dir);
            } else if (name.equals("__init__.py")) {
                packageDirs.add(dir);
            }
        }
        Set<String> out = new HashSet<>();
        for (String dir : dirsWithProjectFile) {
            int first = dir.indexOf('/');
            String root = dir.substring(0, first + 1);
            if (dir.equals(root) || !dirsWithProjectFile.contains(root) || insidePackage(dir, root, packageDirs)) {
                continue;
            }
            out.add(dir);
        }
        return out;
    }

    /** The directory or one between it and the root is a Python package. */
    private static boolean insidePackage(String dir, String root, Set<String> packageDirs) {
        for (String d = dir; d.length() > root.length(); d = d.substring(0, d.lastIndexOf('/', d.length() - 2) + 1)) {
            if (packageDirs.contains(d)) {
                return true;
            }
        }
        return false;
    }

    static boolean contains(Set<String> projects, String path) {
        for (String dir : projects) {
            if (path.startsWith(dir)) {
                return true;
            }
        }
        return false;
    }
}
