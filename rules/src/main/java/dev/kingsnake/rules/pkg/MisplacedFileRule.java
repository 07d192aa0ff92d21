package dev.kingsnake.rules.pkg;

import dev.kingsnake.Confidence;
import dev.kingsnake.PackageKind;
import dev.kingsnake.Reach;
import dev.kingsnake.Severity;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.Rule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.SourceFile;
import dev.kingsnake.spi.Tags;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Wheel files in places an honest build does not put them: a second distribution's {@code .dist-info}, metadata
 * or {@code .pth} files smuggled through {@code .data/} into site-packages, or a {@code setup.py} that would be
 * installed as a top-level module.
 */
public final class MisplacedFileRule implements Rule {
    private static final RuleInfo INFO = new RuleInfo("KS-PKG-MISPLACED-FILE",
            "A wheel has files where builds never put them: more than one top-level .dist-info, a .dist-info/.egg-info"
                    + " or .pth installed through .data/, or a setup.py at the wheel root.",
            Severity.MEDIUM, Confidence.MEDIUM, Set.of(Tags.METADATA),
            "evil-1.0.data/data/lib/python3.12/site-packages/hook.pth\nevil-1.0.data/purelib/pip-99.dist-info/METADATA",
            ".pth files at the wheel root or in .data/purelib|platlib are the normal way to install them (their code is"
                    + " judged by the .pth rules). Vendored .dist-info directories inside packages (setuptools/_vendor)"
                    + " are normal. A root setup.py is usually a packaging slip (py_modules) and is LOW.");
    /** .data/data/... that lands in a site directory. */
    private static final Pattern DATA_SITE = Pattern.compile("^[^/]+\\.data/data/.*(site|dist)-packages/[^/]+\\.pth$");
    private static final Pattern DATA_LIB = Pattern.compile("^[^/]+\\.data/(purelib|platlib)/[^/]+\\.pth$");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(RuleContext ctx, FindingSink sink) {
        if (ctx.packageInfo().kind() != PackageKind.WHEEL) {
            return;
        }
        List<SourceFile> files = ArchiveLayout.realFiles(ctx);
        TreeSet<String> distInfo = ArchiveLayout.topDistInfoDirs(files);
        Set<String> reportedDirs = new HashSet<>();
        for (SourceFile f : files) {
            String p = f.path();
            int slash = p.indexOf('/');
            String top = slash > 0 ? p.substring(0, slash) : "";
            if (distInfo.size() > 1 && top.endsWith(".dist-info") && !top.equals(expectedDistInfo(ctx, distInfo))
                    && reportedDirs.add(top)) {
                sink.report(Location.file(f, Reach.UNKNOWN), "The wheel carries a second distribution's metadata: "
                        + top + "/ (the wheel is " + ctx.packageInfo().fileName() + ")", top);
            } else if (top.endsWith(".data") && (p.contains(".dist-info/") || p.contains(".egg-info/"))) {
                String dir = p.substring(0, p.indexOf(p.contains(".dist-info/") ? ".dist-info/" : ".egg-info/") + 10);
                if (reportedDirs.add(dir)) {
                    sink.report(Location.file(f, Reach.UNKNOWN),
                            "The wheel installs another distribution's metadata through .data/: " + dir, p);
                }
            } else if (p.endsWith(".pth") && top.endsWith(".data") && !DATA_LIB.matcher(p).matches()) {
                sink.report(Location.file(f, Reach.UNKNOWN), DATA_SITE.matcher(p).matches()
                        ? "The wheel smuggles a .pth file into site-packages through .data/data/"
                        : "The wheel installs a .pth file through .data/ outside the library directories", p,
                        Severity.MEDIUM, DATA_SITE.matcher(p).matches() ? Confidence.HIGH : Confidence.MEDIUM);
            } else if (p.equals("setup.py")) {
                sink.report(Location.file(f, Reach.UNKNOWN),
                        "The wheel installs setup.py as a top-level module 'setup'", p, Severity.LOW, Confidence.MEDIUM);
            }
        }
    }

    /** The .dist-info named after the wheel file, else the first one. */
    private static String expectedDistInfo(RuleContext ctx, TreeSet<String> dirs) {
        String wheel = PackageNames.normalise(ctx.packageInfo().fileName().split("-")[0]);
        for (String d : dirs) {
            if (PackageNames.normalise(d.split("-")[0]).equals(wheel)) {
                return d;
            }
        }
        return dirs.first();
    }
}
