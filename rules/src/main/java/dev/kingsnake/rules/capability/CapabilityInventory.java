package dev.kingsnake.rules.capability;

import dev.kingsnake.Reach;
import dev.kingsnake.rules.shared.PrefilteredPatterns;
import dev.kingsnake.spi.FactKey;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.facts.NonAscii;
import dev.kingsnake.spi.facts.PythonApis;
import dev.kingsnake.spi.facts.SourceChars;
import dev.kingsnake.spi.python.Const;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Node;
import dev.kingsnake.spi.python.Nodes;
import dev.kingsnake.spi.python.Stmt;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every capability of one Python file, found in one pass over its nodes: calls by their resolved name, string
 * constants by shape, identifiers and source characters for Unicode tricks. Computed once per file and shared by
 * the capability rules.
 */
final class CapabilityInventory {

    /**
     * One place in the file that has a capability; {@code what} names the call or the matched text, {@code scope}
     * the enclosing function ({@code ""} at module level).
     */
    record Hit(CapabilityKind kind, int line, int column, Reach reach, String scope, String what) {
    }

    /** Collects the hits of one file, each with its reach and enclosing function. */
    private record Hits(PythonFile file, List<Hit> list) {
        void add(CapabilityKind kind, Node at, String what) {
            add(kind, at.line(), at.column(), at, what);
        }

        /** A hit at {@code line:column} that runs when {@code near}, a node on that line, runs. */
        void add(CapabilityKind kind, int line, int column, Node near, String what) {
            String scope = file.enclosingFunction(near).map(f -> f.name() + "@" + f.line() + ":" + f.column())
                    .orElse("");
            list.add(new Hit(kind, line, column, file.reach(near), scope, what));
        }
    }

    private static final FactKey<CapabilityInventory> KEY =
            FactKey.ofPython("capability inventory", file -> new CapabilityInventory(scan(file)));

    private static final Set<String> COMPUTED_IMPORTS = Set.of("__import__", "importlib.import_module",
            "importlib.__import__");
    private static final Set<String> OPENERS = Set.of("open", "io.open", "codecs.open", "builtins.open");
    /** Calls whose second argument is a destination path. */
    private static final Set<String> COPIERS = Set.of("shutil.copy", "shutil.copy2", "shutil.copyfile",
            "shutil.copytree", "shutil.move", "os.rename", "os.replace", "os.symlink", "os.link",
            "urllib.request.urlretrieve");
    private static final Set<String> PATH_WRITERS = Set.of("write_text", "write_bytes");
    /** Values that make a path lie outside the package. */
    private static final Set<String> OUTSIDE_ROOTS = Set.of("os.path.expanduser", "os.path.expandvars",
            "pathlib.Path.home", "tempfile.gettempdir", "tempfile.mkdtemp", "tempfile.mkstemp", "os.getenv",
            "os.environ", "os.environ.get", "os.getcwd", "pathlib.Path.cwd", "site.getsitepackages",
            "site.getusersitepackages", "sysconfig.get_paths", "sysconfig.get_path");
    private static final Pattern OUTSIDE_PATH = Pattern.compile("^(/|~|[A-Za-z]:[\\\\/]|%[A-Za-z]+%|\\$[A-Z{])");
    private static final Set<String> SETUP_CALLS = Set.of("setup", "setuptools.setup", "distutils.core.setup");
    private static final Set<String> SETUP_COMMAND_MODULES = Set.of("setuptools.command.", "distutils.command.");
    private static final Set<String> SERVER_METHODS = Set.of("bind", "listen");
    private static final Set<String> CLIPBOARD_METHODS = Set.of("clipboard_get", "clipboard_append",
            "clipboard_clear");
    /** Win32 input APIs, called through ctypes (ctypes.windll.user32.GetAsyncKeyState). */
    private static final Set<String> INPUT_HOOK_APIS = Set.of("SetWindowsHookExA", "SetWindowsHookExW",
            "SetWindowsHookEx", "GetAsyncKeyState", "GetKeyState", "GetKeyboardState");
    private static final Set<String> PIXEL_READS = Set.of("getpixel", "getdata");

    /** A string shape. */
    private record Shape(CapabilityKind kind, String label, Pattern pattern) {
        Optional<String> find(String text) {
            Matcher m = pattern.matcher(text);
            return m.find() ? Optional.of(m.group()) : Optional.empty();
        }
    }

    /** String shapes, matched on the lower-cased text with backslashes as slashes unless noted. */
    private static final List<Shape> SHAPES = List.of(
            new Shape(CapabilityKind.CREDENTIAL_STORE, "credential file", Pattern.compile(
                    "\\.ssh/(id_|authorized_keys|known_hosts)|\\.aws/credentials|\\.netrc\\b|\\.pypirc|"
                            + "\\.docker/config\\.json|\\.git-credentials|\\.kube/config|\\.npmrc|/etc/shadow|"
                            + "\\blogin data\\b|key4\\.db|logins\\.json|\\bwallet\\.dat|\\.config/gcloud|"
                            + "\\.azure/|login\\.keychain|\\.gnupg/")),
            new Shape(CapabilityKind.LINK, "paste site", Pattern.compile(
                    "\\b(pastebin\\.com|paste\\.ee|hastebin\\.com|ghostbin\\.\\w+|rentry\\.(co|org)|termbin\\.com|"
                            + "dpaste\\.(com|org)|controlc\\.com|pastes\\.io|paste\\.rs|justpaste\\.it)\\b")),
            new Shape(CapabilityKind.LINK, "URL shortener", Pattern.compile(
                    "://(bit\\.ly|tinyurl\\.com|is\\.gd|goo\\.gl|cutt\\.ly|rb\\.gy|shorturl\\.at|tiny\\.cc|ow\\.ly|"
                            + "t\\.ly|v\\.gd|rebrand\\.ly)/")),
            new Shape(CapabilityKind.LINK, "webhook or request catcher", Pattern.compile(
                    "discord(app)?\\.com/api/webhooks|hooks\\.slack\\.com|api\\.telegram\\.org/bot|webhook\\.site|"
                            + "\\.pipedream\\.net|requestbin|\\.interact\\.sh|\\.oast\\.(fun|me|pro|live|site|online)|"
                            + "burpcollaborator\\.net|canarytokens")),
            new Shape(CapabilityKind.LINK, "tunnel", Pattern.compile(
                    "\\.ngrok(-free)?\\.(io|app|dev)|trycloudflare\\.com|serveo\\.net|\\.loca\\.lt\\b|"
                            + "localtunnel\\.me|pagekite\\.me|bore\\.pub|localhost\\.run|\\.playit\\.gg")),
            new Shape(CapabilityKind.LINK, "anonymous file share", Pattern.compile(
                    "://(transfer\\.sh|anonfiles\\.com|file\\.io|gofile\\.io|0x0\\.st|temp\\.sh|files\\.catbox\\.moe|"
                            + "filebin\\.net|bashupload\\.com)\\b")),
            new Shape(CapabilityKind.LINK, "raw IP address", Pattern.compile(
                    "^[a-z][a-z0-9+.-]*://(?!(127|10|0)\\.|192\\.168\\.|172\\.(1[6-9]|2\\d|3[01])\\.)"
                            + "\\d{1,3}(\\.\\d{1,3}){3}([:/?#]|$)")),
            new Shape(CapabilityKind.LINK, "throw-away top-level domain", Pattern.compile(
                    "^[a-z][a-z0-9+.-]*://[^/:?#@\\s]+\\.(tk|ml|ga|cf|gq|xyz|top|icu|buzz|click|monster|rest|cyou|sbs)"
                            + "([:/?#]|$)")));
    /** Case-sensitive names of loader and input-hook entry points. */
    private static final List<Shape> EXACT_SHAPES = List.of(
            new Shape(CapabilityKind.LOADER_HIJACK, "loader injection", Pattern.compile(
                    "\\b(LD_PRELOAD|DYLD_INSERT_LIBRARIES|LD_LIBRARY_PATH|DYLD_LIBRARY_PATH|SetDllDirectory[AW]?|"
                            + "AddDllDirectory)\\b|/etc/ld\\.so\\.preload")),
            new Shape(CapabilityKind.KEYBOARD_HOOK, "input hook API", Pattern.compile(
                    "\\b(SetWindowsHookEx[AW]?|GetAsyncKeyState|GetKeyState)\\b")),
            new Shape(CapabilityKind.NATIVE_CODE, "library loader API", Pattern.compile(
                    "\\b(LoadLibrary(Ex)?[AW]?|dlopen)\\b")));
    /**
     * The prefilters of the shapes' regexes (literals one of which every match contains), read in one pass, so
     * that a regex runs only on the few strings that may match it.
     */
    private static final PrefilteredPatterns SHAPE_FILTER = new PrefilteredPatterns(
            SHAPES.stream().map(Shape::pattern).toList());
    private static final PrefilteredPatterns EXACT_SHAPE_FILTER = new PrefilteredPatterns(
            EXACT_SHAPES.stream().map(Shape::pattern).toList());
    /** Longer strings are data (embedded files, payloads), not links or paths; other rules decode them. */
    private static final int MAX_SHAPE_TEXT = 4096;

    private final List<Hit> hits;

    private CapabilityInventory(List<Hit> hits) {
        this.hits = List.copyOf(hits);
    }

    static CapabilityInventory of(PythonFile file) {
        return file.fact(KEY);
    }

    List<Hit> hits(CapabilityKind kind) {
        return hits.stream().filter(h -> h.kind() == kind).toList();
    }

    private static List<Hit> scan(PythonFile file) {
        Hits out = new Hits(file, new ArrayList<>());
        boolean socket = false;
        boolean imagesImported = false;
        List<Expr.Call> serverCandidates = new ArrayList<>();
        List<Expr.Call> pixelReads = new ArrayList<>();
        // a name is read from the text: in a file of ASCII characters only, none can be non-ASCII
        boolean asciiText = NonAscii.firstOffset(file) < 0;
        for (Node n : file.nodes()) {
            if (n instanceof Expr.Call c) {
                Optional<String> name = file.calleeName(c);
                String method = c.callee() instanceof Expr.Attribute a ? a.attr() : "";
                name.ifPresent(qn -> call(file, c, qn, out));
                socket |= name.filter(qn -> qn.equals("socket.socket")).isPresent();
                if (SERVER_METHODS.contains(method)) {
                    serverCandidates.add(c);
                } else if (CLIPBOARD_METHODS.contains(method)) {
                    out.add(CapabilityKind.CLIPBOARD, c, method);
                } else if (PIXEL_READS.contains(method)) {
                    pixelReads.add(c);
                } else if (PATH_WRITERS.contains(method) && c.callee() instanceof Expr.Attribute a
                        && outside(file, a.value())) {
                    out.add(CapabilityKind.FILE_WRITE, c, method);
                }
            } else if (n instanceof Expr.Literal lit && lit.value() instanceof Const.Str s) {
                strings(s.value(), lit, out);
            } else if (n instanceof Expr.Attribute a && a.attr().equals("environ")
                    && file.qualifiedName(a).filter("os.environ"::equals).isPresent()) {
                out.add(CapabilityKind.ENVIRONMENT, a, "os.environ");
            } else if (n instanceof Expr.Name name && !asciiText && !isAscii(name.id())) {
                out.add(CapabilityKind.UNICODE, name, "non-ASCII identifier " + name.id());
            } else if (n instanceof Stmt.ClassDef cls) {
                for (Expr base : cls.bases()) {
                    file.qualifiedName(base).filter(qn -> SETUP_COMMAND_MODULES.stream().anyMatch(qn::startsWith))
                            .ifPresent(qn -> out.add(CapabilityKind.INSTALL_HOOK, cls,
                                    "class " + cls.name() + " overrides " + qn));
                }
            } else if (n instanceof Stmt.Import imp) {
                imagesImported |= imp.names().stream().anyMatch(a -> isImageModule(a.name()));
            } else if (n instanceof Stmt.ImportFrom imp) {
                imagesImported |= isImageModule(imp.module());
            }
        }
        if (socket) {
            serverCandidates.forEach(c -> out.add(CapabilityKind.NETWORK_SERVER, c,
                    ((Expr.Attribute) c.callee()).attr() + " on a socket"));
        }
        if (imagesImported) {
            pixelReads.forEach(c -> out.add(CapabilityKind.STEGANOGRAPHY, c,
                    ((Expr.Attribute) c.callee()).attr() + " of an image"));
        }
        invisibleCharacters(file, out);
        return out.list();
    }

    private static boolean isImageModule(String module) {
        return module.equals("PIL") || module.startsWith("PIL.") || module.equals("imageio");
    }

    private static void call(PythonFile file, Expr.Call c, String qn, Hits out) {
        PythonApis.use(qn).ifPresent(use -> out.add(CapabilityKind.of(use), c, qn));
        if (INPUT_HOOK_APIS.contains(qn.substring(qn.lastIndexOf('.') + 1))) {
            out.add(CapabilityKind.KEYBOARD_HOOK, c, qn);
        }
        if (COMPUTED_IMPORTS.contains(qn) && !c.args().isEmpty() && file.constant(c.args().get(0)).isEmpty()) {
            out.add(CapabilityKind.DYNAMIC_CODE, c, qn + " of a computed name");
        }
        if (SETUP_CALLS.contains(qn) && c.keywords().stream().anyMatch(k -> "cmdclass".equals(k.name()))) {
            out.add(CapabilityKind.INSTALL_HOOK, c, qn + "(cmdclass=...)");
        }
        if (OPENERS.contains(qn) && !c.args().isEmpty() && writes(file, c) && outside(file, c.args().get(0))) {
            out.add(CapabilityKind.FILE_WRITE, c, qn);
        }
        if (COPIERS.contains(qn) && c.args().size() > 1 && outside(file, c.args().get(1))) {
            out.add(CapabilityKind.FILE_WRITE, c, qn);
        }
    }

    /** An open() whose mode writes, appends, creates or updates. */
    private static boolean writes(PythonFile file, Expr.Call c) {
        Expr mode = c.args().size() > 1 ? c.args().get(1) : null;
        for (Expr.Keyword k : c.keywords()) {
            if ("mode".equals(k.name())) {
                mode = k.value();
            }
        }
        if (mode == null) {
            return false;
        }
        String m = file.constant(mode).map(Const::asText).orElse("");
        return m.indexOf('w') >= 0 || m.indexOf('a') >= 0 || m.indexOf('x') >= 0 || m.indexOf('+') >= 0;
    }

    /** A path built from the home, temp or working directory, the environment, or an absolute constant. */
    private static boolean outside(PythonFile file, Expr path) {
        boolean[] found = {false};
        Nodes.walk(path, n -> {
            if (found[0]) {
                return;
            }
            if (n instanceof Expr.Call c) {
                found[0] = file.calleeName(c).filter(OUTSIDE_ROOTS::contains).isPresent();
            } else if (n instanceof Expr.Attribute a) {
                found[0] = file.qualifiedName(a).filter(OUTSIDE_ROOTS::contains).isPresent();
            }
        });
        if (found[0]) {
            return true;
        }
        Expr first = path instanceof Expr.BinOp b ? b.left() : path;
        return file.constant(first).map(Const::asText).filter(t -> OUTSIDE_PATH.matcher(t).find()).isPresent();
    }

    private static void strings(String text, Node at, Hits out) {
        if (text.length() > MAX_SHAPE_TEXT || text.length() < 4) {
            return;
        }
        String normalized = text.toLowerCase(Locale.ROOT).replace('\\', '/');
        shapes(SHAPES, SHAPE_FILTER.candidates(normalized), normalized, at, out);
        shapes(EXACT_SHAPES, EXACT_SHAPE_FILTER.candidates(text), text, at, out);
    }

    private static void shapes(List<Shape> shapes, long candidates, String text, Node at, Hits out) {
        for (int i = 0; i < shapes.size(); i++) {
            Shape s = shapes.get(i);
            if ((candidates & 1L << i) != 0) {
                s.find(text).ifPresent(found -> out.add(s.kind(), at, s.label() + " " + found));
            }
        }
    }

    /** Zero-width, bidirectional and other invisible format characters anywhere in the source. */
    private static void invisibleCharacters(PythonFile file, Hits out) {
        int nonAscii = NonAscii.firstOffset(file);
        if (nonAscii < 0) {
            return;
        }
        SourceChars text = SourceChars.of(file);
        // lines are counted, and the first node of each line found, only once a character is found (rarely)
        Map<Integer, Node> firstOnLine = null;
        int line = 1;
        int lineStart = 0;
        int counted = 0;
        for (int i = nonAscii; i < text.length(); i++) {
            char ch = text.charAt(i);
            // U+00AD is the first format character: the common case costs one comparison
            if (ch >= '\u00AD' && Character.getType(ch) == Character.FORMAT && !(ch == '\uFEFF' && i == 0)) {
                for (; counted < i; counted++) {
                    if (text.charAt(counted) == '\n') {
                        line++;
                        lineStart = counted + 1;
                    }
                }
                int column = i - lineStart + 1;
                if (firstOnLine == null) {
                    firstOnLine = firstNodeOfEachLine(file);
                }
                String what = String.format(Locale.ROOT, "invisible character U+%04X", (int) ch);
                Node near = firstOnLine.get(line);
                if (near == null) { // a comment line: no code to take the reach from
                    out.list().add(new Hit(CapabilityKind.UNICODE, line, column, Reach.UNKNOWN, "", what));
                } else {
                    out.add(CapabilityKind.UNICODE, line, column, near, what);
                }
            }
        }
    }

    private static Map<Integer, Node> firstNodeOfEachLine(PythonFile file) {
        Map<Integer, Node> first = new java.util.HashMap<>();
        for (Node n : file.nodes()) {
            if (n.line() > 0) {
                first.putIfAbsent(n.line(), n);
            }
        }
        return first;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7f) {
                return false;
            }
        }
        return true;
    }
}
