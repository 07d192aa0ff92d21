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
import java.util.Collections;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the exfiltration, network, persistence, backdoor and miner rules need to know about one Python
 * file, computed in a single walk and shared by those rules: every call with its resolved name and
 * {@link Capability}, every string constant, and which capabilities each function body (scope) has.
 * Scope 0 is the module body; every {@code def} and {@code lambda} opens a new scope.
 */
public final class CallFacts {

    /** Longest string the indicator patterns look at; longer blobs are payloads for the decoder. */
    static final int MAX_MATCHED_STRING = 8192;

    private static final FactKey<CallFacts> KEY = FactKey.ofPython("calls and strings", CallFacts::new);

    /** A call with what it resolves to. {@code qualifiedName} is empty when unresolved. */
    public record CallFact(Expr.Call call, String qualifiedName, String method, int scope, Set<Capability> caps) {
        public boolean is(Capability c) {
            return caps.contains(c);
        }
    }

    /**
     * A string constant. {@code text} is the value; {@code normalized} is lower case with backslashes as
     * slashes, for path matching. F-strings appear once with {@code {}} for each replacement field.
     */
    public record StringFact(Node node, String text, String normalized, int scope) {
    }

    private final PythonFile file;
    private final List<CallFact> calls = new ArrayList<>();
    private final List<StringFact> strings = new ArrayList<>();
    private final Set<StringFact> decoded = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private final List<EnumSet<Capability>> scopeCaps = new ArrayList<>();
    private final EnumSet<Capability> fileCaps = EnumSet.noneOf(Capability.class);
    /** Per scope: the scopes of the local functions it calls or hands on as callbacks. */
    private final List<Set<Integer>> callees = new ArrayList<>();
    /** Calls of local functions → the called function's scope. */
    private final Map<Expr.Call, Integer> calleeScopes = new IdentityHashMap<>();
    /** Per scope: simple assignments {@code name = value} made directly in it. */
    private final Map<Integer, Map<String, List<Expr>>> scopeAssigns = new HashMap<>();
    /** Capabilities a function has when it is handed on rather than called (callbacks, thread targets). */
    private static final Set<Capability> REFERENCE_CAPS = EnumSet.of(Capability.FINGERPRINT,
            Capability.CLIPBOARD_READ, Capability.SCREENSHOT, Capability.ENV_ALL);

    private CallFacts(PythonFile file) {
        this.file = file;
        scopeCaps.add(EnumSet.noneOf(Capability.class));
        callees.add(new HashSet<>());
        collect(file);
        addDecodedStrings();
    }

    /** The facts of a file, computed once per scan of the file. */
    public static CallFacts of(PythonFile file) {
        return file.fact(KEY);
    }

    /** The file these facts describe. */
    public PythonFile file() {
        return file;
    }

    public List<CallFact> calls() {
        return calls;
    }

    public List<StringFact> strings() {
        return strings;
    }

    /** True when the string is the decoded text of a base64/hex literal (see {@link #strings()}). */
    public boolean isDecoded(StringFact s) {
        return decoded.contains(s);
    }

    /** Capabilities of the code directly in this scope (nested functions not included). */
    public Set<Capability> scope(int scope) {
        return scopeCaps.get(scope);
    }

    /** Capabilities anywhere in the file. */
    public Set<Capability> fileCaps() {
        return fileCaps;
    }

    /** True when the scope has the capability, or (weaker) the file has it somewhere. */
    public boolean scopeHas(int scope, Capability c) {
        return scopeCaps.get(scope).contains(c);
    }

    private void collect(PythonFile file) {
        // the walk's stack as two parallel arrays (an item object per node was most of this pass's garbage)
        Node[] nodes = new Node[64];
        int[] scopes = new int[64];
        int top = 0;
        nodes[top] = file.module();
        scopes[top++] = 0;
        Map<Stmt.FunctionDef, Integer> defScopes = new IdentityHashMap<>();
        List<Expr.Call> callSites = new ArrayList<>();
        List<Integer> callScopes = new ArrayList<>();
        while (top > 0) {
            Node n = nodes[--top];
            nodes[top] = null;
            int scope = scopes[top];
            int childScope = scope;
            if (n instanceof Stmt.FunctionDef || n instanceof Expr.Lambda) {
                childScope = scopeCaps.size();
                scopeCaps.add(EnumSet.noneOf(Capability.class));
                callees.add(new HashSet<>());
                if (n instanceof Stmt.FunctionDef d) {
                    defScopes.put(d, childScope);
                }
            }
            if (n instanceof Stmt.ExprStmt es && es.value() instanceof Expr.Literal) {
                continue; // a docstring or a string used as a comment: documentation, not behaviour
            }
            if (n instanceof Stmt.Assign a && a.value().isPresent() && a.augOp().isEmpty()) {
                List<Expr> targets = a.targets();
                for (int i = 0, k = targets.size(); i < k; i++) {
                    if (targets.get(i) instanceof Expr.Name nm) {
                        scopeAssigns.computeIfAbsent(scope, x -> new HashMap<>())
                                .computeIfAbsent(nm.id(), x -> new ArrayList<>()).add(a.value().get());
                    }
                }
            }
            if (n instanceof Expr.Call c) {
                addCall(file, c, scope);
                callSites.add(c);
                callScopes.add(scope);
            } else if (n instanceof Expr.Literal l && l.value().isStringLike()) {
                addString(n, l.value().asText(), scope);
            } else if (n instanceof Expr.FString fs) {
                StringBuilder sb = new StringBuilder();
                for (Expr part : fs.parts()) {
                    if (part instanceof Expr.Literal l && l.value().isStringLike()) {
                        sb.append(l.value().asText());
                    } else {
                        sb.append("{}");
                    }
                }
                addString(n, sb.toString(), scope);
            } else if (n instanceof Expr.BinOp b && "+".equals(b.op())) {
                file.constant(b).filter(Const::isStringLike).ifPresent(k -> addString(n, k.asText(), scope));
            }
            List<? extends Node> kids = n.children();
            int k = kids.size();
            if (top + k > nodes.length) {
                int size = Math.max(nodes.length * 2, top + k);
                nodes = java.util.Arrays.copyOf(nodes, size);
                scopes = java.util.Arrays.copyOf(scopes, size);
            }
            for (int i = k - 1; i >= 0; i--) {
                nodes[top] = kids.get(i);
                scopes[top++] = childScope;
            }
        }
        clientCalls(file);
        linkCalls(file, defScopes, callSites, callScopes);
        this.defScopes = defScopes;
    }

    /** Methods of an HTTP client object that fetch, and those that send. */
    private static final Set<String> CLIENT_FETCH = Set.of("get", "head", "request", "stream", "open");
    private static final Set<String> CLIENT_SEND = Set.of("post", "put", "patch");

    /**
     * {@code session.get(url)} where {@code session = requests.Session()} (httpx.Client, aiohttp.ClientSession,
     * urllib3.PoolManager ...) is assigned once, in the calling function or at module level: the client was made
     * for that call, which fetches or sends like {@code requests.get}/{@code requests.post} does. The model names no
     * callee for a method of a call's result, so this is decided here once every assignment is known.
     */
    private void clientCalls(PythonFile file) {
        for (CallFact f : calls) {
            if (!f.qualifiedName().isEmpty() || !(f.call().callee() instanceof Expr.Attribute a)
                    || !(a.value() instanceof Expr.Name client)
                    || !CLIENT_FETCH.contains(a.attr()) && !CLIENT_SEND.contains(a.attr())) {
                continue;
            }
            List<Expr> values = assignedIn(f.scope(), client.id());
            if (values.isEmpty()) {
                values = assignedIn(0, client.id());
            }
            if (values.size() != 1 || !(values.get(0) instanceof Expr.Call made)) {
                continue;
            }
            Set<Capability> maker = Capability.named(file.calleeName(made).orElse(""));
            if (!maker.contains(Capability.FETCH) || maker.contains(Capability.SEND)) {
                continue;
            }
            EnumSet<Capability> caps = EnumSet.of(Capability.NETWORK,
                    CLIENT_SEND.contains(a.attr()) ? Capability.SEND : Capability.FETCH);
            f.caps().addAll(caps);
            scopeCaps.get(f.scope()).addAll(caps);
            fileCaps.addAll(caps);
        }
    }

    /** The scope of each function definition, for {@link #linkAttributes}. */
    private Map<Stmt.FunctionDef, Integer> defScopes;

    /**
     * Per method scope: the methods of the same class that read an attribute of {@code self} it assigns. Built
     * on first use (a pure function of the syntax tree): few files are ever asked.
     */
    private Map<Integer, Set<Integer>> attributeReaders;

    /**
     * Links the methods of each class through the attributes of {@code self} they share: {@code __init__}
     * storing {@code self.data = dict(os.environ)} and {@code run()} sending {@code self.data} are one flow.
     */
    private Map<Integer, Set<Integer>> attributeReaders() {
        if (attributeReaders == null) {
            attributeReaders = new HashMap<>();
            linkAttributes(file(), defScopes);
        }
        return attributeReaders;
    }

    private void linkAttributes(PythonFile file, Map<Stmt.FunctionDef, Integer> defScopes) {
        file.nodes().forEach(n -> {
            if (!(n instanceof Stmt.ClassDef cls)) {
                return;
            }
            Map<String, Set<Integer>> writers = new HashMap<>();
            Map<String, Set<Integer>> readers = new HashMap<>();
            for (Stmt st : cls.body()) {
                if (!(st instanceof Stmt.FunctionDef def) || def.params().isEmpty() || !defScopes.containsKey(def)) {
                    continue;
                }
                int scope = defScopes.get(def);
                String self = def.params().get(0).name();
                Nodes.walk(def, x -> {
                    if (x instanceof Stmt.Assign a && a.value().isPresent()) {
                        for (Expr t : a.targets()) {
                            if (t instanceof Expr.Attribute at && at.value() instanceof Expr.Name nm
                                    && nm.id().equals(self)) {
                                writers.computeIfAbsent(at.attr(), k -> new HashSet<>()).add(scope);
                            }
                        }
                    } else if (x instanceof Expr.Attribute at && at.value() instanceof Expr.Name nm
                            && nm.id().equals(self)) {
                        readers.computeIfAbsent(at.attr(), k -> new HashSet<>()).add(scope);
                    }
                });
            }
            writers.forEach((attr, ws) -> {
                for (int w : ws) {
                    for (int r : readers.getOrDefault(attr, Set.of())) {
                        if (r != w) {
                            attributeReaders.computeIfAbsent(w, k -> new HashSet<>()).add(r);
                        }
                    }
                }
            });
        });
    }

    /**
     * True when the scope has the capability, or another method of its class that reads an attribute this
     * scope stores on {@code self} has it (the data kept in {@code self.x} goes there).
     */
    public boolean scopeOrReadersHave(int scope, Capability c) {
        if (scopeCaps.get(scope).contains(c)) {
            return true;
        }
        for (int r : attributeReaders().getOrDefault(scope, Set.of())) {
            if (scopeCaps.get(r).contains(c)) {
                return true;
            }
        }
        return false;
    }

    /** Links each scope to the local functions it calls or passes on, once every function has its scope. */
    private void linkCalls(PythonFile file, Map<Stmt.FunctionDef, Integer> defScopes, List<Expr.Call> callSites,
                           List<Integer> callScopes) {
        LocalFunctions locals = LocalFunctions.of(file);
        for (int s = 0, n = callSites.size(); s < n; s++) {
            Expr.Call c = callSites.get(s);
            int scope = callScopes.get(s);
            // the callee (0), then the positional arguments, then the keywords' values, without a list of them
            List<Expr> args = c.args();
            List<Expr.Keyword> keywords = c.keywords();
            int refs = 1 + args.size() + keywords.size();
            for (int i = 0; i < refs; i++) {
                Expr r = i == 0 ? c.callee() : i <= args.size() ? args.get(i - 1)
                        : keywords.get(i - 1 - args.size()).value();
                if (!(r instanceof Expr.Name || r instanceof Expr.Attribute)) {
                    continue;
                }
                Optional<Stmt.FunctionDef> def = locals.referredBy(r);
                Integer target = def.isPresent() ? defScopes.get(def.get()) : null;
                if (target != null) {
                    callees.get(scope).add(target);
                    if (i == 0) {
                        calleeScopes.put(c, target);
                    }
                } else if (i > 0) {
                    // a library function handed on as a value (try_call(socket.gethostname), Thread(target=...))
                    String qn = file.qualifiedName(r).orElse("");
                    Set<Capability> known = qn.isEmpty() ? null : Capability.byName(qn);
                    if (known != null) {
                        for (Capability cap : known) {
                            if (REFERENCE_CAPS.contains(cap)) {
                                scopeCaps.get(scope).add(cap);
                                fileCaps.add(cap);
                            }
                        }
                    }
                }
            }
        }
    }

    /** The scope of the local function this call calls, or -1. */
    public int calleeScope(Expr.Call c) {
        return calleeScopes.getOrDefault(c, -1);
    }

    /** How many scopes the file has (the module is 0). */
    public int scopeCount() {
        return scopeCaps.size();
    }

    /** The values assigned to {@code name} directly in {@code scope}. */
    public List<Expr> assignedIn(int scope, String name) {
        return scopeAssigns.getOrDefault(scope, Map.of()).getOrDefault(name, List.of());
    }

    /**
     * The value a variable holds when it is assigned exactly once in the scope
     * ({@code d = user + '.collect.example.invalid'; gethostbyname(d)} gives the concatenation); any other
     * expression, or a name assigned elsewhere or several times, is returned as it is.
     */
    public Expr valueOf(int scope, Expr e) {
        if (e instanceof Expr.Name n) {
            List<Expr> values = assignedIn(scope, n.id());
            return values.size() == 1 ? values.get(0) : e;
        }
        return e;
    }

    /**
     * The scope and every scope it reaches by calling (or handing on) functions defined in this file,
     * transitively: what runs when this code runs.
     */
    public Set<Integer> reachable(int scope) {
        Set<Integer> seen = new LinkedHashSet<>();
        Deque<Integer> todo = new ArrayDeque<>();
        todo.push(scope);
        int max = file.limits().maxReachableFunctions();
        while (!todo.isEmpty() && seen.size() < max) {
            int s = todo.pop();
            if (seen.add(s)) {
                for (int t : callees.get(s)) {
                    todo.push(t);
                }
            }
        }
        if (todo.stream().anyMatch(s -> !seen.contains(s))) {
            file.limitReached("calls: what a call can do was followed through " + max
                    + " of the file's functions and scopes (maxReachableFunctions); the rest of the call graph was not");
        }
        return seen;
    }

    /** True when the scope or a local function it reaches has the capability. */
    public boolean reachHas(int scope, Capability c) {
        for (int s : reachable(scope)) {
            if (scopeCaps.get(s).contains(c)) {
                return true;
            }
        }
        return false;
    }

    /**
     * When the file decodes base64 or hex somewhere, the readable text that its encoded literals decode to
     * joins {@link #strings()} (same node and scope), so every indicator sees a URL, path or command that
     * was hidden by encoding. Which literal feeds which decoder is not tracked: helpers, lists and
     * variables in between are the usual way such strings are used.
     */
    private void addDecodedStrings() {
        boolean decodes = false;
        for (CallFact c : calls) {
            String last = c.qualifiedName().substring(c.qualifiedName().lastIndexOf('.') + 1);
            if (PythonApis.BASE64_HEX_DECODERS.contains(c.method()) || PythonApis.BASE64_HEX_DECODERS.contains(last)
                    || ("decode".equals(c.method()) || "codecs.decode".equals(c.qualifiedName()))
                    && textsWithin(c.call()).stream().anyMatch(t -> t.equalsIgnoreCase("base64")
                    || t.equalsIgnoreCase("hex") || t.equalsIgnoreCase("base64_codec"))) {
                decodes = true;
                break;
            }
        }
        if (!decodes) {
            return;
        }
        List<StringFact> plain = List.copyOf(strings);
        for (StringFact s : plain) {
            if (!(s.node() instanceof Expr.Literal)) {
                continue;
            }
            EncodedText.decode(s.text()).ifPresent(t -> {
                int before = strings.size();
                addString(s.node(), t, s.scope());
                if (strings.size() > before) {
                    decoded.add(strings.get(strings.size() - 1));
                }
            });
        }
    }

    private void addString(Node node, String text, int scope) {
        if (text.length() < 3) {
            return;
        }
        String t = text.length() > MAX_MATCHED_STRING ? text.substring(0, MAX_MATCHED_STRING) : text;
        strings.add(new StringFact(node, t, t.replace('\\', '/').toLowerCase(Locale.ROOT), scope));
    }

    private void addCall(PythonFile file, Expr.Call c, int scope) {
        String qn = file.calleeName(c).orElse("");
        String method = c.callee() instanceof Expr.Attribute a ? a.attr()
                : c.callee() instanceof Expr.Name nm ? nm.id() : "";
        EnumSet<Capability> caps = Capability.classify(this, c, qn, method);
        if (caps.contains(Capability.PROCESS) && !caps.contains(Capability.SEND)) {
            // cmd = f'curl -F "file=@{archive}" https://...'; os.system(cmd): the command held in a variable
            for (Expr a : c.args()) {
                if (a instanceof Expr.Name n) {
                    for (Expr v : assignedIn(scope, n.id())) {
                        if (Capability.uploadsWithTool(textsWithin(v))) {
                            caps.add(Capability.SEND);
                            caps.add(Capability.NETWORK);
                        }
                    }
                }
            }
        }
        CallFact fact = new CallFact(c, qn, method, scope, caps);
        calls.add(fact);
        scopeCaps.get(scope).addAll(caps);
        fileCaps.addAll(caps);
    }

    /** The constant text of an argument (positional index or keyword), when it has one. */
    public Optional<String> text(Expr.Call c, int index, String keyword) {
        Optional<Expr> e = c.arg(index);
        if (e.isEmpty() && keyword != null) {
            e = c.keyword(keyword);
        }
        return e.flatMap(this::text);
    }

    /** The constant text of an expression: a folded constant, or an f-string's template with {@code {}}. */
    public Optional<String> text(Expr e) {
        Optional<Const> k = file().constant(e);
        if (k.isPresent() && k.get().isStringLike()) {
            return Optional.of(k.get().asText());
        }
        if (e instanceof Expr.FString fs) {
            StringBuilder sb = new StringBuilder();
            for (Expr part : fs.parts()) {
                sb.append(part instanceof Expr.Literal l ? l.value().asText() : "{}");
            }
            return Optional.of(sb.toString());
        }
        if (e instanceof Expr.BinOp b && ("+".equals(b.op()) || "%".equals(b.op()))) {
            String l = text(b.left()).orElse("{}");
            String r = "%".equals(b.op()) ? "" : text(b.right()).orElse("{}");
            return Optional.of(l + r);
        }
        return Optional.empty();
    }

    /** All constant texts found anywhere inside an expression (arguments of nested calls included). */
    public List<String> textsWithin(Node root) {
        List<String> out = new ArrayList<>();
        Deque<Node> stack = new ArrayDeque<>();
        stack.push(root);
        int budget = 2000;
        while (!stack.isEmpty() && budget-- > 0) {
            Node n = stack.pop();
            if (n instanceof Expr.Literal l && l.value().isStringLike()) {
                out.add(l.value().asText());
            }
            for (Node k : n.children()) {
                stack.push(k);
            }
        }
        return out;
    }

    /** The qualified names of the expressions inside a node (calls' callees and bare names/attributes). */
    public boolean mentions(Node root, Set<String> qualifiedNames) {
        Deque<Node> stack = new ArrayDeque<>();
        stack.push(root);
        int budget = 2000;
        while (!stack.isEmpty() && budget-- > 0) {
            Node n = stack.pop();
            if ((n instanceof Expr.Name || n instanceof Expr.Attribute)
                    && file().qualifiedName((Expr) n).map(qualifiedNames::contains).orElse(false)) {
                return true;
            }
            for (Node k : n.children()) {
                stack.push(k);
            }
        }
        return false;
    }
}
