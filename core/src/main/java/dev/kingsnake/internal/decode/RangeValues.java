package dev.kingsnake.internal.decode;

import dev.kingsnake.spi.python.Const;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * The items of a {@code range()} computed by constant folding's operations ({@link Const.Seq#isRange}), as
 * decoder values made when read: iterating one is bounded by the evaluation steps of whoever iterates, and
 * making it costs nothing. Immutable.
 */
final class RangeValues extends AbstractList<Value> implements RandomAccess {
    private final List<Const> ints;
    private final Value.Trace trace;

    RangeValues(Const.Seq range, Value.Trace trace) {
        if (!range.isRange()) {
            throw new IllegalArgumentException("not a range");
        }
        this.ints = range.elements();
        this.trace = trace;
    }

    @Override
    public Value get(int index) {
        return new Value.Int(((Const.Int) ints.get(index)).value().longValueExact(), trace);
    }

    @Override
    public int size() {
        return ints.size();
    }
}
