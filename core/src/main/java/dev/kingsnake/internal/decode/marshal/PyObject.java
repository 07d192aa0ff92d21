package dev.kingsnake.internal.decode.marshal;

import java.math.BigInteger;
import java.util.List;

/** The values a marshal stream holds, as far as we need them. */
public sealed interface PyObject {

    /** None, Ellipsis, StopIteration, NULL and other singletons, by name. */
    record Singleton(String name) implements PyObject {
    }

    record Bool(boolean value) implements PyObject {
    }

    record Int(BigInteger value) implements PyObject {
    }

    record Float(double real, double imag, boolean complex) implements PyObject {
    }

    /** A bytes object (Python 3) or a str (Python 2); {@code interned} for Python 2's interned strings. */
    record Bytes(byte[] value) implements PyObject {
    }

    record Str(String value) implements PyObject {
    }

    /** tuple, list, set or frozenset. */
    record Seq(String kind, List<PyObject> items) implements PyObject {
        public Seq {
            items = List.copyOf(items);
        }
    }

    record Dict(List<PyObject> keys, List<PyObject> values) implements PyObject {
        public Dict {
            keys = List.copyOf(keys);
            values = List.copyOf(values);
        }
    }

    record Code(CodeObject code) implements PyObject {
    }

    /** A reference slot whose object was still being read (cycles cannot occur in valid data). */
    record Pending() implements PyObject {
    }
}
