package dev.kingsnake.spi.facts;

import dev.kingsnake.spi.FactKey;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Nodes;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Downloads that fetch what a build needs rather than a payload. Build backends and {@code setup.py} files of
 * bindings download the C library they wrap ({@code https://vendor.example/downloads/lib-1.26.3-source.tar.gz}),
 * unpack it into the build tree and hand it to make, a compiler or a Python build script; a dropper fetches a
 * program and runs it. Told apart by what is fetched (a versioned source archive, over HTTPS, from a named host),
 * where it goes (the build tree), and what the file does with processes (build tools only, nothing made
 * executable). A URL the build's environment sets ({@code os.environ['PKG_SETUP_URL']}) is the builder's choice,
 * not the package's.
 */
public final class SourceBuilds {
    private SourceBuilds() {
    }

    /**
     * A versioned source archive on a named host over HTTPS: {@code https://host.tld/path/name-1.2.3[-source].tar.gz}
     * (a version digit, or an unknown part standing for one, in the file name).
     */
    private static final Pattern SOURCE_ARCHIVE_URL = Pattern.compile(
            "https://(?<host>([a-z0-9-]+\\.)+[a-z]{2,})(:[0-9]+)?/([^\\s?#]*/)?"
                    + "[a-z][^\\s/?#]*[-_.v][0-9\u2026][^\\s/?#]*\\.(tar\\.gz|tgz|tar\\.xz|txz|tar\\.bz2|tbz2?|zip)",
            Pattern.CASE_INSENSITIVE);
    /** Hosts that serve whatever anyone uploads: never where a project's sources are published. */
    private static final Pattern UPLOAD_HOSTS = Pattern.compile(
            "(^|\\.)(discord(app)?\\.(com|net)|transfer\\.sh|dropbox(usercontent)?\\.com|mega\\.nz|anonfiles\\.com"
                    + "|file\\.io|gofile\\.io|pastebin\\.com|ngrok(-free)?\\.(io|app)|workers\\.dev|pages\\.dev"
                    + "|glitch\\.me|replit\\.(com|dev)|herokuapp\\.com|filebin\\.net|catbox\\.moe|4shared\\.com"
                    + "|mediafire\\.com|sendspace\\.com|temp\\.sh|bashupload\\.com)$");
    private static final Set<String> UNPACKERS = Set.of("tarfile.open", "tarfile.TarFile", "zipfile.ZipFile",
            "shutil.unpack_archive");
    private static final Set<String> EXECUTABLE_MARKERS = Set.of("os.chmod", "os.startfile", "os.fchmod");
    private static final Set<String> ENVIRONMENT_READS = Set.of("os.environ.get", "os.getenv", "os.environ.__getitem__");

    private static final FactKey<Boolean> BUILDS_ONLY = FactKey.ofPython("starts build tools only",
            SourceBuilds::buildsOnly);

    /**
     * The network call downloads a versioned source archive from a named HTTPS host into the build tree, in a
     * file that unpacks archives, starts no process other than build tools (compilers, make, the interpreter
     * running a script of the tree) and marks nothing executable.
     */
    public static boolean fetchesSourceArchive(DataFlow facts, Expr.Call c) {
        Optional<Expr> url = c.arg(0).or(() -> c.keyword("url"));
        if (url.isEmpty() || !Activity.network(facts, c)) {
            return false;
        }
        var m = SOURCE_ARCHIVE_URL.matcher(Commands.text(facts, facts.file(), url.get(), 0, new boolean[] {true})
                .strip());
        if (!m.matches() || UPLOAD_HOSTS.matcher(m.group("host").toLowerCase(java.util.Locale.ROOT)).find()) {
            return false;
        }
        Optional<Expr> saved = c.arg(1).or(() -> c.keyword("filename"));
        if (saved.isPresent() && !Activity.inBuildTree(facts, saved.get())) {
            return false;
        }
        return facts.file().fact(BUILDS_ONLY);
    }

    /**
     * The URL of the network call comes from the build's environment only ({@code url = os.environ.get(...)}),
     * with nothing of it written in the package: whoever runs the build chose it.
     */
    public static boolean urlFromEnvironment(DataFlow facts, Expr.Call c) {
        Optional<Expr> url = c.arg(0).or(() -> c.keyword("url"));
        if (url.isEmpty() || !Activity.network(facts, c)) {
            return false;
        }
        String text = Commands.text(facts, facts.file(), url.get(), 0, new boolean[] {true});
        if (!text.replace(Commands.UNKNOWN, "").isBlank()) {
            return false;
        }
        return readsEnvironment(facts, url.get(), 0);
    }

    private static boolean readsEnvironment(DataFlow facts, Expr e, int depth) {
        boolean[] found = {false};
        Nodes.walk(e, n -> {
            if (found[0]) {
                return;
            }
            if (n instanceof Expr.Call call && ENVIRONMENT_READS.contains(facts.name(call))
                    || n instanceof Expr.Subscript s && "os.environ".equals(Nodes.dottedName(s.value()))) {
                found[0] = true;
            } else if (n instanceof Expr.Name nm && depth < 3) {
                facts.assignedValue(nm.id()).filter(v -> v != e)
                        .ifPresent(v -> found[0] = readsEnvironment(facts, v, depth + 1));
            }
        });
        return found[0];
    }

    private static boolean buildsOnly(PythonFile f) {
        DataFlow facts = DataFlow.of(f);
        boolean unpacks = false;
        for (Expr.Call c : f.calls()) {
            String n = facts.name(c);
            if (EXECUTABLE_MARKERS.contains(n)
                    || Commands.of(facts, c).filter(cmd -> !cmd.benign()).isPresent()) {
                return false;
            }
            unpacks |= UNPACKERS.contains(n) || "extractall".equals(DataFlow.method(c));
        }
        return unpacks;
    }
}
