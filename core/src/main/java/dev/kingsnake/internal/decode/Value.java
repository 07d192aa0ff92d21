package dev.kingsnake.internal.decode;

import dev.kingsnake.internal.decode.marshal.PyObject;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Node;
import dev.kingsnake.spi.python.Stmt;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the {@link PayloadEvaluator} knows about an expression: a string, bytes, a number, a list, a function, a
 * module, a cipher object... Data values carry a {@link Trace}: the decoding steps applied so far and the
 * literal they came from.
 */
sealed interface Value {

    /** Decoding steps applied so far (outer literal inwards) and the largest literal the data came from. */
    record Trace(List<String> chain, Optional<Node> origin, int originSize) {
        static final Trace NONE = new Trace(List.of(), Optional.empty(), 0);

        public Trace {
            chain = List.copyOf(chain);
        }

        static Trace of(Node literal, int size) {
            return new Trace(List.of(), Optional.ofNullable(literal), literal == null ? 0 : size);
        }

        Trace then(String step) {
            List<String> c = new ArrayList<>(chain);
            c.add(step);
            return new Trace(c, origin, originSize);
        }

        /**
         * For values built from several parts: the part with the larger literal wins, with its own chain when
         * it has one (a payload XORed with a key keeps the payload's steps, not the key's), else the longer one.
         */
        Trace merge(Trace other) {
            Trace big = other.originSize > originSize ? other : this;
            Trace longer = other.chain.size() > chain.size() ? other : this;
            boolean ownChain = !big.chain.isEmpty() && big.origin.isPresent()
                    && (other.origin.isEmpty() || origin.isEmpty() || other.originSize != originSize);
            return new Trace(ownChain ? big.chain : longer.chain, big.origin, big.originSize);
        }
    }

    /** A data value (str or bytes) with its trace. */
    sealed interface Data extends Value {
        Trace trace();

        byte[] bytes();
    }

    record Str(String value, Trace trace) implements Data {
        @Override
        public byte[] bytes() {
            return value.getBytes(StandardCharsets.UTF_8);
        }

        /** The characters as bytes, for decoders that take ASCII str (Latin-1 keeps non-ASCII visible). */
        byte[] latin1() {
            return value.getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    record Bytes(byte[] value, Trace trace) implements Data {
        @Override
        public byte[] bytes() {
            return value;
        }
    }

    /** An integer; the trace is that of the data it was taken from (a byte of a payload, say). */
    record Int(long value, Trace trace) implements Value {
    }

    record Bool(boolean value) implements Value {
    }

    record NoneValue() implements Value {
    }

    /** A list or tuple. */
    record Seq(List<Value> items, Trace trace) implements Value {
        public Seq {
            items = items instanceof RangeValues ? items : List.copyOf(items);
        }
    }

    /** A dict; keeps insertion order like Python. */
    record Dict(Map<Value, Value> entries) implements Value {
        public Dict {
            entries = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(entries));
        }
    }

    /** {@code itertools.cycle(x)}: only meaningful inside zip. */
    record Cycle(List<Value> items) implements Value {
    }

    /** A module object ({@code __import__('zlib')}, {@code import base64 as b}). */
    record Module(String name) implements Value {
    }

    /** A library function or class by qualified name ({@code base64.b64decode}, {@code exec}). */
    record Builtin(String name) implements Value {
    }

    /** A method looked up on a value ({@code key.decrypt}, {@code ''.join}). */
    record Method(Value self, String name) implements Value {
    }

    record Lambda(Expr.Lambda lambda, Map<String, Value> closure) implements Value {
    }

    /** A function defined in the file; {@code method} when looked up on {@code self} (self is then implicit). */
    record Function(Stmt.FunctionDef def, boolean method) implements Value {
    }

    record FernetKey(byte[] key, Trace trace) implements Value {
    }

    record AesCipher(byte[] key, Ciphers.AesMode mode, byte[] iv, Trace trace) implements Value {
    }

    /** The result of {@code marshal.loads}. */
    record Code(PyObject object, String format, Trace trace) implements Value {
    }

    /** A str being built with {@code +=} in a loop; read back as a {@link Str}. */
    record Growing(StringBuilder text, Trace trace) implements Value {
    }

    /**
     * A str or bytes longer than one decoding step may build ({@code maxDecodedBytesPerLayer}), kept as what it is
     * made of instead of materialised: runs, each a piece repeated a number of times ({@code '-' * 50_000_000}
     * is the run ('-', 50,000,000), {@code big + code} two runs more). What follows such a value (its length,
     * a slice, {@code exec} of it) still sees every piece; see {@link Repetitions}.
     */
    record Repeated(List<Run> runs, boolean bytes, Trace trace) implements Value {
        public Repeated {
            runs = List.copyOf(runs);
        }

        /** One piece and how many times it follows itself. */
        record Run(Data unit, long times) {
            long length() {
                return Repetitions.unitLength(unit) * times;
            }
        }

        /** Characters (str) or bytes (bytes) the value has; saturates at {@link Long#MAX_VALUE}. */
        long length() {
            long n = 0;
            for (Run r : runs) {
                long l = r.length();
                n = l < 0 || n + l < 0 ? Long.MAX_VALUE : n + l;
            }
            return n;
        }
    }

    /** A name whose value is known to be unknowable (assigned from something we cannot evaluate). */
    record Opaque() implements Value {
    }

    /** {@code str.maketrans(...)}. */
    record Table(Map<Integer, Integer> table) implements Value {
    }
}
