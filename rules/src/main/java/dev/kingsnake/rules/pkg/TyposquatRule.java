package dev.kingsnake.rules.pkg;

import dev.kingsnake.Confidence;
import dev.kingsnake.Severity;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.Rule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.Tags;

import java.util.Set;

/** The package's name imitates a much more popular package's name. */
public final class TyposquatRule implements Rule {
    private static final RuleInfo INFO = new RuleInfo("KS-PKG-TYPOSQUAT",
            "The package name is a slip away from a top-" + TyposquatMatcher.TARGETS + " PyPI package's name"
                    + " (swapped, doubled, missing or neighbouring-key letters, look-alike characters, the same"
                    + " words reordered, '-'/'_'/'.' confusion, python-/py prefixes and suffixes) but is not itself a popular package.",
            Severity.HIGH, Confidence.HIGH, Set.of(Tags.METADATA, Tags.IDENTITY),
            "Name: reqeusts      (imitates requests)",
            "Names anywhere in the popular list (15,000 names) are never flagged, so popular packages that are"
                    + " one edit apart do not flag each other. Plugin names that add a whole token (tree-sitter-c),"
                    + " plurals (future/futures), trailing version digits (pypdf2) and first-letter changes of"
                    + " short names (attrs/cattrs) are not typos. Separator, prefix/suffix, two-edit and"
                    + " two-word reorder matches are MEDIUM confidence: alone they stay below SUSPICIOUS. Alone, a typosquat is at most"
                    + " SUSPICIOUS; code findings make it MALICIOUS.");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(RuleContext ctx, FindingSink sink) {
        String name = ctx.packageInfo().name();
        if (name.isBlank()) {
            return;
        }
        PopularPackages popular = PopularPackages.of(ctx);
        popular.typosquats().match(name).ifPresent(m -> PackageMetadata.header(ctx, "Name").ifPresent(at ->
                sink.report(at, "The name '" + name + "' imitates the popular package '" + m.target() + "' (rank "
                        + m.rank() + "): " + m.how(), name + " ~ " + m.target(), INFO.severity(), m.confidence())));
    }
}
