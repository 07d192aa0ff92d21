package dev.kingsnake.internal.engine;

import dev.kingsnake.Finding;
import dev.kingsnake.internal.archive.ArchiveEntry;
import dev.kingsnake.internal.decode.PackageModules;
import dev.kingsnake.internal.python.ParseOutcome;
import dev.kingsnake.spi.PythonFile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One package's use of the {@link FileResultCache}: which of its Python files were found there (hits: not decoded
 * or checked by the per-file rules again) and which may be stored once the rules have run (candidates, dropped as
 * soon as anything shows their results depend on more than the key).
 */
final class FileReuse {
    /** A package that uses no cache (grouped analysis, benchmarks). */
    static final FileReuse NONE = new FileReuse(Optional.empty(), List.of(), false);

    private final Optional<FileResultCache> cache;
    private final boolean built;
    private final String root;
    private final Set<String> repeatedPaths = new HashSet<>();
    /** The SHA-256 of each whole entry, by path: what a module look-up found is compared by content. */
    private final Map<String, String> sha256ByPath = new HashMap<>();
    private final Map<PythonFile, FileResultCache.Entry> hits = new IdentityHashMap<>();
    private final Map<PythonFile, Candidate> candidates = new IdentityHashMap<>();
    /** Candidates whose decoding ran and found nothing: one that was never decoded (a failure) is never kept. */
    private final Set<PythonFile> decodedToNothing = java.util.Collections.newSetFromMap(new IdentityHashMap<>());

    /** A file whose results may be stored: its key, parse, and the findings of each per-file rule so far. */
    private record Candidate(FileResultCache.Key key, ParseOutcome parse, List<FileResultCache.Dependency> modules,
                             Map<String, List<Finding>> byRule, long sourceBytes) {
    }

    FileReuse(Optional<FileResultCache> cache, List<ArchiveEntry> entries, boolean built) {
        this.cache = cache;
        this.built = built;
        this.root = commonRoot(entries);
        Set<String> seen = new HashSet<>();
        for (ArchiveEntry e : entries) {
            if (!seen.add(e.path())) {
                repeatedPaths.add(e.path());
            }
            e.sha256().ifPresent(sha -> sha256ByPath.put(e.path(), HexFormat.of().formatHex(sha)));
        }
    }

    /**
     * The first directory of every entry ({@code name-version/} of an sdist), else {@code ""}: files in the same
     * place below it are in the same place of their package.
     */
    private static String commonRoot(List<ArchiveEntry> entries) {
        String root = null;
        for (ArchiveEntry e : entries) {
            int slash = e.path().indexOf('/');
            String first = slash < 0 ? "" : e.path().substring(0, slash + 1);
            if (root == null) {
                root = first;
            } else if (!root.equals(first)) {
                return "";
            }
        }
        return root == null || root.contains("!") ? "" : root;
    }

    /** The entry's key, when it may be looked up: whole, not too big, its path unique in the package. */
    Optional<FileResultCache.Key> key(ArchiveEntry e) {
        if (cache.isEmpty() || !e.whole() || e.sha256().isEmpty() || e.bytes().length > FileResultCache.MAX_FILE_BYTES
                || repeatedPaths.contains(e.path()) || !e.path().startsWith(root)) {
            return Optional.empty();
        }
        return Optional.of(FileResultCache.Key.of(e.sha256().get(), e.path().substring(root.length()), built));
    }

    Optional<FileResultCache.Entry> look(FileResultCache.Key key) {
        return cache.flatMap(c -> c.get(key));
    }

    void hit(PythonFile file, FileResultCache.Entry entry) {
        hits.put(file, entry);
    }

    void candidate(PythonFile file, FileResultCache.Key key, ParseOutcome parse, long sourceBytes) {
        candidates.put(file, new Candidate(key, parse, new ArrayList<>(), new HashMap<>(), sourceBytes));
    }

    /** True for a file found in the cache: its decoding found nothing, and its per-file findings are kept. */
    boolean isHit(PythonFile file) {
        return hits.containsKey(file);
    }

    /**
     * Whether a hit's decoding holds here: its module look-ups, made again in this package, find files of the same
     * content in the same places. If not, the file is no longer a hit (it is decoded and checked as usual).
     */
    boolean confirmed(PythonFile file, PackageModules modules) {
        for (FileResultCache.Dependency d : hits.get(file).dependencies()) {
            Optional<PythonFile> importer = modules.file(root + d.importer());
            if (importer.isEmpty() || !found(modules.resolve(importer.get(), d.level(), d.module())).equals(d.found())) {
                hits.remove(file);
                return false;
            }
        }
        return true;
    }

    /** A candidate was decoded to nothing, with these module look-ups; kept only if they stay in the package. */
    void decoded(PythonFile file, List<PackageModules.LookUp> lookUps) {
        Candidate c = candidates.get(file);
        if (c == null) {
            return;
        }
        for (PackageModules.LookUp l : lookUps) {
            if (!l.importer().path().startsWith(root) || l.found().filter(f -> !f.path().startsWith(root)
                    || !sha256ByPath.containsKey(f.path()) || repeatedPaths.contains(f.path())).isPresent()) {
                candidates.remove(file);
                return;
            }
            c.modules().add(new FileResultCache.Dependency(l.importer().path().substring(root.length()), l.level(),
                    l.module(), found(l.found())));
        }
        decodedToNothing.add(file);
    }

    /**
     * A module found, by its path below the root (every entry's path starts with the root) and its content ("" for
     * an entry not read whole, which no kept look-up found).
     */
    private Optional<FileResultCache.Found> found(Optional<PythonFile> file) {
        return file.map(f -> new FileResultCache.Found(f.path().substring(root.length()),
                sha256ByPath.getOrDefault(f.path(), "")));
    }

    boolean isCandidate(PythonFile file) {
        return candidates.containsKey(file);
    }

    /** The kept findings of {@code ruleId} on a hit file. */
    List<Finding> keptFindings(PythonFile file, String ruleId) {
        return hits.get(file).findings(ruleId, root);
    }

    /** What one per-file rule reported on a candidate, and whether it consulted the package context to do so. */
    void checked(PythonFile file, String ruleId, List<Finding> reported, boolean consultedContext) {
        Candidate c = candidates.get(file);
        if (c == null) {
            return;
        }
        if (consultedContext) {
            candidates.remove(file);
            return;
        }
        List<Finding> relative = new ArrayList<>(reported.size());
        for (Finding f : reported) {
            boolean mentionsRoot = !root.isEmpty() && (f.message().contains(root) || f.evidence().contains(root));
            if (!f.file().equals(file.path()) || mentionsRoot) {
                candidates.remove(file);
                return;
            }
            relative.add(FileResultCache.withFile(f, f.file().substring(root.length())));
        }
        c.byRule().put(ruleId, List.copyOf(relative));
    }

    /** The file's results depend on more than its key (its decoding found or asked for something). */
    void drop(PythonFile file) {
        candidates.remove(file);
    }

    /** The rules did not all run to the end (a failure, the deadline): nothing of this package is kept. */
    void dropAll() {
        candidates.clear();
    }

    /** Keeps the candidates that are left. */
    void store() {
        cache.ifPresent(c -> candidates.forEach((file, k) -> {
            if (decodedToNothing.contains(file)) {
                c.put(k.key(), new FileResultCache.Entry(k.parse(), k.modules(), k.byRule(), k.sourceBytes()));
            }
        }));
    }
}
