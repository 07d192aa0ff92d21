package dev.kingsnake.internal.python.semantic;

import dev.kingsnake.spi.python.Const;
import dev.kingsnake.spi.python.SeqKind;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Python semantics of operations on constants: the one library both constant folding ({@link Evaluator}) and
 * the decoder ({@code internal.decode}) evaluate with, so the two cannot disagree on what an expression is.
 * Every method returns null when Python would raise, when the operation is not modelled, or when the result
 * would be larger than the cap: null means "not a constant", never an error.
 */
public final class ConstOps {
    /** Ints beyond this many bits are not folded (Python itself refuses int/str conversions past ~4300 digits). */
    private static final int MAX_INT_BITS = 1 << 14;

    private final long maxLength;

    /** @param maxLength the largest string, bytes or sequence length folding may produce */
    public ConstOps(long maxLength) {
        this.maxLength = maxLength;
    }

    static Const str(String s) {
        return new Const.Str(s);
    }

    static Const integer(long v) {
        return new Const.Int(BigInteger.valueOf(v));
    }

    /** Int and Bool as a BigInteger (bool is an int subclass in Python), else null. */
    public static BigInteger toInt(Const c) {
        if (c instanceof Const.Int i) {
            return i.value();
        }
        if (c instanceof Const.Bool b) {
            return b.value() ? BigInteger.ONE : BigInteger.ZERO;
        }
        return null;
    }

    /** A small int as a Java int, else null. */
    public static Integer smallInt(Const c) {
        BigInteger v = toInt(c);
        return v != null && v.bitLength() < 31 ? v.intValue() : null;
    }

    public static Boolean truthy(Const c) {
        if (c instanceof Const.Bool b) {
            return b.value();
        }
        if (c instanceof Const.Int i) {
            return i.value().signum() != 0;
        }
        if (c instanceof Const.Float f) {
            return f.value() != 0.0;
        }
        if (c instanceof Const.Str s) {
            return !s.value().isEmpty();
        }
        if (c instanceof Const.Bytes b) {
            return b.value().length != 0;
        }
        if (c instanceof Const.Seq s) {
            return !s.elements().isEmpty();
        }
        if (c instanceof Const.None) {
            return false;
        }
        return null;
    }

    /** Items a str or bytes may be split into for iteration. */
    static final int MAX_ITEMS = 1 << 20;

    /**
     * The items iterating over a constant yields, or null (sets are skipped: their order is not
     * defined; strings longer than {@link #MAX_ITEMS} are not expanded into one object per character).
     */
    public static List<Const> items(Const c) {
        if (c instanceof Const.Seq s && s.kind() != SeqKind.SET && s.kind() != SeqKind.DICT) {
            return s.elements();
        }
        if (c.isStringLike() && (c instanceof Const.Str s ? s.value().length() : ((Const.Bytes) c).value().length)
                > MAX_ITEMS) {
            return null;
        }
        if (c instanceof Const.Str s) {
            int[] cps = s.value().codePoints().toArray();
            List<Const> out = new ArrayList<>(cps.length);
            for (int cp : cps) {
                out.add(str(new String(Character.toChars(cp))));
            }
            return out;
        }
        if (c instanceof Const.Bytes b) {
            List<Const> out = new ArrayList<>(b.value().length);
            for (byte x : b.value()) {
                out.add(integer(x & 0xff));
            }
            return out;
        }
        return null;
    }

    // ---------------------------------------------------------------- operators

    public Const binary(Const a, String op, Const b) {
        return switch (op) {
            case "+" -> add(a, b);
            case "*" -> multiply(a, b);
            case "%" -> a instanceof Const.Str || a instanceof Const.Bytes ? percentFormat(a, b) : intOp(a, op, b);
            case "-", "//", "**", "<<", ">>", "&", "|", "^" -> intOp(a, op, b);
            default -> null;
        };
    }

    Const add(Const a, Const b) {
        if (a instanceof Const.Str x && b instanceof Const.Str y) {
            return fits(x.value().length() + (long) y.value().length()) ? str(x.value() + y.value()) : null;
        }
        if (a instanceof Const.Bytes x && b instanceof Const.Bytes y) {
            if (!fits(x.value().length + (long) y.value().length)) {
                return null;
            }
            byte[] out = new byte[x.value().length + y.value().length];
            System.arraycopy(x.value(), 0, out, 0, x.value().length);
            System.arraycopy(y.value(), 0, out, x.value().length, y.value().length);
            return new Const.Bytes(out);
        }
        if (a instanceof Const.Seq x && b instanceof Const.Seq y && x.kind() == y.kind()
                && (x.kind() == SeqKind.LIST || x.kind() == SeqKind.TUPLE)) {
            if (!fits(x.elements().size() + (long) y.elements().size())) {
                return null;
            }
            List<Const> out = new ArrayList<>(x.elements());
            out.addAll(y.elements());
            return new Const.Seq(x.kind(), out);
        }
        if (a instanceof Const.Float || b instanceof Const.Float) {
            Double x = toDouble(a);
            Double y = toDouble(b);
            return x != null && y != null ? new Const.Float(x + y) : null;
        }
        return intOp(a, "+", b);
    }

    Const multiply(Const a, Const b) {
        BigInteger n = toInt(b);
        Const seq = a;
        if (n == null) {
            n = toInt(a);
            seq = b;
        }
        if (n != null && (seq instanceof Const.Str || seq instanceof Const.Bytes || seq instanceof Const.Seq)) {
            return repeat(seq, n);
        }
        if (a instanceof Const.Float || b instanceof Const.Float) {
            Double x = toDouble(a);
            Double y = toDouble(b);
            return x != null && y != null ? new Const.Float(x * y) : null;
        }
        return intOp(a, "*", b);
    }

    private Const repeat(Const seq, BigInteger times) {
        long n = times.signum() <= 0 ? 0 : times.bitLength() > 62 ? Long.MAX_VALUE : times.longValue();
        if (seq instanceof Const.Str s) {
            long len = s.value().length();
            if (len != 0 && n > maxLength / len) {
                return null;
            }
            return str(s.value().repeat((int) (len == 0 ? 0 : n)));
        }
        if (seq instanceof Const.Bytes b) {
            long len = b.value().length;
            if (len != 0 && n > maxLength / len) {
                return null;
            }
            int count = (int) (len == 0 ? 0 : n);
            byte[] out = new byte[(int) (len * count)];
            for (int i = 0; i < count; i++) {
                System.arraycopy(b.value(), 0, out, (int) (i * len), (int) len);
            }
            return new Const.Bytes(out);
        }
        Const.Seq s = (Const.Seq) seq;
        if (s.kind() != SeqKind.LIST && s.kind() != SeqKind.TUPLE) {
            return null;
        }
        long len = s.elements().size();
        if (len != 0 && n > maxLength / len) {
            return null;
        }
        List<Const> out = new ArrayList<>();
        for (long i = 0; len != 0 && i < n; i++) {
            out.addAll(s.elements());
        }
        return new Const.Seq(s.kind(), out);
    }

    private static Double toDouble(Const c) {
        if (c instanceof Const.Float f) {
            return f.value();
        }
        BigInteger i = toInt(c);
        return i != null && i.bitLength() < 1000 ? i.doubleValue() : null;
    }

    private static Const intOp(Const a, String op, Const b) {
        BigInteger x = toInt(a);
        BigInteger y = toInt(b);
        if (x == null || y == null) {
            return null;
        }
        BigInteger r = switch (op) {
            case "+" -> x.add(y);
            case "-" -> x.subtract(y);
            case "*" -> x.bitLength() + y.bitLength() > MAX_INT_BITS ? null : x.multiply(y);
            case "//" -> y.signum() == 0 ? null : floorDiv(x, y);
            case "%" -> y.signum() == 0 ? null : x.subtract(floorDiv(x, y).multiply(y));
            case "**" -> y.signum() < 0 || (long) x.bitLength() * y.min(BigInteger.valueOf(MAX_INT_BITS + 1)).longValue()
                    > MAX_INT_BITS ? null : x.pow(y.intValue());
            case "<<" -> y.signum() < 0 || y.compareTo(BigInteger.valueOf(MAX_INT_BITS)) > 0
                    || x.bitLength() + y.intValue() > MAX_INT_BITS ? null : x.shiftLeft(y.intValue());
            case ">>" -> y.signum() < 0 ? null : y.bitLength() > 31 ? BigInteger.valueOf(x.signum() < 0 ? -1 : 0)
                    : x.shiftRight(y.intValue());
            case "&" -> x.and(y);
            case "|" -> x.or(y);
            case "^" -> x.xor(y);
            default -> null;
        };
        return r == null ? null : new Const.Int(r);
    }

    private static BigInteger floorDiv(BigInteger x, BigInteger y) {
        BigInteger[] qr = x.divideAndRemainder(y);
        if (qr[1].signum() != 0 && qr[1].signum() != y.signum()) {
            return qr[0].subtract(BigInteger.ONE);
        }
        return qr[0];
    }

    public Const unary(String op, Const a) {
        if (op.equals("not")) {
            Boolean t = truthy(a);
            return t == null ? null : new Const.Bool(!t);
        }
        if (a instanceof Const.Float f) {
            return switch (op) {
                case "-" -> new Const.Float(-f.value());
                case "+" -> f;
                default -> null;
            };
        }
        BigInteger x = toInt(a);
        if (x == null) {
            return null;
        }
        return switch (op) {
            case "-" -> new Const.Int(x.negate());
            case "+" -> new Const.Int(x);
            case "~" -> new Const.Int(x.not());
            default -> null;
        };
    }

    /**
     * {@code a op b} for one comparison operator ({@code == != < <= > >= in not in}) on numbers, str, bytes,
     * None and sequences; null when Python would raise or the comparison is not modelled.
     */
    public static Const compare(Const a, String op, Const b) {
        Boolean r = switch (op) {
            case "==" -> equal(a, b);
            case "!=" -> negate(equal(a, b));
            case "<", "<=", ">", ">=" -> order(a, op, b);
            case "in" -> contains(b, a);
            case "not in" -> negate(contains(b, a));
            default -> null;
        };
        return r == null ? null : new Const.Bool(r);
    }

    private static Boolean negate(Boolean b) {
        return b == null ? null : !b;
    }

    /** Python {@code ==}: numbers by value (True == 1), str and bytes never equal to each other. */
    private static Boolean equal(Const a, Const b) {
        BigInteger x = toInt(a);
        BigInteger y = toInt(b);
        if (x != null && y != null) {
            return x.equals(y);
        }
        if (a instanceof Const.Float || b instanceof Const.Float) {
            Double p = toDouble(a);
            Double q = toDouble(b);
            return p != null && q != null ? Boolean.valueOf(p.doubleValue() == q.doubleValue()) : Boolean.FALSE;
        }
        if (a instanceof Const.Seq s && b instanceof Const.Seq t) {
            if (s.kind() != t.kind() || s.kind() == SeqKind.SET || s.kind() == SeqKind.DICT) {
                return s.kind() == t.kind() ? null : Boolean.FALSE;
            }
            if (s.elements().size() != t.elements().size()) {
                return false;
            }
            for (int i = 0; i < s.elements().size(); i++) {
                Boolean e = equal(s.elements().get(i), t.elements().get(i));
                if (e == null || !e) {
                    return e;
                }
            }
            return true;
        }
        if (a instanceof Const.Bytes p && b instanceof Const.Bytes q) {
            return Arrays.equals(p.value(), q.value());
        }
        if (a instanceof Const.Str || a instanceof Const.None || a instanceof Const.Bytes
                || b instanceof Const.Str || b instanceof Const.None || b instanceof Const.Bytes) {
            return a.equals(b);
        }
        return null;
    }

    private static Boolean order(Const a, String op, Const b) {
        int c;
        BigInteger x = toInt(a);
        BigInteger y = toInt(b);
        if (x != null && y != null) {
            c = x.compareTo(y);
        } else if (a instanceof Const.Str p && b instanceof Const.Str q) {
            c = Arrays.compare(p.value().codePoints().toArray(), q.value().codePoints().toArray());
        } else if (a instanceof Const.Bytes p && b instanceof Const.Bytes q) {
            c = Arrays.compareUnsigned(p.value(), q.value());
        } else {
            return null;
        }
        return switch (op) {
            case "<" -> c < 0;
            case "<=" -> c <= 0;
            case ">" -> c > 0;
            default -> c >= 0;
        };
    }

    /** {@code item in container}. */
    private static Boolean contains(Const container, Const item) {
        if (container instanceof Const.Str s) {
            return item instanceof Const.Str i ? Boolean.valueOf(s.value().contains(i.value())) : null;
        }
        if (container instanceof Const.Bytes b) {
            Integer n = smallInt(item);
            if (n != null) {
                return n >= 0 && n <= 255 ? Boolean.valueOf(container.asText().indexOf((char) (int) n) >= 0) : null;
            }
            return item instanceof Const.Bytes i ? Boolean.valueOf(b.asText().contains(i.asText())) : null;
        }
        if (container instanceof Const.Seq s && s.kind() != SeqKind.DICT) {
            for (Const e : s.elements()) {
                Boolean eq = equal(e, item);
                if (eq == null) {
                    return null;
                }
                if (eq) {
                    return true;
                }
            }
            return false;
        }
        return null;
    }

    // ---------------------------------------------------------------- subscripts

    public static Const index(Const v, Const idx) {
        Integer i = smallInt(idx);
        if (i == null) {
            return null;
        }
        if (v instanceof Const.Str s) {
            CodePoints cps = new CodePoints(s.value());
            int k = i < 0 ? i + cps.length() : i;
            return k >= 0 && k < cps.length() ? str(new String(Character.toChars(cps.at(k)))) : null;
        }
        if (v instanceof Const.Bytes b) {
            int k = i < 0 ? i + b.value().length : i;
            return k >= 0 && k < b.value().length ? integer(b.value()[k] & 0xff) : null;
        }
        if (v instanceof Const.Seq s && (s.kind() == SeqKind.LIST || s.kind() == SeqKind.TUPLE)) {
            int k = i < 0 ? i + s.elements().size() : i;
            return k >= 0 && k < s.elements().size() ? s.elements().get(k) : null;
        }
        return null;
    }

    /** Python indexes strings by code point; only strings with surrogate pairs need the expanded form. */
    private static final class CodePoints {
        private final String s;
        private final int[] expanded;

        CodePoints(String s) {
            this.s = s;
            this.expanded = s.codePointCount(0, s.length()) == s.length() ? null : s.codePoints().toArray();
        }

        int length() {
            return expanded == null ? s.length() : expanded.length;
        }

        int at(int k) {
            return expanded == null ? s.charAt(k) : expanded[k];
        }
    }

    /** {@code v[lower:upper:step]}; a null bound is an omitted one. */
    public static Const slice(Const v, Const lower, Const upper, Const step) {
        Integer st = step == null || step instanceof Const.None ? Integer.valueOf(1) : smallInt(step);
        if (st == null || st == 0) {
            return null;
        }
        if (v instanceof Const.Str s) {
            CodePoints cps = new CodePoints(s.value());
            Range r = range(cps.length(), lower, upper, st);
            if (r == null) {
                return null;
            }
            StringBuilder sb = new StringBuilder(r.count);
            for (int k = 0; k < r.count; k++) {
                sb.appendCodePoint(cps.at(r.index(k)));
            }
            return str(sb.toString());
        }
        if (v instanceof Const.Bytes b) {
            Range r = range(b.value().length, lower, upper, st);
            if (r == null) {
                return null;
            }
            byte[] out = new byte[r.count];
            for (int k = 0; k < r.count; k++) {
                out[k] = b.value()[r.index(k)];
            }
            return new Const.Bytes(out);
        }
        if (v instanceof Const.Seq s && (s.kind() == SeqKind.LIST || s.kind() == SeqKind.TUPLE)) {
            Range r = range(s.elements().size(), lower, upper, st);
            if (r == null) {
                return null;
            }
            List<Const> out = new ArrayList<>(r.count);
            for (int k = 0; k < r.count; k++) {
                out.add(s.elements().get(r.index(k)));
            }
            return new Const.Seq(s.kind(), out);
        }
        return null;
    }

    /**
     * The indices {@code [lower:upper:step]} selects in a sequence of {@code length} items (a null bound is an
     * omitted one); null when a bound is not an int or the step is 0, as Python raises then.
     */
    public static int[] sliceIndices(int length, Const lower, Const upper, Const step) {
        Integer st = step == null || step instanceof Const.None ? Integer.valueOf(1) : smallInt(step);
        Range r = st == null || st == 0 ? null : range(length, lower, upper, st);
        if (r == null) {
            return null;
        }
        int[] out = new int[r.count];
        for (int k = 0; k < r.count; k++) {
            out[k] = r.index(k);
        }
        return out;
    }

    private record Range(long start, int step, int count) {
        int index(int k) {
            return (int) (start + (long) k * step);
        }
    }

    /** The indices a slice selects, following CPython's PySlice_AdjustIndices. */
    private static Range range(int length, Const lower, Const upper, int step) {
        Integer lo = bound(lower);
        Integer hi = bound(upper);
        if (lo == null || hi == null) {
            return null;
        }
        long start;
        long stop;
        if (step > 0) {
            start = lower == null || lower instanceof Const.None ? 0 : clamp(lo, length, 0, length);
            stop = upper == null || upper instanceof Const.None ? length : clamp(hi, length, 0, length);
        } else {
            start = lower == null || lower instanceof Const.None ? length - 1 : clamp(lo, length, -1, length - 1);
            stop = upper == null || upper instanceof Const.None ? -1 : clamp(hi, length, -1, length - 1);
        }
        long count = step > 0 ? (stop > start ? (stop - start + step - 1) / step : 0)
                : (start > stop ? (start - stop - step - 1) / -step : 0);
        return new Range(start, step, (int) count);
    }

    private static Integer bound(Const c) {
        if (c == null || c instanceof Const.None) {
            return 0;
        }
        BigInteger v = toInt(c);
        if (v == null) {
            return null;
        }
        return v.bitLength() < 31 ? v.intValue() : v.signum() < 0 ? Integer.MIN_VALUE / 2 : Integer.MAX_VALUE / 2;
    }

    private static long clamp(int index, int length, int min, int max) {
        long k = index < 0 ? (long) index + length : index;
        return Math.max(min, Math.min(max, k));
    }

    // ---------------------------------------------------------------- builtins

    static Const chr(Const c) {
        Integer cp = smallInt(c);
        return cp != null && cp >= 0 && cp <= Character.MAX_CODE_POINT ? str(new String(Character.toChars(cp))) : null;
    }

    static Const ord(Const c) {
        if (c instanceof Const.Str s && s.value().codePointCount(0, s.value().length()) == 1) {
            return integer(s.value().codePointAt(0));
        }
        if (c instanceof Const.Bytes b && b.value().length == 1) {
            return integer(b.value()[0] & 0xff);
        }
        return null;
    }

    /** {@code str(x)} for the values whose text Java renders exactly as Python does. */
    static Const toStr(Const c) {
        if (c instanceof Const.Str) {
            return c;
        }
        if (c instanceof Const.Int i) {
            return i.value().bitLength() > MAX_INT_BITS ? null : str(i.value().toString());
        }
        if (c instanceof Const.Bool b) {
            return str(b.value() ? "True" : "False");
        }
        if (c instanceof Const.None) {
            return str("None");
        }
        return null;
    }

    /** {@code int(x[, base])}. */
    static Const toInt(Const c, Const baseArg) {
        if (baseArg == null && (c instanceof Const.Int || c instanceof Const.Bool)) {
            return new Const.Int(toInt(c));
        }
        if (baseArg == null && c instanceof Const.Float f) {
            return Double.isFinite(f.value()) ? new Const.Int(new java.math.BigDecimal(f.value()).toBigInteger()) : null;
        }
        Integer base = baseArg == null ? Integer.valueOf(10) : smallInt(baseArg);
        if (base == null || !(c instanceof Const.Str || c instanceof Const.Bytes)) {
            return null;
        }
        String s = c.asText().strip().replace("_", "").toLowerCase(Locale.ROOT);
        if (s.length() > 4300) {
            return null;
        }
        boolean negative = s.startsWith("-");
        if (negative || s.startsWith("+")) {
            s = s.substring(1);
        }
        if ((base == 16 || base == 0) && s.startsWith("0x")) {
            s = s.substring(2);
            base = 16;
        } else if ((base == 8 || base == 0) && s.startsWith("0o")) {
            s = s.substring(2);
            base = 8;
        } else if ((base == 2 || base == 0) && s.startsWith("0b")) {
            s = s.substring(2);
            base = 2;
        } else if (base == 0) {
            base = 10;
        }
        if (base < 2 || base > 36 || s.isEmpty()) {
            return null;
        }
        try {
            BigInteger v = new BigInteger(s, base);
            return new Const.Int(negative ? v.negate() : v);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {@code bytes(x)} / {@code bytearray(x)} without encoding. */
    Const toBytes(Const c) {
        if (c instanceof Const.Bytes) {
            return c;
        }
        BigInteger n = toInt(c);
        if (n != null) {
            return n.signum() >= 0 && n.bitLength() < 31 && fits(n.longValue()) ? new Const.Bytes(new byte[n.intValue()])
                    : null;
        }
        List<Const> items = c instanceof Const.Str ? null : items(c);
        if (items == null || !fits(items.size())) {
            return null;
        }
        byte[] out = new byte[items.size()];
        for (int i = 0; i < out.length; i++) {
            Integer v = smallInt(items.get(i));
            if (v == null || v < 0 || v > 255) {
                return null;
            }
            out[i] = (byte) (int) v;
        }
        return new Const.Bytes(out);
    }

    static Const fromHex(Const c) {
        if (!(c instanceof Const.Str s)) {
            return null;
        }
        String hex = s.value();
        ByteArrayOutputStream out = new ByteArrayOutputStream(hex.length() / 2);
        int i = 0;
        while (i < hex.length()) {
            char ch = hex.charAt(i);
            if (Character.isWhitespace(ch)) {
                i++;
                continue;
            }
            if (i + 1 >= hex.length()) {
                return null;
            }
            int hi = Character.digit(ch, 16);
            int lo = Character.digit(hex.charAt(i + 1), 16);
            if (hi < 0 || lo < 0) {
                return null;
            }
            out.write(hi * 16 + lo);
            i += 2;
        }
        return new Const.Bytes(out.toByteArray());
    }

    static Const len(Const c) {
        if (c instanceof Const.Str s) {
            return integer(s.value().codePointCount(0, s.value().length()));
        }
        if (c instanceof Const.Bytes b) {
            return integer(b.value().length);
        }
        if (c instanceof Const.Seq s) {
            return integer(s.elements().size());
        }
        return null;
    }

    static Const hex(Const c) {
        BigInteger v = toInt(c);
        if (v == null || v.bitLength() > MAX_INT_BITS) {
            return null;
        }
        return str((v.signum() < 0 ? "-0x" : "0x") + v.abs().toString(16));
    }

    Const range(List<Const> args) {
        List<BigInteger> v = new ArrayList<>();
        for (Const a : args) {
            BigInteger i = toInt(a);
            if (i == null || i.bitLength() > 31) {
                return null;
            }
            v.add(i);
        }
        long start = v.size() >= 2 ? v.get(0).longValue() : 0;
        long stop = v.size() == 1 ? v.get(0).longValue() : v.size() >= 2 ? v.get(1).longValue() : 0;
        long step = v.size() == 3 ? v.get(2).longValue() : 1;
        if (v.isEmpty() || v.size() > 3 || step == 0) {
            return null;
        }
        long count = step > 0 ? Math.max(0, (stop - start + step - 1) / step) : Math.max(0, (start - stop - step - 1) / -step);
        if (!fits(count) || count > Integer.MAX_VALUE) {
            return null;
        }
        return Const.Seq.range(start, step, (int) count);
    }

    /** A builtin function ({@code chr}, {@code int}, {@code bytes.fromhex}...) applied to constants. */
    public Const builtin(String fn, List<Const> args, Map<String, Const> kw) {
        int n = args.size();
        Const a0 = n > 0 ? args.get(0) : null;
        boolean noKw = kw.isEmpty();
        switch (fn) {
            case "chr", "unichr":
                return n == 1 && noKw ? chr(a0) : null;
            case "ord":
                return n == 1 && noKw ? ord(a0) : null;
            case "str", "unicode":
                if (n == 0 && noKw) {
                    return new Const.Str("");
                }
                if (n == 1 && noKw) {
                    return toStr(a0);
                }
                if (a0 instanceof Const.Bytes b && n <= 2) {
                    Const enc = n > 1 ? args.get(1) : kw.get("encoding");
                    java.nio.charset.Charset cs = charset(enc);
                    return cs == null ? null : decode(b.value(), cs);
                }
                return null;
            case "int", "long":
                if (n == 0 || n > 2) {
                    return null;
                }
                return toInt(a0, n == 2 ? args.get(1) : kw.get("base"));
            case "bytes", "bytearray":
                if (n == 0 && noKw) {
                    return new Const.Bytes(new byte[0]);
                }
                if (a0 instanceof Const.Str s) {
                    Const enc = n > 1 ? args.get(1) : kw.get("encoding");
                    java.nio.charset.Charset cs = charset(enc);
                    return cs == null ? null : encode(s.value(), cs);
                }
                return n == 1 && noKw ? toBytes(a0) : null;
            case "bytes.fromhex", "bytearray.fromhex":
                return n == 1 && noKw ? fromHex(a0) : null;
            case "list", "tuple": {
                if (n == 0 && noKw) {
                    return new Const.Seq(fn.equals("list") ? SeqKind.LIST : SeqKind.TUPLE, List.of());
                }
                List<Const> items = n == 1 && noKw ? items(a0) : null;
                return items == null ? null : new Const.Seq(fn.equals("list") ? SeqKind.LIST : SeqKind.TUPLE, items);
            }
            case "reversed": {
                List<Const> items = n == 1 && noKw ? items(a0) : null;
                if (items == null) {
                    return null;
                }
                List<Const> out = new ArrayList<>(items);
                Collections.reverse(out);
                return new Const.Seq(SeqKind.LIST, out);
            }
            case "len":
                return n == 1 && noKw ? len(a0) : null;
            case "hex":
                return n == 1 && noKw ? hex(a0) : null;
            case "range", "xrange":
                return noKw ? range(args) : null;
            case "str.join":
                return n == 2 && noKw && a0 instanceof Const.Str ? join(a0, args.get(1)) : null;
            case "bytes.decode":
                return n >= 1 && a0 instanceof Const.Bytes
                        ? method(a0, "decode", args.subList(1, n), kw) : null;
            case "str.encode":
                return n >= 1 && a0 instanceof Const.Str
                        ? method(a0, "encode", args.subList(1, n), kw) : null;
            default:
                return null;
        }
    }

    // ---------------------------------------------------------------- methods

    /** A method of a str or bytes receiver with constant arguments. */
    public Const method(Const recv, String name, List<Const> args, Map<String, Const> kwargs) {
        if (recv instanceof Const.Str s) {
            return strMethod(s.value(), name, args, kwargs);
        }
        if (recv instanceof Const.Bytes b) {
            return bytesMethod(b, name, args, kwargs);
        }
        return null;
    }

    private Const strMethod(String s, String name, List<Const> args, Map<String, Const> kw) {
        switch (name) {
            case "join":
                return args.size() == 1 && kw.isEmpty() ? join(str(s), args.get(0)) : null;
            case "format":
                return format(s, args, kw);
            case "encode": {
                Const enc = arg(args, kw, 0, "encoding");
                Const errors = arg(args, kw, 1, "errors");
                CodingErrorAction onError = errorAction(errors);
                if (args.size() > 2 || onError == null) {
                    return null;
                }
                Charset cs = charset(enc == null ? str("utf-8") : enc);
                return cs == null ? null : encode(s, cs, onError);
            }
            case "upper":
                return args.isEmpty() ? str(s.toUpperCase(Locale.ROOT)) : null;
            case "lower":
                return args.isEmpty() ? str(s.toLowerCase(Locale.ROOT)) : null;
            case "swapcase":
                return args.isEmpty() ? str(swapCase(s)) : null;
            case "strip", "lstrip", "rstrip": {
                if (args.size() > 1 || !kw.isEmpty()) {
                    return null;
                }
                Const chars = args.isEmpty() ? null : args.get(0);
                if (chars != null && !(chars instanceof Const.Str) && !(chars instanceof Const.None)) {
                    return null;
                }
                return str(strip(s, chars instanceof Const.Str c ? c.value() : null, name));
            }
            case "replace": {
                if (args.size() < 2 || args.size() > 3 || !kw.isEmpty()
                        || !(args.get(0) instanceof Const.Str old) || !(args.get(1) instanceof Const.Str neu)) {
                    return null;
                }
                Integer count = args.size() == 3 ? smallInt(args.get(2)) : Integer.valueOf(-1);
                if (count == null) {
                    return null;
                }
                return replace(s, old.value(), neu.value(), count);
            }
            case "split", "rsplit": {
                Const sep = arg(args, kw, 0, "sep");
                Const max = arg(args, kw, 1, "maxsplit");
                Integer maxSplit = max == null ? Integer.valueOf(-1) : smallInt(max);
                if (maxSplit == null || sep != null && !(sep instanceof Const.Str) && !(sep instanceof Const.None)) {
                    return null;
                }
                String sp = sep instanceof Const.Str x ? x.value() : null;
                if (sp != null && sp.isEmpty()) {
                    return null;
                }
                List<String> parts = name.equals("split") ? split(s, sp, maxSplit) : rsplit(s, sp, maxSplit);
                List<Const> out = new ArrayList<>(parts.size());
                parts.forEach(p -> out.add(str(p)));
                return new Const.Seq(SeqKind.LIST, out);
            }
            case "removeprefix":
                return args.size() == 1 && args.get(0) instanceof Const.Str p
                        ? str(s.startsWith(p.value()) ? s.substring(p.value().length()) : s) : null;
            case "removesuffix":
                return args.size() == 1 && args.get(0) instanceof Const.Str p
                        ? str(s.endsWith(p.value()) && !p.value().isEmpty()
                        ? s.substring(0, s.length() - p.value().length()) : s) : null;
            case "zfill": {
                Integer width = args.size() == 1 ? smallInt(args.get(0)) : null;
                if (width == null || !fits(width)) {
                    return null;
                }
                int pad = width - s.length();
                if (pad <= 0) {
                    return str(s);
                }
                boolean signed = !s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+');
                return str(signed ? s.charAt(0) + "0".repeat(pad) + s.substring(1) : "0".repeat(pad) + s);
            }
            default:
                return null;
        }
    }

    private Const bytesMethod(Const.Bytes b, String name, List<Const> args, Map<String, Const> kw) {
        switch (name) {
            case "decode": {
                Const enc = arg(args, kw, 0, "encoding");
                Const errors = arg(args, kw, 1, "errors");
                CodingErrorAction onError = errorAction(errors);
                if (args.size() > 2 || onError == null) {
                    return null;
                }
                Charset cs = charset(enc == null ? str("utf-8") : enc);
                return cs == null ? null : decode(b.value(), cs, onError);
            }
            case "join":
                return args.size() == 1 && kw.isEmpty() ? join(b, args.get(0)) : null;
            case "hex":
                if (!args.isEmpty() || !fits(b.value().length * 2L)) {
                    return null;
                }
                StringBuilder sb = new StringBuilder(b.value().length * 2);
                for (byte x : b.value()) {
                    sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
                }
                return str(sb.toString());
            case "upper", "lower", "strip", "lstrip", "rstrip", "replace", "split", "rsplit", "swapcase":
                // ASCII-only semantics: operate on the Latin-1 view and map back
                List<Const> textArgs = new ArrayList<>(args.size());
                for (Const a : args) {
                    textArgs.add(a instanceof Const.Bytes x ? str(x.asText()) : a instanceof Const.Str ? null : a);
                }
                if (textArgs.contains(null) || !kw.isEmpty()) {
                    return null;
                }
                String text = b.asText();
                if (name.equals("upper") || name.equals("lower") || name.equals("swapcase")) {
                    text = asciiOnly(text);
                    if (text == null) {
                        return null;
                    }
                }
                Const r = strMethod(text, name, textArgs, kw);
                return r == null ? null : latin1Back(r);
            default:
                return null;
        }
    }

    private static String asciiOnly(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 127) {
                return null;
            }
        }
        return s;
    }

    private static Const latin1Back(Const c) {
        if (c instanceof Const.Str s) {
            return new Const.Bytes(s.value().getBytes(StandardCharsets.ISO_8859_1));
        }
        if (c instanceof Const.Seq seq) {
            List<Const> out = new ArrayList<>(seq.elements().size());
            seq.elements().forEach(e -> out.add(latin1Back(e)));
            return new Const.Seq(seq.kind(), out);
        }
        return c;
    }

    private static Const arg(List<Const> args, Map<String, Const> kw, int index, String name) {
        return index < args.size() ? args.get(index) : kw.get(name);
    }

    /** What Python's {@code errors=} argument does on bad input: raise, drop, or put a replacement in. */
    static CodingErrorAction errorAction(Const errors) {
        if (errors == null) {
            return CodingErrorAction.REPORT;
        }
        return !(errors instanceof Const.Str s) ? null : switch (s.value()) {
            case "strict" -> CodingErrorAction.REPORT;
            case "ignore" -> CodingErrorAction.IGNORE;
            case "replace" -> CodingErrorAction.REPLACE;
            default -> null;
        };
    }

    /** sep.join(items): all items must be of the separator's type. */
    public Const join(Const sep, Const iterable) {
        List<Const> items = items(iterable);
        if (items == null) {
            return null;
        }
        if (sep instanceof Const.Str s) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < items.size(); i++) {
                if (!(items.get(i) instanceof Const.Str x)) {
                    return null;
                }
                if (i > 0) {
                    sb.append(s.value());
                }
                sb.append(x.value());
                if (!fits(sb.length())) {
                    return null;
                }
            }
            return str(sb.toString());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] sepBytes = ((Const.Bytes) sep).value();
        for (int i = 0; i < items.size(); i++) {
            if (!(items.get(i) instanceof Const.Bytes x)) {
                return null;
            }
            if (i > 0) {
                out.writeBytes(sepBytes);
            }
            out.writeBytes(x.value());
            if (!fits(out.size())) {
                return null;
            }
        }
        return new Const.Bytes(out.toByteArray());
    }

    static Charset charset(Const name) {
        if (!(name instanceof Const.Str s)) {
            return null;
        }
        return switch (s.value().toLowerCase(Locale.ROOT).replace('_', '-')) {
            case "utf-8", "utf8", "u8", "utf" -> StandardCharsets.UTF_8;
            case "latin-1", "latin1", "iso-8859-1", "iso8859-1", "l1", "8859", "cp819" -> StandardCharsets.ISO_8859_1;
            case "ascii", "us-ascii", "646" -> StandardCharsets.US_ASCII;
            default -> null;
        };
    }

    static Const encode(String s, Charset cs) {
        return encode(s, cs, CodingErrorAction.REPORT);
    }

    static Const encode(String s, Charset cs, CodingErrorAction onError) {
        try {
            ByteBuffer bb = cs.newEncoder().onMalformedInput(onError)
                    .onUnmappableCharacter(onError).encode(CharBuffer.wrap(s));
            byte[] out = new byte[bb.remaining()];
            bb.get(out);
            return new Const.Bytes(out);
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    static Const decode(byte[] b, Charset cs) {
        return decode(b, cs, CodingErrorAction.REPORT);
    }

    static Const decode(byte[] b, Charset cs, CodingErrorAction onError) {
        try {
            return str(cs.newDecoder().onMalformedInput(onError)
                    .onUnmappableCharacter(onError).decode(ByteBuffer.wrap(b)).toString());
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String swapCase(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> sb.appendCodePoint(Character.isUpperCase(cp) ? Character.toLowerCase(cp)
                : Character.isLowerCase(cp) ? Character.toUpperCase(cp) : cp));
        return sb.toString();
    }

    private static String strip(String s, String chars, String which) {
        int start = 0;
        int end = s.length();
        boolean left = !which.equals("rstrip");
        boolean right = !which.equals("lstrip");
        while (left && start < end && stripped(s.charAt(start), chars)) {
            start++;
        }
        while (right && end > start && stripped(s.charAt(end - 1), chars)) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean stripped(char c, String chars) {
        return chars == null ? Character.isWhitespace(c) || c == '\u001c' || c == '\u001d' || c == '\u001e'
                || c == '\u001f' || c == '\u0085' || c == '\u00a0' : chars.indexOf(c) >= 0;
    }

    private Const replace(String s, String old, String neu, int count) {
        StringBuilder sb = new StringBuilder();
        if (old.isEmpty()) {
            // Python inserts the replacement between every character and at both ends
            int done = 0;
            for (int i = 0; i <= s.length(); i++) {
                if (count < 0 || done < count) {
                    sb.append(neu);
                    done++;
                }
                if (i < s.length()) {
                    sb.append(s.charAt(i));
                }
                if (!fits(sb.length())) {
                    return null;
                }
            }
            return str(sb.toString());
        }
        int from = 0;
        int done = 0;
        while (count < 0 || done < count) {
            int at = s.indexOf(old, from);
            if (at < 0) {
                break;
            }
            sb.append(s, from, at).append(neu);
            from = at + old.length();
            done++;
            if (!fits(sb.length())) {
                return null;
            }
        }
        sb.append(s, from, s.length());
        return fits(sb.length()) ? str(sb.toString()) : null;
    }

    private static List<String> split(String s, String sep, int maxSplit) {
        List<String> out = new ArrayList<>();
        if (sep == null) {
            int i = 0;
            int n = s.length();
            while (true) {
                while (i < n && Character.isWhitespace(s.charAt(i))) {
                    i++;
                }
                if (i >= n) {
                    break;
                }
                if (maxSplit >= 0 && out.size() == maxSplit) {
                    out.add(s.substring(i).stripTrailing());
                    break;
                }
                int j = i;
                while (j < n && !Character.isWhitespace(s.charAt(j))) {
                    j++;
                }
                out.add(s.substring(i, j));
                i = j;
            }
            return out;
        }
        int from = 0;
        while (maxSplit < 0 || out.size() < maxSplit) {
            int at = s.indexOf(sep, from);
            if (at < 0) {
                break;
            }
            out.add(s.substring(from, at));
            from = at + sep.length();
        }
        out.add(s.substring(from));
        return out;
    }

    private static List<String> rsplit(String s, String sep, int maxSplit) {
        if (maxSplit < 0) {
            return split(s, sep, maxSplit);
        }
        List<String> out = new ArrayList<>();
        if (sep == null) {
            int j = s.length();
            while (true) {
                while (j > 0 && Character.isWhitespace(s.charAt(j - 1))) {
                    j--;
                }
                if (j <= 0) {
                    break;
                }
                if (out.size() == maxSplit) {
                    out.add(0, s.substring(0, j).stripLeading());
                    break;
                }
                int i = j;
                while (i > 0 && !Character.isWhitespace(s.charAt(i - 1))) {
                    i--;
                }
                out.add(0, s.substring(i, j));
                j = i;
            }
            return out;
        }
        int end = s.length();
        while (out.size() < maxSplit) {
            int at = s.lastIndexOf(sep, end - sep.length());
            if (at < 0) {
                break;
            }
            out.add(0, s.substring(at + sep.length(), end));
            end = at;
        }
        out.add(0, s.substring(0, end));
        return out;
    }

    // ---------------------------------------------------------------- formatting

    /** {@code str.format} with automatic, numbered and named fields; format specs are not modelled. */
    Const format(String template, List<Const> args, Map<String, Const> kw) {
        StringBuilder sb = new StringBuilder();
        int auto = 0;
        int i = 0;
        int n = template.length();
        while (i < n) {
            char c = template.charAt(i);
            if (c == '{' && i + 1 < n && template.charAt(i + 1) == '{') {
                sb.append('{');
                i += 2;
            } else if (c == '}' && i + 1 < n && template.charAt(i + 1) == '}') {
                sb.append('}');
                i += 2;
            } else if (c == '{') {
                int close = template.indexOf('}', i);
                if (close < 0) {
                    return null;
                }
                String field = template.substring(i + 1, close);
                String conversion = "s";
                int bang = field.indexOf('!');
                if (bang >= 0) {
                    conversion = field.substring(bang + 1);
                    field = field.substring(0, bang);
                }
                if (field.contains(":") || field.contains(".") || field.contains("[")) {
                    return null;
                }
                Const value;
                if (field.isEmpty()) {
                    value = auto < args.size() ? args.get(auto++) : null;
                } else if (field.chars().allMatch(Character::isDigit)) {
                    int k = Integer.parseInt(field.length() > 6 ? "999999" : field);
                    value = k < args.size() ? args.get(k) : null;
                } else {
                    value = kw.get(field);
                }
                String text = value == null ? null : conversion.equals("s") ? text(value)
                        : conversion.equals("r") ? repr(value) : null;
                if (text == null) {
                    return null;
                }
                sb.append(text);
                i = close + 1;
            } else if (c == '}') {
                return null;
            } else {
                sb.append(c);
                i++;
            }
            if (!fits(sb.length())) {
                return null;
            }
        }
        return str(sb.toString());
    }

    /** {@code template % args} for str and bytes templates: conversions s r d i u x X o c and %%. */
    Const percentFormat(Const template, Const argument) {
        boolean bytes = template instanceof Const.Bytes;
        String t = template.asText();
        List<Const> args = argument instanceof Const.Seq s && s.kind() == SeqKind.TUPLE ? s.elements() : List.of(argument);
        StringBuilder sb = new StringBuilder();
        int next = 0;
        int i = 0;
        while (i < t.length()) {
            char c = t.charAt(i++);
            if (c != '%') {
                sb.append(c);
                continue;
            }
            if (i >= t.length()) {
                return null;
            }
            boolean left = false;
            boolean zero = false;
            while (i < t.length() && "-0 +#".indexOf(t.charAt(i)) >= 0) {
                left |= t.charAt(i) == '-';
                zero |= t.charAt(i) == '0';
                if (t.charAt(i) == ' ' || t.charAt(i) == '+' || t.charAt(i) == '#') {
                    return null;
                }
                i++;
            }
            int width = 0;
            while (i < t.length() && Character.isDigit(t.charAt(i))) {
                width = Math.min(width * 10 + (t.charAt(i++) - '0'), 100_000);
            }
            if (i >= t.length() || t.charAt(i) == '.' || t.charAt(i) == '*' || t.charAt(i) == '(') {
                return null;
            }
            char type = t.charAt(i++);
            String piece;
            if (type == '%') {
                piece = "%";
            } else {
                if (next >= args.size()) {
                    return null;
                }
                Const a = args.get(next++);
                piece = switch (type) {
                    case 's' -> bytes ? (a instanceof Const.Bytes ? a.asText() : null) : text(a);
                    case 'r', 'a' -> repr(a);
                    case 'd', 'i', 'u' -> toInt(a) == null ? null : toInt(a).toString();
                    case 'x' -> toInt(a) == null ? null : toInt(a).toString(16);
                    case 'X' -> toInt(a) == null ? null : toInt(a).toString(16).toUpperCase(Locale.ROOT);
                    case 'o' -> toInt(a) == null ? null : toInt(a).toString(8);
                    case 'c' -> a instanceof Const.Str s && s.value().codePointCount(0, s.value().length()) == 1
                            ? s.value() : chr(a) == null ? null : chr(a).asText();
                    default -> null;
                };
            }
            if (piece == null) {
                return null;
            }
            if (piece.length() < width) {
                String pad = (zero && !left && type != 's' && type != 'r' ? "0" : " ").repeat(width - piece.length());
                piece = left ? piece + pad : pad + piece;
            }
            sb.append(piece);
            if (!fits(sb.length())) {
                return null;
            }
        }
        if (next < args.size() && !(args.size() == 1 && argument instanceof Const.Seq)) {
            return null;
        }
        String out = sb.toString();
        if (bytes) {
            for (int k = 0; k < out.length(); k++) {
                if (out.charAt(k) > 255) {
                    return null;
                }
            }
            return new Const.Bytes(out.getBytes(StandardCharsets.ISO_8859_1));
        }
        return str(out);
    }

    /** What {@code str(x)} / {@code %s} / f-string fields render, when it is known exactly. */
    static String text(Const c) {
        Const s = toStr(c);
        return s == null ? null : s.asText();
    }

    /** {@code repr(x)} for printable-ASCII strings and ints, the cases whose rendering is certain. */
    static String repr(Const c) {
        if (c instanceof Const.Str s) {
            String v = s.value();
            for (int i = 0; i < v.length(); i++) {
                char ch = v.charAt(i);
                if (ch < 0x20 || ch > 0x7e) {
                    return null;
                }
            }
            char quote = v.indexOf('\'') >= 0 && v.indexOf('"') < 0 ? '"' : '\'';
            StringBuilder sb = new StringBuilder().append(quote);
            for (int i = 0; i < v.length(); i++) {
                char ch = v.charAt(i);
                if (ch == '\\' || ch == quote) {
                    sb.append('\\');
                }
                sb.append(ch);
            }
            return sb.append(quote).toString();
        }
        return text(c);
    }

    boolean fits(long length) {
        return length <= maxLength;
    }
}
