package dev.kingsnake.internal.decode;

import dev.kingsnake.internal.python.semantic.ConstOps;
import dev.kingsnake.spi.python.Const;

import java.util.ArrayList;
import java.util.List;

/**
 * Python slicing ({@code x[a:b:c]}) of str, bytes and sequences, computed by {@code ConstOps}; what is the
 * decoder's own is the trace: {@code [::-1]} is the reversal step, other strides a slicing step.
 */
final class Slicing {
    private static final Const REVERSE = new Const.Int(java.math.BigInteger.valueOf(-1));

    private Slicing() {
    }

    /** Bounds and step are None when omitted; null when the slice cannot be taken. */
    static Value slice(Value v, Const lo, Const hi, Const step) {
        boolean reversal = lo instanceof Const.None && hi instanceof Const.None && REVERSE.equals(step);
        boolean whole = step instanceof Const.None
                || step instanceof Const.Int i && i.value().equals(java.math.BigInteger.ONE);
        if (v instanceof Value.Data d) {
            Const out = ConstOps.slice(ConstConversion.toConst(d), lo, hi, step);
            Value.Trace t = reversal ? d.trace().then("reversed") : whole ? d.trace() : d.trace().then("slice");
            return out == null ? null : ConstConversion.fromConst(out, t);
        }
        if (v instanceof Value.Seq s) {
            int[] idx = ConstOps.sliceIndices(s.items().size(), lo, hi, step);
            if (idx == null) {
                return null;
            }
            List<Value> out = new ArrayList<>(idx.length);
            for (int i : idx) {
                out.add(s.items().get(i));
            }
            return new Value.Seq(out, reversal ? s.trace().then("reversed") : s.trace());
        }
        return null;
    }

    /** {@code reversed(x)} / {@code x[::-1]}. */
    static Value reverse(Value v) {
        return slice(v, new Const.None(), new Const.None(), REVERSE);
    }
}
