package dev.kingsnake.internal.decode;

import dev.kingsnake.spi.python.Const;
import dev.kingsnake.spi.python.SeqKind;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Between the decoder's {@link Value}s and the {@link Const}s of constant folding, so that the operations both
 * evaluate (arithmetic, comparisons, slicing, str and bytes methods, conversions) are computed once, by
 * {@code ConstOps}, and only the decoding trace is the decoder's own.
 */
final class ConstConversion {
    private ConstConversion() {
    }

    /**
     * The constant a value stands for; null for values that are not plain data (functions, modules...). A str or
     * bytes kept as runs ({@link Value.Repeated}) is data too long to build: {@link Repetitions.Unmaterialised},
     * which the evaluator reports as the size limit, never a silent unknown.
     */
    static Const toConst(Value v) {
        if (v instanceof Value.Repeated) {
            throw new Repetitions.Unmaterialised();
        }
        if (v instanceof Value.Str s) {
            return new Const.Str(s.value());
        } else if (v instanceof Value.Bytes b) {
            return new Const.Bytes(b.value());
        } else if (v instanceof Value.Int i) {
            return new Const.Int(BigInteger.valueOf(i.value()));
        } else if (v instanceof Value.Bool b) {
            return new Const.Bool(b.value());
        } else if (v instanceof Value.NoneValue) {
            return new Const.None();
        } else if (v instanceof Value.Growing g) {
            return new Const.Str(g.text().toString());
        } else if (v instanceof Value.Seq s) {
            List<Const> items = new ArrayList<>(s.items().size());
            for (Value item : s.items()) {
                Const c = toConst(item);
                if (c == null) {
                    return null;
                }
                items.add(c);
            }
            // the decoder does not tell lists from tuples; as tuples, '%s %s' % (a, b) spreads them as Python does
            return new Const.Seq(SeqKind.TUPLE, items);
        }
        return null;
    }

    /** All of {@code values} as constants, or null when one of them is not plain data. */
    static List<Const> toConsts(List<Value> values) {
        List<Const> out = new ArrayList<>(values.size());
        for (Value v : values) {
            Const c = v == null ? null : toConst(v);
            if (c == null) {
                return null;
            }
            out.add(c);
        }
        return out;
    }

    /**
     * The value of a constant, carrying {@code trace}; null for what the decoder does not model (floats, ints
     * beyond 64 bits).
     */
    static Value fromConst(Const c, Value.Trace trace) {
        if (c instanceof Const.Str s) {
            return new Value.Str(s.value(), trace);
        } else if (c instanceof Const.Bytes b) {
            return new Value.Bytes(b.value(), trace);
        } else if (c instanceof Const.Int i) {
            return i.value().bitLength() < 64 ? new Value.Int(i.value().longValue(), trace) : null;
        } else if (c instanceof Const.Bool b) {
            return new Value.Bool(b.value());
        } else if (c instanceof Const.None) {
            return new Value.NoneValue();
        } else if (c instanceof Const.Seq s && s.isRange()) {
            return new Value.Seq(new RangeValues(s, trace), Value.Trace.NONE);
        } else if (c instanceof Const.Seq s && (s.kind() == SeqKind.LIST || s.kind() == SeqKind.TUPLE)) {
            List<Value> items = new ArrayList<>(s.elements().size());
            for (Const e : s.elements()) {
                Value v = fromConst(e, trace);
                if (v == null) {
                    return null;
                }
                items.add(v);
            }
            return new Value.Seq(items, Value.Trace.NONE);
        }
        return null;
    }
}
