package dev.kingsnake.spi.facts;

import dev.kingsnake.spi.python.Const;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Node;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** What a single call does to the outside world: network, processes, files outside the build tree. */
public final class Activity {
    private Activity() {
    }

    /** True when the call talks to the network. */
    public static boolean network(DataFlow facts, Expr.Call c) {
        String n = facts.name(c);
        if (PythonApis.NETWORK_FUNCTIONS.contains(n) || PythonApis.NETWORK_CALLS.contains(n)) {
            return true;
        }
        if (PythonApis.NETWORK_HELPERS.contains(n)
                || PythonApis.NETWORK_CONFIGURATION_METHODS.contains(DataFlow.method(c))) {
            return false;
        }
        for (String p : PythonApis.NETWORK_MODULE_PREFIXES) {
            if (n.startsWith(p) && !n.contains(".exceptions.") && !n.contains(".parse.")) {
                return true;
            }
        }
        String m = DataFlow.method(c);
        return "urlopen".equals(m) || "urlretrieve".equals(m);
    }

    /** The command the call starts when it is not a benign build/probe command. */
    public static Optional<Commands.Command> process(DataFlow facts, Expr.Call c) {
        return Commands.of(facts, c).filter(cmd -> !cmd.benign());
    }

    /** Network code handed to another interpreter on its command line ({@code python3 -c "import requests ..."}). */
    private static final java.util.regex.Pattern INLINE_NETWORK =
            java.util.regex.Pattern.compile("requests\\.(get|post)\\(|urlopen\\(|socket\\.socket\\(");

    /**
     * The command the call starts when it reaches the network: a network tool (curl, wget, nc ...) or network code
     * given to another interpreter. Unlike {@link #process}, an interpreter call counts here however benign it looks.
     */
    public static Optional<Commands.Command> networkCommand(DataFlow facts, Expr.Call c) {
        return Commands.of(facts, c).filter(cmd -> cmd.networkTool() || INLINE_NETWORK.matcher(cmd.text()).find());
    }

    /** Calls that put a path outside the build tree: home, environment, site-packages. */
    static final Set<String> OUTSIDE_CALLS = Set.of("os.path.expanduser", "os.getenv", "os.environ.get",
            "pathlib.Path.home", "Path.home", "os.path.expandvars", "getpass.getuser", "site.getusersitepackages",
            "site.getsitepackages");
    /** Calls that put a path into the temporary directory: outside the build tree, but scratch space. */
    static final Set<String> TEMP_CALLS = Set.of("tempfile.gettempdir", "tempfile.mkdtemp", "tempfile.mkstemp");

    /** The written path when the call writes a file outside the package's build tree, else empty. */
    public static Optional<String> writeOutside(DataFlow facts, Expr.Call c) {
        return outsideWrite(facts, c).map(OutsideWrite::path);
    }

    /**
     * A write outside the build tree: the path as far as it is known, and whether the only thing that puts it
     * outside is the temporary directory (build scratch space, as opposed to home, AppData, startup folders,
     * absolute or environment-derived paths).
     */
    public record OutsideWrite(String path, boolean temporaryOnly) {
    }

    public static Optional<OutsideWrite> outsideWrite(DataFlow facts, Expr.Call c) {
        String n = facts.name(c);
        String m = DataFlow.method(c);
        Expr target = null;
        if (PythonApis.WRITE_OPENERS.contains(n) && c.arg(0).isPresent()) {
            Optional<Expr> mode = c.arg(1).or(() -> c.keyword("mode"));
            String md = mode.flatMap(facts.file()::constant).map(Const::asText).orElse("");
            if ("os.open".equals(n) ? mode.isPresent() : md.matches(".*[wax].*")) {
                target = c.arg(0).get();
            }
        } else if (PythonApis.COPIERS.contains(n) && c.args().size() >= 2) {
            target = c.args().get(1);
        } else if (("write_text".equals(m) || "write_bytes".equals(m)) && c.callee() instanceof Expr.Attribute a) {
            target = a.value();
        }
        if (target == null) {
            return Optional.empty();
        }
        Place place = outside(facts, target, 0);
        Expr shown = target instanceof Expr.Name nm ? facts.assignedValue(nm.id()).orElse(target) : target;
        return place == Place.BUILD_TREE ? Optional.empty()
                : Optional.of(new OutsideWrite(pathText(facts, shown), place == Place.TEMPORARY));
    }

    private static final Set<String> PATH_BUILDERS = Set.of("os.path.join", "pathlib.Path", "Path",
            "pathlib.PurePath", "posixpath.join", "ntpath.join");

    /** The path as far as it is known; {@code Path(a, 'b.txt')} and {@code os.path.join} read as {@code a/b.txt}. */
    private static String pathText(DataFlow facts, Expr e) {
        if (e instanceof Expr.Call c && PATH_BUILDERS.contains(facts.name(c)) && !c.args().isEmpty()) {
            List<String> parts = new ArrayList<>();
            for (Expr a : c.args()) {
                parts.add(Commands.text(facts, facts.file(), a, 0, new boolean[] {true}));
            }
            return String.join("/", parts);
        }
        return Commands.text(facts, facts.file(), e, 0, new boolean[] {true});
    }

    private enum Place { BUILD_TREE, TEMPORARY, ELSEWHERE }

    /** The path names a place in the package's build tree: not home, not temporary, not absolute. */
    static boolean inBuildTree(DataFlow facts, Expr path) {
        return outside(facts, path, 0) == Place.BUILD_TREE;
    }

    private static Place outside(DataFlow facts, Expr e, int depth) {
        Place found = Place.BUILD_TREE;
        Deque<Node> stack = new ArrayDeque<>();
        Map<Node, Boolean> continued = new IdentityHashMap<>();
        stack.push(e);
        int seen = 0;
        while (!stack.isEmpty() && seen++ < 2000) {
            Node n = stack.pop();
            if (n instanceof Expr.Call call) {
                String cn = facts.name(call);
                if (TEMP_CALLS.contains(cn)) {
                    found = Place.TEMPORARY;
                } else if (OUTSIDE_CALLS.contains(cn) || cn.endsWith(".home") || cn.endsWith("expanduser")) {
                    return Place.ELSEWHERE;
                }
            } else if (n instanceof Expr.Subscript s && dotted(s.value()).equals("os.environ")) {
                return Place.ELSEWHERE;
            } else if (n instanceof Expr.FString fs && fs.parts().size() > 1) {
                // f'{root}/include/x.h': a literal after a value continues that value's path, it does not start one
                for (int i = 1; i < fs.parts().size(); i++) {
                    if (fs.parts().get(i) instanceof Expr.Literal) {
                        continued.put(fs.parts().get(i), Boolean.TRUE);
                    }
                }
            } else if (n instanceof Expr.Literal l && l.value().isStringLike()) {
                String t = l.value().asText().toLowerCase(Locale.ROOT);
                boolean starts = !continued.containsKey(n);
                if (starts && (t.startsWith("/") && !t.startsWith("/.") || t.startsWith("~")
                        || t.matches("^[a-z]:[\\\\/].*") || t.startsWith("%"))
                        || t.contains("appdata") || t.contains(".bashrc")
                        || t.contains(".profile") || t.contains("\\startup")) {
                    return Place.ELSEWHERE;
                }
            } else if (n instanceof Expr.Name nm && depth < 2) {
                Optional<Expr> v = facts.assignedValue(nm.id());
                if (v.isPresent() && v.get() != e) {
                    Place p = outside(facts, v.get(), depth + 1);
                    if (p == Place.ELSEWHERE) {
                        return p;
                    }
                    if (p == Place.TEMPORARY) {
                        found = p;
                    }
                }
            }
            List<? extends Node> kids = n.children();
            for (int i = kids.size() - 1; i >= 0; i--) {
                stack.push(kids.get(i));
            }
        }
        return found;
    }

    private static String dotted(Expr e) {
        return dev.kingsnake.spi.python.Nodes.dottedName(e);
    }

    /** {@link #installTimeCalls}, computed once per file: three install rules ask it of every file. */
    private static final dev.kingsnake.spi.FactKey<List<Expr.Call>> INSTALL_TIME_CALLS =
            dev.kingsnake.spi.FactKey.ofPython("install-time calls", Activity::findInstallTimeCalls);

    /** The calls of a file that run at install time, in source order (unmodifiable; computed once per file). */
    public static List<Expr.Call> installTimeCalls(dev.kingsnake.spi.PythonFile f) {
        return f.fact(INSTALL_TIME_CALLS);
    }

    private static List<Expr.Call> findInstallTimeCalls(dev.kingsnake.spi.PythonFile f) {
        List<Expr.Call> out = new ArrayList<>();
        List<Expr.Call> calls = f.calls();
        for (int i = 0, n = calls.size(); i < n; i++) {
            Expr.Call c = calls.get(i);
            if (reach(f, c) == dev.kingsnake.Reach.INSTALL_TIME) {
                out.add(c);
            }
        }
        return out.isEmpty() ? List.of() : java.util.Collections.unmodifiableList(out);
    }

    /** When the code at {@code n} runs; a decoded layer runs when its outer literal's code runs. */
    public static dev.kingsnake.Reach reach(dev.kingsnake.spi.PythonFile f, Node n) {
        dev.kingsnake.Reach r = f.reach(n);
        if (r == dev.kingsnake.Reach.UNKNOWN && !f.decodeChain().isEmpty()) {
            return f.origin().reach();
        }
        return r;
    }
}
