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

import java.util.Set;

/** A native executable whose file name says it is something else: an image, a text file, Python source. */
public final class DisguisedExecutableRule implements Rule {
    private static final RuleInfo INFO = new RuleInfo("KS-PKG-DISGUISED-EXECUTABLE",
            "A file with PE/ELF/Mach-O content has a name that hides it (.png, .txt, .py, .json, .dat ...).",
            Severity.HIGH, Confidence.HIGH, Set.of(Tags.METADATA, Tags.BINARY),
            "assets/logo.png  (starts with 7f 45 4c 46: an ELF executable)",
            "Names that honestly say native code are not flagged: no extension, .so/.so.N, .pyd, .dll, .exe,"
                    + " .dylib, .bin, .node, .o, .a, .lib, .sys and the like; a numeric 'extension' is a version"
                    + " (ffmpeg-linux-x86_64-v7.0.2), as is anything after .so. (libX.so.23.0git). Magic bytes"
                    + " decide what a file is, never its name.");
    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(RuleContext ctx, FindingSink sink) {
        for (SourceFile f : ArchiveLayout.realFiles(ctx)) {
            if (f.kind() == FileKind.NATIVE_BINARY && ArchiveLayout.disguisedNative(f.path())) {
                sink.report(Location.file(f, Reach.UNKNOWN), f.path() + " is a native " + ArchiveLayout.nativeFormat(
                        f.bytes()) + " executable under a name that says otherwise", f.path());
            }
        }
    }
}
