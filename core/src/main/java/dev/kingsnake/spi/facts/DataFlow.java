package dev.kingsnake.spi.facts;

import dev.kingsnake.spi.FactKey;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.python.Const;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Node;
import dev.kingsnake.spi.python.Nodes;
import dev.kingsnake.spi.python.Stmt;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Facts about one Python file shared by the execution, process, install and obfuscation rules: the
 * normalised name of every call, and where data comes from (network, decoding, file reads), tracked
 * through simple assignments. Computed once per scan of a file (a fact of the file).
 */
public final class DataFlow {

    /** Where a value comes from. */
    /**
     * Where a value comes from. NETWORK is anything received from the network; FETCHED is added when it was
     * fetched from a URL (HTTP, FTP, a download tool) rather than received on a socket the program holds (IPC,
     * RPC and remote-execution frameworks exchange code that way by design).
     */
    public enum Taint { NETWORK, FETCHED, DECODE, FILE_READ, STDIN }

    /** Nodes one data-flow question may visit: this fraction of {@link dev.kingsnake.Limits#maxAnalysisSteps()}. */
    static final int WALK_SHARE_OF_STEPS = 1_000;
    private static final FactKey<DataFlow> KEY = FactKey.ofPython("data flow", DataFlow::new);

    private final PythonFile file;
    private final long maxWalk;
    private final Map<Expr.Call, String> names;
    /** {@link Commands#of} per call, filled as rules ask. */
    final Map<Expr.Call, Optional<Commands.Command>> commands = new IdentityHashMap<>();
    /** {@link ExecSinks#of} per call, filled as rules ask. */
    final Map<Expr.Call, Optional<ExecSinks.Use>> execSinks = new IdentityHashMap<>();

    /**
     * The answer {@code memo} keeps for the call, computed on the first question: what several rules ask of every
     * call depends only on the file's facts, which do not change once computed.
     */
    <T> Optional<T> perCall(Map<Expr.Call, Optional<T>> memo, Expr.Call c,
                            java.util.function.BiFunction<DataFlow, Expr.Call, Optional<T>> compute) {
        Optional<T> known = memo.get(c);
        if (known == null) {
            known = compute.apply(this, c);
            memo.put(c, known);
        }
        return known;
    }
    /**
     * Taint of names per scope ({@code "3:reply"}: the name {@code reply} in the function numbered 3; {@code "m:x"}
     * at module level): a {@code reply} received from a socket in one function says nothing about an unrelated
     * {@code reply} in another.
     */
    private final Map<Object, Map<String, Set<Taint>>> nameTaint = new IdentityHashMap<>();
    /** Scope-qualified names bound in their function (assigned, with-targets, parameters): not globals there. */
    private final Map<Object, Set<String>> localNames = new IdentityHashMap<>();
    /** The scope of module-level names in {@link #nameTaint} and {@link #localNames} (a function's is its def). */
    private static final Object MODULE = new Object();
    private final Map<String, Expr> assigned = new HashMap<>();
    /** The last plain assignment of each simple name, and the {@code name += value} statements of the file. */
    private final Map<String, Stmt.Assign> lastAssign = new HashMap<>();
    private final Map<String, List<Stmt.Assign>> appends = new HashMap<>();
    private final List<Stmt.Assign> assigns = new ArrayList<>();
    private final Map<Stmt.FunctionDef, Set<Taint>> returnTaint = new IdentityHashMap<>();
    private int returnDepth;
    private static final int MAX_RETURN_DEPTH = 6;
    /** Helpers longer than this are not followed: their result is not simply "the decoded input". */
    private static final int MAX_HELPER_STATEMENTS = 12;

    private DataFlow(PythonFile file) {
        this.file = file;
        this.maxWalk = Math.max(1, file.limits().maxAnalysisSteps() / WALK_SHARE_OF_STEPS);
        List<Expr.Call> calls = file.calls();
        this.names = new IdentityHashMap<>(Math.max(16, calls.size()));
        for (int i = 0, n = calls.size(); i < n; i++) {
            Expr.Call c = calls.get(i);
            names.put(c, resolve(file, c));
        }
        List<Stmt.WithItem> withs = new ArrayList<>();
        List<Node> nodes = file.nodes();
        for (int i = 0, n = nodes.size(); i < n; i++) {
            Node node = nodes.get(i);
            if (node instanceof Stmt.Assign a) {
                assigns.add(a);
            } else if (node instanceof Stmt.WithItem w) {
                withs.add(w);
            } else if (node instanceof Stmt.FunctionDef def) {
                for (Stmt.Param p : def.params()) {
                    localNames.computeIfAbsent(def, k -> new HashSet<>()).add(p.name());
                }
            }
        }
        for (Stmt.Assign a : assigns) {
            for (Expr t : a.targets()) {
                local(t);
                if (t instanceof Expr.Name nm && a.value().isPresent() && a.augOp().isEmpty()) {
                    assigned.put(nm.id(), a.value().get());
                    lastAssign.put(nm.id(), a);
                } else if (t instanceof Expr.Name nm && a.value().isPresent() && "+=".equals(a.augOp().get())) {
                    appends.computeIfAbsent(nm.id(), k -> new ArrayList<>()).add(a);
                }
            }
        }
        for (Stmt.WithItem w : withs) {
            w.target().ifPresent(this::local);
        }
        this.withs = withs;
    }

    /** With-statement items of the file, kept for the taint propagation. */
    private final List<Stmt.WithItem> withs;
    /** True once the name taint has been propagated (or is being propagated right now). */
    private boolean propagated;

    /**
     * Propagates taint through the file's assignments on the first question that needs it: most files are
     * never asked (no rule finds a sink in them), and for the others the result is the same as if it had
     * been computed up front.
     */
    private void ensurePropagated() {
        if (propagated) {
            return;
        }
        propagated = true;
        propagate(withs);
        if (downloadedFiles(withs)) {
            propagate(withs); // what is read back from those files is downloaded data too
        }
    }

    /** Handle name -> keys of the path it was opened on ({@code name:p}, {@code text:/tmp/x}, {@code attr:h}). */
    private final Map<String, Set<String>> handles = new HashMap<>();
    /** Keys of the paths this file writes downloaded data to. */
    private final Set<String> downloaded = new HashSet<>();

    /**
     * Files written with downloaded data ({@code h.write(response.text)}, {@code urlretrieve(url, p)}): reading
     * them back ({@code open(p).read()}) yields downloaded data. Returns true when there is any such file.
     */
    private boolean downloadedFiles(List<Stmt.WithItem> withs) {
        for (Stmt.WithItem w : withs) {
            if (w.target().isPresent() && w.target().get() instanceof Expr.Name h && w.context() instanceof Expr.Call c) {
                handle(h.id(), c);
            }
        }
        for (Stmt.Assign a : assigns) {
            if (a.value().isPresent() && a.value().get() instanceof Expr.Call c && a.targets().size() == 1
                    && a.targets().get(0) instanceof Expr.Name h) {
                handle(h.id(), c);
            }
        }
        for (Expr.Call c : names.keySet()) {
            String n = name(c);
            String m = method(c);
            if (("write".equals(m) || "writelines".equals(m) || "write_text".equals(m) || "write_bytes".equals(m))
                    && c.arg(0).isPresent() && taint(c.arg(0).get()).contains(Taint.NETWORK)
                    && c.callee() instanceof Expr.Attribute at) {
                if (at.value() instanceof Expr.Name h) {
                    downloaded.addAll(handles.getOrDefault(h.id(), Set.of()));
                } else if (at.value() instanceof Expr.Call inner) {
                    inner.arg(0).flatMap(this::pathKey).ifPresent(downloaded::add);
                }
            } else if (n.endsWith("urlretrieve") || "wget.download".equals(n)) {
                c.arg(1).or(() -> c.keyword(n.endsWith("urlretrieve") ? "filename" : "out"))
                        .flatMap(this::pathKey).ifPresent(downloaded::add);
            }
        }
        if (downloaded.isEmpty()) {
            return false;
        }
        for (int round = 0; round < 2; round++) {
            for (Stmt.Assign a : assigns) {
                // staged = handle.name; copy = staged
                if (a.value().isPresent() && a.targets().size() == 1 && a.targets().get(0) instanceof Expr.Name t
                        && pathKey(a.value().get()).filter(downloaded::contains).isPresent()) {
                    downloaded.add("name:" + t.id());
                }
            }
        }
        return true;
    }

    private void handle(String name, Expr.Call c) {
        String n = name(c);
        if (PythonApis.OPENERS.contains(n) || n.endsWith("Path.open")) {
            c.arg(0).flatMap(this::pathKey).ifPresent(k -> handles.computeIfAbsent(name, x -> new HashSet<>()).add(k));
        } else if (PythonApis.TEMP_FILES.contains(n)) {
            handles.computeIfAbsent(name, x -> new HashSet<>()).add("attr:" + name);
        }
    }

    /** A comparable key for a path expression: a variable, a constant text, or a temp file's {@code .name}. */
    private Optional<String> pathKey(Expr e) {
        if (e instanceof Expr.Name nm) {
            return Optional.of("name:" + nm.id());
        }
        if (e instanceof Expr.Attribute a && "name".equals(a.attr()) && a.value() instanceof Expr.Name h) {
            return Optional.of("attr:" + h.id());
        }
        return file().constant(e).filter(Const::isStringLike).map(k -> "text:" + k.asText().strip());
    }

    /** True when a read call reads back a file this file wrote downloaded data to. */
    private boolean readsDownloadedFile(Expr.Call c) {
        if (downloaded.isEmpty() || !(c.callee() instanceof Expr.Attribute a)) {
            return false;
        }
        if (a.value() instanceof Expr.Call inner && PythonApis.OPENERS.contains(name(inner))) {
            return inner.arg(0).flatMap(this::pathKey).filter(downloaded::contains).isPresent();
        }
        return a.value() instanceof Expr.Name h
                && handles.getOrDefault(h.id(), Set.of()).stream().anyMatch(downloaded::contains);
    }

    /**
     * {@link #taint} of the value a code or process sink receives, plus DECODE when it is (or is a variable
     * assigned from) a call of a local decoding helper. Kept to sinks: the helpers' results flow into
     * ordinary names too, and a file-wide taint by name would reach unrelated code.
     */
    public Set<Taint> taintAtSink(Expr e) {
        ensurePropagated();
        Set<Taint> t = taint(e);
        if (!t.contains(Taint.DECODE) && callsLocalDecoder(e, 0)) {
            t.add(Taint.DECODE);
        }
        return t;
    }

    private boolean callsLocalDecoder(Expr e, int depth) {
        Deque<Node> stack = new ArrayDeque<>();
        stack.push(e);
        int seen = 0;
        while (!stack.isEmpty() && seen++ < 500) {
            Node n = stack.pop();
            if (n instanceof Expr.Call c && isLocalDecoder(c)) {
                return true;
            }
            if (n instanceof Expr.Name nm && depth < 2) {
                Expr v = assigned.get(nm.id());
                if (v != null && v != e && callsLocalDecoder(v, depth + 1)) {
                    return true;
                }
            }
            if (n instanceof Expr.Lambda) {
                continue;
            }
            for (Node k : n.children()) {
                stack.push(k);
            }
        }
        return false;
    }

    private void propagate(List<Stmt.WithItem> withs) {
        // two rounds propagate taint through one level of copies in any order
        for (int round = 0; round < 2; round++) {
            returnTaint.clear(); // helpers' results depend on the name taint found so far
            for (Stmt.Assign a : assigns) {
                if (a.value().isEmpty()) {
                    continue;
                }
                Set<Taint> t = taint(a.value().get());
                if (t.isEmpty()) {
                    continue;
                }
                for (Expr target : a.targets()) {
                    bind(target, t);
                }
            }
            for (Stmt.WithItem w : withs) {
                if (w.target().isPresent()) {
                    Set<Taint> t = taint(w.context());
                    if (!t.isEmpty()) {
                        bind(w.target().get(), t);
                    }
                }
            }
        }
        returnTaint.clear();
    }

    /**
     * True when the expression's value comes from a base64/hex/compression decode (directly, through the
     * variables it is built from, or through another local decoder): the strong decodes only, not chr(),
     * reversal or decrypt(), which ordinary helpers use for other ends.
     */
    private boolean decodesData(Expr e, int depth) {
        Deque<Node> stack = new ArrayDeque<>();
        stack.push(e);
        int seen = 0;
        while (!stack.isEmpty() && seen++ < 2000) {
            Node n = stack.pop();
            if (n instanceof Expr.Call c) {
                String nm = name(c);
                String last = nm.substring(nm.lastIndexOf('.') + 1);
                if (PythonApis.DATA_DECODE_METHODS.contains(method(c)) || PythonApis.DATA_DECODE_METHODS.contains(last)
                        || isLocalDecoder(c)
                        || ("codecs.decode".equals(nm) || "decode".equals(method(c))) && base64OrHexCodec(c)) {
                    return true;
                }
            } else if (n instanceof Expr.Name nm && depth < 3) {
                Expr v = assigned.get(nm.id());
                if (v != null && v != e && decodesData(v, depth + 1)) {
                    return true;
                }
            } else if (n instanceof Expr.Lambda) {
                continue;
            }
            for (Node k : n.children()) {
                stack.push(k);
            }
        }
        return false;
    }

    private boolean base64OrHexCodec(Expr.Call c) {
        for (Expr a : c.args()) {
            Optional<Const> k = file().constant(a);
            if (k.isPresent() && k.get().isStringLike()) {
                String codec = k.get().asText().toLowerCase(Locale.ROOT);
                if (codec.startsWith("base64") || codec.startsWith("hex") || codec.startsWith("zlib")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * True when the call is a decoder: a library decode/decompress call, or a function of this file that
     * returns decoded data, called by bare name or on {@code self}/{@code cls}.
     */
    public boolean isDecoderCall(Expr.Call c) {
        ensurePropagated();
        return PythonApis.DECODE_CALLS.contains(name(c)) || PythonApis.DECODE_METHODS.contains(method(c)) || isLocalDecoder(c);
    }

    /** A function of this file that decodes its argument and returns the result (see {@link #returnTaint}). */
    private boolean isLocalDecoder(Expr.Call c) {
        return LocalFunctions.of(file()).target(c).map(def -> returnTaint(def).contains(Taint.DECODE)).orElse(false);
    }

    /** The function a name is read or bound in (its def), or {@link #MODULE}. */
    private Object scope(Expr.Name nm) {
        Optional<Stmt.FunctionDef> def = file().enclosingFunction(nm);
        return def.isPresent() ? def.get() : MODULE;
    }

    private void local(Expr target) {
        if (target instanceof Expr.Name nm) {
            localNames.computeIfAbsent(scope(nm), k -> new HashSet<>()).add(nm.id());
        } else if (target instanceof Expr.Sequence s) {
            for (Expr e : s.elements()) {
                local(e);
            }
        }
    }

    /** The taint of a name where it is read: its own function's binding, else the module's. */
    private Set<Taint> nameTaint(Expr.Name nm) {
        if (nameTaint.isEmpty()) {
            return null; // nothing is tainted in this file (most files): no scope to look up
        }
        Object scope = scope(nm);
        Set<String> local = localNames.get(scope);
        Map<String, Set<Taint>> taints = nameTaint.get(local != null && local.contains(nm.id()) ? scope : MODULE);
        return taints == null ? null : taints.get(nm.id());
    }

    private void bind(Expr target, Set<Taint> t) {
        if (target instanceof Expr.Name nm) {
            nameTaint.computeIfAbsent(scope(nm), k -> new HashMap<>())
                    .computeIfAbsent(nm.id(), k -> EnumSet.noneOf(Taint.class)).addAll(t);
        } else if (target instanceof Expr.Sequence s) {
            for (Expr e : s.elements()) {
                bind(e, t);
            }
        }
    }

    public static DataFlow of(PythonFile file) {
        return file.fact(KEY);
    }

    /** The file these facts describe. */
    public PythonFile file() {
        return file;
    }

    /** The call's callee as a normalised qualified name ({@code builtins.exec} → {@code exec}), or "". */
    public String name(Expr.Call c) {
        String n = names.get(c);
        return n != null ? n : resolve(file(), c);
    }

    /** The last attribute of the callee ({@code x.y.decrypt(...)} → {@code decrypt}), or the bare name. */
    public static String method(Expr.Call c) {
        if (c.callee() instanceof Expr.Attribute a) {
            return a.attr();
        }
        if (c.callee() instanceof Expr.Name n) {
            return n.id();
        }
        return "";
    }

    private String resolve(PythonFile file, Expr.Call c) {
        Optional<String> q = file.calleeName(c);
        if (q.isEmpty() && c.callee() instanceof Expr.Name n && moduleDefinitions(file).contains(n.id())) {
            return ""; // soupsieve's own compile(): a module-level def shadows the builtin
        }
        return normalise(q.orElseGet(() -> Nodes.dottedName(c.callee())));
    }

    private Set<String> moduleDefinitions;

    /** Functions and classes defined at module level (inside top-level if/try blocks too). */
    private Set<String> moduleDefinitions(PythonFile file) {
        if (moduleDefinitions == null) {
            Set<String> out = new HashSet<>();
            Deque<Node> stack = new ArrayDeque<>(file.module().body());
            while (!stack.isEmpty()) {
                Node n = stack.pop();
                if (n instanceof Stmt.FunctionDef f) {
                    out.add(f.name());
                } else if (n instanceof Stmt.ClassDef k) {
                    out.add(k.name());
                } else if (n instanceof Stmt) {
                    for (Node kid : n.children()) {
                        if (kid instanceof Stmt) {
                            stack.push(kid);
                        }
                    }
                }
            }
            moduleDefinitions = out;
        }
        return moduleDefinitions;
    }

    public static String normalise(String n) {
        for (String p : new String[] {"builtins.", "__builtin__.", "__builtins__."}) {
            if (n.startsWith(p)) {
                return n.substring(p.length());
            }
        }
        return n;
    }

    /** The value last assigned to a simple name anywhere in the file, if any. */
    public Optional<Expr> assignedValue(String name) {
        return Optional.ofNullable(assigned.get(name));
    }

    /**
     * The values appended to a name with {@code name += value} in the function of its last plain assignment, in
     * source order: a command line built piece by piece ({@code cmd = f'cd {d} &&'; cmd += ' make'}) is all of
     * them, not its first piece.
     */
    public List<Expr> appendedValues(String name) {
        List<Stmt.Assign> added = appends.get(name);
        Stmt.Assign base = lastAssign.get(name);
        if (added == null || base == null) {
            return List.of();
        }
        Stmt.FunctionDef scope = file.enclosingFunction(base).orElse(null);
        List<Expr> out = new ArrayList<>();
        for (Stmt.Assign a : added) {
            if (a.line() > base.line() && file.enclosingFunction(a).orElse(null) == scope) {
                out.add(a.value().get());
            }
        }
        return out;
    }

    public List<Stmt.Assign> assigns() {
        return assigns;
    }

    /** Where the value of {@code e} may come from. */
    public Set<Taint> taint(Expr e) {
        ensurePropagated();
        Set<Taint> out = EnumSet.noneOf(Taint.class);
        Deque<Node> stack = new ArrayDeque<>();
        stack.push(e);
        long seen = 0;
        while (!stack.isEmpty() && seen++ < maxWalk) {
            Node n = stack.pop();
            if (n instanceof Expr.Call c) {
                classifyCall(c, out);
            } else if (n instanceof Expr.Name nm) {
                Set<Taint> t = nameTaint(nm);
                if (t != null) {
                    out.addAll(t);
                }
                if ("chr".equals(nm.id())) {
                    out.add(Taint.DECODE);
                }
            } else if (n instanceof Expr.Subscript sub && sub.index() instanceof Expr.Slice s && s.step().isPresent()
                    && isMinusOne(s.step().get()) && reversesText(sub.value())) {
                out.add(Taint.DECODE);
            } else if (n instanceof Expr.Lambda || n instanceof Expr.Literal) {
                continue;
            }
            List<? extends Node> kids = n.children();
            for (int i = kids.size() - 1; i >= 0; i--) {
                stack.push(kids.get(i));
            }
        }
        walkCut(stack);
        return out;
    }

    private void walkCut(Deque<Node> left) {
        if (!left.isEmpty()) {
            file.limitReached("data flow: a question of where a value comes from was cut after " + maxWalk
                    + " nodes (a " + WALK_SHARE_OF_STEPS + "th of maxAnalysisSteps)");
        }
    }

    private void classifyCall(Expr.Call c, Set<Taint> out) {
        String n = name(c);
        String m = method(c);
        LocalFunctions.of(file()).target(c).ifPresent(def -> out.addAll(returnTaint(def)));
        if (PythonApis.NETWORK_CALLS.contains(n) || PythonApis.NETWORK_METHODS.contains(m) || n.startsWith("requests.")
                && (m.equals("get") || m.equals("post") || m.equals("request"))) {
            out.add(Taint.NETWORK);
            if (!PythonApis.RECEIVING_CALLS.contains(n) && !PythonApis.RECEIVING_METHODS.contains(m)) {
                out.add(Taint.FETCHED);
            }
        }
        if (PythonApis.DECODE_CALLS.contains(n) || PythonApis.DECODE_METHODS.contains(m)) {
            out.add(Taint.DECODE);
        }
        if (PythonApis.STDIN_READS.contains(n) || "os.fdopen".equals(n) || readsNamedStdin(c, m) || readsHandedStream(c, m)
                || readsLineProtocol(c, m)
                || "os.read".equals(n) && c.arg(0).flatMap(file()::constant)
                .map(k -> k instanceof Const.Int i && i.value().intValue() == 0).orElse(false)) {
            out.add(Taint.STDIN);
        }
        if (("decode".equals(m) || "encode".equals(m) || "codecs.decode".equals(n) || "codecs.encode".equals(n))
                && codecArg(c)) {
            out.add(Taint.DECODE);
        }
        if (("bytes".equals(n) || "bytearray".equals(n)) && c.arg(0).isPresent()
                && (c.arg(0).get() instanceof Expr.Sequence || c.arg(0).get() instanceof Expr.Comprehension)) {
            out.add(Taint.DECODE);
        }
        if ("read".equals(m) || "read_text".equals(m) || "read_bytes".equals(m) || "readlines".equals(m)) {
            if (readsDownloadedFile(c)) {
                out.add(Taint.NETWORK);
                out.add(Taint.FETCHED);
            }
            if (c.callee() instanceof Expr.Attribute a && a.value() instanceof Expr.Call inner) {
                String in = name(inner);
                if (PythonApis.OPENERS.contains(in)) {
                    out.add(Taint.FILE_READ);
                }
            } else if (c.callee() instanceof Expr.Attribute a && a.value() instanceof Expr.Name nm
                    && nameTaint(nm) == null) {
                out.add(Taint.FILE_READ);
            }
        }
    }

    /**
     * {@code read_fh.readline()} where {@code read_fh} is a parameter of the enclosing function: a stream the
     * caller hands over (the pipe a worker talks to its parent through), not a payload the file carries.
     */
    private boolean readsHandedStream(Expr.Call c, String m) {
        if (!PythonApis.STREAM_READS.contains(m) || !(c.callee() instanceof Expr.Attribute a)
                || !(a.value() instanceof Expr.Name recv)) {
            return false;
        }
        return file().enclosingFunction(c).map(def -> def.params().stream()
                .anyMatch(p -> p.name().equals(recv.id()) && !p.name().equals("self"))).orElse(false);
    }

    /**
     * {@code fh.readline()} / {@code self._read_handle.readline()} on a stream that did not come from the network
     * nor from opening a named file: one line of a line-based exchange with another process (a worker and its
     * parent passing marshalled calls back and forth), not a payload the package carries. Payloads are read
     * whole, from a file the code names or from a URL.
     */
    private boolean readsLineProtocol(Expr.Call c, String m) {
        if (!"readline".equals(m) || !(c.callee() instanceof Expr.Attribute a)) {
            return false;
        }
        if (a.value() instanceof Expr.Name recv) {
            Set<Taint> t = nameTaint(recv);
            return (t == null || !t.contains(Taint.NETWORK) && !t.contains(Taint.FILE_READ))
                    && !openedOnNamedPath(recv);
        }
        return a.value() instanceof Expr.Attribute self && self.value() instanceof Expr.Name owner
                && owner.id().equals("self");
    }

    /** A handle opened on a path written in the file ({@code with open('payload.txt') as fh}). */
    private boolean openedOnNamedPath(Expr.Name handle) {
        Set<String> paths = handles.get(handle.id());
        return paths != null && paths.stream().anyMatch(k -> k.startsWith("text:"));
    }

    /** {@code stdin.read(n)}, {@code self.stdin.readline()}: a read on something named stdin (a pipe handed in). */
    private static boolean readsNamedStdin(Expr.Call c, String m) {
        if (!PythonApis.STREAM_READS.contains(m) || !(c.callee() instanceof Expr.Attribute a)) {
            return false;
        }
        String receiver = Nodes.dottedName(a.value());
        return receiver.equals("stdin") || receiver.endsWith(".stdin") || receiver.endsWith(".stdin.buffer");
    }

    /**
     * Where the values a local function returns come from ({@code def b64d(s): return base64.b64decode(s)}
     * makes every {@code b64d(...)} decoded data). Helpers calling helpers are followed a few levels deep.
     */
    private Set<Taint> returnTaint(Stmt.FunctionDef def) {
        Set<Taint> known = returnTaint.get(def);
        if (known != null) {
            return known;
        }
        if (returnDepth >= MAX_RETURN_DEPTH) {
            return Set.of();
        }
        returnTaint.put(def, EnumSet.noneOf(Taint.class)); // recursion guard
        if (def.params().isEmpty() && !fetches(def) || statements(def) > MAX_HELPER_STATEMENTS) {
            return Set.of();
        }
        returnDepth++;
        try {
            Set<Taint> out = EnumSet.noneOf(Taint.class);
            Deque<Node> stack = new ArrayDeque<>(def.body());
            long seen = 0;
            while (!stack.isEmpty() && seen++ < maxWalk) {
                Node n = stack.pop();
                if (n instanceof Stmt.FunctionDef || n instanceof Stmt.ClassDef) {
                    continue;
                }
                if (n instanceof Stmt.Return r) {
                    r.value().ifPresent(v -> out.addAll(taint(v)));
                    continue;
                }
                if (!(n instanceof Expr)) {
                    for (Node k : n.children()) {
                        stack.push(k);
                    }
                }
            }
            walkCut(stack);
            if (out.contains(Taint.DECODE) && !decodesParameter(def)) {
                out.remove(Taint.DECODE);
            }
            returnTaint.put(def, out);
            return out;
        } finally {
            returnDepth--;
        }
    }

    private static int statements(Stmt.FunctionDef def) {
        int[] n = {0};
        for (Stmt st : def.body()) {
            Nodes.walk(st, x -> {
                if (x instanceof Stmt) {
                    n[0]++;
                }
            });
        }
        return n[0];
    }

    private boolean fetches(Stmt.FunctionDef def) {
        boolean[] found = {false};
        Nodes.walk(def, x -> {
            if (!found[0] && x instanceof Expr.Call c) {
                String n = name(c);
                if (PythonApis.NETWORK_CALLS.contains(n) || PythonApis.NETWORK_METHODS.contains(method(c))) {
                    found[0] = true;
                }
            }
        });
        return found[0];
    }

    /**
     * True when a decoding call in the helper works on its parameters (directly or through local names
     * assigned from them): a decoder helper, not a function that happens to decode something of its own.
     */
    private boolean decodesParameter(Stmt.FunctionDef def) {
        Set<String> derived = new java.util.HashSet<>();
        for (Stmt.Param p : def.params()) {
            derived.add(p.name());
        }
        List<Stmt.Assign> local = new ArrayList<>();
        List<Expr.Call> calls = new ArrayList<>();
        Nodes.walk(def, x -> {
            if (x instanceof Stmt.Assign a) {
                local.add(a);
            } else if (x instanceof Expr.Call c) {
                calls.add(c);
            }
        });
        for (int round = 0; round < 3; round++) {
            for (Stmt.Assign a : local) {
                if (a.value().isPresent() && mentions(a.value().get(), derived)) {
                    for (Expr t : a.targets()) {
                        if (t instanceof Expr.Name nm) {
                            derived.add(nm.id());
                        }
                    }
                }
            }
        }
        for (Expr.Call c : calls) {
            String n = name(c);
            String m = method(c);
            boolean decodes = PythonApis.DECODE_CALLS.contains(n) || PythonApis.DECODE_METHODS.contains(m)
                    || ("decode".equals(m) || "codecs.decode".equals(n)) && codecArg(c);
            if (decodes && mentions(c, derived)) {
                return true;
            }
        }
        return false;
    }

    private static boolean mentions(Node root, Set<String> names) {
        boolean[] found = {false};
        Nodes.walk(root, x -> {
            if (x instanceof Expr.Name nm && names.contains(nm.id())) {
                found[0] = true;
            }
        });
        return found[0];
    }

    private boolean codecArg(Expr.Call c) {
        for (Expr a : c.args()) {
            Optional<Const> k = file().constant(a);
            if (k.isPresent() && PythonApis.DECODE_CODECS.contains(k.get().asText().toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code x[::-1]} decodes when x is text: a string or bytes constant, or a variable assigned one. Reversing a
     * list of names ({@code '.'.join(ids[::-1])}) hides nothing.
     */
    private boolean reversesText(Expr value) {
        Optional<Const> k = file().constant(value);
        if (k.isPresent()) {
            return k.get().isStringLike();
        }
        if (value instanceof Expr.Name nm) {
            Expr v = assigned.get(nm.id());
            return v != null && file().constant(v).map(Const::isStringLike).orElse(false);
        }
        return value instanceof Expr.Call || value instanceof Expr.Attribute;
    }

    private boolean isMinusOne(Expr e) {
        Optional<Const> k = file().constant(e);
        if (k.isPresent() && k.get() instanceof Const.Int i) {
            return i.value().intValue() == -1;
        }
        return e instanceof Expr.UnaryOp u && "-".equals(u.op()) && u.operand() instanceof Expr.Literal l
                && l.value() instanceof Const.Int i2 && i2.value().intValue() == 1;
    }

    /** True when the expression is a plain literal (not something folding computed). */
    public static boolean isLiteral(Expr e) {
        return e instanceof Expr.Literal;
    }
}
