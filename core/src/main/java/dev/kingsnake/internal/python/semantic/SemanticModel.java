package dev.kingsnake.internal.python.semantic;

import dev.kingsnake.Reach;
import dev.kingsnake.Limits;
import dev.kingsnake.internal.decode.ObfuscationSignals;
import dev.kingsnake.internal.python.PythonParser;
import dev.kingsnake.internal.facts.FactMemo;
import dev.kingsnake.spi.facts.SourceChars;
import dev.kingsnake.spi.FactKey;
import dev.kingsnake.spi.FileKind;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.ObfuscationSignal;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.SourceFile;
import dev.kingsnake.spi.python.Const;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Module;
import dev.kingsnake.spi.python.Node;
import dev.kingsnake.spi.python.Stmt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The semantic model of one Python file. Scopes, bindings and node contexts are built in one pass
 * when the model is created; names, constants and reach are evaluated lazily and memoized. All
 * queries are thread-safe (they serialise on the model).
 */
public final class SemanticModel implements PythonFile {
    /**
     * The default cap on strings, bytes and sequences that folding produces; the engine passes
     * {@link dev.kingsnake.Limits#maxDecodedBytesPerLayer()}.
     */
    public static final long DEFAULT_MAX_CONSTANT_LENGTH = 16L * 1024 * 1024;

    private final String path;
    private final byte[] bytes;
    private final String text;
    private final Module module;
    private final boolean parseErrors;
    private final List<String> decodeChain;
    private final Location origin;
    private final List<Expr.Call> calls;
    private final List<Stmt> imports;
    private final SymbolTable table;
    private final Evaluator evaluator;
    private final Optional<Reach> layerReach;
    private final boolean builtOnInstall;
    private final FactMemo facts = new FactMemo();
    private final Limits limits;
    /** Messages of the limits that cut an analysis of this file short, not yet collected by the engine. */
    private final Set<String> limitsReached = new LinkedHashSet<>();
    /** This model's own key: the signals are computed with the parser the model was given. */
    private final FactKey<List<ObfuscationSignal>> obfuscationSignals;
    private ReachAnalysis reach;
    private volatile int[] lineBounds;
    private List<Node> nodes;

    /**
     * @param origin for decoded layers, where the outer literal is; empty for real files
     */
    public SemanticModel(String path, byte[] bytes, String text, Module module, boolean parseErrors,
                         List<String> decodeChain, Optional<Location> origin) {
        this(path, bytes, text, module, parseErrors, decodeChain, origin, DEFAULT_MAX_CONSTANT_LENGTH);
    }

    /**
     * @param origin            for decoded layers, where the outer literal is; empty for real files
     * @param maxConstantLength the longest string, bytes or sequence constant folding may build
     */
    public SemanticModel(String path, byte[] bytes, String text, Module module, boolean parseErrors,
                         List<String> decodeChain, Optional<Location> origin, long maxConstantLength) {
        this(path, bytes, text, module, parseErrors, decodeChain, origin, maxConstantLength, true);
    }

    /**
     * @param builtOnInstall the file's package is built when installed (an sdist, a directory): setuptools
     *                       command classes outside setup.py may run at install time; in a wheel or egg they
     *                       cannot
     */
    public SemanticModel(String path, byte[] bytes, String text, Module module, boolean parseErrors,
                         List<String> decodeChain, Optional<Location> origin, long maxConstantLength,
                         boolean builtOnInstall) {
        this(path, bytes, text, module, parseErrors, decodeChain, origin, maxConstantLength, Limits.defaults(),
                builtOnInstall);
    }

    /**
     * The model a scan builds: constants folded up to the layer limit, and the strings the obfuscation signals
     * parse ({@code eval}'d text) parsed under the scan's own limits.
     */
    public SemanticModel(String path, byte[] bytes, String text, Module module, boolean parseErrors,
                         List<String> decodeChain, Optional<Location> origin, Limits limits, boolean builtOnInstall) {
        this(path, bytes, text, module, parseErrors, decodeChain, origin, limits.maxDecodedBytesPerLayer(), limits,
                builtOnInstall);
    }

    private SemanticModel(String path, byte[] bytes, String text, Module module, boolean parseErrors,
                          List<String> decodeChain, Optional<Location> origin, long maxConstantLength,
                          Limits limits, boolean builtOnInstall) {
        PythonParser expressions = new PythonParser(limits);
        this.limits = limits;
        this.obfuscationSignals = FactKey.ofPython("obfuscation signals",
                f -> ObfuscationSignals.detect(f, expressions, limits));
        this.builtOnInstall = builtOnInstall;
        this.path = path;
        this.bytes = bytes;
        this.text = text;
        this.module = module;
        this.parseErrors = parseErrors;
        this.decodeChain = List.copyOf(decodeChain);
        this.origin = origin.orElseGet(() -> Location.file(this, Reach.UNKNOWN));
        this.layerReach = decodeChain.isEmpty() ? Optional.empty()
                : origin.map(Location::reach).filter(r -> r != Reach.UNKNOWN);
        // the CPython stdlib averages one model node per 14 characters; minified code is denser
        this.table = SymbolTable.build(module, text.length() / 8);
        this.calls = Collections.unmodifiableList(table.calls);
        this.imports = Collections.unmodifiableList(table.imports);
        this.evaluator = new Evaluator(table, maxConstantLength, limits.maxEvaluationDepth(),
                limits.maxAnalysisSteps());
    }

    /** The model's symbol table (for tests of its fast paths). */
    SymbolTable table() {
        return table;
    }

    /** The model's reach analysis, made on first use (for tests of its fast paths). */
    synchronized ReachAnalysis reachAnalysis() {
        if (reach == null) {
            reach = new ReachAnalysis(table, evaluator, isSetupScript(path), layerReach, builtOnInstall);
        }
        return reach;
    }

    /** {@code setup.py}, also as the base of a decoded layer's path ({@code pkg/setup.py#layer1}). */
    static boolean isSetupScript(String path) {
        String p = SourceFile.entryPath(path);
        int slash = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
        return p.substring(slash + 1).equals("setup.py");
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public FileKind kind() {
        return FileKind.PYTHON;
    }

    @Override
    public byte[] bytes() {
        return bytes;
    }

    @Override
    public String text() {
        return text;
    }

    @Override
    public boolean executable() {
        return false;
    }

    @Override
    public List<String> decodeChain() {
        return decodeChain;
    }

    @Override
    public Location origin() {
        return origin;
    }

    @Override
    public <T> T fact(FactKey<T> key) {
        return facts.get(key, this);
    }

    @Override
    public Limits limits() {
        return limits;
    }

    @Override
    public synchronized void limitReached(String message) {
        limitsReached.add(message);
    }

    /** The messages {@link #limitReached} was given, in order, each once. */
    public synchronized List<String> limitsReached() {
        return List.copyOf(limitsReached);
    }

    @Override
    public List<ObfuscationSignal> obfuscationSignals() {
        return fact(obfuscationSignals);
    }

    @Override
    public Module module() {
        return module;
    }

    @Override
    public List<Expr.Call> calls() {
        return calls;
    }

    @Override
    public List<Stmt> imports() {
        return imports;
    }

    @Override
    public synchronized List<Node> nodes() {
        if (nodes == null) {
            List<Node> out = new ArrayList<>(table.size());
            dev.kingsnake.spi.python.Nodes.walk(module, out::add);
            nodes = Collections.unmodifiableList(out);
        }
        return nodes;
    }

    @Override
    public synchronized Optional<String> qualifiedName(Expr e) {
        return evaluator.qualifiedName(e);
    }

    @Override
    public synchronized Optional<Const> constant(Expr e) {
        if (e instanceof Expr.Literal l) {
            return Optional.of(l.value());
        }
        return evaluator.constant(e);
    }

    @Override
    public synchronized Reach reach(Node n) {
        Scope.Ctx ctx = table.ctx(n);
        if (ctx == null) {
            return Reach.UNKNOWN;
        }
        return reachAnalysis().reach(ctx);
    }

    @Override
    public Optional<Stmt.FunctionDef> enclosingFunction(Node n) {
        Scope.Ctx ctx = table.ctx(n);
        return ctx == null ? Optional.empty() : ctx.scope().enclosingFunction();
    }

    @Override
    public String line(int line) {
        int[] bounds = lineBounds;
        if (bounds == null) {
            bounds = lineBounds(SourceChars.of(this)); // two threads may both compute it: the same array
            lineBounds = bounds;
        }
        return line >= 1 && line <= bounds.length / 2 ? text.substring(bounds[2 * line - 2], bounds[2 * line - 1]) : "";
    }

    /**
     * Where each line starts and ends (exclusive), in pairs: the pieces {@code text.split("\r\n|\r|\n", -1)}
     * gives, without a regex and without a string for each line (only the few lines evidence quotes are cut out).
     */
    static int[] lineBounds(SourceChars text) {
        int[] out = new int[16];
        int n = 0;
        int start = 0;
        for (int i = 0, len = text.length(); i < len; i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                if (n + 2 > out.length) {
                    out = java.util.Arrays.copyOf(out, out.length * 2);
                }
                out[n++] = start;
                out[n++] = i;
                if (c == '\r' && i + 1 < len && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        out = java.util.Arrays.copyOf(out, n + 2);
        out[n] = start;
        out[n + 1] = text.length();
        return out;
    }

    @Override
    public boolean hasParseErrors() {
        return parseErrors;
    }
}
