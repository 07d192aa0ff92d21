package dev.kingsnake.rules.pkg;

import dev.kingsnake.Confidence;
import dev.kingsnake.Reach;
import dev.kingsnake.Severity;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.ParserDifferential;
import dev.kingsnake.spi.Rule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.SourceFile;
import dev.kingsnake.spi.Tags;

import java.util.Optional;
import java.util.Set;

/**
 * An archive that reads differently depending on the tool: a zip local header that names an entry otherwise
 * than the central directory, two entries with one name and different content, overlapping entries. The
 * unpacker finds them (and scans the entry under every name a tool could give it); this rule reports them.
 */
public final class ArchiveDifferentialRule implements Rule {
    private static final RuleInfo INFO = new RuleInfo("KS-PKG-ARCHIVE-DIFFERENTIAL",
            "The archive reads differently depending on the tool: zip local and central names disagree, one name"
                    + " holds two different contents, or entries overlap (a payload for the installer, decoy for"
                    + " the reviewer).",
            Severity.HIGH, Confidence.HIGH, Set.of(Tags.OBFUSCATION),
            "zip: local header 'setup.py', central directory 'README.txt' (same bytes, two names)",
            "No packaging tool (setuptools, flit, hatch, poetry, maturin, wheel) writes such an archive; an archive"
                    + " merely repacked by hand keeps one name per entry. Duplicate names with identical content"
                    + " are only a diagnostic.");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(RuleContext ctx, FindingSink sink) {
        for (ParserDifferential d : ctx.parserDifferentials()) {
            // inside a nested archive the archive itself is what reads differently
            int nested = d.path().lastIndexOf("!/");
            Optional<SourceFile> file = ctx.file(nested < 0 ? d.path() : d.path().substring(0, nested));
            Optional<Location> at = file.map(f -> Location.file(f, Reach.UNKNOWN)).or(() -> PackageMetadata.whole(ctx));
            at.ifPresent(l -> sink.report(l, d.description(), d.path()));
        }
    }
}
