package dev.kingsnake.internal.python.semantic;

import dev.kingsnake.spi.python.Const;
import dev.kingsnake.spi.python.Expr;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The one walk of Python expressions to values, shared by constant folding ({@link Evaluator}: values are
 * {@link Const}s, names resolve through the symbol table) and the decoder ({@code internal.decode.PayloadEvaluator}:
 * values carry their decoding trace, names resolve through its bindings, calls reach the file's small functions,
 * {@code eval} of strings and the library decoders). Every shape of expression is dispatched here, and the shapes
 * whose meaning does not depend on where names come from are evaluated here once: comparison chains,
 * conditionals, walrus, unary operators, subscripts, slices, docstring subscripts and f-strings. The operations
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
            return binOp(b, env);
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

    /** What {@code str(v)} renders inside an f-string, or null when not known exactly. */
    protected abstract String text(V v);

    /** The f-string made of {@code text}, whose fields were {@code parts}. */
    protected abstract V fStringValue(String text, List<V> parts);

    // ---------------------------------------------------------------- how shapes resolve (subclass hooks)

    protected abstract V literal(Expr.Literal l);

    protected abstract V name(Expr.Name n, E env);

    protected V attribute(Expr.Attribute a, E env) {
        return null;
    }

    protected abstract V call(Expr.Call c, E env);

    protected abstract V binOp(Expr.BinOp b, E env);

    protected abstract V unary(String op, V v);

    /** {@code l op r} for one comparison operator of a chain. */
    protected abstract V compare(V l, String op, V r);

    protected abstract V index(V v, V key);

    /** {@code v[lower:upper:step]}; omitted bounds are None. */
    protected abstract V slice(V v, Const lower, Const upper, Const step);

    protected abstract V sequence(Expr.Sequence s, E env);

    protected V dict(Expr.Dict d, E env) {
        return null;
    }

    protected abstract V comprehension(Expr.Comprehension c, E env);

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
