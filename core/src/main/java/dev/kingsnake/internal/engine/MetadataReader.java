package dev.kingsnake.internal.engine;

import dev.kingsnake.PackageKind;
import dev.kingsnake.spi.FileKind;
import dev.kingsnake.spi.PackageInfo;
import dev.kingsnake.spi.SourceFile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads name and version from PKG-INFO / METADATA (RFC 822 style headers), else from the file name. */
final class MetadataReader {
    private static final Pattern WHEEL = Pattern.compile("^([^-]+)-([^-]+)(-.*)?\\.(whl|egg)$");
    private static final Pattern SDIST =
            Pattern.compile("^(.+?)-(\\d[^-]*?)(\\.tar\\.gz|\\.tgz|\\.tar\\.bz2|\\.tar\\.xz|\\.tar|\\.zip)$");

    private MetadataReader() {
    }

    static PackageInfo read(String fileName, PackageKind kind, List<SourceFile> files) {
        SourceFile meta = null;
        for (SourceFile f : files) {
            if (f.kind() == FileKind.METADATA && (meta == null || depth(f.path()) < depth(meta.path()))) {
                meta = f;
            }
        }
        Map<String, List<String>> headers = meta == null ? Map.of() : parseHeaders(meta.text());
        String name = first(headers, "Name");
        String version = first(headers, "Version");
        if (name.isEmpty() || version.isEmpty()) {
            String[] guess = guessFromFileName(fileName);
            name = name.isEmpty() ? guess[0] : name;
            version = version.isEmpty() ? guess[1] : version;
        }
        return new PackageInfo(fileName, kind, name, version, headers, meta == null ? "" : meta.path());
    }

    /** Headers up to the first blank line; continuation lines (leading whitespace) are joined. */
    static Map<String, List<String>> parseHeaders(String text) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        String lastKey = null;
        for (String line : text.split("\r\n|\n|\r", -1)) {
            if (line.isEmpty()) {
                break;
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && lastKey != null) {
                List<String> vals = out.get(lastKey);
                vals.set(vals.size() - 1, vals.get(vals.size() - 1) + "\n" + line.strip());
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            lastKey = line.substring(0, colon).strip();
            out.computeIfAbsent(lastKey, k -> new ArrayList<>()).add(line.substring(colon + 1).strip());
        }
        return out;
    }

    static String[] guessFromFileName(String fileName) {
        Matcher m = WHEEL.matcher(fileName);
        if (m.matches()) {
            return new String[] {m.group(1), m.group(2)};
        }
        m = SDIST.matcher(fileName);
        if (m.matches()) {
            return new String[] {m.group(1), m.group(2)};
        }
        return new String[] {"", ""};
    }

    private static String first(Map<String, List<String>> h, String key) {
        List<String> v = h.get(key);
        return v == null || v.isEmpty() ? "" : v.get(0);
    }

    private static int depth(String path) {
        return path.split("/").length;
    }
}
