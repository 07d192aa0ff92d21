package dev.kingsnake.rules.pkg;

import dev.kingsnake.Reach;
import dev.kingsnake.spi.FileKind;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.Rule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.SourceFile;
import dev.kingsnake.spi.Tags;
import dev.kingsnake.Confidence;
import dev.kingsnake.Severity;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

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
    /** Extensions under which a native executable is what the name says. */
    private static final Pattern HONEST = Pattern.compile(
            ".*\\.(so(\\.[0-9.]+)?|pyd|dll|exe|dylib|bin|node|o|obj|a|lib|sys|elf|out|efi|com|scr|ocx|cpl|drv|mui"
                    + "|bundle|jnilib|ko|axf|mex[a-z0-9]*|x86|x64|arm64|aarch64|msi|debug|dbg|pdb|exe_|dll_)$");

    /** {@code libfoo.so.23.0git}: a versioned shared library, whatever follows the {@code .so.}. */
    private static final Pattern SHARED_LIBRARY = Pattern.compile("\\.(so|dylib|dll)\\.\\d");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(RuleContext ctx, FindingSink sink) {
        for (SourceFile f : ArchiveLayout.realFiles(ctx)) {
            if (f.kind() == FileKind.NATIVE_BINARY && disguised(f.path())) {
                sink.report(Location.file(f, Reach.UNKNOWN), f.path() + " is a native " + NativeBinaryRule.format(
                        f.bytes()) + " executable under a name that says otherwise", f.path());
            }
        }
    }

    /** The base name has an extension that is not one of a native file. */
    static boolean disguised(String path) {
        String name = ArchiveLayout.baseName(path).toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        if (dot <= 0 || dot == name.length() - 1 || Character.isDigit(name.charAt(dot + 1))
                || SHARED_LIBRARY.matcher(name).find()) {
            return false;
        }
        return !HONEST.matcher(name).matches();
    }
}
