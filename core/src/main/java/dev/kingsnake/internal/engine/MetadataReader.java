package dev.kingsnake.internal.engine;

import dev.kingsnake.internal.archive.FileClassifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.kingsnake.PackageKind;
import dev.kingsnake.spi.FileKind;
import dev.kingsnake.spi.PackageInfo;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.SourceFile;
import dev.kingsnake.spi.python.Const;
import dev.kingsnake.spi.python.Expr;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads name and version from PKG-INFO / METADATA (RFC 822 style headers), else from the file name. */
final class MetadataReader {
    private static final Pattern WHEEL = Pattern.compile("^([^-]+)-([^-]+)(-.*)?\\.(whl|egg)$");
    private static final Pattern SDIST =
            Pattern.compile("^(.+?)-(\\d[^-]*?)(\\.tar\\.gz|\\.tgz|\\.tar\\.bz2|\\.tar\\.xz|\\.tar|\\.zip)$");

    private static final String[] NONE = {"", ""};
    private static final TomlMapper TOML = new TomlMapper();

    private MetadataReader() {
    }

    static PackageInfo read(String fileName, PackageKind kind, List<SourceFile> files) {
        SourceFile meta = null;
        for (SourceFile f : files) {
            if (f.kind() == FileKind.METADATA && ownFile(f) && (meta == null || depth(f.path()) < depth(meta.path()))) {
                meta = f;
            }
        }
        Map<String, List<String>> headers = meta == null ? Map.of() : parseHeaders(meta.text());
        String name = first(headers, "Name");
        String version = first(headers, "Version");
        for (String[] guess : new String[][] {fromPyproject(files), fromSetupPy(files), guessFromFileName(fileName)}) {
            if (!name.isEmpty() && !version.isEmpty()) {
                break;
            }
            name = name.isEmpty() ? guess[0] : name;
            version = version.isEmpty() ? guess[1] : version;
        }
        if (name.isEmpty() && kind == PackageKind.DIRECTORY) {
            name = fileName;
        }
        return new PackageInfo(fileName, kind, name, version, headers, meta == null ? "" : meta.path());
    }

    /** {@code [project] name/version} of the top-most pyproject.toml. */
    private static String[] fromPyproject(List<SourceFile> files) {
        SourceFile top = topMost(files, FileKind.PYPROJECT);
        if (top == null) {
            return NONE;
        }
        try {
            JsonNode project = TOML.readTree(top.text()).path("project");
            return new String[] {project.path("name").asText(""), project.path("version").asText("")};
        } catch (IOException | RuntimeException e) {
            return NONE;
        }
    }

    /** Constant {@code name=} and {@code version=} of the {@code setup(...)} call in the top-most setup.py. */
    private static String[] fromSetupPy(List<SourceFile> files) {
        SourceFile top = null;
        for (SourceFile f : files) {
            if (f instanceof PythonFile && f.decodeChain().isEmpty() && FileClassifier.baseName(f.path()).equals("setup.py")
                    && ownFile(f) && (top == null || depth(f.path()) < depth(top.path()))) {
                top = f;
            }
        }
        if (!(top instanceof PythonFile py)) {
            return NONE;
        }
        for (Expr.Call call : py.calls()) {
            String callee = py.calleeName(call).orElse("");
            if (callee.equals("setup") || callee.endsWith(".setup")) {
                return new String[] {constantText(py, call.keyword("name")), constantText(py, call.keyword("version"))};
            }
        }
        return NONE;
    }

    private static String constantText(PythonFile py, Optional<Expr> e) {
        return e.flatMap(py::constant).filter(c -> c instanceof Const.Str).map(Const::asText).orElse("");
    }

    private static SourceFile topMost(List<SourceFile> files, FileKind kind) {
        SourceFile top = null;
        for (SourceFile f : files) {
            if (f.kind() == kind && ownFile(f) && (top == null || depth(f.path()) < depth(top.path()))) {
                top = f;
            }
        }
        return top;
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

    /**
     * Packaging files of the package itself, not of the test data, docs or examples it carries (pip's
     * {@code tests/data/packages/*}/PKG-INFO would otherwise name a repository snapshot that has no PKG-INFO).
     */
    private static boolean ownFile(SourceFile f) {
        return !Scoring.isTestOrDocs(f.path());
    }

    private static int depth(String path) {
        return path.split("/").length;
    }
}
