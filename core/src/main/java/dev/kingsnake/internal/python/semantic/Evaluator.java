package dev.kingsnake.internal.python.semantic;

import dev.kingsnake.spi.python.Const;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Node;
import dev.kingsnake.spi.python.SeqKind;
import dev.kingsnake.spi.python.Stmt;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Static evaluation over one file's symbol table: which qualified name an expression refers to, and
 * which constant it folds to. Both are lazy and memoized per node (identity, never structural
 * equality). Evaluation is recursive but bounded by {@link #maxDepth}; long {@code +} chains are
 * flattened iteratively. Constants are evaluated by the {@link ExpressionInterpreter} walk shared with the decoder;
 * this class resolves names through the symbol table's scopes and keeps the memo and the folding budget. Not
 * thread-safe: the owner serialises calls.
 */
final class Evaluator extends ExpressionInterpreter<Const, Evaluator.Env> {
    /** Share of {@code Limits.maxEvaluationDepth} constant folding follows: it answers every rule's questions. */
    static final int DEPTH_SHARE = 5;
    /** Names with more bindings than this are not followed. */
    private static final int MAX_BINDINGS = 256;
    /** Augmented assignments followed to fold one name. */
    private static final int MAX_AUGMENTED = 1 << 20;
    /** Items a comprehension or map() may produce during folding. */
    private static final int MAX_ITEMS = ConstOps.MAX_ITEMS;
    /** Results at least this large count against the file's folding budget. */
    private static final int LARGE = 4096;

    private final SymbolTable table;
    private final Map<Expr, Optional<Const>> constMemo = new IdentityHashMap<>();
    private final Map<Expr, Optional<String>> nameMemo;
    /** Bindings being followed right now: a name defined through itself is not constant. */
    private final Set<Binding> active = Collections.newSetFromMap(new IdentityHashMap<>());
    /**
     * Large values folding may still produce for this file: `'A' * 10**7` on a thousand lines must
     * not add up to gigabytes.
     */
    private long largeBudget;
    /**
     * How deeply names, calls and operands are followed; beyond it an expression is simply not decided (the
     * decoder, which peels payloads, follows them five times as deep and reports when it stops).
     */
    private final int maxDepth;
    /** How many names, calls and operands are being followed right now (see {@link #maxDepth}). */
    private int depth;
    /**
     * Expressions folding may still evaluate in this file ({@code Limits.maxAnalysisSteps}): nested comprehensions
     * over {@code range()} tables are evaluated again for every outer item, and one repository file took more than
     * ten minutes of CPU before this bound. Past it an expression is simply not decided, as beyond the depth.
     */
    private long stepsLeft;

    /** @param maxEvaluationDepth the scan's {@code Limits.maxEvaluationDepth}; folding follows a fifth of it */
    Evaluator(SymbolTable table, long maxConstLength, int maxEvaluationDepth, long maxAnalysisSteps) {
        super(new ConstOps(maxConstLength));
        this.table = table;
        // callees, their prefixes and the names they are built from: sized once for the usual file
        this.nameMemo = new IdentityHashMap<>(Math.max(32, 2 * table.calls.size()));
        this.maxDepth = Math.max(1, maxEvaluationDepth / DEPTH_SHARE);
        this.stepsLeft = maxAnalysisSteps;
        this.largeBudget = 8 * maxConstLength;
    }

    /** Loop variables of comprehensions and lambda parameters being folded; a tiny persistent list (null: none). */
    record Env(String name, Const value, Env next) {
        Const lookup(String id) {
            for (Env e = this; e != null; e = e.next) {
                if (e.name.equals(id)) {
                    return e.value;
                }
            }
            return null;
        }
    }

    // ================================================================ qualified names

    Optional<String> qualifiedName(Expr e) {
        if (depth <= maxDepth) {
            // a known answer is handed out as memoised: no second look-up, no new Optional
            Optional<String> memo = nameMemo.get(e);
            if (memo != null) {
                return memo;
            }
        }
        return Optional.ofNullable(qname(e));
    }

    private String qname(Expr e) {
        int at = depth;
        if (at > maxDepth) {
            return null;
        }
        Optional<String> memo = nameMemo.get(e);
        if (memo != null) {
            return memo.orElse(null);
        }
        String r;
        depth++;
        try {
            r = computeQname(e);
        } finally {
            depth--;
        }
        if (r != null || at == 0) {
            nameMemo.put(e, Optional.ofNullable(r));
        }
        return r;
    }

    private String computeQname(Expr e) {
        if (e instanceof Expr.Name n) {
            return resolveName(n.id(), n, scopeOf(n));
        }
        if (e instanceof Expr.Attribute a) {
            if (!(a.value() instanceof Expr.Attribute)) {
                // one attribute of a name or a call (most of them): what the loop below does, without its deque
                String base = qname(a.value());
                return base == null ? null : Builtins.join(base, a.attr());
            }
            // iterate down the chain so long dotted names cost no stack
            Deque<String> attrs = new ArrayDeque<>();
            Expr cur = a;
            while (cur instanceof Expr.Attribute x) {
                attrs.push(x.attr());
                cur = x.value();
            }
            String base = qname(cur);
            if (base == null) {
                return null;
            }
            for (String attr : attrs) {
                base = Builtins.join(base, attr);
            }
            return base;
        }
        if (e instanceof Expr.Call c) {
            return callQname(c);
        }
        if (e instanceof Expr.Subscript s) {
            return subscriptQname(s);
        }
        if (e instanceof Expr.NamedExpr n) {
            return qname(n.value());
        }
        return null;
    }

    /**
     * {@code __import__('os')}, {@code importlib.import_module('os')}, {@code getattr(os, 'system')},
     * {@code eval('os.system')}.
     */
    private String callQname(Expr.Call c) {
        String callee = qname(c.callee());
        if (callee == null) {
            return null;
        }
        switch (callee) {
            case "__import__", "importlib.__import__": {
                String module = constText(c.arg(0).orElse(null));
                if (module == null || module.isEmpty()) {
                    return null;
                }
                Expr fromList = c.args().size() > 3 ? c.args().get(3) : c.keyword("fromlist").orElse(null);
                Const level = c.args().size() > 4 ? eval(c.args().get(4), null)
                        : c.keyword("level").map(l -> eval(l, null)).orElse(null);
                if (level != null && ConstOps.truthy(level) != Boolean.FALSE) {
                    return null;
                }
                boolean wantsLeaf = false;
                if (fromList != null) {
                    Const fl = eval(fromList, null);
                    if (fl == null) {
                        return null;
                    }
                    wantsLeaf = ConstOps.truthy(fl) == Boolean.TRUE;
                }
                int dot = module.indexOf('.');
                // without a fromlist, __import__('a.b') returns the top-level package a
                return wantsLeaf || dot < 0 ? module : module.substring(0, dot);
            }
            case "importlib.import_module": {
                String module = constText(c.arg(0).orElse(c.keyword("name").orElse(null)));
                return module == null || module.isEmpty() ? null : Builtins.normalize(module);
            }
            case "getattr": {
                if (c.args().size() < 2 || c.args().size() > 3) {
                    return null;
                }
                String attr = constText(c.args().get(1));
                String base = qname(c.args().get(0));
                return attr == null || base == null || attr.isEmpty() ? null : Builtins.join(base, attr);
            }
            case "eval": {
                // eval('os.system') is os.system: a dotted name hidden in a (computed) string
                String text = c.args().size() == 1 ? constText(c.args().get(0)) : null;
                if (text == null || !DOTTED_NAME.matcher(text.strip()).matches()) {
                    return null;
                }
                String[] parts = text.strip().split("\\.");
                // the name is followed one level further down, as if written in place of the string
                depth++;
                String base;
                try {
                    base = resolveName(parts[0], null, scopeOf(c));
                } finally {
                    depth--;
                }
                for (int i = 1; base != null && i < parts.length; i++) {
                    base = Builtins.join(base, parts[i]);
                }
                return base;
            }
            default:
                return null;
        }
    }

    private static final java.util.regex.Pattern DOTTED_NAME =
            java.util.regex.Pattern.compile("[A-Za-z_]\\w*(\\.[A-Za-z_]\\w*){0,8}");

    /** {@code globals()['exec']}, {@code vars(os)['system']}, {@code os.__dict__['system']}, {@code sys.modules['os']}. */
    private String subscriptQname(Expr.Subscript s) {
        String key = constText(s.index());
        if (key == null || key.isEmpty()) {
            return null;
        }
        if (s.value() instanceof Expr.Call call) {
            String fn = qname(call.callee());
            if ("globals".equals(fn) && call.args().isEmpty()) {
                return resolveName(key, null, table.module);
            }
            if (("locals".equals(fn) || "vars".equals(fn)) && call.args().isEmpty()) {
                return resolveName(key, null, scopeOf(call));
            }
            if ("vars".equals(fn) && call.args().size() == 1) {
                String base = qname(call.args().get(0));
                return base == null ? null : Builtins.join(base, key);
            }
        }
        String base = qname(s.value());
        if (base == null) {
            return null;
        }
        if (base.endsWith(".__dict__")) {
            return Builtins.join(base.substring(0, base.length() - ".__dict__".length()), key);
        }
        if (base.equals("__dict__")) {
            // builtins.__dict__ was folded to __dict__ by the join
            return key;
        }
        if (Builtins.isBuiltinsModule(base)) {
            // in imported modules __builtins__ is the builtins dict
            return key;
        }
        if (base.equals("sys.modules")) {
            return key;
        }
        return null;
    }

    /**
     * What {@code id} refers to when read at {@code at} (null: from an inner scope, all bindings count).
     */
    private String resolveName(String id, Node at, Scope from) {
        List<Binding> visible = visibleBindings(id, at, from);
        if (visible == null) {
            if (Builtins.isBuiltin(id)) {
                return id;
            }
            if (id.equals("__builtins__")) {
                return "builtins";
            }
            List<String> stars = table.module.starImports;
            return stars.size() == 1 && !stars.get(0).startsWith(".") ? stars.get(0) + "." + id : null;
        }
        if (visible.size() > MAX_BINDINGS) {
            return null;
        }
        String result = null;
        for (int k = 0, n = visible.size(); k < n; k++) {
            Binding b = visible.get(k);
            String q;
            if (b instanceof Binding.Import i) {
                q = i.target();
            } else if (b instanceof Binding.Value v && active.add(v)) {
                try {
                    q = qname(v.value());
                } finally {
                    active.remove(v);
                }
            } else {
                return null;
            }
            if (q == null || result != null && !result.equals(q)) {
                return null;
            }
            result = q;
        }
        return result;
    }

    /**
     * The bindings of {@code id} that a read at {@code at} in scope {@code from} can see, or null
     * when no scope binds it (a global from elsewhere, or a builtin). Reads in the scope that binds
     * the name see the bindings before them; reads from nested scopes see all of them.
     */
    List<Binding> visibleBindings(String id, Node at, Scope from) {
        boolean origin = true;
        for (Scope s = from; s != null; s = s.parent) {
            if (s.kind == Scope.Kind.CLASS && !origin) {
                continue;
            }
            if (s.globals.contains(id) && s != table.module) {
                return table.module.bindings.get(id);
            }
            List<Binding> bs = s.bindings.get(id);
            if (bs != null) {
                if (origin && at != null) {
                    List<Binding> before = before(bs, at);
                    if (!before.isEmpty()) {
                        return before;
                    }
                }
                return bs;
            }
            origin = false;
        }
        return null;
    }

    private static List<Binding> before(List<Binding> bs, Node at) {
        int n = 0;
        while (n < bs.size() && isBefore(bs.get(n).site(), at)) {
            n++;
        }
        return n == bs.size() ? bs : bs.subList(0, n);
    }

    private static boolean isBefore(Node a, Node b) {
        return a.line() < b.line() || a.line() == b.line() && a.column() < b.column();
    }

    Scope scopeOf(Node n) {
        Scope.Ctx ctx = table.ctx(n);
        return ctx == null ? table.module : ctx.scope();
    }

    private String constText(Expr e) {
        if (e == null) {
            return null;
        }
        Const c = eval(e, null);
        return c instanceof Const.Str s ? s.value() : null;
    }

    // ================================================================ constants

    Optional<Const> constant(Expr e) {
        return Optional.ofNullable(eval(e, null));
    }

    @Override
    protected Const eval(Expr e, Env env) {
        int at = depth;
        if (at > maxDepth || --stepsLeft < 0) {
            return null;
        }
        if (e instanceof Expr.Literal l) {
            return l.value();
        }
        if (env == null) {
            Optional<Const> memo = constMemo.get(e);
            if (memo != null) {
                return memo.orElse(null);
            }
        }
        Const r;
        depth++;
        try {
            r = walk(e, env);
        } catch (ArithmeticException | IllegalArgumentException | IndexOutOfBoundsException e1) {
            r = null;
        } finally {
            depth--;
        }
        long size = r == null ? 0 : size(r);
        if (size >= LARGE) {
            if (size > largeBudget) {
                r = null;
            } else {
                largeBudget -= size;
            }
        }
        if (env == null && (r != null || at == 0)) {
            constMemo.put(e, Optional.ofNullable(r));
        }
        return r;
    }

    private static long size(Const c) {
        if (c instanceof Const.Str s) {
            return s.value().length();
        }
        if (c instanceof Const.Bytes b) {
            return b.value().length;
        }
        return c instanceof Const.Seq s ? s.elements().size() : 0;
    }

    // ---------------------------------------------------------------- the interpreter's hooks

    @Override
    protected Const constantOf(Const v) {
        return v;
    }

    @Override
    protected Const fromConst(Const c) {
        return c;
    }

    @Override
    protected Boolean truth(Const v) {
        return ConstOps.truthy(v);
    }

    @Override
    protected Const fStringValue(String text, List<Const> parts) {
        return new Const.Str(text);
    }

    @Override
    protected Const literal(Expr.Literal l) {
        return l.value();
    }

    @Override
    protected Const name(Expr.Name n, Env env) {
        Const bound = env == null ? null : env.lookup(n.id());
        return bound != null ? bound : foldName(n);
    }

    @Override
    protected Const call(Expr.Call c, Env env) {
        return foldCall(c, env);
    }

    @Override
    protected Const binary(Const l, String op, Const r) {
        return ops.binary(l, op, r);
    }

    @Override
    protected Const concatenation(Const joined, List<Const> parts) {
        return joined;
    }

    @Override
    protected Const unary(String op, Const v) {
        return ops.unary(op, v);
    }

    @Override
    protected Const compare(Const l, String op, Const r) {
        return ConstOps.compare(l, op, r);
    }

    @Override
    protected Const index(Const v, Const key) {
        return ConstOps.index(v, key);
    }

    @Override
    protected Const slice(Const v, Const lower, Const upper, Const step) {
        return ConstOps.slice(v, lower, upper, step);
    }

    @Override
    protected Const display(Expr.Sequence s, List<Const> items) {
        return s.kind() == SeqKind.DICT || s.kind() == SeqKind.GENERATOR ? null : new Const.Seq(s.kind(), items);
    }

    /** A constant has no unknown parts: a display with an unknown item is not folded. */
    @Override
    protected Const unknownItem() {
        return null;
    }

    /**
     * Not expanded: folding reads a list a name is bound to without the {@code append}s made to it since, and a
     * display built from such a list ({@code [*lines, 'return res']} before {@code compile}) is code generated at
     * run time, not a constant.
     */
    @Override
    protected List<Const> starred(Const v) {
        return null;
    }

    @Override
    protected Const mapped(List<Const> out, Const first) {
        return new Const.Seq(SeqKind.LIST, out);
    }

    @Override
    protected Const comprehension(Expr.Comprehension c, Env env) {
        return foldComprehension(c, env);
    }

    /** The builtin whose docstring {@code receiver.__doc__} is: a builtin by name, or the type of a literal. */
    @Override
    protected String docOwner(Expr receiver, Env env) {
        if (receiver instanceof Expr.Literal l) {
            return BuiltinDocs.typeOf(l.value()).orElse(null);
        }
        String q = qname(receiver);
        return q != null && Builtins.isBuiltin(q) ? q : null;
    }

    /**
     * A name's value: the single plain assignment it gets in its scope, followed by augmented
     * assignments in the same statement list ({@code x = 'a'; x += 'b'}).
     */
    private Const foldName(Expr.Name n) {
        List<Binding> visible = visibleBindings(n.id(), n, scopeOf(n));
        if (visible == null || visible.isEmpty() || visible.size() > MAX_AUGMENTED
                || !(visible.get(0) instanceof Binding.Value first)) {
            return null;
        }
        for (int i = 1; i < visible.size(); i++) {
            if (!(visible.get(i) instanceof Binding.Augmented aug) || first.block() == null
                    || aug.block() != first.block()) {
                return null;
            }
        }
        if (!active.add(first)) {
            return null;
        }
        try {
            Const acc = eval(first.value(), null);
            // payloads are often built with hundreds of `x += '...'`: append text in one buffer
            StringBuilder text = null;
            for (int i = 1; i < visible.size() && acc != null; i++) {
                Binding.Augmented aug = (Binding.Augmented) visible.get(i);
                Const v = eval(aug.value(), null);
                if (v == null) {
                    return null;
                }
                if (aug.op().equals("+") && acc instanceof Const.Str && v instanceof Const.Str) {
                    if (text == null) {
                        text = new StringBuilder(acc.asText());
                    }
                    text.append(v.asText());
                    if (!ops.fits(text.length())) {
                        return null;
                    }
                    continue;
                }
                if (text != null) {
                    acc = new Const.Str(text.toString());
                    text = null;
                }
                acc = ops.binary(acc, aug.op(), v);
            }
            return text != null ? new Const.Str(text.toString()) : acc;
        } finally {
            active.remove(first);
        }
    }

    private Const foldComprehension(Expr.Comprehension c, Env env) {
        if (c.kind() != SeqKind.LIST && c.kind() != SeqKind.GENERATOR && c.kind() != SeqKind.TUPLE) {
            return null;
        }
        Generation<Const> g = generate(c, env);
        return g == null ? null : new Const.Seq(SeqKind.LIST, g.elements);
    }

    @Override
    protected List<Const> items(Const iterable) {
        return ConstOps.items(iterable);
    }

    @Override
    protected Env bind(Expr target, Const item, Env env) {
        if (target instanceof Expr.Name n) {
            return new Env(n.id(), item, env);
        }
        if (target instanceof Expr.Sequence s) {
            List<Const> parts = ConstOps.items(item);
            if (parts == null || parts.size() != s.elements().size()) {
                return null;
            }
            Env out = env;
            for (int i = 0; i < parts.size(); i++) {
                out = bind(s.elements().get(i), parts.get(i), out);
                if (out == null) {
                    return null;
                }
            }
            return out;
        }
        return null;
    }

    /** Folding's environments are persistent: binding never changes the one bound to. */
    @Override
    protected Env fork(Env env) {
        return env;
    }

    @Override
    protected Object joinKey(Const v) {
        return v instanceof Const.Str || v instanceof Const.Int ? v : null;
    }

    @Override
    protected boolean mayProduce(int n) {
        return n <= MAX_ITEMS;
    }

    /** Generators run nested within the depth bound: {@code depth} counts the comprehension itself. */
    @Override
    protected boolean mayNest(int index) {
        return depth - 1 + index <= maxDepth;
    }

    private Const foldCall(Expr.Call c, Env env) {
        for (Expr a : c.args()) {
            if (a instanceof Expr.Starred) {
                return null;
            }
        }
        if (c.callee() instanceof Expr.Attribute a) {
            Const recv = eval(a.value(), env);
            if (recv != null) {
                List<Const> args = foldArgs(c.args(), env);
                Map<String, Const> kw = foldKeywords(c, env);
                return args == null || kw == null ? null : ops.method(recv, a.attr(), args, kw);
            }
        }
        Expr.Attribute bound = c.callee() instanceof Expr.Name nm ? boundMethod(nm) : null;
        if (bound != null) {
            // _ = ''.join; _(parts): a method of a constant kept under a short name, as obfuscators write it
            Const recv = eval(bound.value(), env);
            if (recv != null) {
                List<Const> args = foldArgs(c.args(), env);
                Map<String, Const> kw = foldKeywords(c, env);
                return args == null || kw == null ? null : ops.method(recv, bound.attr(), args, kw);
            }
        }
        String fn = qname(c.callee());
        if (fn == null) {
            return null;
        }
        if (fn.equals("map")) {
            return foldMap(c, env);
        }
        List<Const> args = foldArgs(c.args(), env);
        Map<String, Const> kw = foldKeywords(c, env);
        if (args == null || kw == null) {
            return null;
        }
        return ops.builtin(fn, args, kw);
    }

    /** The attribute a name is bound to once ({@code _ = "".join}), or null. */
    private Expr.Attribute boundMethod(Expr.Name n) {
        List<Binding> bs = visibleBindings(n.id(), n, scopeOf(n));
        return bs != null && bs.size() == 1 && bs.get(0) instanceof Binding.Value v
                && v.value() instanceof Expr.Attribute a && a.value() instanceof Expr.Literal ? a : null;
    }

    /**
     * {@code map(f, *iterables)} where {@code f} is a builtin or a lambda of as many positional parameters as there
     * are iterables; the mapping itself is the shared walk's.
     */
    private Const foldMap(Expr.Call c, Env env) {
        if (c.args().size() < 2 || !c.keywords().isEmpty()) {
            return null;
        }
        List<Expr> iterables = c.args().subList(1, c.args().size());
        Function<List<Const>, Const> f;
        if (c.args().get(0) instanceof Expr.Lambda l) {
            if (l.params().size() != iterables.size()
                    || l.params().stream().anyMatch(p -> p.kind() != Stmt.ParamKind.POSITIONAL)) {
                return null;
            }
            f = args -> {
                Env bound = env;
                for (int i = 0; i < args.size(); i++) {
                    bound = new Env(l.params().get(i).name(), args.get(i), bound);
                }
                return eval(l.body(), bound);
            };
        } else {
            String fn = qname(c.args().get(0));
            if (fn == null) {
                return null;
            }
            f = args -> ops.builtin(fn, args, Map.of());
        }
        List<Const> values = new ArrayList<>(iterables.size());
        for (Expr it : iterables) {
            Const v = it instanceof Expr.Starred ? null : eval(it, env);
            if (v == null) {
                return null;
            }
            values.add(v);
        }
        return map(f, values);
    }

    private List<Const> foldArgs(List<Expr> args, Env env) {
        List<Const> out = new ArrayList<>(args.size());
        for (Expr a : args) {
            Const c = eval(a, env);
            if (c == null) {
                return null;
            }
            out.add(c);
        }
        return out;
    }

    private Map<String, Const> foldKeywords(Expr.Call call, Env env) {
        if (call.keywords().isEmpty()) {
            return Map.of();
        }
        Map<String, Const> out = new HashMap<>();
        for (Expr.Keyword k : call.keywords()) {
            Const c = k.name().equals("**") ? null : eval(k.value(), env);
            if (c == null) {
                return null;
            }
            out.put(k.name(), c);
        }
        return out;
    }
}
