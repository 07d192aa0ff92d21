package dev.kingsnake.internal.decode;

import dev.kingsnake.internal.decode.marshal.MarshalReader;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.python.Const;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.SeqKind;
import dev.kingsnake.spi.python.Stmt;

import java.math.BigInteger;
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
 * by a step count, a nesting depth and the {@link OutputBound}.
 */
final class Evaluator {
    private static final int MAX_DEPTH = 200;
    private static final Set<String> BUILTINS = Set.of("chr", "ord", "bytes", "bytearray", "str", "int", "len",
            "list", "tuple", "reversed", "map", "zip", "range", "enumerate", "exec", "eval", "compile",
            "__import__", "getattr", "open", "sorted", "print", "globals", "locals", "vars", "type", "hex",
            "execfile");

    private final PythonFile file;
    private final Bindings bindings;
    private final OutputBound bound;
    private final long maxSteps;
    private final Set<Bindings.Binding> resolving = new HashSet<>();
    private final Map<List<Bindings.Binding>, Optional<Value>> cache = new HashMap<>();
    private final List<DecodeException> failures = new ArrayList<>();
    private long steps;
    private int depth;

    Evaluator(PythonFile file, Bindings bindings, OutputBound bound, long maxSteps) {
        this.file = file;
        this.bindings = bindings;
        this.bound = bound;
        this.maxSteps = maxSteps;
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
            failures.add(DecodeException.limit("evaluation step limit of " + maxSteps + " reached"));
            return Optional.empty();
        }
    }

    /** Thrown when the step budget is spent; unwinds the whole evaluation. */
    private static final class StepLimit extends RuntimeException {
        StepLimit() {
            super(null, null, false, false);
        }
    }

    private Value eval(Expr e, Map<String, Value> frame, int line) {
        if (++steps > maxSteps) {
            throw new StepLimit();
        }
        if (depth >= MAX_DEPTH) {
            failures.add(DecodeException.limit("expression nested deeper than " + MAX_DEPTH));
            return null;
        }
        depth++;
        try {
            Value v = evalInner(e, frame, line);
            return v instanceof Value.Growing g ? new Value.Str(g.text().toString(), g.trace()) : v;
        } finally {
            depth--;
        }
    }

    private Value evalInner(Expr e, Map<String, Value> frame, int line) {
        if (e instanceof Expr.Literal l) {
            return literal(l.value(), l);
        } else if (e instanceof Expr.Name n) {
            return name(n, frame, line);
        } else if (e instanceof Expr.Attribute a) {
            return attribute(eval(a.value(), frame, line), a.attr(), a);
        } else if (e instanceof Expr.Call c) {
            return call(c, frame, line);
        } else if (e instanceof Expr.BinOp b) {
            Value l = eval(b.left(), frame, line);
            return l == null ? null : binop(l, b.op(), eval(b.right(), frame, line));
        } else if (e instanceof Expr.UnaryOp u) {
            Value v = eval(u.operand(), frame, line);
            if (v instanceof Value.Int i && u.op().equals("-")) {
                return new Value.Int(-i.value(), i.trace());
            }
            if (v instanceof Value.Int i && u.op().equals("~")) {
                return new Value.Int(~i.value(), i.trace());
            }
            return u.op().equals("+") ? v : null;
        } else if (e instanceof Expr.Subscript s) {
            return subscript(eval(s.value(), frame, line), s.index(), frame, line);
        } else if (e instanceof Expr.Sequence s) {
            return sequence(s, frame, line);
        } else if (e instanceof Expr.Dict d) {
            Map<Value, Value> m = new LinkedHashMap<>();
            for (Expr.DictItem it : d.items()) {
                Value k = it.key().isPresent() ? eval(it.key().get(), frame, line) : null;
                Value v = eval(it.value(), frame, line);
                if (k == null || v == null) {
                    return null;
                }
                m.put(key(k), v);
            }
            return new Value.Dict(m);
        } else if (e instanceof Expr.Comprehension c) {
            return comprehension(c, frame, line);
        } else if (e instanceof Expr.Lambda l) {
            return new Value.Lambda(l, frame);
        } else if (e instanceof Expr.Conditional c) {
            return eval(truth(eval(c.test(), frame, line)) == Boolean.FALSE ? c.orElse() : c.body(), frame, line);
        } else if (e instanceof Expr.NamedExpr n) {
            return eval(n.value(), frame, line);
        } else if (e instanceof Expr.FString f) {
            StringBuilder sb = new StringBuilder();
            Value.Trace t = Value.Trace.NONE;
            for (Expr p : f.parts()) {
                if (!(eval(p, frame, line) instanceof Value.Str s)) {
                    return null;
                }
                sb.append(s.value());
                t = t.merge(s.trace());
            }
            return new Value.Str(sb.toString(), t);
        } else if (e instanceof Expr.Compare c && c.comparators().size() == 1) {
            return compare(eval(c.left(), frame, line), c.ops().get(0), eval(c.comparators().get(0), frame, line));
        }
        return null;
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
            return new Value.Seq(items, items.size() >= 8 ? Value.Trace.of(at, items.size()) : Value.Trace.NONE);
        }
        return null;
    }

    private Value name(Expr.Name n, Map<String, Value> frame, int line) {
        Value local = frame.get(n.id());
        if (local != null) {
            return local instanceof Value.Opaque ? null : local;
        }
        List<Bindings.Binding> bs = bindings.at(n.id(), line);
        if (!bs.isEmpty()) {
            return bound(bs);
        }
        Optional<Stmt.FunctionDef> f = bindings.function(n.id());
        if (f.isPresent()) {
            return new Value.Function(f.get());
        }
        Optional<Value> imported = bindings.imported(n.id());
        if (imported.isPresent()) {
            return imported.get();
        }
        if (n.id().equals("__builtins__")) {
            return new Value.Module("builtins");
        }
        if (BUILTINS.contains(n.id())) {
            return new Value.Builtin(n.id());
        }
        for (String m : bindings.starImports()) {
            String q = m + "." + n.id();
            if (Decoders.isKnown(q)) {
                return new Value.Builtin(q);
            }
        }
        return fromConst(file.constant(n));
    }

    private Value bound(List<Bindings.Binding> bs) {
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
            Value v = boundUncached(bs, first);
            cache.put(cacheKey, Optional.ofNullable(v));
            return v;
        } finally {
            resolving.remove(first);
        }
    }

    private Value boundUncached(List<Bindings.Binding> bs, Bindings.Binding first) {
        Value v = eval(first.value(), Map.of(), first.line());
        if (first.index() >= 0) {
            v = v instanceof Value.Seq s && first.index() < s.items().size() ? s.items().get(first.index()) : null;
        }
        for (int i = 1; i < bs.size() && v != null; i++) {
            Bindings.Binding b = bs.get(i);
            String op = b.augOp().orElseThrow();
            v = binop(v, op.substring(0, op.length() - 1), eval(b.value(), Map.of(), b.line()));
        }
        return v;
    }

    private Value fromConst(Optional<Const> c) {
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

    Value apply(Value callee, List<Value> args, Map<String, Value> kw, int line) {
        if (callee instanceof Value.Lambda l) {
            Map<String, Value> f = new HashMap<>(l.closure());
            if (!bindParams(l.lambda().params(), args, kw, f, line)) {
                return null;
            }
            return eval(l.lambda().body(), f, line);
        }
        if (callee instanceof Value.Function fn) {
            return callFunction(fn.def(), args, kw);
        }
        if (callee instanceof Value.Method m) {
            return Decoders.method(this, m.self(), m.name(), args, kw);
        }
        if (callee instanceof Value.Builtin b) {
            return Decoders.builtin(this, normalise(b.name()), args, kw);
        }
        return null;
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
                    v = new Value.Seq(args.subList(Math.min(i, args.size()), args.size()), Value.Trace.NONE);
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
        Map<String, Value> frame = new HashMap<>();
        if (!bindParams(def.params(), args, kw, frame, def.line())) {
            return null;
        }
        Flow f = block(def.body(), frame);
        return f != null && f.returned ? f.value : null;
    }

    /** How a block ended: returned a value, or fell through; {@code null} when it cannot be followed. */
    private record Flow(boolean returned, Value value) {
        static final Flow NEXT = new Flow(false, null);
    }

    private Flow block(List<Stmt> body, Map<String, Value> frame) {
        for (Stmt s : body) {
            if (++steps > maxSteps) {
                throw new StepLimit();
            }
            Flow f = statement(s, frame);
            if (f == null || f.returned) {
                return f;
            }
        }
        return Flow.NEXT;
    }

    private Flow statement(Stmt s, Map<String, Value> frame) {
        if (s instanceof Stmt.Return r) {
            return new Flow(true, r.value().isPresent() ? eval(r.value().get(), frame, r.line()) : new Value.NoneValue());
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
                if (r == null || r.returned) {
                    return r;
                }
            }
            return block(f.orElse(), frame);
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
        } else if (s instanceof Stmt.Simple || s instanceof Stmt.Global || s instanceof Stmt.Import
                || s instanceof Stmt.ImportFrom) {
            return Flow.NEXT;
        }
        return null;
    }

    private void assign(Expr target, Value v, Optional<String> augOp, Map<String, Value> frame) {
        if (target instanceof Expr.Name n) {
            if (augOp.isPresent()) {
                Value old = frame.get(n.id());
                if (old == null) {
                    old = name(n, frame, n.line());
                }
                String op = augOp.get().substring(0, augOp.get().length() - 1);
                if (op.equals("+") && v instanceof Value.Str s) {
                    if (old instanceof Value.Growing g) {
                        g.text().append(s.value());
                        frame.put(n.id(), new Value.Growing(g.text(), g.trace().merge(s.trace())));
                        return;
                    }
                    if (old instanceof Value.Str o) {
                        checkSize(o.value().length() + (long) s.value().length());
                        frame.put(n.id(), new Value.Growing(new StringBuilder(o.value()).append(s.value()),
                                o.trace().merge(s.trace())));
                        return;
                    }
                }
                Value r = old == null || old instanceof Value.Opaque ? null : binop(materialise(old), op, v);
                frame.put(n.id(), r == null ? new Value.Opaque() : r);
            } else {
                frame.put(n.id(), v == null ? new Value.Opaque() : v);
            }
        } else if (target instanceof Expr.Sequence seq) {
            List<Value> items = v instanceof Value.Seq s && s.items().size() == seq.elements().size() ? s.items() : null;
            for (int i = 0; i < seq.elements().size(); i++) {
                assign(seq.elements().get(i), items == null ? null : items.get(i), Optional.empty(), frame);
            }
        }
    }

    private static Value materialise(Value v) {
        return v instanceof Value.Growing g ? new Value.Str(g.text().toString(), g.trace()) : v;
    }

    private void checkSize(long size) {
        if (size > bound.perStep()) {
            failures.add(DecodeException.limit("string built in a loop exceeds " + bound.perStep() + " bytes"));
            throw new StepLimit();
        }
    }

    private Value sequence(Expr.Sequence s, Map<String, Value> frame, int line) {
        List<Value> items = new ArrayList<>(s.elements().size());
        boolean ints = true;
        for (Expr el : s.elements()) {
            if (el instanceof Expr.Starred st) {
                Value v = eval(st.value(), frame, line);
                List<Value> more = iterate(v);
                if (more == null) {
                    return null;
                }
                items.addAll(more);
                continue;
            }
            Value v = eval(el, frame, line);
            items.add(v == null ? new Value.Opaque() : v);
            ints &= v instanceof Value.Int;
        }
        Value.Trace t = ints && items.size() >= 8 ? Value.Trace.of(s, items.size()) : Value.Trace.NONE;
        return new Value.Seq(items, t);
    }

    private Value comprehension(Expr.Comprehension c, Map<String, Value> frame, int line) {
        List<Value> out = new ArrayList<>();
        Map<Value, Value> dict = c.kind() == SeqKind.DICT ? new LinkedHashMap<>() : null;
        Value.Trace[] trace = {Value.Trace.NONE};
        if (!generate(c, 0, new HashMap<>(frame), line, out, dict, trace)) {
            return null;
        }
        return dict != null ? new Value.Dict(dict) : new Value.Seq(out, trace[0]);
    }

    private boolean generate(Expr.Comprehension c, int g, Map<String, Value> frame, int line, List<Value> out,
                             Map<Value, Value> dict, Value.Trace[] trace) {
        if (g == c.generators().size()) {
            Value v = eval(c.element(), frame, line);
            if (v == null) {
                return false;
            }
            if (dict != null) {
                Value val = c.value().isPresent() ? eval(c.value().get(), frame, line) : null;
                if (val == null) {
                    return false;
                }
                dict.put(key(v), val);
            } else {
                out.add(v);
            }
            if (out.size() > bound.perStep()) {
                failures.add(DecodeException.limit("comprehension longer than " + bound.perStep()));
                return false;
            }
            return true;
        }
        Expr.ComprehensionFor gen = c.generators().get(g);
        Value iterable = eval(gen.iter(), frame, line);
        List<Value> items = iterate(iterable);
        if (items == null) {
            return false;
        }
        trace[0] = trace[0].merge(traceOf(iterable));
        for (Value item : items) {
            assign(gen.target(), item, Optional.empty(), frame);
            boolean keep = true;
            for (Expr cond : gen.conditions()) {
                Boolean t = truth(eval(cond, frame, line));
                if (t == null) {
                    return false;
                }
                keep &= t;
            }
            if (keep && !generate(c, g + 1, frame, line, out, dict, trace)) {
                return false;
            }
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
        }
        return Value.Trace.NONE;
    }

    /** The items of an iterable value (bytes give ints, str gives 1-char strs), carrying its trace. */
    List<Value> iterate(Value v) {
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

    static Boolean truth(Value v) {
        if (v instanceof Value.Bool b) {
            return b.value();
        } else if (v instanceof Value.Int i) {
            return i.value() != 0;
        } else if (v instanceof Value.Str s) {
            return !s.value().isEmpty();
        } else if (v instanceof Value.NoneValue) {
            return false;
        }
        return null;
    }

    private static Value compare(Value l, String op, Value r) {
        if (l instanceof Value.Int a && r instanceof Value.Int b) {
            long x = a.value();
            long y = b.value();
            return switch (op) {
                case "==" -> new Value.Bool(x == y);
                case "!=" -> new Value.Bool(x != y);
                case "<" -> new Value.Bool(x < y);
                case "<=" -> new Value.Bool(x <= y);
                case ">" -> new Value.Bool(x > y);
                case ">=" -> new Value.Bool(x >= y);
                default -> null;
            };
        }
        if (l instanceof Value.Str a && r instanceof Value.Str b) {
            return switch (op) {
                case "==" -> new Value.Bool(a.value().equals(b.value()));
                case "!=" -> new Value.Bool(!a.value().equals(b.value()));
                case "in" -> new Value.Bool(b.value().contains(a.value()));
                case "not in" -> new Value.Bool(!b.value().contains(a.value()));
                default -> null;
            };
        }
        return null;
    }

    Value binop(Value l, String op, Value r) {
        if (l == null || r == null) {
            return null;
        }
        l = materialise(l);
        r = materialise(r);
        if (l instanceof Value.Int a && r instanceof Value.Int b) {
            return intOp(a, op, b);
        }
        if (op.equals("+")) {
            if (l instanceof Value.Str a && r instanceof Value.Str b) {
                checkSize(a.value().length() + (long) b.value().length());
                return new Value.Str(a.value() + b.value(), a.trace().merge(b.trace()));
            }
            if (l instanceof Value.Bytes a && r instanceof Value.Bytes b) {
                checkSize(a.value().length + (long) b.value().length);
                byte[] out = Arrays.copyOf(a.value(), a.value().length + b.value().length);
                System.arraycopy(b.value(), 0, out, a.value().length, b.value().length);
                return new Value.Bytes(out, a.trace().merge(b.trace()));
            }
            if (l instanceof Value.Seq a && r instanceof Value.Seq b) {
                List<Value> items = new ArrayList<>(a.items());
                items.addAll(b.items());
                return new Value.Seq(items, a.trace().merge(b.trace()));
            }
        }
        if (op.equals("*") && l instanceof Value.Str a && r instanceof Value.Int n && n.value() >= 0) {
            checkSize(a.value().length() * n.value());
            return new Value.Str(a.value().repeat((int) n.value()), a.trace());
        }
        return null;
    }

    private static Value intOp(Value.Int a, String op, Value.Int b) {
        long x = a.value();
        long y = b.value();
        Value.Trace t = a.trace().merge(b.trace());
        try {
            long r;
            switch (op) {
                case "^" -> {
                    r = x ^ y;
                    t = t.chain().contains("xor") ? t : t.then("xor");
                }
                case "&" -> r = x & y;
                case "|" -> r = x | y;
                case "+" -> r = Math.addExact(x, y);
                case "-" -> r = Math.subtractExact(x, y);
                case "*" -> r = Math.multiplyExact(x, y);
                case "//" -> r = Math.floorDiv(x, y);
                case "%" -> r = Math.floorMod(x, y);
                case "<<" -> r = y < 0 || y > 62 ? BigInteger.valueOf(x).shiftLeft((int) y).longValueExact() : x << y;
                case ">>" -> r = y < 0 ? 0 : x >> Math.min(y, 63);
                case "**" -> r = BigInteger.valueOf(x).pow((int) Math.min(Math.max(y, 0), 64)).longValueExact();
                default -> {
                    return null;
                }
            }
            if (!op.equals("^") && (op.equals("+") || op.equals("-")) && !t.chain().contains("shift")
                    && t.origin().isPresent()) {
                t = t.then("shift");
            }
            return new Value.Int(r, t);
        } catch (ArithmeticException e) {
            return null;
        }
    }

    private Value subscript(Value v, Expr index, Map<String, Value> frame, int line) {
        if (v == null) {
            return null;
        }
        if (index instanceof Expr.Slice s) {
            Long lo = optInt(s.lower(), frame, line);
            Long hi = optInt(s.upper(), frame, line);
            Long st = optInt(s.step(), frame, line);
            if (lo == null || hi == null || st == null) {
                return null;
            }
            return Slicing.slice(v, s.lower().isPresent() ? lo : null, s.upper().isPresent() ? hi : null,
                    s.step().isPresent() ? st : 1);
        }
        Value k = eval(index, frame, line);
        if (v instanceof Value.Dict d) {
            return k == null ? null : lookup(d, k);
        }
        if (!(k instanceof Value.Int i)) {
            return null;
        }
        List<Value> items = v instanceof Value.Seq seq ? seq.items() : null;
        if (v instanceof Value.Str str) {
            int n = str.value().length();
            long j = i.value() < 0 ? i.value() + n : i.value();
            return j >= 0 && j < n ? new Value.Str(String.valueOf(str.value().charAt((int) j)), str.trace()) : null;
        }
        if (v instanceof Value.Bytes b) {
            int n = b.value().length;
            long j = i.value() < 0 ? i.value() + n : i.value();
            return j >= 0 && j < n ? new Value.Int(b.value()[(int) j] & 0xff, b.trace()) : null;
        }
        if (items != null) {
            int n = items.size();
            long j = i.value() < 0 ? i.value() + n : i.value();
            return j >= 0 && j < n ? items.get((int) j) : null;
        }
        return null;
    }

    /** An optional int slice bound: 0 placeholder when absent, null when present but unknown. */
    private Long optInt(Optional<Expr> e, Map<String, Value> frame, int line) {
        if (e.isEmpty()) {
            return 0L;
        }
        Value v = eval(e.get(), frame, line);
        if (v instanceof Value.NoneValue) {
            return 0L;
        }
        return v instanceof Value.Int i ? i.value() : null;
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
