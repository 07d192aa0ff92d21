package dev.kingsnake.spark;

import dev.kingsnake.index.DistributionFile;
import dev.kingsnake.index.Fetch;
import dev.kingsnake.index.IndexClient;
import dev.kingsnake.index.ProjectPage;

import java.io.Serializable;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns project names into archives to scan by asking a Simple API index ({@code --index URL --names FILE}),
 * on executors, one project page per name. Every file the page lists becomes an archive, with the size and
 * sha-256 the index gives (so a rescan skips it without downloading); a project the index cannot list becomes
 * an {@link Unlisted} that ends as an ERROR result rather than vanishing.
 */
final class IndexListing implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ConcurrentHashMap<URI, IndexClient> CLIENTS = new ConcurrentHashMap<>();

    private final URI root;

    IndexListing(URI root) {
        this.root = Objects.requireNonNull(root, "root");
    }

    /** What one name yields. */
    sealed interface Listed extends Serializable permits Listed.File, Listed.Unlisted {
        /** A file the index lists. */
        record File(ArchiveRef ref) implements Listed {
        }

        /** A project the index did not list, and why. */
        record Unlisted(String page, String reason) implements Listed {
        }
    }

    List<Listed> list(String name) {
        IndexClient index = client(root);
        Fetch<ProjectPage> page = index.project(name);
        String pageUrl = root.resolve(name.strip() + "/").toString();
        if (page instanceof Fetch.Found<ProjectPage> found) {
            return found.value().files().stream().<Listed>map(f -> new Listed.File(ref(f))).toList();
        }
        String reason = page instanceof Fetch.Missing<ProjectPage> missing
                ? "the index has no project " + name.strip() + " (HTTP " + missing.status() + ")"
                : ((Fetch.Failed<ProjectPage>) page).message();
        return List.of(new Listed.Unlisted(pageUrl, reason));
    }

    private static ArchiveRef ref(DistributionFile f) {
        return new ArchiveRef(f.url().toString(), f.size().orElse(ArchiveRef.UNKNOWN_SIZE),
                f.sha256().orElse(ArchiveRef.UNKNOWN_SHA256));
    }

    /** One client per index root and executor JVM (it holds an HTTP connection pool). */
    static IndexClient client(URI root) {
        return CLIENTS.computeIfAbsent(root, r -> new IndexClient(r, IndexClient.Settings.defaults()));
    }
}
