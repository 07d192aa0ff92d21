package dev.kingsnake.rules.pkg;

import dev.kingsnake.PackageKind;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.SourceFile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Facts about how a package's archive is laid out, shared by the integrity rules. */
final class ArchiveLayout {
    private static final Pattern WHEEL_NAME =
            Pattern.compile("^([^-]+)-([^-]+)(?:-([^-]+))?-([^-]+)-([^-]+)-([^-]+)\\.whl$", Pattern.CASE_INSENSITIVE);
    private static final List<String> NATIVE_SOURCES = List.of(".c", ".cc", ".cpp", ".cxx", ".c++", ".h", ".hh",
            ".hpp", ".hxx", ".pyx", ".pxd", ".rs", ".go", ".f", ".f90", ".f95", ".for", ".cu", ".m", ".mm", ".swift",
            ".zig", ".s", ".asm", ".d", ".java", ".cs");
    private static final List<String> BUILD_FILES = List.of("cmakelists.txt", "meson.build", "makefile",
            "cargo.toml", "build.zig", "configure", "setup.py");

    private ArchiveLayout() {
    }

    /** Files read from the archive itself: no decoded layers, no members of nested archives. */
    static List<SourceFile> realFiles(RuleContext ctx) {
        List<SourceFile> out = new ArrayList<>();
        for (SourceFile f : ctx.files()) {
            if (f.decodeChain().isEmpty() && !f.path().contains("#") && !f.path().contains("!/")) {
                out.add(f);
            }
        }
        return out;
    }

    /** A file at the top of the archive or in its single top directory ({@code name-1.0/setup.py}). */
    static boolean topLevel(String path) {
        int slash = path.indexOf('/');
        return slash < 0 || path.indexOf('/', slash + 1) < 0;
    }

    /** The platform tag of a wheel's file name ({@code any} for pure wheels), if the name follows PEP 427. */
    static Optional<String> wheelPlatform(RuleContext ctx) {
        if (ctx.packageInfo().kind() != PackageKind.WHEEL) {
            return Optional.empty();
        }
        Matcher m = WHEEL_NAME.matcher(ctx.packageInfo().fileName());
        return m.matches() ? Optional.of(m.group(6).toLowerCase(Locale.ROOT)) : Optional.empty();
    }

    /** Top-level {@code *.dist-info} directories of a wheel, sorted. */
    static TreeSet<String> topDistInfoDirs(List<SourceFile> files) {
        TreeSet<String> out = new TreeSet<>();
        for (SourceFile f : files) {
            int slash = f.path().indexOf('/');
            if (slash > 0 && f.path().substring(0, slash).endsWith(".dist-info")) {
                out.add(f.path().substring(0, slash));
            }
        }
        return out;
    }

    /** True when the package ships sources or build files for native code. */
    /**
     * Why native executables have no business in this package, when they have none: a wheel tagged pure Python,
     * or an sdist without native sources or build files to build them from. Empty for platform wheels and
     * packages that build native code.
     */
    static Optional<String> nativeUnexpected(RuleContext ctx, List<SourceFile> files) {
        Optional<String> platform = wheelPlatform(ctx);
        if (platform.isPresent()) {
            return platform.get().equals("any")
                    ? Optional.of("the wheel is tagged pure Python (" + ctx.packageInfo().fileName() + ")")
                    : Optional.empty();
        }
        if (ctx.packageInfo().kind() == PackageKind.SDIST && !hasNativeSources(files)) {
            return Optional.of("the sdist has no native sources or build files to build it from");
        }
        return Optional.empty();
    }

    static boolean hasNativeSources(List<SourceFile> files) {
        for (SourceFile f : files) {
            String name = baseName(f.path()).toLowerCase(Locale.ROOT);
            if (BUILD_FILES.contains(name) && !name.equals("setup.py")) {
                return true;
            }
            for (String ext : NATIVE_SOURCES) {
                if (name.endsWith(ext)) {
                    return true;
                }
            }
        }
        return false;
    }

    static String baseName(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    /** Extensions under which a native executable is what the name says. */
    private static final Pattern HONEST = Pattern.compile(
            ".*\\.(so(\\.[0-9.]+)?|pyd|dll|exe|dylib|bin|node|o|obj|a|lib|sys|elf|out|efi|com|scr|ocx|cpl|drv|mui"
                    + "|bundle|jnilib|ko|axf|mex[a-z0-9]*|x86|x64|arm64|aarch64|msi|debug|dbg|pdb|exe_|dll_)$");

    /** {@code libfoo.so.23.0git}: a versioned shared library, whatever follows the {@code .so.}. */
    private static final Pattern SHARED_LIBRARY = Pattern.compile("\\.(so|dylib|dll)\\.\\d");

    /** The base name has an extension that is not one of a native file. */
    static boolean disguisedNative(String path) {
        String name = baseName(path).toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        if (dot <= 0 || dot == name.length() - 1 || Character.isDigit(name.charAt(dot + 1))
                || SHARED_LIBRARY.matcher(name).find()) {
            return false;
        }
        return !HONEST.matcher(name).matches();
    }

    /** The executable format a native binary's magic bytes name: PE, ELF or Mach-O. */
    static String nativeFormat(byte[] b) {
        if (b.length >= 2 && b[0] == 'M' && b[1] == 'Z') {
            return "PE";
        }
        if (b.length >= 4 && b[0] == 0x7f && b[1] == 'E' && b[2] == 'L' && b[3] == 'F') {
            return "ELF";
        }
        return "Mach-O";
    }
}
