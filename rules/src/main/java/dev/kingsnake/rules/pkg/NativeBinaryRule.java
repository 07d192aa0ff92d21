package dev.kingsnake.rules.pkg;

import dev.kingsnake.Confidence;
import dev.kingsnake.Reach;
import dev.kingsnake.Severity;
import dev.kingsnake.spi.FileKind;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.Rule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.SourceFile;
import dev.kingsnake.spi.Tags;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Native executables (PE, ELF, Mach-O) in a package that claims to be pure Python: a {@code none-any} wheel, or
 * an sdist without any native source or build file to have produced them.
 */
public final class NativeBinaryRule implements Rule {
    private static final RuleInfo INFO = new RuleInfo("KS-PKG-NATIVE-BINARY",
            "A pure-Python package ships native executables: PE/ELF/Mach-O files in a *-none-any wheel, or in an sdist"
                    + " with no C/C++/Cython/Rust/Go sources or native build files.",
            Severity.MEDIUM, Confidence.HIGH, Set.of(Tags.METADATA, Tags.BINARY),
            "tool-1.0-py3-none-any.whl containing tool/bin/helper (ELF)",
            "Platform wheels (manylinux, win_amd64, macosx) are expected to carry binaries. Some packaging tools ship"
                    + " Windows launcher stubs in pure wheels (setuptools' cli-64.exe, distlib's t64.exe): those are"
                    + " still reported, at LOW confidence, because the name alone proves nothing. Files whose"
                    + " extension hides the binary are KS-PKG-DISGUISED-EXECUTABLE.");
    private static final java.util.regex.Pattern LAUNCHER =
            java.util.regex.Pattern.compile("^(cli|gui|t|w)(-?(32|64|arm64|arm))?\\.exe$");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(RuleContext ctx, FindingSink sink) {
        List<SourceFile> files = ArchiveLayout.realFiles(ctx);
        Optional<String> unexpected = ArchiveLayout.nativeUnexpected(ctx, files);
        if (unexpected.isEmpty()) {
            return;
        }
        String why = unexpected.get();
        for (SourceFile f : files) {
            if (f.kind() != FileKind.NATIVE_BINARY || ArchiveLayout.disguisedNative(f.path())) {
                continue;
            }
            boolean launcher = LAUNCHER.matcher(ArchiveLayout.baseName(f.path())).matches();
            sink.report(Location.file(f, Reach.UNKNOWN), "Native executable " + f.path() + " (" + ArchiveLayout.nativeFormat(f.bytes())
                    + ") although " + why, f.path(), Severity.MEDIUM, launcher ? Confidence.LOW : Confidence.HIGH);
        }
    }
}
