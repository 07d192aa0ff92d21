package dev.kingsnake.internal.decode.marshal;

import dev.kingsnake.internal.decode.DecodeException;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads Python's {@code marshal} serialisation (what {@code marshal.dumps} writes and what follows a
 * {@code .pyc} header) into {@link PyObject}s, without running anything. Hostile input is bounded: every
 * length is checked against the bytes left, nesting depth and object count are capped.
 */
public final class MarshalReader {
    private static final int FLAG_REF = 0x80;
    private static final int MAX_DEPTH = 100;
    private static final int MAX_OBJECTS = 1_000_000;

    private final byte[] data;
    private final MarshalFormat format;
    private final List<PyObject> refs = new ArrayList<>();
    private final List<PyObject> interned = new ArrayList<>();
    private int pos;
    private int objects;

    private MarshalReader(byte[] data, int start, MarshalFormat format) {
        this.data = data;
        this.pos = start;
        this.format = format;
    }

    /** Reads one object starting at {@code start} with a known code layout. */
    public static PyObject read(byte[] data, int start, MarshalFormat format) throws DecodeException {
        MarshalReader r = new MarshalReader(data, start, format);
        try {
            return r.object(0);
        } catch (IndexOutOfBoundsException | NegativeArraySizeException e) {
            throw DecodeException.invalid("truncated marshal data");
        }
    }

    /**
     * Reads a whole marshal stream whose Python version is unknown ({@code marshal.loads(b'...')} in source):
     * tries each code layout, newest first, and keeps the first that reads the stream to its end.
     */
    public static Optional<Read> readAnyVersion(byte[] data) {
        MarshalFormat[] order = {MarshalFormat.PY311_313, MarshalFormat.PY38_310, MarshalFormat.PY30_37,
                MarshalFormat.PY27};
        for (MarshalFormat f : order) {
            MarshalReader r = new MarshalReader(data, 0, f);
            try {
                PyObject o = r.object(0);
                if (r.pos == data.length && plausible(o)) {
                    return Optional.of(new Read(o, f));
                }
            } catch (DecodeException | IndexOutOfBoundsException | NegativeArraySizeException e) {
                // not this layout; try the next
            }
        }
        return Optional.empty();
    }

    /** An object and the layout it was read with. */
    public record Read(PyObject object, MarshalFormat format) {
    }

    /** A code object read with the wrong layout usually has non-string names; reject those. */
    private static boolean plausible(PyObject o) {
        return !(o instanceof PyObject.Code c) || c.code().name() != null && !c.code().name().isEmpty();
    }

    private PyObject object(int depth) throws DecodeException {
        if (depth > MAX_DEPTH) {
            throw DecodeException.limit("marshal data nested deeper than " + MAX_DEPTH);
        }
        if (++objects > MAX_OBJECTS) {
            throw DecodeException.limit("more than " + MAX_OBJECTS + " marshal objects");
        }
        int code = u8();
        boolean ref = (code & FLAG_REF) != 0 && format != MarshalFormat.PY27;
        int type = code & ~FLAG_REF;
        int slot = -1;
        if (ref) {
            slot = refs.size();
            refs.add(new PyObject.Pending());
        }
        PyObject o = switch (type) {
            case '0' -> new PyObject.Singleton("NULL");
            case 'N' -> new PyObject.Singleton("None");
            case 'F' -> new PyObject.Bool(false);
            case 'T' -> new PyObject.Bool(true);
            case 'S' -> new PyObject.Singleton("StopIteration");
            case '.' -> new PyObject.Singleton("Ellipsis");
            case 'i' -> new PyObject.Int(BigInteger.valueOf(i32()));
            case 'I' -> new PyObject.Int(BigInteger.valueOf(i64()));
            case 'l' -> new PyObject.Int(longValue());
            case 'f' -> new PyObject.Float(textFloat(), 0, false);
            case 'g' -> new PyObject.Float(Double.longBitsToDouble(i64()), 0, false);
            case 'x' -> new PyObject.Float(textFloat(), textFloat(), true);
            case 'y' -> new PyObject.Float(Double.longBitsToDouble(i64()), Double.longBitsToDouble(i64()), true);
            case 's' -> new PyObject.Bytes(bytes(length()));
            case 't' -> internedString();
            case 'R' -> stringRef();
            case 'u' -> new PyObject.Str(new String(bytes(length()), StandardCharsets.UTF_8));
            case 'a', 'A' -> new PyObject.Str(new String(bytes(length()), StandardCharsets.ISO_8859_1));
            case 'z', 'Z' -> new PyObject.Str(new String(bytes(u8()), StandardCharsets.ISO_8859_1));
            case '(' -> seq("tuple", length(), depth);
            case ')' -> seq("tuple", u8(), depth);
            case '[' -> seq("list", length(), depth);
            case '<' -> seq("set", length(), depth);
            case '>' -> seq("frozenset", length(), depth);
            case '{' -> dict(depth);
            case 'c' -> new PyObject.Code(code(depth));
            case 'r' -> backRef();
            default -> throw DecodeException.invalid(String.format("unknown marshal type 0x%02x", type));
        };
        if (slot >= 0) {
            refs.set(slot, o);
        }
        return o;
    }

    private PyObject internedString() throws DecodeException {
        byte[] b = bytes(length());
        if (format == MarshalFormat.PY27) {
            PyObject o = new PyObject.Bytes(b);
            interned.add(o);
            return o;
        }
        return new PyObject.Str(new String(b, StandardCharsets.UTF_8));
    }

    private PyObject stringRef() throws DecodeException {
        int i = i32();
        if (format != MarshalFormat.PY27 || i < 0 || i >= interned.size()) {
            throw DecodeException.invalid("bad string reference");
        }
        return interned.get(i);
    }

    private PyObject backRef() throws DecodeException {
        int i = i32();
        if (format == MarshalFormat.PY27 || i < 0 || i >= refs.size()) {
            throw DecodeException.invalid("bad marshal reference");
        }
        return refs.get(i);
    }

    private PyObject seq(String kind, int n, int depth) throws DecodeException {
        if (n > data.length - pos) {
            throw DecodeException.invalid("marshal " + kind + " longer than its data");
        }
        List<PyObject> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            items.add(object(depth + 1));
        }
        return new PyObject.Seq(kind, items);
    }

    private PyObject dict(int depth) throws DecodeException {
        List<PyObject> keys = new ArrayList<>();
        List<PyObject> values = new ArrayList<>();
        while (true) {
            PyObject k = object(depth + 1);
            if (k instanceof PyObject.Singleton s && s.name().equals("NULL")) {
                return new PyObject.Dict(keys, values);
            }
            keys.add(k);
            values.add(object(depth + 1));
        }
    }

    private CodeObject code(int depth) throws DecodeException {
        int fields = switch (format) {
            case PY27 -> 4;
            case PY30_37 -> 5;
            case PY38_310 -> 6;
            case PY311_313 -> 5;
        };
        for (int i = 0; i < fields; i++) {
            i32();
        }
        PyObject bytecode = object(depth + 1);
        PyObject consts = object(depth + 1);
        PyObject names = object(depth + 1);
        List<String> locals = new ArrayList<>();
        if (format == MarshalFormat.PY311_313) {
            locals.addAll(strings(object(depth + 1)));
            object(depth + 1); // localspluskinds
        } else {
            locals.addAll(strings(object(depth + 1)));
            locals.addAll(strings(object(depth + 1)));
            locals.addAll(strings(object(depth + 1)));
        }
        String filename = text(object(depth + 1));
        String name = text(object(depth + 1));
        String qualname = format == MarshalFormat.PY311_313 ? text(object(depth + 1)) : name;
        int firstLine = i32();
        object(depth + 1); // lnotab / linetable
        if (format == MarshalFormat.PY311_313) {
            object(depth + 1); // exceptiontable
        }
        if (!(bytecode instanceof PyObject.Bytes b) || !(consts instanceof PyObject.Seq c)
                || !(names instanceof PyObject.Seq) || name == null || filename == null) {
            throw DecodeException.invalid("malformed code object");
        }
        return new CodeObject(name, qualname == null ? name : qualname, filename, firstLine, strings(names), locals,
                c.items(), b.value());
    }

    private static List<String> strings(PyObject o) throws DecodeException {
        if (!(o instanceof PyObject.Seq s)) {
            throw DecodeException.invalid("expected a tuple of names");
        }
        List<String> out = new ArrayList<>(s.items().size());
        for (PyObject item : s.items()) {
            String t = text(item);
            if (t == null) {
                throw DecodeException.invalid("non-string name");
            }
            out.add(t);
        }
        return out;
    }

    /** The text of a str, or of a bytes object read as Latin-1 (Python 2 names are bytes); else null. */
    static String text(PyObject o) {
        if (o instanceof PyObject.Str s) {
            return s.value();
        }
        if (o instanceof PyObject.Bytes b) {
            return new String(b.value(), StandardCharsets.ISO_8859_1);
        }
        return null;
    }

    private BigInteger longValue() throws DecodeException {
        int n = i32();
        int size = Math.abs(n);
        if (size > (data.length - pos) / 2) {
            throw DecodeException.invalid("marshal long longer than its data");
        }
        BigInteger v = BigInteger.ZERO;
        for (int i = 0; i < size; i++) {
            int digit = u8() | u8() << 8;
            v = v.or(BigInteger.valueOf(digit).shiftLeft(15 * i));
        }
        return n < 0 ? v.negate() : v;
    }

    private double textFloat() throws DecodeException {
        String s = new String(bytes(u8()), StandardCharsets.ISO_8859_1);
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private int length() throws DecodeException {
        int n = i32();
        if (n < 0 || n > data.length - pos) {
            throw DecodeException.invalid("marshal length " + n + " beyond the data");
        }
        return n;
    }

    private byte[] bytes(int n) throws DecodeException {
        if (n > data.length - pos) {
            throw DecodeException.invalid("marshal string beyond the data");
        }
        byte[] b = java.util.Arrays.copyOfRange(data, pos, pos + n);
        pos += n;
        return b;
    }

    private int u8() throws DecodeException {
        if (pos >= data.length) {
            throw DecodeException.invalid("truncated marshal data");
        }
        return data[pos++] & 0xff;
    }

    private int i32() throws DecodeException {
        return u8() | u8() << 8 | u8() << 16 | u8() << 24;
    }

    private long i64() throws DecodeException {
        return (i32() & 0xffffffffL) | ((long) i32() << 32);
    }
}
