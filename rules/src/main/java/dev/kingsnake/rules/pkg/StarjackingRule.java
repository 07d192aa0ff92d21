package dev.kingsnake.rules.pkg;

import dev.kingsnake.Confidence;
import dev.kingsnake.Reach;
import dev.kingsnake.Severity;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.Rule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.SourceFile;
import dev.kingsnake.spi.Tags;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * "Starjacking": an unknown package claims the source repository of a popular project, borrowing its stars
 * and reputation (often with its README copied too).
 */
public final class StarjackingRule implements Rule {
    private static final RuleInfo INFO = new RuleInfo("KS-PKG-STARJACKING",
            "Home-page or Project-URL points at the GitHub/GitLab/Bitbucket repository of a different, popular"
                    + " package while this package is not itself popular.",
            Severity.MEDIUM, Confidence.MEDIUM, Set.of(Tags.METADATA, Tags.IDENTITY),
            "Name: fastfetchr\nProject-URL: Source, https://github.com/psf/requests",
            "Only repositories whose name is a top-" + TyposquatMatcher.TARGETS + " package count, and only for"
                    + " packages outside the popular list. Packages whose name contains the repository's name or"
                    + " the reverse (plugins, py-/python- wrappers such as pyarrow for apache/arrow) are related,"
                    + " not impostors. Honest forks that kept the original URL are flagged; weak evidence alone.");
    private static final Pattern REPO = Pattern.compile(
            "(?i)https?://(?:www\\.)?(?:github\\.com|gitlab\\.com|bitbucket\\.org)/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+)");
    private static final Set<String> HEADERS = Set.of("home-page", "project-url", "download-url");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(RuleContext ctx, FindingSink sink) {
        Optional<SourceFile> meta = PackageMetadata.file(ctx);
        String name = PackageNames.normalise(ctx.packageInfo().name());
        PopularPackages popular = PopularPackages.of(ctx);
        if (meta.isEmpty() || name.isEmpty() || popular.contains(name)) {
            return;
        }
        for (PackageMetadata.Header h : PackageMetadata.headers(ctx)) {
            if (!HEADERS.contains(h.name().toLowerCase(Locale.ROOT))) {
                continue;
            }
            Matcher m = REPO.matcher(h.value());
            while (m.find()) {
                String repoName = m.group(2).replaceAll("(?i)\\.git$", "");
                String repo = PackageNames.normalise(repoName);
                int rank = popular.rank(repo);
                if (rank == 0 || rank > TyposquatMatcher.TARGETS || related(name, repo)) {
                    continue;
                }
                sink.report(Location.of(meta.get(), h.line(), 1, Reach.UNKNOWN),
                        "The package '" + ctx.packageInfo().name() + "' claims the repository of the popular package '"
                                + repo + "' (rank " + rank + ")", h.name() + ": " + m.group(),
                        Severity.MEDIUM, Confidence.MEDIUM);
                return;
            }
        }
    }

    private static boolean related(String name, String repo) {
        String a = TyposquatMatcher.root(name);
        String b = TyposquatMatcher.root(repo);
        return a.contains(b) || b.contains(a);
    }
}
