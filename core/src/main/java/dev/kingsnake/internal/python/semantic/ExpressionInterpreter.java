package dev.kingsnake.internal.python.semantic;

import dev.kingsnake.spi.python.Const;
import dev.kingsnake.spi.python.Expr;

import dev.kingsnake.spi.python.Nodes;
import dev.kingsnake.spi.python.SeqKind;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The one walk of Python expressions to values, shared by constant folding ({@link Evaluator}: values are
 * {@link Const}s, names resolve through the symbol table) and the decoder ({@code internal.decode.PayloadEvaluator}:
 * values carry their decoding trace, names resolve through its bindings, calls reach the file's small functions,
 * {@code eval} of strings and the library decoders). Every shape of expression is dispatched here, and the shapes
 * whose meaning does not depend on where names come from are evaluated here once: comparison chains,
 * conditionals, walrus, unary operators, subscripts, slices, docstring subscripts, f-strings and the generators of
 * comprehensions. The operations
 * themselves are {@link ConstOps}'s, bounded by the {@code ConstOps} each subclass is given. A subclass says what
 * its values are ({@link #constant}, {@link #fromConst}, {@link #truth}...), how names, attributes and calls
 * resolve, and wraps {@link #walk} in {@link #eval} with its own memo and budgets. Unknown is {@code null}
 * throughout, never an exception.
 *
 * @param <V> the values
 * @param <E> the environment an expression is evaluated in (loop variables, a function's frame)
 */
public abstract class ExpressionInterpreter<V, E> {
    private static final Const NONE = new Const.None();

    protected final ConstOps ops;

    protected ExpressionInterpreter(ConstOps ops) {
        this.ops = ops;
    }

    /** The value of {@code e} in {@code env}, or null: {@link #walk} wrapped in the subclass's memo and budgets. */
    protected abstract V eval(Expr e, E env);

    /** Evaluates one expression by its shape; children are evaluated through {@link #eval}. */
    protected final V walk(Expr e, E env) {
        if (e instanceof Expr.Literal l) {
            return literal(l);
        } else if (e instanceof Expr.Name n) {
            return name(n, env);
        } else if (e instanceof Expr.Attribute a) {
            return attribute(a, env);
        } else if (e instanceof Expr.Call c) {
            return call(c, env);
        } else if (e instanceof Expr.BinOp b) {
            return b.op().equals("+") ? sum(b, env) : binOp(b, env);
        } else if (e instanceof Expr.UnaryOp u) {
            V v = eval(u.operand(), env);
            return v == null ? null : unary(u.op(), v);
        } else if (e instanceof Expr.Subscript s) {
            return subscript(s, env);
        } else if (e instanceof Expr.Sequence s) {
            return sequence(s, env);
        } else if (e instanceof Expr.Dict d) {
            return dict(d, env);
        } else if (e instanceof Expr.Comprehension c) {
            return comprehension(c, env);
        } else if (e instanceof Expr.Lambda l) {
            return lambda(l, env);
        } else if (e instanceof Expr.Conditional c) {
            return conditional(c, env);
        } else if (e instanceof Expr.NamedExpr n) {
            return eval(n.value(), env);
        } else if (e instanceof Expr.FString f) {
            return fString(f, env);
        } else if (e instanceof Expr.Compare c) {
            return compareChain(c, env);
        }
        return null;
    }

    // ---------------------------------------------------------------- what a value is

    /** The constant a value stands for, or null for what is not plain data (a function, a module...). */
    protected abstract Const constantOf(V v);

    /** The value of a constant computed by {@link ConstOps} or {@link BuiltinDocs}, or null when not modelled. */
    protected abstract V fromConst(Const c);

    /** Python truthiness, or null when not known. */
    protected abstract Boolean truth(V v);

    /** What {@code str(v)} renders inside an f-string ({@code f"{5}"} is {@code "5"}), or null when not known exactly. */
    private String text(V v) {
        Const c = constantOf(v);
        return c == null ? null : ConstOps.text(c);
    }

    /** The f-string made of {@code text}, whose fields were {@code parts}. */
    protected abstract V fStringValue(String text, List<V> parts);

    // ---------------------------------------------------------------- how shapes resolve (subclass hooks)

    protected abstract V literal(Expr.Literal l);

    protected abstract V name(Expr.Name n, E env);

    protected V attribute(Expr.Attribute a, E env) {
        return null;
    }

    protected abstract V call(Expr.Call c, E env);

    /** {@code l op r} for one binary operator, both sides known. */
    protected abstract V binary(V l, String op, V r);

    /**
     * The str or bytes a {@code +} chain of texts built, {@code joined}, as a value made of {@code parts} (whose
     * constants it holds in order).
     */
    protected abstract V concatenation(Const joined, List<V> parts);

    /**
     * Whether a string of {@code length} characters may be built by concatenation; the decoder reports where it
     * stops.
     */
    protected boolean mayBuild(long length) {
        return ops.fits(length);
    }

    /**
     * Whether a value is a str or bytes kept without being built (too long to build), which a {@code +} chain adds
     * with {@link #binary} instead of copying it into one buffer.
     */
    protected boolean unbuilt(V v) {
        return false;
    }

    protected abstract V unary(String op, V v);

    /** {@code l op r} for one comparison operator of a chain. */
    protected abstract V compare(V l, String op, V r);

    protected abstract V index(V v, V key);

    /** {@code v[lower:upper:step]}; omitted bounds are None. */
    protected abstract V slice(V v, Const lower, Const upper, Const step);

    /**
     * The value of a list, tuple or set display whose items are {@code items} (starred items expanded), or null
     * when this kind of display is not modelled.
     */
    protected abstract V display(Expr.Sequence s, List<V> items);

    /**
     * What stands for an item of a display that has no known value: null when a display with an unknown item has
     * no value at all (folding), a placeholder when the other items are still of use (the decoder: a table of
     * functions next to one it cannot evaluate).
     */
    protected abstract V unknownItem();

    /** The items a starred item {@code *v} of a display expands to, or null when not expanded. */
    protected List<V> starred(V v) {
        return items(v);
    }

    /** The list {@code map} produced, {@code out}, from iterables the first of which was {@code first}. */
    protected abstract V mapped(List<V> out, V first);

    protected V dict(Expr.Dict d, E env) {
        return null;
    }

    /**
     * A comprehension's value: {@link #generate} runs its generators, the subclass decides which kinds it models
     * and builds the result.
     */
    protected abstract V comprehension(Expr.Comprehension c, E env);

    /** The items iterating over {@code iterable} yields, or null when unknown. */
    protected abstract List<V> items(V iterable);

    /**
     * {@code env} with a loop target bound to {@code item}, or null when it cannot be bound; an environment may be
     * updated in place and returned (see {@link #fork}).
     */
    protected abstract E bind(Expr target, V item, E env);

    /** An environment whose later bindings do not change {@code env}'s. */
    protected abstract E fork(E env);

    /** A key equal for equal str and int values (a hash lookup replaces {@code ==} then), or null for others. */
    protected abstract Object joinKey(V v);

    /** Whether a comprehension that produced {@code n} items may go on. */
    protected abstract boolean mayProduce(int n);

    /** Whether the generator at {@code index} of a comprehension may be run (a bound on nesting). */
    protected boolean mayNest(int index) {
        return true;
    }

    protected V lambda(Expr.Lambda l, E env) {
        return null;
    }

    /** A conditional expression whose test is unknown. */
    protected V conditionalOnUnknown(Expr.Conditional c, E env) {
        return null;
    }

    /**
     * The builtin whose docstring {@code receiver.__doc__} is, for receivers other than display literals, or null.
     */
    protected abstract String docOwner(Expr receiver, E env);

    // ---------------------------------------------------------------- the shapes evaluated here

    private V conditional(Expr.Conditional c, E env) {
        V test = eval(c.test(), env);
        Boolean t = test == null ? null : truth(test);
        if (t == null) {
            return conditionalOnUnknown(c, env);
        }
        return eval(t ? c.body() : c.orElse(), env);
    }

    /** {@code a < b < c} is {@code a < b and b < c}; opaque predicates of flattened control flow are such tests. */
    private V compareChain(Expr.Compare c, E env) {
        V left = eval(c.left(), env);
        V result = null;
        for (int i = 0; left != null && i < c.ops().size(); i++) {
            V right = eval(c.comparators().get(i), env);
            result = right == null ? null : compare(left, c.ops().get(i), right);
            Const r = result == null ? null : constantOf(result);
            if (!(r instanceof Const.Bool b) || !b.value()) {
                return result;
            }
            left = right;
        }
        return left == null ? null : result;
    }

    private V binOp(Expr.BinOp b, E env) {
        V l = eval(b.left(), env);
        if (l == null) {
            return null;
        }
        V r = eval(b.right(), env);
        return r == null ? null : binary(l, b.op(), r);
    }

    /**
     * A chain of {@code +} of any shape, flattened without recursion (obfuscators add thousands of pieces, deeper
     * than any depth bound) and added left to right; str and bytes are built in one buffer, as adding them
     * pairwise would copy quadratically.
     */
    private V sum(Expr.BinOp root, E env) {
        List<Expr> operands = new ArrayList<>();
        Deque<Expr> stack = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            Expr x = stack.pop();
            if (x instanceof Expr.BinOp b && b.op().equals("+")) {
                stack.push(b.right());
                stack.push(b.left());
            } else {
                operands.add(x);
            }
        }
        V first = eval(operands.get(0), env);
        if (first == null) {
            return null;
        }
        Const c = unbuilt(first) ? null : constantOf(first);
        if (c instanceof Const.Str || c instanceof Const.Bytes) {
            return concatenate(first, c, operands, env);
        }
        return addPairwise(first, null, 1, operands, env);
    }

    /** {@code acc + next + operands[from] + ...} with {@link #binary}; {@code next} null when not evaluated yet. */
    private V addPairwise(V acc, V next, int from, List<Expr> operands, E env) {
        for (int i = from; i < operands.size() && acc != null; i++) {
            V x = i == from && next != null ? next : eval(operands.get(i), env);
            acc = x == null ? null : binary(acc, "+", x);
        }
        return acc;
    }

    private V concatenate(V first, Const c, List<Expr> operands, E env) {
        boolean text = c instanceof Const.Str;
        StringBuilder sb = new StringBuilder(c.asText());
        List<V> parts = new ArrayList<>(operands.size());
        parts.add(first);
        for (int i = 1; i < operands.size(); i++) {
            V next = eval(operands.get(i), env);
            if (next != null && unbuilt(next)) {
                V built = concatenation(text ? new Const.Str(sb.toString())
                        : new Const.Bytes(sb.toString().getBytes(StandardCharsets.ISO_8859_1)), parts);
                return addPairwise(built, next, i, operands, env);
            }
            Const n = next == null ? null : constantOf(next);
            if (n == null || (text ? !(n instanceof Const.Str) : !(n instanceof Const.Bytes))) {
                return null;
            }
            sb.append(n.asText());
            if (!mayBuild(sb.length())) {
                return null;
            }
            parts.add(next);
        }
        return concatenation(text ? new Const.Str(sb.toString())
                : new Const.Bytes(sb.toString().getBytes(StandardCharsets.ISO_8859_1)), parts);
    }

    /** A list, tuple or set display; starred items are expanded, unknown ones stand as {@link #unknownItem()}. */
    private V sequence(Expr.Sequence s, E env) {
        if (!ops.fits(s.elements().size())) {
            return null;
        }
        List<V> items = new ArrayList<>(s.elements().size());
        for (Expr el : s.elements()) {
            if (el instanceof Expr.Starred st) {
                V v = eval(st.value(), env);
                List<V> more = v == null ? null : starred(v);
                if (more == null) {
                    return null;
                }
                items.addAll(more);
                continue;
            }
            V v = eval(el, env);
            if (v == null) {
                v = unknownItem();
                if (v == null) {
                    return null;
                }
            }
            items.add(v);
        }
        return display(s, items);
    }

    /**
     * {@code map(f, *iterables)}: {@code f} applied to the iterables' items taken side by side, up to the shortest;
     * null when an iterable or a result is unknown.
     */
    protected final V map(Function<List<V>, V> f, List<V> iterables) {
        if (iterables.isEmpty()) {
            return null;
        }
        List<List<V>> lists = new ArrayList<>(iterables.size());
        int n = Integer.MAX_VALUE;
        for (V iterable : iterables) {
            List<V> items = iterable == null ? null : items(iterable);
            if (items == null) {
                return null;
            }
            lists.add(items);
            n = Math.min(n, items.size());
        }
        if (!mayProduce(n)) {
            return null;
        }
        List<V> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            List<V> args = new ArrayList<>(lists.size());
            for (List<V> l : lists) {
                args.add(l.get(i));
            }
            V v = f.apply(args);
            if (v == null) {
                return null;
            }
            out.add(v);
        }
        return mapped(out, iterables.get(0));
    }

    private V fString(Expr.FString f, E env) {
        StringBuilder sb = new StringBuilder();
        List<V> parts = new ArrayList<>(f.parts().size());
        for (Expr part : f.parts()) {
            V v = eval(part, env);
            String t = v == null ? null : text(v);
            if (t == null) {
                return null;
            }
            sb.append(t);
            if (!ops.fits(sb.length())) {
                return null;
            }
            parts.add(v);
        }
        return fStringValue(sb.toString(), parts);
    }

    // ---------------------------------------------------------------- comprehensions

    /** What one comprehension produced: its elements in order (with their values, for a dict comprehension). */
    protected static final class Generation<V> {
        private final Expr.Comprehension c;
        private final boolean[] invariant;
        /** Per generator: the items of a loop-invariant iterable, evaluated once. */
        private final Map<Integer, List<V>> cached = new HashMap<>();
        private final Map<Integer, Map<Object, List<V>>> indexes = new HashMap<>();
        /** Per generator: the join's {inner, outer} sides, or an empty array when it is not a join. */
        private final Map<Integer, Expr[]> joinSides = new HashMap<>();
        public final List<V> elements = new ArrayList<>();
        /** For a dict comprehension, the value of each element. */
        public final List<V> values = new ArrayList<>();
        /** Every iterable evaluated, in order. */
        public final List<V> iterables = new ArrayList<>();

        private Generation(Expr.Comprehension c) {
            this.c = c;
            this.invariant = invariantIterables(c);
        }
    }

    /** Runs a comprehension's generators in a fork of {@code env}; null when an item or condition is unknown. */
    protected final Generation<V> generate(Expr.Comprehension c, E env) {
        Generation<V> g = new Generation<>(c);
        return generate(g, 0, fork(env)) ? g : null;
    }

    private boolean generate(Generation<V> g, int index, E env) {
        Expr.Comprehension c = g.c;
        if (index == c.generators().size()) {
            V v = eval(c.element(), env);
            if (v == null) {
                return false;
            }
            if (c.kind() == SeqKind.DICT) {
                V val = c.value().isPresent() ? eval(c.value().get(), env) : null;
                if (val == null) {
                    return false;
                }
                g.values.add(val);
            }
            g.elements.add(v);
            return c.kind() == SeqKind.DICT || mayProduce(g.elements.size());
        }
        Expr.ComprehensionFor gen = c.generators().get(index);
        if (gen.async() || !mayNest(index)) {
            return false;
        }
        List<V> items = g.invariant[index] ? g.cached.get(index) : null;
        if (items == null) {
            V iterable = eval(gen.iter(), env);
            items = iterable == null ? null : items(iterable);
            if (items == null) {
                return false;
            }
            g.iterables.add(iterable);
            if (g.invariant[index]) {
                g.cached.put(index, items);
            }
        }
        List<V> candidates = items;
        List<Expr> conditions = gen.conditions();
        if (index > 0 && g.invariant[index] && conditions.size() == 1 && conditions.get(0) instanceof Expr.Compare cmp
                && cmp.ops().equals(List.of("=="))) {
            // for y in TABLE if x == y[1]: a lookup, not a scan (obfuscators translate char by char like this)
            Optional<List<V>> hits = lookupJoin(g, index, gen, cmp, items, env);
            if (hits.isPresent()) {
                candidates = hits.get();
                conditions = List.of();
            }
        }
        for (V item : candidates) {
            E inner = bind(gen.target(), item, env);
            if (inner == null) {
                return false;
            }
            boolean keep = true;
            for (Expr cond : conditions) {
                V t = eval(cond, inner);
                Boolean b = t == null ? null : truth(t);
                if (b == null) {
                    return false;
                }
                keep &= b;
            }
            if (keep && !generate(g, index + 1, inner)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The items whose side of {@code cmp} equals the other side's value, through an index built once per
     * comprehension; empty when the comparison is not of that shape (one side only about this generator's
     * target, the other not about it at all) or a side is not a known str or int.
     */
    private Optional<List<V>> lookupJoin(Generation<V> g, int index, Expr.ComprehensionFor gen, Expr.Compare cmp,
                                         List<V> items, E env) {
        Expr[] sides = g.joinSides.computeIfAbsent(index, k -> joinSides(gen, cmp));
        if (sides.length == 0) {
            return Optional.empty();
        }
        Expr inner = sides[0];
        Expr outer = sides[1];
        Map<Object, List<V>> idx = g.indexes.get(index);
        if (idx == null) {
            idx = new HashMap<>();
            E aside = fork(env);
            for (V item : items) {
                E bound = bind(gen.target(), item, aside);
                V k = bound == null ? null : eval(inner, bound);
                Object key = k == null ? null : joinKey(k);
                if (key == null) {
                    return Optional.empty();
                }
                idx.computeIfAbsent(key, x -> new ArrayList<>()).add(item);
            }
            g.indexes.put(index, idx);
        }
        V probe = eval(outer, env);
        Object key = probe == null ? null : joinKey(probe);
        if (key == null) {
            return Optional.empty();
        }
        return Optional.of(idx.getOrDefault(key, List.of()));
    }

    /**
     * For each generator, whether its iterable mentions none of the earlier generators' targets; such an
     * iterable is the same on every pass and is evaluated once (obfuscators nest a whole table there).
     */
    private static boolean[] invariantIterables(Expr.Comprehension c) {
        boolean[] out = new boolean[c.generators().size()];
        Set<String> targets = new HashSet<>();
        for (int i = 0; i < out.length; i++) {
            Expr.ComprehensionFor gen = c.generators().get(i);
            Set<String> used = freeNames(gen.iter());
            used.retainAll(targets);
            out[i] = used.isEmpty();
            targets.addAll(names(gen.target()));
        }
        return out;
    }

    /**
     * The sides of {@code cmp} as {inner, outer}: inner only about the generator's target, outer not about it
     * at all; an empty array when the comparison is not of that shape. Depends on the syntax alone, so a
     * comprehension works it out once per generator, not once per item of the generators around it.
     */
    private static Expr[] joinSides(Expr.ComprehensionFor gen, Expr.Compare cmp) {
        Set<String> targets = names(gen.target());
        Expr left = cmp.left();
        Expr right = cmp.comparators().get(0);
        Set<String> leftNames = names(left);
        Set<String> rightNames = names(right);
        if (targets.containsAll(rightNames) && !rightNames.isEmpty() && disjoint(leftNames, targets)) {
            return new Expr[] {right, left};
        } else if (targets.containsAll(leftNames) && !leftNames.isEmpty() && disjoint(rightNames, targets)) {
            return new Expr[] {left, right};
        }
        return new Expr[0];
    }

    /** Names an expression reads from outside, leaving out those its own comprehensions and lambdas bind. */
    private static Set<String> freeNames(Expr e) {
        Set<String> used = names(e);
        Nodes.walk(e, n -> {
            if (n instanceof Expr.ComprehensionFor f) {
                used.removeAll(names(f.target()));
            } else if (n instanceof Expr.Lambda l) {
                l.params().forEach(p -> used.remove(p.name()));
            }
        });
        return used;
    }

    private static Set<String> names(Expr e) {
        Set<String> out = new HashSet<>();
        Nodes.walk(e, n -> {
            if (n instanceof Expr.Name nm) {
                out.add(nm.id());
            }
        });
        return out;
    }

    private static boolean disjoint(Set<String> a, Set<String> b) {
        return a.stream().noneMatch(b::contains);
    }

    private V subscript(Expr.Subscript s, E env) {
        if (s.value() instanceof Expr.Attribute a && a.attr().equals("__doc__")) {
            return docSubscript(a.value(), s.index(), env);
        }
        V v = eval(s.value(), env);
        if (v == null) {
            return null;
        }
        if (s.index() instanceof Expr.Slice sl) {
            Const[] b = sliceBounds(sl, env);
            return b == null ? null : slice(v, b[0], b[1], b[2]);
        }
        V k = eval(s.index(), env);
        return k == null ? null : index(v, k);
    }

    /** {@code abs.__doc__[8]}, {@code ''.__doc__[:3]}: the docstring characters every CPython version shares. */
    private V docSubscript(Expr receiver, Expr index, E env) {
        String builtin = receiver instanceof Expr.Sequence seq ? seq.kind().name().toLowerCase(Locale.ROOT)
                : receiver instanceof Expr.Dict ? "dict" : docOwner(receiver, env);
        if (builtin == null) {
            return null;
        }
        Optional<Const> out;
        if (index instanceof Expr.Slice sl) {
            Const[] b = sliceBounds(sl, env);
            out = b == null ? Optional.empty() : BuiltinDocs.slice(builtin, b[0], b[1], b[2]);
        } else {
            V k = eval(index, env);
            Const i = k == null ? null : constantOf(k);
            out = i == null ? Optional.empty() : BuiltinDocs.index(builtin, i);
        }
        return out.map(this::fromConst).orElse(null);
    }

    /** Lower, upper and step of a slice (None where omitted), or null when a bound given is not a known int. */
    private Const[] sliceBounds(Expr.Slice sl, E env) {
        Const lo = sliceBound(sl.lower(), env);
        Const hi = sliceBound(sl.upper(), env);
        Const st = sliceBound(sl.step(), env);
        return lo == null || hi == null || st == null ? null : new Const[] {lo, hi, st};
    }

    private Const sliceBound(Optional<Expr> e, E env) {
        if (e.isEmpty()) {
            return NONE;
        }
        V v = eval(e.get(), env);
        Const c = v == null ? null : constantOf(v);
        return c instanceof Const.Int || c instanceof Const.Bool || c instanceof Const.None ? c : null;
    }
}
