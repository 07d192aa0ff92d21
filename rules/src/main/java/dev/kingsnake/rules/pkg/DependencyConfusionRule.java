package dev.kingsnake.rules.pkg;

import dev.kingsnake.Confidence;
import dev.kingsnake.Severity;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.Rule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.Tags;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Signs of a dependency-confusion upload: a version chosen to beat any internal release (99.0.0, 999,
 * 1337) and a name that reads like a company's internal package.
 */
public final class DependencyConfusionRule implements Rule {
    private static final RuleInfo INFO = new RuleInfo("KS-PKG-DEPENDENCY-CONFUSION",
            "An absurdly high version (99.0.0, 999, 1337, 9000.0.0) that would win over any internal release,"
                    + " or a name that reads like an internal package (-internal, -corp, -private).",
            Severity.MEDIUM, Confidence.MEDIUM, Set.of(Tags.METADATA, Tags.IDENTITY),
            "Name: acme-billing-internal\nVersion: 99.0.0",
            "Calendar versions (2024.1, 20240101) are not absurd; a high major with real minor/patch numbers"
                    + " (chromedriver-binary 120.0.6099.71) is a product's version. An internal-looking name alone"
                    + " is LOW/LOW; only with an absurd version is it MEDIUM/HIGH. Weak evidence alone.");
    private static final Pattern RELEASE = Pattern.compile("^v?(\\d+)((?:\\.\\d+)*)");
    private static final Pattern REPEATED_DIGIT = Pattern.compile("(\\d)\\1+");
    private static final Set<String> INTERNAL_TOKENS = Set.of("internal", "corp", "corporate", "private", "intranet",
            "proprietary", "inhouse");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(RuleContext ctx, FindingSink sink) {
        String name = PackageNames.normalise(ctx.packageInfo().name());
        String version = ctx.packageInfo().version().strip();
        boolean internal = false;
        for (String token : name.split("-")) {
            internal |= INTERNAL_TOKENS.contains(token);
        }
        if (absurd(version)) {
            boolean both = internal;
            PackageMetadata.header(ctx, "Version").ifPresent(at -> sink.report(at,
                    "Version " + version + " is absurdly high, as dependency-confusion uploads use to win over an"
                            + " internal release" + (both ? "; the name '" + name + "' reads like an internal package"
                            : ""), "Version: " + version, Severity.MEDIUM, both ? Confidence.HIGH : Confidence.MEDIUM));
        } else if (internal) {
            PackageMetadata.header(ctx, "Name").ifPresent(at -> sink.report(at,
                    "The name '" + name + "' reads like a company's internal package", "Name: " + name,
                    Severity.LOW, Confidence.LOW));
        }
    }

    /** Major of 99 or more that is not a calendar year or date, with nothing but filler after it. */
    static boolean absurd(String version) {
        Matcher m = RELEASE.matcher(version);
        if (!m.find() || m.group(1).length() > 9) {
            return false;
        }
        String majorText = m.group(1);
        long major = Long.parseLong(majorText);
        if (major < 99 || major >= 1990 && major <= 2100 || majorText.length() == 8
                && (majorText.startsWith("19") || majorText.startsWith("20"))) {
            return false;
        }
        boolean leet = major == 1337 || major == 31337 || major == 666;
        boolean repeated = REPEATED_DIGIT.matcher(majorText).matches() || major % 1000 == 0;
        String rest = m.group(2);
        String[] parts = rest.isEmpty() ? new String[0] : rest.substring(1).split("\\.");
        boolean filler = parts.length <= 2;
        for (String p : parts) {
            filler &= p.equals("0") || REPEATED_DIGIT.matcher(p).matches() || p.equals("9");
        }
        return filler && (leet || repeated);
    }
}
