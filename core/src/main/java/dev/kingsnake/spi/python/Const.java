package dev.kingsnake.spi.python;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** A compile-time constant value: a literal, or what constant folding computed. */
public sealed interface Const {

    record Str(String value) implements Const {
    }

    /** A bytes value. The array is shared for speed: never modify it. */
    record Bytes(byte[] value) implements Const {
        @Override
        public boolean equals(Object o) {
            return o instanceof Bytes b && Arrays.equals(value, b.value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Bytes[" + new String(value, 0, Math.min(value.length, 80), StandardCharsets.ISO_8859_1) + "]";
        }
    }

    record Int(BigInteger value) implements Const {
    }

    record Float(double value) implements Const {
    }

    record Bool(boolean value) implements Const {
    }

    record None() implements Const {
    }

    record Ellipsis() implements Const {
    }

    /** A list, tuple or set whose elements are all constants. */
    record Seq(SeqKind kind, List<Const> elements) implements Const {
        public Seq {
            elements = elements instanceof RangeItems ? elements : List.copyOf(elements);
        }

        /**
         * The list {@code range(start, start + count * step, step)} gives, its items made only when read: a long
         * range costs nothing until it is iterated, and iterating it is bounded by whoever iterates.
         */
        public static Seq range(long start, long step, int count) {
            return new Seq(SeqKind.LIST, new RangeItems(start, step, count));
        }

        /** Whether this is a {@link #range}: its elements are ints made when read. */
        public boolean isRange() {
            return elements instanceof RangeItems;
        }
    }

    /** The text of a Str, or the bytes of a Bytes read as Latin-1; empty for anything else. */
    default String asText() {
        if (this instanceof Str s) {
            return s.value();
        }
        if (this instanceof Bytes b) {
            return new String(b.value(), StandardCharsets.ISO_8859_1);
        }
        return "";
    }

    /** True for Str and Bytes. */
    default boolean isStringLike() {
        return this instanceof Str || this instanceof Bytes;
    }
}
