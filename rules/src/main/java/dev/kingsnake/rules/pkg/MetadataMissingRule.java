package dev.kingsnake.rules.pkg;

import dev.kingsnake.Confidence;
import dev.kingsnake.PackageKind;
import dev.kingsnake.Reach;
import dev.kingsnake.Severity;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.PackageInfo;
import dev.kingsnake.spi.Rule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.SourceFile;
import dev.kingsnake.spi.Tags;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An sdist that runs setup.py at install time but says next to nothing about itself: no PKG-INFO at all, or
 * at most one of summary, description, author and home page.
 */
public final class MetadataMissingRule implements Rule {
    private static final RuleInfo INFO = new RuleInfo("KS-PKG-METADATA-MISSING",
            "An sdist with install-time code (setup.py) has no PKG-INFO, or its PKG-INFO lacks at least three of"
                    + " summary, description, author and home page.",
            Severity.LOW, Confidence.LOW, Set.of(Tags.METADATA, Tags.ANONYMOUS),
            "setup.py\nPKG-INFO:  Name: x / Version: 0.1  (no Summary, Author, Home-page, description)",
            "Many small honest projects have sparse metadata, so this is LOW/LOW: it adds a little to install-time"
                    + " code findings and never flags a package alone; with install-time network code the scoring"
                    + " adds a bonus (a throw-away upload calling out while it installs). Wheels are not checked (they run no code at"
                    + " install); 'UNKNOWN', 'TODO', 'test', setup.py template defaults (\"My short description for my"
                    + " project.\", \"Awesome Soul\", \"Your Name\") and example.com addresses count as missing.");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(RuleContext ctx, FindingSink sink) {
        PackageInfo info = ctx.packageInfo();
        if (info.kind() != PackageKind.SDIST) {
            return;
        }
        Optional<SourceFile> setup = ctx.files().stream().filter(f -> isTopLevelSetupPy(f.path())).findFirst();
        if (setup.isEmpty()) {
            return;
        }
        if (info.metadataPath().isEmpty()) {
            sink.report(Location.file(setup.get(), Reach.UNKNOWN),
                    "The sdist runs setup.py at install time but has no PKG-INFO", setup.get().path());
            return;
        }
        List<String> missing = new ArrayList<>();
        if (absent(info, "Summary")) {
            missing.add("summary");
        }
        if (absent(info, "Description") && PackageMetadata.body(ctx).isEmpty()) {
            missing.add("description");
        }
        if (absent(info, "Author") && absent(info, "Author-email") && absent(info, "Maintainer")
                && absent(info, "Maintainer-email")) {
            missing.add("author");
        }
        if (absent(info, "Home-page") && absent(info, "Project-URL") && absent(info, "Download-URL")) {
            missing.add("home page");
        }
        if (missing.size() >= 3) {
            PackageMetadata.whole(ctx).ifPresent(at -> sink.report(at,
                    "The sdist runs setup.py at install time and its metadata has no " + String.join(", ", missing),
                    "missing: " + String.join(", ", missing), Severity.LOW, Confidence.LOW));
        }
    }

    private static boolean absent(PackageInfo info, String header) {
        return info.header(header).map(String::strip).filter(v -> !placeholder(v)).isEmpty();
    }

    /**
     * Template values that say nothing: empty, {@code UNKNOWN}, {@code TODO}, {@code test}, the defaults of
     * well-known setup.py templates ("My short description for my project.", "Awesome Soul",
     * "A small example package", "Your Name") and the RFC 2606 example domains ({@code me@example.com},
     * {@code https://example.com}).
     */
    static boolean placeholder(String value) {
        String v = value.strip();
        return v.isEmpty() || PLACEHOLDER.matcher(v).matches() || EXAMPLE_DOMAIN.matcher(v).find();
    }

    private static final java.util.regex.Pattern PLACEHOLDER = java.util.regex.Pattern.compile(
            "(?i)unknown|none|null|n/?a|-+|\\.+|todo|tbd|test(ing)?|description|short description|summary|"
                    + "my short description for my project\\.?|a small example package|"
                    + "add a short description here!?|awesome soul|your name|author( name)?|name|me");
    private static final java.util.regex.Pattern EXAMPLE_DOMAIN = java.util.regex.Pattern.compile(
            "(?i)(@|//|^)(www\\.)?example\\.(com|org|net)\\b");

    /** setup.py at the archive root or in the sdist's single top directory. */
    static boolean isTopLevelSetupPy(String path) {
        return path.equals("setup.py")
                || path.indexOf('/') > 0 && ArchiveLayout.topLevel(path) && path.endsWith("/setup.py");
    }
}
