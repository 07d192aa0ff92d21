package dev.kingsnake.spi.python;

import java.math.BigInteger;
import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * The items of a {@code range()}, each made when it is read: a comprehension over {@code range(10 * 1024 * 1024)}
 * that stops at its first unknown item costs one item, not ten million (psycopg's tests build their big test strings
 * this way). Immutable.
 */
final class RangeItems extends AbstractList<Const> implements RandomAccess {
    private final long start;
    private final long step;
    private final int count;

    RangeItems(long start, long step, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count " + count);
        }
        this.start = start;
        this.step = step;
        this.count = count;
    }

    @Override
    public Const get(int index) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException(index);
        }
        return new Const.Int(BigInteger.valueOf(start + index * step));
    }

    @Override
    public int size() {
        return count;
    }
}
