package dev.kingsnake.gate;

import dev.kingsnake.index.Fetch;
import dev.kingsnake.index.IndexClient;
import dev.kingsnake.index.ProjectName;
import dev.kingsnake.index.ProjectPage;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The indexes behind the gate. With a private index, a project it has is taken from it alone: the public index is
 * not asked, so a public upload under a private project's name (dependency confusion) never reaches a client. When
 * the private index cannot be asked, the request fails instead of falling back to the public one. Pages are kept
 * for a short time, so the file request that follows a page request does not fetch the page again.
 */
public final class Upstreams {
    /** Which index a page came from. */
    public enum Origin { PUBLIC, PRIVATE }

    /** A project page and where it came from. */
    public record SourcedPage(ProjectPage page, Origin origin) {
        public SourcedPage {
            Objects.requireNonNull(page, "page");
            Objects.requireNonNull(origin, "origin");
        }
    }

    private record Cached(Fetch<SourcedPage> page, long fetchedAtNanos) {
    }

    private final IndexClient publicIndex;
    private final Optional<IndexClient> privateIndex;
    private final Duration pageTtl;
    private final ConcurrentHashMap<String, Cached> pages = new ConcurrentHashMap<>();

    public Upstreams(IndexClient publicIndex, Optional<IndexClient> privateIndex, Duration pageTtl) {
        this.publicIndex = Objects.requireNonNull(publicIndex, "publicIndex");
        this.privateIndex = Objects.requireNonNull(privateIndex, "privateIndex");
        this.pageTtl = Objects.requireNonNull(pageTtl, "pageTtl");
    }

    /** The client for an origin. */
    public IndexClient client(Origin origin) {
        return origin == Origin.PRIVATE ? privateIndex.orElseThrow() : publicIndex;
    }

    /** The project's page (a fresh copy, or one fetched within the page lifetime). Failures are not kept. */
    public Fetch<SourcedPage> project(String name) {
        String key = ProjectName.normalize(name);
        Cached hit = pages.get(key);
        if (hit != null && System.nanoTime() - hit.fetchedAtNanos() < pageTtl.toNanos()) {
            return hit.page();
        }
        Fetch<SourcedPage> fresh = fetch(key);
        if (fresh instanceof Fetch.Failed) {
            pages.remove(key);
        } else {
            pages.put(key, new Cached(fresh, System.nanoTime()));
        }
        return fresh;
    }

    private Fetch<SourcedPage> fetch(String name) {
        if (privateIndex.isPresent()) {
            Fetch<ProjectPage> own = privateIndex.get().project(name);
            if (own instanceof Fetch.Found<ProjectPage> found) {
                return new Fetch.Found<>(new SourcedPage(found.value(), Origin.PRIVATE));
            }
            if (own instanceof Fetch.Failed<ProjectPage> failed) {
                return new Fetch.Failed<>(failed.kind(), "private index: " + failed.message()
                        + " (the public index is not asked while the private one cannot answer)");
            }
        }
        Fetch<ProjectPage> page = publicIndex.project(name);
        if (page instanceof Fetch.Found<ProjectPage> found) {
            return new Fetch.Found<>(new SourcedPage(found.value(), Origin.PUBLIC));
        }
        if (page instanceof Fetch.Failed<ProjectPage> failed) {
            return new Fetch.Failed<>(failed.kind(), failed.message());
        }
        return new Fetch.Missing<>(((Fetch.Missing<ProjectPage>) page).status());
    }
}
