package dev.kingsnake.index;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Fetches the files of one release of a project from an index into a local cache: the pinned version, or the
 * newest release that is not a pre-release; every file of it, or only the wheels whose platform tag is one of the
 * given tags ({@code sdist} stands for the source distribution). Each file's sha-256 is checked against the
 * index's; a cached file is used again only when its digest still matches. Failures are values.
 */
public final class ReleaseFetcher {
    /** Pre-, post- and development-release markers: an unpinned request takes a final release when there is one. */
    private static final Pattern PRE_RELEASE = Pattern.compile("(?i).*(a|b|rc|c|alpha|beta|pre|preview|dev)\\d*.*");
    /** The pseudo platform tag that selects source distributions. */
    public static final String SDIST_TAG = "sdist";

    /** A file on disk and where it came from. */
    public record FetchedFile(Path path, DistributionFile source, String sha256) {
        public FetchedFile {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(sha256, "sha256");
        }
    }

    /** What one requirement gave: the version chosen, the files fetched, and what went wrong, one line each. */
    public record Outcome(PinnedRequirement requirement, String version, List<FetchedFile> files,
                          List<String> problems) {
        public Outcome {
            files = List.copyOf(files);
            problems = List.copyOf(problems);
        }
    }

    private final IndexClient client;
    private final Path cacheDir;
    private final Set<String> platformTags;

    /** {@code platformTags} empty: every file of the release. */
    public ReleaseFetcher(IndexClient client, Path cacheDir, Set<String> platformTags) {
        this.client = Objects.requireNonNull(client, "client");
        this.cacheDir = Objects.requireNonNull(cacheDir, "cacheDir");
        this.platformTags = Set.copyOf(platformTags);
    }

    public Outcome fetch(PinnedRequirement requirement) {
        String name = requirement.name();
        Fetch<ProjectPage> page = client.project(name);
        if (!(page instanceof Fetch.Found<ProjectPage> found)) {
            return failed(requirement, "", describe(page, name));
        }
        ProjectPage project = found.value();
        Optional<String> version = requirement.version().or(() -> newest(project, name));
        if (version.isEmpty()) {
            return failed(requirement, "", name + ": the index lists no release");
        }
        List<DistributionFile> files = project.files(version.get()).stream()
                .filter(f -> requirement.version().isPresent() || f.yanked().isEmpty())
                .filter(this::selected).toList();
        if (files.isEmpty()) {
            return failed(requirement, version.get(), name + " " + version.get() + ": no file"
                    + (platformTags.isEmpty() ? "" : " for platform tags " + platformTags) + " on the index");
        }
        List<FetchedFile> fetched = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Path dir = cacheDir.resolve(ProjectName.normalize(name));
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            return failed(requirement, version.get(), "cannot create the cache directory " + dir + ": " + e);
        }
        for (DistributionFile f : files) {
            Fetch<FetchedFile> one = fetchFile(f, dir);
            if (one instanceof Fetch.Found<FetchedFile> ok) {
                fetched.add(ok.value());
            } else {
                problems.add(describe(one, f.filename()));
            }
        }
        return new Outcome(requirement, version.get(), fetched, problems);
    }

    private Fetch<FetchedFile> fetchFile(DistributionFile f, Path dir) {
        if (f.filename().contains("/") || f.filename().contains("\\") || f.filename().startsWith(".")) {
            return new Fetch.Failed<>(Fetch.Failure.BAD_RESPONSE, f.filename() + ": not a plain file name");
        }
        Path target = dir.resolve(f.filename());
        Optional<String> listed = f.sha256();
        if (listed.isPresent() && Files.isRegularFile(target)) {
            try {
                if (sha256(target).equalsIgnoreCase(listed.get())) {
                    return new Fetch.Found<>(new FetchedFile(target, f, listed.get().toLowerCase(Locale.ROOT)));
                }
            } catch (IOException e) {
                // an unreadable cache entry is fetched again
            }
        }
        Path partial = dir.resolve(f.filename() + ".part");
        Fetch<Downloaded> d = client.download(f, partial);
        if (d instanceof Fetch.Found<Downloaded> ok) {
            try {
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                return new Fetch.Failed<>(Fetch.Failure.BAD_RESPONSE, f.filename() + ": cannot store in the cache: "
                        + e.getMessage());
            }
            return new Fetch.Found<>(new FetchedFile(target, f, ok.value().sha256()));
        }
        return describeAs(d);
    }

    private static <T> Fetch<T> describeAs(Fetch<?> failure) {
        if (failure instanceof Fetch.Missing<?> m) {
            return new Fetch.Missing<>(m.status());
        }
        Fetch.Failed<?> f = (Fetch.Failed<?>) failure;
        return new Fetch.Failed<>(f.kind(), f.message());
    }

    private static Outcome failed(PinnedRequirement r, String version, String problem) {
        return new Outcome(r, version, List.of(), List.of(problem));
    }

    private static String describe(Fetch<?> f, String what) {
        if (f instanceof Fetch.Missing<?> m) {
            return what + ": not on the index (HTTP " + m.status() + ")";
        }
        return f instanceof Fetch.Failed<?> failed ? failed.message() : what;
    }

    /** Wheels by platform tag ({@code ...-py3-none-manylinux_2_17_x86_64.whl}), sdists by {@value #SDIST_TAG}. */
    private boolean selected(DistributionFile f) {
        if (platformTags.isEmpty()) {
            return true;
        }
        String n = f.filename().toLowerCase(Locale.ROOT);
        if (!n.endsWith(".whl")) {
            return platformTags.contains(SDIST_TAG) && !n.endsWith(".egg") && !n.endsWith(".exe");
        }
        String[] parts = n.substring(0, n.length() - 4).split("-");
        for (String tag : parts[parts.length - 1].split("\\.")) {
            if (platformTags.contains(tag)) {
                return true;
            }
        }
        return false;
    }

    static Optional<String> newest(ProjectPage page, String name) {
        List<String> versions = new ArrayList<>(page.versions());
        if (versions.isEmpty()) {
            page.files().stream().filter(f -> f.yanked().isEmpty())
                    .forEach(f -> f.version(name).ifPresent(versions::add));
        }
        Optional<String> finalRelease = versions.stream().filter(v -> !PRE_RELEASE.matcher(v).matches())
                .max(VERSION_ORDER);
        return finalRelease.or(() -> versions.stream().max(VERSION_ORDER));
    }

    /** Numeric segments compared as numbers, others as text: enough to find the newest of a release list. */
    static final Comparator<String> VERSION_ORDER = (a, b) -> {
        String[] x = a.split("[.+!_-]");
        String[] y = b.split("[.+!_-]");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            String p = i < x.length ? x[i] : "0";
            String q = i < y.length ? y[i] : "0";
            int c = p.matches("\\d{1,18}") && q.matches("\\d{1,18}") ? Long.compare(Long.parseLong(p), Long.parseLong(q))
                    : p.compareTo(q);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    };

    private static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
