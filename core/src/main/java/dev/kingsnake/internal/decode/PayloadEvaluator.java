package dev.kingsnake.internal.decode;

import dev.kingsnake.internal.decode.marshal.MarshalReader;
import dev.kingsnake.internal.python.ParseOutcome;
import dev.kingsnake.internal.python.PythonParser;
import dev.kingsnake.internal.python.semantic.BuiltinDocs;
import dev.kingsnake.internal.python.semantic.ConstOps;
import dev.kingsnake.internal.python.semantic.ExpressionInterpreter;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.python.Const;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.SeqKind;
import dev.kingsnake.spi.python.Stmt;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Evaluates the pure, data-only subset of Python that decoders are written in: literals, names bound in
 * the file, string/bytes/int operations, comprehensions, lambdas and small functions, and the library
 * decoders (base64, binascii, codecs, zlib, gzip, bz2, lzma, marshal, Fernet, AES). Nothing is executed:
 * anything outside that subset evaluates to "unknown" ({@code null} inside, empty outside). Work is bounded
 * by a step count, a nesting depth and the {@link OutputBound}. The shapes of expressions are walked by
 * {@link ExpressionInterpreter}, shared with constant folding, and Python's operations computed by {@code ConstOps};
 * what is this class's own: names through {@link Bindings} (by line, across scopes, into the package's modules),
 * attributes of modules and {@code self}, calls of the file's functions and lambdas, {@code eval} of strings, the
 * library decoders ({@link Decoders}) and each value's decoding trace.
 */
final class PayloadEvaluator extends ExpressionInterpreter<Value, PayloadEvaluator.Frame> {
    /** Longest string {@code eval}'d as an expression; longer ones are code payloads, left to the sinks. */
    private static final int MAX_EVAL_SOURCE = 4096;
    /** Package modules followed through imports from the decoded file (a table module, and one it imports). */
    private static final int MAX_MODULE_DEPTH = 2;
    private static final Set<String> BUILTINS = Set.of("chr", "ord", "bytes", "bytearray", "str", "int", "len",
            "list", "tuple", "reversed", "map", "zip", "range", "enumerate", "exec", "eval", "compile",
            "__import__", "getattr", "open", "sorted", "print", "globals", "locals", "vars", "type", "hex",
            "execfile");

    private final PythonFile file;
    private final Bindings bindings;
    /** Parses the strings given to {@code eval}, with the limits the scanner was given. */
    private final PythonParser expressions;
    private final OutputBound bound;
    private final EvaluationBounds bounds;
    private final Set<Bindings.Binding> resolving = new HashSet<>();
    private final Map<List<Bindings.Binding>, Optional<Value>> cache = new HashMap<>();
    private final List<DecodeException> failures = new ArrayList<>();
    private final PackageModules modules;
    private final int moduleDepth;
    /** Evaluators of the package modules this file imports names from, made on first use. */
    private final Map<PythonFile, PayloadEvaluator> importedModules = new java.util.IdentityHashMap<>();
    /** The calls of the file's functions being evaluated, innermost last. */
    private final List<ActiveCall> activeCalls = new ArrayList<>();
    private long steps;
    private int depth;
    /**
     * Whether a {@link Value.Repeated} was made here or read from an imported module: until then no value holds
     * runs, and library calls and sinks skip looking for them (a list's items would be walked on every call).
     */
    private boolean runsMade;

    PayloadEvaluator(PythonFile file, Bindings bindings, PythonParser expressions, OutputBound bound,
                     EvaluationBounds bounds) {
        this(file, bindings, expressions, bound, bounds, PackageModules.NONE, 0);
    }

    /**
     * @param modules     the package's modules, for names imported from one of them
     * @param moduleDepth how many imports away from the file being decoded this one is
     */
    PayloadEvaluator(PythonFile file, Bindings bindings, PythonParser expressions, OutputBound bound,
                     EvaluationBounds bounds, PackageModules modules, int moduleDepth) {
        // Python's operations on constants, shared with constant folding; results bounded like decoded layers
        super(new ConstOps(bound.perStep()));
        this.modules = modules;
        this.moduleDepth = moduleDepth;
        this.file = file;
        this.bindings = bindings;
        this.expressions = expressions;
        this.bound = bound;
        this.bounds = bounds;
    }

    /** Decoding steps that failed or hit a bound since the last call; cleared by this call. */
    List<DecodeException> drainFailures() {
        List<DecodeException> out = List.copyOf(failures);
        failures.clear();
        return out;
    }

    Optional<Value> evaluate(Expr e, int line) {
        try {
            return Optional.ofNullable(eval(e, Map.of(), line));
        } catch (StepLimit s) {
            if (!s.sizeReported) {
                failures.add(DecodeException.limit("evaluation step limit of " + bounds.steps() + " reached"));
            }
            return Optional.empty();
        } catch (Repetitions.Unmaterialised u) {
            failures.add(sizeLimit());
            return Optional.empty();
        }
    }

    /**
     * Thrown when the step budget is spent, or when a value grows past the per-step bound (then already
     * reported as that, not as steps); unwinds the whole evaluation.
     */
    private static final class StepLimit extends RuntimeException {
        private final boolean sizeReported;

        StepLimit(boolean sizeReported) {
            super(null, null, false, false);
            this.sizeReported = sizeReported;
        }
    }

    /**
     * The names an expression sees: a function's or comprehension's local variables (empty at module level) and
     * the line it is read at, which decides which assignments of the file's names apply.
     */
    record Frame(Map<String, Value> vars, int line) {
    }

    private Value eval(Expr e, Map<String, Value> frame, int line) {
        return eval(e, new Frame(frame, line));
    }

    @Override
    protected Value eval(Expr e, Frame f) {
        if (++steps > bounds.steps()) {
            throw new StepLimit(false);
        }
        if (depth >= bounds.depth()) {
            failures.add(DecodeException.limit("expression nested deeper than " + bounds.depth()));
            return null;
        }
        depth++;
        try {
            Value v = walk(e, f);
            return v instanceof Value.Growing g ? new Value.Str(g.text().toString(), g.trace()) : v;
        } finally {
            depth--;
        }
    }

    // ---------------------------------------------------------------- the interpreter's hooks

    @Override
    protected Const constantOf(Value v) {
        return ConstConversion.toConst(materialise(v));
    }

    @Override
    protected Value fromConst(Const c) {
        return ConstConversion.fromConst(c, Value.Trace.NONE);
    }

    @Override
    protected Boolean truth(Value v) {
        return truthOf(v);
    }

    @Override
    protected Value fStringValue(String text, List<Value> parts) {
        Value.Trace t = Value.Trace.NONE;
        for (Value p : parts) {
            t = t.merge(traceOf(p));
        }
        return new Value.Str(text, t);
    }

    @Override
    protected Value literal(Expr.Literal l) {
        return literal(l.value(), l);
    }

    @Override
    protected Value name(Expr.Name n, Frame f) {
        return name(n, f.vars(), f.line());
    }

    @Override
    protected Value attribute(Expr.Attribute a, Frame f) {
        if (a.value() instanceof Expr.Name self && self.id().equals("self")) {
            Value member = selfMember(Bindings.id(a.attr()), f.line());
            if (member != null) {
                return member;
            }
        }
        return attribute(eval(a.value(), f), Bindings.id(a.attr()), a);
    }

    @Override
    protected Value call(Expr.Call c, Frame f) {
        return call(c, f.vars(), f.line());
    }

    @Override
    protected Value binary(Value l, String op, Value r) {
        return binop(l, op, r);
    }

    /** The concatenated text carries the traces of its parts, merged left to right as {@code +} merges them. */
    @Override
    protected Value concatenation(Const joined, List<Value> parts) {
        Value.Trace t = traceOf(parts.get(0));
        for (int i = 1; i < parts.size(); i++) {
            t = t.merge(traceOf(parts.get(i)));
        }
        return ConstConversion.fromConst(joined, t);
    }

    /** A string built past the per-step bound stops the evaluation with a diagnostic. */
    @Override
    protected boolean mayBuild(long length) {
        checkSize(length);
        return true;
    }

    @Override
    protected boolean unbuilt(Value v) {
        return v instanceof Value.Repeated;
    }

    /** A table of functions next to an item the decoder cannot evaluate keeps its other items. */
    @Override
    protected Value unknownItem() {
        return new Value.Opaque();
    }

    /** Eight or more ints: a table of character codes whose decoding is a layer, traced to the display. */
    @Override
    protected Value display(Expr.Sequence s, List<Value> items) {
        boolean ints = items.stream().allMatch(v -> v instanceof Value.Int);
        Value.Trace t = ints && items.size() >= 8 ? Value.Trace.of(s, sourceSize(items.size())) : Value.Trace.NONE;
        return new Value.Seq(items, t);
    }

    @Override
    protected Value mapped(List<Value> out, Value first) {
        return new Value.Seq(out, traceOf(first));
    }

    /** {@code map(f, *iterables)} through the shared walk, calling any function the decoder can call. */
    Value map(Value f, List<Value> iterables) {
        return f == null ? null : map(args -> apply(f, args, Map.of(), 0), iterables);
    }

    @Override
    protected Value dict(Expr.Dict d, Frame f) {
        Map<Value, Value> m = new LinkedHashMap<>();
        for (Expr.DictItem it : d.items()) {
            Value k = it.key().isPresent() ? eval(it.key().get(), f) : null;
            Value v = eval(it.value(), f);
            if (k == null || v == null) {
                return null;
            }
            m.put(key(k), v);
        }
        return new Value.Dict(m);
    }

    @Override
    protected Value comprehension(Expr.Comprehension c, Frame f) {
        Generation<Value> g = generate(c, f);
        if (g == null) {
            return null;
        }
        if (c.kind() == SeqKind.DICT) {
            Map<Value, Value> dict = new LinkedHashMap<>();
            for (int i = 0; i < g.elements.size(); i++) {
                dict.put(key(g.elements.get(i)), g.values.get(i));
            }
            return new Value.Dict(dict);
        }
        Value.Trace t = Value.Trace.NONE;
        for (Value iterable : g.iterables) {
            t = t.merge(traceOf(iterable));
        }
        return new Value.Seq(g.elements, t);
    }

    @Override
    protected Value lambda(Expr.Lambda l, Frame f) {
        return new Value.Lambda(l, f.vars());
    }

    /** An unknown test takes the first branch: what the code does when the condition it checks holds. */
    @Override
    protected Value conditionalOnUnknown(Expr.Conditional c, Frame f) {
        return eval(c.body(), f);
    }

    @Override
    protected Value slice(Value v, Const lower, Const upper, Const step) {
        if (v instanceof Value.Repeated r && (step instanceof Const.None
                || step instanceof Const.Int i && i.value().equals(java.math.BigInteger.ONE))) {
            return Repetitions.slice(r, lower, upper, bound.perStep());
        }
        return Slicing.slice(materialise(v), lower, upper, step);
    }

    private Value literal(Const c, Expr.Literal at) {
        if (c instanceof Const.Str s) {
            return new Value.Str(s.value(), Value.Trace.of(at, s.value().length()));
        } else if (c instanceof Const.Bytes b) {
            return new Value.Bytes(b.value(), Value.Trace.of(at, b.value().length));
        } else if (c instanceof Const.Int i) {
            return i.value().bitLength() < 63 ? new Value.Int(i.value().longValue(), Value.Trace.NONE) : null;
        } else if (c instanceof Const.Bool b) {
            return new Value.Bool(b.value());
        } else if (c instanceof Const.None) {
            return new Value.NoneValue();
        } else if (c instanceof Const.Seq s) {
            List<Value> items = new ArrayList<>();
            for (Const k : s.elements()) {
                Value v = literal(k, at);
                if (v == null) {
                    return null;
                }
                items.add(v);
            }
            return new Value.Seq(items, items.size() >= 8 ? Value.Trace.of(at, sourceSize(items.size()))
                    : Value.Trace.NONE);
        }
        return null;
    }

    /** {@code self.x}: an attribute assigned as {@code self.x = ...}, or a method of the file. */
    private Value selfMember(String attr, int line) {
        List<Bindings.Binding> bs = bindings.at("self." + attr, line);
        if (!bs.isEmpty()) {
            return bound("self." + attr, bs);
        }
        return bindings.function(attr).map(f -> (Value) new Value.Function(f, true)).orElse(null);
    }

    private Value name(Expr.Name n, Map<String, Value> frame, int line) {
        String id = Bindings.id(n.id());
        Value local = frame.get(id);
        if (local != null) {
            return local instanceof Value.Opaque ? null : local;
        }
        List<Bindings.Binding> bs = bindings.at(id, line);
        if (!bs.isEmpty() && resolving.contains(bs.get(0)) && bs.get(0).line() > 1) {
            // x = f(x): the right-hand side reads the value x had before this binding
            bs = bindings.at(id, bs.get(0).line() - 1);
        }
        if (!bs.isEmpty()) {
            return bound(id, bs);
        }
        Optional<Stmt.FunctionDef> f = bindings.function(id);
        if (f.isPresent()) {
            return new Value.Function(f.get(), false);
        }
        Value fromModule = packageModuleGlobal(id);
        if (fromModule != null) {
            return fromModule;
        }
        Optional<Value> imported = bindings.imported(id);
        if (imported.isPresent()) {
            return imported.get();
        }
        if (id.equals("__builtins__")) {
            return new Value.Module("builtins");
        }
        if (BUILTINS.contains(id) || BuiltinText.of(id).isPresent()) {
            return new Value.Builtin(id);
        }
        for (String m : bindings.starImports()) {
            String q = m + "." + id;
            if (Decoders.isKnown(q)) {
                return new Value.Builtin(q);
            }
        }
        return folded(file.constant(n));
    }

    /** A name imported from one of the package's own modules: its value at the end of that module. */
    private Value packageModuleGlobal(String id) {
        Optional<Bindings.FromImport> from = bindings.fromImport(id);
        if (from.isEmpty() || moduleDepth >= MAX_MODULE_DEPTH) {
            return null;
        }
        Optional<PythonFile> module = modules.resolve(file, from.get().level(), from.get().module());
        if (module.isEmpty() || module.get() == file) {
            return null;
        }
        PayloadEvaluator other = importedModules.computeIfAbsent(module.get(), m -> new PayloadEvaluator(m,
                new Bindings(m, null),
                expressions, bound, bounds, modules, moduleDepth + 1));
        Value v = local(other.global(from.get().name()));
        runsMade |= other.runsMade && holdsRuns(v);
        return v;
    }

    /**
     * A value from another module without the traces of its literals, which are nodes of that file: the layer's
     * origin stays in the file that decodes it.
     */
    private static Value local(Value v) {
        if (v instanceof Value.Str x) {
            return new Value.Str(x.value(), Value.Trace.NONE);
        } else if (v instanceof Value.Bytes x) {
            return new Value.Bytes(x.value(), Value.Trace.NONE);
        } else if (v instanceof Value.Int x) {
            return new Value.Int(x.value(), Value.Trace.NONE);
        } else if (v instanceof Value.Seq x) {
            return new Value.Seq(x.items().stream().map(PayloadEvaluator::local).toList(), Value.Trace.NONE);
        } else if (v instanceof Value.Dict d) {
            Map<Value, Value> m = new LinkedHashMap<>();
            d.entries().forEach((k, e) -> m.put(k, local(e)));
            return new Value.Dict(m);
        }
        return v;
    }

    /** The value a module-level name has once the module has run. */
    private Value global(String name) {
        try {
            return eval(new Expr.Name(name, Integer.MAX_VALUE, 0), Map.of(), Integer.MAX_VALUE);
        } catch (StepLimit | Repetitions.Unmaterialised e) {
            return null;
        }
    }

    private Value bound(String name, List<Bindings.Binding> bs) {
        Bindings.Binding first = bs.get(0);
        // Bindings evaluate without a frame, so their value depends only on which bindings apply.
        List<Bindings.Binding> cacheKey = List.copyOf(bs);
        if (cache.containsKey(cacheKey)) {
            return cache.get(cacheKey).orElse(null);
        }
        if (!resolving.add(first)) {
            return null;
        }
        try {
            Value v = boundUncached(name, bs, first);
            cache.put(cacheKey, Optional.ofNullable(v));
            return v;
        } finally {
            resolving.remove(first);
        }
    }

    private Value boundUncached(String name, List<Bindings.Binding> bs, Bindings.Binding first) {
        Value v = eval(first.value(), Map.of(), first.line());
        if (first.index() >= 0) {
            v = v instanceof Value.Seq s && first.index() < s.items().size() ? s.items().get(first.index()) : null;
        }
        for (Bindings.Binding b : bs) {
            if (b.augOp().isPresent() && b.loop().isPresent() && first.loop().isEmpty()) {
                // Built in a loop (s = ''; for c in data: s += chr(...)): run the loop on the initial value.
                Map<String, Value> frame = new HashMap<>();
                frame.put(name, v == null ? new Value.Opaque() : v);
                if (statement(b.loop().get(), frame) == null) {
                    return null;
                }
                Value built = frame.get(name);
                return built instanceof Value.Repeated ? built : materialise(built);
            }
        }
        for (int i = 1; i < bs.size() && v != null; i++) {
            Bindings.Binding b = bs.get(i);
            String op = b.augOp().orElseThrow();
            v = binop(v, op.substring(0, op.length() - 1), eval(b.value(), Map.of(), b.line()));
        }
        return v;
    }

    /** About how many source characters a literal list of {@code n} small ints takes ({@code "104, "}). */
    private static int sourceSize(int n) {
        return n * 4;
    }

    private Value folded(Optional<Const> c) {
        return c.isPresent() && !(c.get() instanceof Const.Seq) ? literal(c.get(), null) : null;
    }

    private Value attribute(Value v, String attr, Expr.Attribute at) {
        if (v instanceof Value.Module m) {
            return new Value.Builtin(m.name() + "." + attr);
        }
        if (v instanceof Value.Builtin b) {
            String q = b.name() + "." + attr;
            if (attr.startsWith("MODE_") && b.name().endsWith("AES")) {
                Optional<Ciphers.AesMode> mode = Arrays.stream(Ciphers.AesMode.values())
                        .filter(m -> ("MODE_" + m.name()).equals(attr)).findFirst();
                return mode.map(m -> (Value) new Value.Int(m.code(), Value.Trace.NONE)).orElse(null);
            }
            return new Value.Builtin(q);
        }
        if (v == null) {
            return file.qualifiedName(at).map(q -> (Value) new Value.Builtin(q)).orElse(null);
        }
        if (v instanceof Value.Function || v instanceof Value.Lambda || v instanceof Value.Method) {
            // no method of a function has a value here; kept as a value, a.b.c... grew without end as the
            // argument of a function calling itself through a method of the same name (werkzeug's
            // Client.run_wsgi_app), which the recursion check could not tell from a new call
            return null;
        }
        return new Value.Method(v, attr);
    }

    private Value call(Expr.Call c, Map<String, Value> frame, int line) {
        Value callee = eval(c.callee(), frame, line);
        if (callee == null) {
            callee = file.calleeName(c).map(q -> (Value) new Value.Builtin(q)).orElse(null);
            if (callee == null) {
                return null;
            }
        }
        if (!readsArguments(callee)) {
            // a library function no decoder knows (a test helper given a 4 GiB string, say): its value is unknown
            // whatever its arguments are, so they are not evaluated, nor any limit reached on the way reported
            return null;
        }
        List<Value> args = new ArrayList<>();
        for (Expr a : c.args()) {
            if (a instanceof Expr.Starred s) {
                Value v = eval(s.value(), frame, line);
                if (!(v instanceof Value.Seq seq)) {
                    return null;
                }
                args.addAll(seq.items());
            } else {
                args.add(eval(a, frame, line));
            }
        }
        Map<String, Value> kw = new HashMap<>();
        for (Expr.Keyword k : c.keywords()) {
            if (k.name().equals("**")) {
                return null;
            }
            kw.put(k.name(), eval(k.value(), frame, line));
        }
        return apply(callee, args, kw, line);
    }

    /** Whether calling {@code callee} can have a value the evaluator knows, which its arguments decide. */
    private static boolean readsArguments(Value callee) {
        if (callee instanceof Value.Builtin b) {
            String name = normalise(b.name());
            return name.equals("eval") || Decoders.handles(name);
        }
        return callee instanceof Value.Method || callee instanceof Value.Lambda || callee instanceof Value.Function;
    }

    Value apply(Value callee, List<Value> args, Map<String, Value> kw, int line) {
        if (callee instanceof Value.Lambda l) {
            Map<String, Value> f = new HashMap<>(l.closure());
            if (!bindParams(l.lambda().params(), args, kw, f, line)) {
                return null;
            }
            return eval(l.lambda().body(), f, line);
        }
        if (callee instanceof Value.Function fn) {
            if (fn.method()) {
                List<Value> withSelf = new ArrayList<>(args.size() + 1);
                withSelf.add(new Value.Opaque());
                withSelf.addAll(args);
                return callFunction(fn.def(), withSelf, kw);
            }
            return callFunction(fn.def(), args, kw);
        }
        if (callee instanceof Value.Method m) {
            Value self = m.self();
            if (self instanceof Value.Repeated r) {
                Optional<Value> v = repeatedMethod(r, m.name(), args, kw);
                if (v.isPresent()) {
                    return v.get() instanceof Value.Opaque ? null : v.get();
                }
            }
            return Decoders.method(this, materialise(self), m.name(), materialiseAll(args), materialiseAll(kw));
        }
        if (callee instanceof Value.Builtin b && normalise(b.name()).equals("eval") && args.size() == 1
                && args.get(0) instanceof Value.Str src) {
            return evalSource(src, line);
        }
        if (callee instanceof Value.Builtin b) {
            String name = normalise(b.name());
            Value a0 = args.size() == 1 && kw.isEmpty() ? args.get(0) : null;
            if (a0 instanceof Value.Repeated r) {
                switch (name) {
                    case "len":
                        return new Value.Int(r.length(), Value.Trace.NONE);
                    case "eval":
                        // longer than any expression evaluated here, as a long str is
                        return null;
                    case "compile":
                        return r;
                    case "str":
                        return r.bytes() ? materialise(r) : r;
                    default:
                        break;
                }
            }
            return Decoders.builtin(this, name, materialiseAll(args), materialiseAll(kw));
        }
        return null;
    }

    private List<Value> materialiseAll(List<Value> values) {
        if (!runsMade || values.stream().noneMatch(PayloadEvaluator::holdsRuns)) {
            return values;
        }
        List<Value> out = new ArrayList<>(values.size());
        for (Value v : values) {
            out.add(materialiseDeep(v));
        }
        return out;
    }

    private Map<String, Value> materialiseAll(Map<String, Value> kw) {
        if (!runsMade || kw.values().stream().noneMatch(PayloadEvaluator::holdsRuns)) {
            return kw;
        }
        Map<String, Value> out = new HashMap<>();
        kw.forEach((k, v) -> out.put(k, materialiseDeep(v)));
        return out;
    }

    /**
     * {@code encode}/{@code decode} of runs with a text codec (or none: UTF-8), which maps each piece on its own;
     * empty when the method needs the value built. With an unknown codec the result is what it is for any str or
     * bytes: the str itself for {@code str.decode} (see {@code Decoders}), unknown ({@link Value.Opaque}) otherwise.
     */
    private Optional<Value> repeatedMethod(Value.Repeated r, String name, List<Value> args, Map<String, Value> kw) {
        if (!name.equals("encode") && !name.equals("decode") || args.size() > 2) {
            return Optional.empty();
        }
        Value enc = !args.isEmpty() ? args.get(0) : kw.get("encoding");
        boolean given = !args.isEmpty() || kw.containsKey("encoding");
        if (given && enc == null) {
            return Optional.of(!r.bytes() && name.equals("decode") ? r : new Value.Opaque());
        }
        if (given && !(enc instanceof Value.Str e && Decoders.isTextEncoding(e.value()))) {
            return Optional.empty();
        }
        List<Value.Repeated.Run> out = new ArrayList<>(r.runs().size());
        Boolean bytes = null;
        for (Value.Repeated.Run run : r.runs()) {
            Value m = Decoders.method(this, run.unit(), name, args, kw);
            if (!(m instanceof Value.Data d) || bytes != null && bytes != d instanceof Value.Bytes) {
                return Optional.empty();
            }
            bytes = d instanceof Value.Bytes;
            out.add(new Value.Repeated.Run(d, run.times()));
        }
        return bytes == null ? Optional.empty() : Optional.of(new Value.Repeated(out, bytes, r.trace()));
    }

    /**
     * {@code eval('<expression>')} on a short known string: the expression is parsed and evaluated here, with
     * the file's globals (obfuscators spell names and whole decoding calls as escaped strings this way).
     */
    private Value evalSource(Value.Str src, int line) {
        if (src.value().length() > MAX_EVAL_SOURCE || src.value().indexOf('\n') >= 0) {
            return null;
        }
        ParseOutcome parsed = expressions.parse("<eval>", src.value().strip().getBytes(StandardCharsets.UTF_8));
        List<Stmt> body = parsed.module().body();
        if (body.size() != 1 || !(body.get(0) instanceof Stmt.ExprStmt es)) {
            return null;
        }
        return eval(es.value(), Map.of(), line);
    }

    /**
     * True when {@code call} is {@code eval} of the string {@code arg} and that string is an expression this
     * evaluator follows to a value: the string is a step of the decoding, not a payload of its own.
     */
    boolean foldsEval(Expr.Call call, Value arg) {
        if (!(arg instanceof Value.Str src) || !(call.callee() instanceof Expr.Name n)
                || !Bindings.id(n.id()).equals("eval") || call.args().size() != 1) {
            return false;
        }
        try {
            return evalSource(src, call.line()) != null;
        } catch (StepLimit | Repetitions.Unmaterialised e) {
            return false;
        } finally {
            failures.clear();
        }
    }

    static String normalise(String name) {
        return name.startsWith("builtins.") ? name.substring("builtins.".length()) : name;
    }

    private boolean bindParams(List<Stmt.Param> params, List<Value> args, Map<String, Value> kw,
                               Map<String, Value> frame, int line) {
        int i = 0;
        for (Stmt.Param p : params) {
            Value v;
            switch (p.kind()) {
                case VARARGS -> {
                    List<Value> rest = args.subList(Math.min(i, args.size()), args.size());
                    // an argument whose value is unknown (null) makes the whole *args tuple unknown
                    v = rest.contains(null) ? null : new Value.Seq(rest, Value.Trace.NONE);
                    i = args.size();
                }
                case KWARGS -> v = new Value.Dict(Map.of());
                default -> {
                    if (p.kind() == Stmt.ParamKind.POSITIONAL && i < args.size()) {
                        v = args.get(i++);
                    } else if (kw.containsKey(p.name())) {
                        v = kw.get(p.name());
                    } else if (p.defaultValue().isPresent()) {
                        v = eval(p.defaultValue().get(), Map.of(), line);
                    } else {
                        return false;
                    }
                }
            }
            frame.put(p.name(), v == null ? new Value.Opaque() : v);
        }
        return true;
    }

    /** Runs a small function body: assignments, loops over known data, ifs with known tests, return. */
    private Value callFunction(Stmt.FunctionDef def, List<Value> args, Map<String, Value> kw) {
        for (ActiveCall a : activeCalls) {
            if (a.def() == def && a.args().equals(args) && a.keywords().equals(kw)) {
                // the same call again inside itself: Python would recurse until RecursionError, so it has no value
                // (name resolution without scopes makes such cycles in real code; they are not a depth to give up at)
                return null;
            }
        }
        Map<String, Value> frame = new HashMap<>();
        if (!bindParams(def.params(), args, kw, frame, def.line())) {
            return null;
        }
        activeCalls.add(new ActiveCall(def, args, kw));
        try {
            Flow f = block(def.body(), frame);
            return f != null && f.exit() == Exit.RETURN ? f.value() : null;
        } finally {
            activeCalls.remove(activeCalls.size() - 1);
        }
    }

    /** A call of a function of the file being evaluated, with its arguments. */
    private record ActiveCall(Stmt.FunctionDef def, List<Value> args, Map<String, Value> keywords) {
    }

    private enum Exit { NEXT, RETURN, BREAK, CONTINUE }

    /** How a block ended: fell through, returned a value, broke or continued a loop; {@code null} when unknown. */
    private record Flow(Exit exit, Value value) {
        static final Flow NEXT = new Flow(Exit.NEXT, null);
        static final Flow BREAK = new Flow(Exit.BREAK, null);
        static final Flow CONTINUE = new Flow(Exit.CONTINUE, null);
    }

    private Flow block(List<Stmt> body, Map<String, Value> frame) {
        for (Stmt s : body) {
            if (++steps > bounds.steps()) {
                throw new StepLimit(false);
            }
            Flow f = statement(s, frame);
            if (f == null || f.exit() != Exit.NEXT) {
                return f;
            }
        }
        return Flow.NEXT;
    }

    private Flow statement(Stmt s, Map<String, Value> frame) {
        if (s instanceof Stmt.Return r) {
            return new Flow(Exit.RETURN, r.value().isPresent() ? eval(r.value().get(), frame, r.line()) : new Value.NoneValue());
        } else if (s instanceof Stmt.Assign a && a.value().isPresent()) {
            Value v = eval(a.value().get(), frame, a.line());
            for (Expr t : a.targets()) {
                assign(t, v, a.augOp(), frame);
            }
            return Flow.NEXT;
        } else if (s instanceof Stmt.For f) {
            List<Value> items = iterate(eval(f.iter(), frame, f.line()));
            if (items == null) {
                return null;
            }
            for (Value item : items) {
                assign(f.target(), item, Optional.empty(), frame);
                Flow r = block(f.body(), frame);
                if (r == null || r.exit() == Exit.RETURN) {
                    return r;
                }
                if (r.exit() == Exit.BREAK) {
                    return Flow.NEXT;
                }
            }
            return block(f.orElse(), frame);
        } else if (s instanceof Stmt.While w) {
            // a flattened state machine: while True: if state == 3: ...; state = 7 (opaque predicates are constant)
            for (int round = 0; ; round++) {
                if (round == bounds.whileRounds()) {
                    // a loop still changing its names: a decoding loop over a long payload could be cut here
                    failures.add(DecodeException.limit("while loop followed for " + round + " rounds"));
                    return null;
                }
                Boolean t = truth(eval(w.test(), frame, w.line()));
                if (t == null) {
                    return null;
                }
                if (!t) {
                    return block(w.orElse(), frame);
                }
                Map<String, Value> before = new HashMap<>(frame);
                Flow r = block(w.body(), frame);
                if (r == null || r.exit() == Exit.RETURN) {
                    return r;
                }
                if (r.exit() != Exit.BREAK && before.equals(frame)) {
                    // a round that changed no name cannot end the loop by itself (a retry or server loop)
                    return null;
                }
                if (r.exit() == Exit.BREAK) {
                    return Flow.NEXT;
                }
            }
        } else if (s instanceof Stmt.If i) {
            Boolean t = truth(eval(i.test(), frame, i.line()));
            return t == null ? null : block(t ? i.body() : i.orElse(), frame);
        } else if (s instanceof Stmt.Try t) {
            return block(t.body(), frame);
        } else if (s instanceof Stmt.ExprStmt es) {
            if (es.value() instanceof Expr.Call c && c.callee() instanceof Expr.Attribute at
                    && at.attr().equals("append") && at.value() instanceof Expr.Name n && c.args().size() == 1
                    && frame.get(n.id()) instanceof Value.Seq seq) {
                List<Value> items = new ArrayList<>(seq.items());
                Value v = eval(c.args().get(0), frame, c.line());
                items.add(v == null ? new Value.Opaque() : v);
                frame.put(n.id(), new Value.Seq(items, seq.trace()));
            }
            return Flow.NEXT;
        } else if (s instanceof Stmt.Simple k && (k.keyword().equals("break") || k.keyword().equals("continue"))) {
            return k.keyword().equals("break") ? Flow.BREAK : Flow.CONTINUE;
        } else if (s instanceof Stmt.Import imp) {
            imp.names().forEach(al -> shadowFunction(al.asName().orElse(al.name().split("\\.", 2)[0]), frame));
            return Flow.NEXT;
        } else if (s instanceof Stmt.ImportFrom imp) {
            imp.names().forEach(al -> shadowFunction(al.asName().orElse(al.name()), frame));
            return Flow.NEXT;
        } else if (s instanceof Stmt.Simple || s instanceof Stmt.Global || s instanceof Stmt.FunctionDef) {
            // nested helper functions are found by name through the bindings
            return Flow.NEXT;
        }
        return null;
    }

    /**
     * An import inside a function binds its name locally, over a module-level function of the same name:
     * {@code def cache_dir(): from .utils import cache_dir; return cache_dir()} calls the imported one, not
     * itself (followed as recursion, it ran into the depth limit and marked real packages partial).
     */
    private void shadowFunction(String name, Map<String, Value> frame) {
        String id = Bindings.id(name);
        if (bindings.function(id).isEmpty()) {
            return;
        }
        Value imported = packageModuleGlobal(id);
        if (imported == null) {
            imported = bindings.imported(id).orElse(null);
        }
        frame.put(id, imported == null ? new Value.Opaque() : imported);
    }

    private void assign(Expr target, Value v, Optional<String> augOp, Map<String, Value> frame) {
        if (target instanceof Expr.Name tn) {
            Expr.Name n = new Expr.Name(Bindings.id(tn.id()), tn.line(), tn.column());
            if (augOp.isPresent()) {
                Value old = frame.get(n.id());
                if (old == null) {
                    old = name(n, frame, n.line());
                }
                String op = augOp.get().substring(0, augOp.get().length() - 1);
                if (op.equals("+") && v instanceof Value.Str s) {
                    if (old instanceof Value.Growing g && g.text().length() + (long) s.value().length() > bound.perStep()) {
                        // past what one step may build: kept as runs from here on (bounded in number)
                        old = materialise(g);
                    } else if (old instanceof Value.Growing g) {
                        g.text().append(s.value());
                        frame.put(n.id(), new Value.Growing(g.text(), g.trace().merge(s.trace())));
                        return;
                    }
                    if (old instanceof Value.Str o && o.value().length() + (long) s.value().length() <= bound.perStep()) {
                        frame.put(n.id(), new Value.Growing(new StringBuilder(o.value()).append(s.value()),
                                o.trace().merge(s.trace())));
                        return;
                    }
                }
                Value r = old == null || old instanceof Value.Opaque ? null : binop(old, op, v);
                frame.put(n.id(), r == null ? new Value.Opaque() : r);
            } else {
                frame.put(n.id(), v == null ? new Value.Opaque() : v);
            }
        } else if (target instanceof Expr.Subscript sub && augOp.isEmpty() && sub.value() instanceof Expr.Name tn
                && !(sub.index() instanceof Expr.Slice)) {
            // table[i] = x on a local list or dict (key tables rebuilt in order)
            String id = Bindings.id(tn.id());
            Value container = frame.get(id);
            Value k = eval(sub.index(), frame, sub.line());
            if (container instanceof Value.Seq seq && k instanceof Value.Int i) {
                int n = seq.items().size();
                long j = i.value() < 0 ? i.value() + n : i.value();
                List<Value> items = new ArrayList<>(seq.items());
                if (j >= 0 && j < n) {
                    items.set((int) j, v == null ? new Value.Opaque() : v);
                    frame.put(id, new Value.Seq(items, seq.trace()));
                    return;
                }
            } else if (container instanceof Value.Dict d && k != null && v != null) {
                Map<Value, Value> m = new LinkedHashMap<>(d.entries());
                m.put(key(k), v);
                frame.put(id, new Value.Dict(m));
                return;
            }
            if (container != null) {
                frame.put(id, new Value.Opaque());
            }
        } else if (target instanceof Expr.Sequence seq) {
            // a, b = 'xy' unpacks any iterable, as Python does
            List<Value> items = v instanceof Value.Seq s ? s.items() : v instanceof Value.Data ? iterate(v) : null;
            if (items != null && items.size() != seq.elements().size()) {
                items = null;
            }
            for (int i = 0; i < seq.elements().size(); i++) {
                assign(seq.elements().get(i), items == null ? null : items.get(i), Optional.empty(), frame);
            }
        }
    }

    private void checkSize(long size) {
        if (size > bound.perStep()) {
            failures.add(sizeLimit());
            throw new StepLimit(true);
        }
    }

    private DecodeException sizeLimit() {
        return DecodeException.limit("string built in a loop exceeds " + bound.perStep() + " bytes");
    }

    /**
     * A value any consumer can read: a {@link Value.Repeated} built whole, which is the size limit reached when it
     * is longer than one step may build (reported; the evaluation stops), and a str being built read back.
     */
    private Value materialise(Value v) {
        if (v instanceof Value.Repeated r) {
            checkSize(r.length());
            return Repetitions.build(r, bound.perStep());
        }
        return v instanceof Value.Growing g ? new Value.Str(g.text().toString(), g.trace()) : v;
    }

    /** {@link #materialise} of a value and of the items of the lists and dicts it holds, for library calls. */
    private Value materialiseDeep(Value v) {
        if (v instanceof Value.Seq s && holdsRuns(s)) {
            return new Value.Seq(s.items().stream().map(this::materialiseDeep).toList(), s.trace());
        } else if (v instanceof Value.Dict d && holdsRuns(d)) {
            Map<Value, Value> m = new LinkedHashMap<>();
            d.entries().forEach((k, x) -> m.put(k, materialiseDeep(x)));
            return new Value.Dict(m);
        }
        return v instanceof Value.Repeated ? materialise(v) : v;
    }

    private static boolean holdsRuns(Value v) {
        if (v instanceof Value.Repeated) {
            return true;
        } else if (v instanceof Value.Seq s) {
            return !(s.items() instanceof RangeValues) && s.items().stream().anyMatch(PayloadEvaluator::holdsRuns);
        } else if (v instanceof Value.Dict d) {
            return d.entries().values().stream().anyMatch(PayloadEvaluator::holdsRuns);
        }
        return false;
    }

    /**
     * What a sink reads from a value: a {@link Value.Repeated} (and one in a list, an argv) read as code is read,
     * {@link Repetitions#compact compacted}; other values as they are.
     */
    Value forSink(Value v) {
        if (v instanceof Value.Repeated r) {
            return Repetitions.compact(r, bound.perStep());
        } else if (runsMade && v instanceof Value.Seq s && holdsRuns(s)) {
            return new Value.Seq(s.items().stream().map(this::forSink).toList(), s.trace());
        }
        return v;
    }

    @Override
    protected List<Value> items(Value iterable) {
        return iterate(iterable);
    }

    /** Binds in place: a comprehension runs in its own {@link #fork} of the frame around it. */
    @Override
    protected Frame bind(Expr target, Value item, Frame f) {
        assign(target, item, Optional.empty(), f.vars());
        return f;
    }

    @Override
    protected Frame fork(Frame f) {
        return new Frame(new HashMap<>(f.vars()), f.line());
    }

    @Override
    protected Object joinKey(Value v) {
        return v instanceof Value.Str || v instanceof Value.Int ? key(v) : null;
    }

    @Override
    protected boolean mayProduce(int n) {
        if (n > bound.perStep()) {
            failures.add(DecodeException.limit("comprehension longer than " + bound.perStep()));
            return false;
        }
        return true;
    }

    static Value.Trace traceOf(Value v) {
        if (v instanceof Value.Data d) {
            return d.trace();
        } else if (v instanceof Value.Seq s) {
            return s.trace();
        } else if (v instanceof Value.Int i) {
            return i.trace();
        } else if (v instanceof Value.Code c) {
            return c.trace();
        } else if (v instanceof Value.Growing g) {
            return g.trace();
        } else if (v instanceof Value.Repeated r) {
            return r.trace();
        }
        return Value.Trace.NONE;
    }

    /** The items of an iterable value (bytes give ints, str gives 1-char strs), carrying its trace. */
    List<Value> iterate(Value v) {
        v = materialise(v);
        if (v instanceof Value.Seq s) {
            if (s.trace().equals(Value.Trace.NONE)) {
                return s.items();
            }
            List<Value> out = new ArrayList<>(s.items().size());
            for (Value item : s.items()) {
                out.add(item instanceof Value.Int i && i.trace().origin().isEmpty()
                        ? new Value.Int(i.value(), s.trace()) : item);
            }
            return out;
        } else if (v instanceof Value.Str s) {
            List<Value> out = new ArrayList<>(s.value().length());
            s.value().codePoints().forEach(cp -> out.add(new Value.Str(new String(Character.toChars(cp)), s.trace())));
            return out;
        } else if (v instanceof Value.Bytes b) {
            List<Value> out = new ArrayList<>(b.value().length);
            for (byte x : b.value()) {
                out.add(new Value.Int(x & 0xff, b.trace()));
            }
            return out;
        } else if (v instanceof Value.Dict d) {
            return new ArrayList<>(d.entries().keySet());
        }
        return null;
    }

    /** Dict keys compare by content, so data values are keyed without their traces. */
    private static Value key(Value v) {
        if (v instanceof Value.Str s) {
            return new Value.Str(s.value(), Value.Trace.NONE);
        } else if (v instanceof Value.Int i) {
            return new Value.Int(i.value(), Value.Trace.NONE);
        }
        return v;
    }

    Value lookup(Value.Dict d, Value k) {
        return d.entries().get(key(k));
    }

    static Boolean truthOf(Value v) {
        if (v instanceof Value.Repeated r) {
            return r.length() > 0;
        } else if (v instanceof Value.Seq s) {
            return !s.items().isEmpty();
        } else if (v instanceof Value.Dict d) {
            return !d.entries().isEmpty();
        }
        Const c = v == null ? null : ConstConversion.toConst(v);
        return c == null ? null : ConstOps.truthy(c);
    }

    @Override
    protected Value compare(Value l, String op, Value r) {
        if (l == null || r == null) {
            return null;
        }
        if (op.equals("is") || op.equals("is not")) {
            // identity is only certain against None
            if (!(l instanceof Value.NoneValue) && !(r instanceof Value.NoneValue)) {
                return null;
            }
            boolean same = l instanceof Value.NoneValue && r instanceof Value.NoneValue;
            return new Value.Bool(op.equals("is") == same);
        }
        if (r instanceof Value.Dict d && (op.equals("in") || op.equals("not in"))) {
            return new Value.Bool(op.equals("in") == (lookup(d, l) != null));
        }
        l = materialise(l);
        r = materialise(r);
        Const a = ConstConversion.toConst(l);
        Const b = ConstConversion.toConst(r);
        return a == null || b == null ? null : ConstConversion.fromConst(ConstOps.compare(a, op, b), Value.Trace.NONE);
    }

    @Override
    protected Value unary(String op, Value v) {
        if (v == null) {
            return null;
        }
        if (op.equals("not")) {
            Boolean t = truth(v);
            return t == null ? null : new Value.Bool(!t);
        }
        Const c = ConstConversion.toConst(materialise(v));
        Const r = c == null ? null : ops.unary(op, c);
        return r == null ? null : ConstConversion.fromConst(r, traceOf(v));
    }

    Value binop(Value l, String op, Value r) {
        if (l == null || r == null) {
            return null;
        }
        if (l instanceof Value.Growing) {
            l = materialise(l);
        }
        if (r instanceof Value.Growing) {
            r = materialise(r);
        }
        Value runs = runs(l, op, r);
        if (runs != null) {
            return runs;
        }
        l = materialise(l);
        r = materialise(r);
        if (l instanceof Value.Int a && r instanceof Value.Int b) {
            return intOp(a, op, b);
        }
        // sequences keep their items as values (functions, unknowns), so their + and * stay here
        if (op.equals("+") && l instanceof Value.Seq a && r instanceof Value.Seq b) {
            List<Value> items = new ArrayList<>(a.items());
            items.addAll(b.items());
            return new Value.Seq(items, a.trace().merge(b.trace()));
        }
        if (op.equals("*") && l instanceof Value.Seq a && r instanceof Value.Int n) {
            checkSize(a.items().size() * Math.max(n.value(), 0));
            List<Value> items = new ArrayList<>();
            for (long i = 0; i < n.value(); i++) {
                items.addAll(a.items());
            }
            return new Value.Seq(items, a.trace());
        }
        if (op.equals("+") && l instanceof Value.Data a && r instanceof Value.Data b) {
            checkSize(Repetitions.unitLength(a) + Repetitions.unitLength(b));
        }
        Const a = ConstConversion.toConst(l);
        Const b = ConstConversion.toConst(r);
        Const out = a == null || b == null || l instanceof Value.Seq ? null : ops.binary(a, op, b);
        Value.Trace t = op.equals("*") ? (l instanceof Value.Data ? traceOf(l) : traceOf(r))
                : traceOf(l).merge(traceOf(r));
        return out == null ? null : ConstConversion.fromConst(out, t);
    }

    /**
     * {@code s * n}, {@code n * s} and {@code a + b} of str or bytes, computed on runs when an operand is runs
     * already or the result is longer than one step may build; null when the operation is not one of these or
     * the result is short enough to build as usual.
     */
    private Value runs(Value l, String op, Value r) {
        if (op.equals("*") && (l instanceof Value.Int || r instanceof Value.Int)) {
            Value piece = l instanceof Value.Int ? r : l;
            long n = (l instanceof Value.Int i ? i : (Value.Int) r).value();
            long unit = Repetitions.length(piece);
            if (unit < 0 || !(piece instanceof Value.Repeated) && (n <= 0 || unit * (double) n <= bound.perStep())) {
                return null;
            }
            if (n <= 0) {
                return materialise(new Value.Repeated(List.of(), piece instanceof Value.Repeated p && p.bytes(),
                        traceOf(piece)));
            }
            Value.Repeated out = Repetitions.times(piece, n);
            if (out == null) {
                checkSize(Long.MAX_VALUE);
            }
            runsMade = true;
            return out;
        }
        if (op.equals("+") && (l instanceof Value.Repeated || r instanceof Value.Repeated
                || l instanceof Value.Data a && r instanceof Value.Data b
                && Repetitions.unitLength(a) + Repetitions.unitLength(b) > bound.perStep())) {
            Value.Repeated out = Repetitions.concat(l, r);
            runsMade |= out != null;
            return out == null || out.length() > bound.perStep() ? out : Repetitions.build(out, bound.perStep());
        }
        return null;
    }

    private Value intOp(Value.Int a, String op, Value.Int b) {
        Value.Trace t = a.trace().merge(b.trace());
        Const r = ops.binary(ConstConversion.toConst(a), op, ConstConversion.toConst(b));
        if (!(r instanceof Const.Int i) || i.value().bitLength() >= 64) {
            return null;
        }
        if (op.equals("^")) {
            t = t.chain().contains("xor") ? t : t.then("xor");
        } else if ((op.equals("+") || op.equals("-")) && !t.chain().contains("shift") && t.origin().isPresent()) {
            t = t.then("shift");
        }
        return new Value.Int(i.value().longValue(), t);
    }

    @Override
    protected Value index(Value v, Value k) {
        if (v instanceof Value.Repeated r) {
            return k instanceof Value.Int i ? Repetitions.at(r, i.value()) : null;
        }
        k = materialise(k);
        if (v instanceof Value.Dict d) {
            return lookup(d, k);
        }
        if (v instanceof Value.Seq seq) {
            Const i = ConstConversion.toConst(k);
            Integer j = i == null ? null : ConstOps.smallInt(i);
            int n = seq.items().size();
            int at = j == null ? -1 : j < 0 ? j + n : j;
            return at >= 0 && at < n ? seq.items().get(at) : null;
        }
        Const data = v instanceof Value.Data ? ConstConversion.toConst(v) : null;
        Const i = ConstConversion.toConst(k);
        return data == null || i == null ? null : ConstConversion.fromConst(ConstOps.index(data, i), traceOf(v));
    }

    /** The builtin by name, or the type of a data value (a sequence's type is not known: lists and tuples are alike here). */
    @Override
    protected String docOwner(Expr receiver, Frame f) {
        Value owner = eval(receiver, f);
        if (owner instanceof Value.Builtin b && !b.name().contains(".")) {
            return b.name();
        } else if (owner != null && !(owner instanceof Value.Seq)) {
            Const c = ConstConversion.toConst(owner);
            return c == null ? null : BuiltinDocs.typeOf(c).orElse(null);
        }
        return null;
    }

    /** Runs one decoding step, recording failures and cut-offs instead of throwing. */
    <T> T step(DecodeStep<T> s) {
        try {
            return s.run(bound);
        } catch (DecodeException e) {
            failures.add(e);
            return null;
        }
    }

    OutputBound bound() {
        return bound;
    }

    ConstOps ops() {
        return ops;
    }

    @FunctionalInterface
    interface DecodeStep<T> {
        T run(OutputBound bound) throws DecodeException;
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT).replace('-', '_');
    }

    Optional<MarshalReader.Read> marshal(byte[] data) {
        return MarshalReader.readAnyVersion(data);
    }
}
