package dev.kingsnake.internal.engine;

import dev.kingsnake.Finding;
import dev.kingsnake.internal.python.ParseOutcome;

import java.lang.ref.SoftReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The per-file results of Python files, reused for byte-identical files later in the same process: campaigns and
 * vendored copies repeat files (in the first 1,004 packages of the development corpus 1,818 of 5,337 Python files,
 * 14.7 of 72 MB, repeat one seen before). What is kept is the parse and, per per-file rule, the findings; a file that
 * hits is neither parsed, decoded nor checked by those rules again (its model is still built from the kept parse,
 * for the package rules and the other files' decoding).
 *
 * <p>A file's results depend on more than its bytes, so the key holds everything else its own analysis reads: its
 * path below the package's root directory (the {@code name-version/} of an sdist; reach, {@code __init__.py} and
 * {@code setup.py} depend on it) and whether the package is built on install. The engine stores an entry only when
 * the results provably came from the key alone (see {@link ScanEngine}): no parse diagnostic, decoding found
 * nothing and asked for no decode budget, and no per-file rule consulted the package context, failed, or reported
 * outside the file or with the root directory in its text. Decoding may have looked up sibling modules: an entry
 * is used only where the same look-ups find files of the same content in the same places. Bounded by the source
 * bytes it holds (least recently used entries go first), and softly held, so it never costs a scan its heap.
 */
final class FileResultCache {
    /** Source bytes held at most: about ten times as much heap for the parses. */
    static final long DEFAULT_MAX_SOURCE_BYTES = 8L << 20;
    /** Larger files are not kept: one such file would push out many small repeated ones. */
    static final int MAX_FILE_BYTES = 512 << 10;

    /** What a file's own analysis reads besides the package context. */
    record Key(String sha256, String pathBelowRoot, boolean built) {
        static Key of(byte[] sha256, String pathBelowRoot, boolean built) {
            return new Key(HexFormat.of().formatHex(sha256), pathBelowRoot, built);
        }
    }

    /**
     * A module its decoding looked up ({@code from .table import KEY}), by paths below the package root, and the
     * file it found there (by path and content), if any: the decoding holds where the same look-ups find the same.
     */
    record Dependency(String importer, int level, String module, Optional<Found> found) {
    }

    record Found(String path, String sha256) {
    }

    /**
     * A file's parse, the modules its decoding looked up, and by rule id its per-file findings with the path below
     * the package root as file.
     */
    record Entry(ParseOutcome parse, List<Dependency> dependencies, Map<String, List<Finding>> findingsByRule,
                 long sourceBytes) {
        Entry {
            dependencies = List.copyOf(dependencies);
            findingsByRule = Map.copyOf(findingsByRule);
        }

        /** The findings of {@code ruleId} for the same file under {@code root}. */
        List<Finding> findings(String ruleId, String root) {
            List<Finding> kept = findingsByRule.getOrDefault(ruleId, List.of());
            List<Finding> out = new ArrayList<>(kept.size());
            for (Finding f : kept) {
                out.add(withFile(f, root + f.file()));
            }
            return out;
        }
    }

    private final long maxSourceBytes;
    /** Softly held: under memory pressure the collector clears entries before a scan could run out of heap. */
    private final LinkedHashMap<Key, SoftReference<Entry>> entries = new LinkedHashMap<>(64, 0.75f, true);
    private final Map<Key, Long> sizes = new HashMap<>();
    private long sourceBytes;
    private long hits;
    private long misses;

    FileResultCache(long maxSourceBytes) {
        this.maxSourceBytes = maxSourceBytes;
    }

    synchronized Optional<Entry> get(Key key) {
        SoftReference<Entry> ref = entries.get(key);
        Entry e = ref == null ? null : ref.get();
        if (e == null) {
            misses++;
            if (ref != null) {
                remove(key);
            }
        } else {
            hits++;
        }
        return Optional.ofNullable(e);
    }

    synchronized void put(Key key, Entry entry) {
        if (entry.sourceBytes() > maxSourceBytes) {
            return;
        }
        remove(key);
        entries.put(key, new SoftReference<>(entry));
        sizes.put(key, entry.sourceBytes());
        sourceBytes += entry.sourceBytes();
        while (sourceBytes > maxSourceBytes) {
            remove(entries.keySet().iterator().next());
        }
    }

    private void remove(Key key) {
        if (entries.remove(key) != null) {
            sourceBytes -= sizes.remove(key);
        }
    }

    synchronized long hits() {
        return hits;
    }

    synchronized long misses() {
        return misses;
    }

    static Finding withFile(Finding f, String file) {
        return new Finding(f.ruleId(), f.severity(), f.confidence(), file, f.line(), f.column(), f.message(),
                f.evidence(), f.reach(), f.decodeChain(), f.context());
    }
}
