package dev.kingsnake.cli;

import dev.kingsnake.index.DistributionFile;
import dev.kingsnake.index.IndexClient;
import dev.kingsnake.index.PinnedRequirement;
import dev.kingsnake.index.PipIndexConfig;
import dev.kingsnake.index.ReleaseFetcher;
import dev.kingsnake.report.FileOrigin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Options of the commands that fetch packages by name from a Simple API index ({@code scan}, {@code diff}). */
public final class IndexOptions {
    /** The {@code --index} value that stands for pip's configured index. */
    static final String PIP = "pip";

    @Option(names = "--index", paramLabel = "URL",
            description = "Fetch packages by name from this Simple API index (PEP 691 JSON, PEP 503 HTML); "
                    + "'pip': the index pip is configured to use (PIP_INDEX_URL, pip.conf), else PyPI.")
    String index;

    @Option(names = "--platform", paramLabel = "TAG", split = ",",
            description = "Fetch only wheels with one of these platform tags (manylinux_2_17_x86_64, win_amd64, "
                    + "any ...); 'sdist' selects the source distribution. Default: every file of the release.")
    List<String> platforms = List.of();

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Where downloaded files are kept and reused when their sha-256 still matches. "
                    + "Default: ~/.cache/kingsnake/files.")
    Path cacheDir;

    @Option(names = "--download-attempts", paramLabel = "N",
            description = "Tries per request on connection failures, timeouts, 429 and 5xx. Default: 3.")
    int attempts = IndexClient.Settings.defaults().attempts();

    @Option(names = "--limit-download-bytes", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Largest file downloaded. Default: 2G.")
    long maxDownloadBytes = IndexClient.Settings.defaults().maxFileBytes();

    /** The index given with {@code --index}; empty when the option is absent. */
    Optional<String> index() {
        return Optional.ofNullable(index);
    }

    /** The index to use: {@code --index URL}, else ({@code --index pip} or none) pip's configured one. */
    URI indexUrl() {
        if (index != null && !index.isBlank() && !index.equals(PIP)) {
            return URI.create(index.endsWith("/") ? index : index + "/");
        }
        return PipIndexConfig.indexUrl(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    ReleaseFetcher fetcher() {
        IndexClient.Settings d = IndexClient.Settings.defaults();
        IndexClient client = new IndexClient(indexUrl(), new IndexClient.Settings(d.connectTimeout(),
                d.idleTimeout(), attempts, d.retryPause(), maxDownloadBytes));
        Path cache = cacheDir != null ? cacheDir
                : Path.of(System.getProperty("user.home"), ".cache", "kingsnake", "files");
        Set<String> tags = new HashSet<>();
        platforms.forEach(t -> tags.add(t.strip().toLowerCase(Locale.ROOT)));
        return new ReleaseFetcher(client, cache, tags);
    }

    static FileOrigin origin(ReleaseFetcher.FetchedFile f) {
        return new FileOrigin(f.source().url().toString(), f.sha256(),
                f.source().uploadTime().map(Object::toString).orElse(""));
    }

    /**
     * One file of each of two releases, to compare: the sdists when both have one, else wheels with the same tags,
     * else the first file of each.
     */
    List<Path> releasePair(String name, String oldVersion, String newVersion, PrintWriter err) throws IOException {
        ReleaseFetcher fetcher = fetcher();
        ReleaseFetcher.Outcome a = fetcher.fetch(new PinnedRequirement(name, Optional.of(oldVersion)));
        ReleaseFetcher.Outcome b = fetcher.fetch(new PinnedRequirement(name, Optional.of(newVersion)));
        a.problems().forEach(p -> err.println("kingsnake: " + p));
        b.problems().forEach(p -> err.println("kingsnake: " + p));
        if (a.files().isEmpty() || b.files().isEmpty()) {
            throw new IOException("cannot fetch both releases of " + name + " from " + indexUrl());
        }
        for (ReleaseFetcher.FetchedFile x : a.files()) {
            for (ReleaseFetcher.FetchedFile y : b.files()) {
                if (kind(x.source(), oldVersion).equals(kind(y.source(), newVersion))) {
                    return List.of(x.path(), y.path());
                }
            }
        }
        return List.of(a.files().get(0).path(), b.files().get(0).path());
    }

    /** What a file is apart from its version: {@code sdist}, or a wheel's tags. */
    private static String kind(DistributionFile f, String version) {
        String n = f.filename().toLowerCase(Locale.ROOT);
        if (!n.endsWith(".whl")) {
            return "sdist";
        }
        int at = n.indexOf(version.toLowerCase(Locale.ROOT));
        return at < 0 ? n : n.substring(at + version.length());
    }
}
