package dev.kingsnake.internal.decode;

import dev.kingsnake.spi.python.Const;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The operations on a {@link Value.Repeated}: a str or bytes too long to build ({@code "-" * 50_000_000} in a
 * test, {@code "#" * 17_000_000 + "\n" + code} in an evasion) kept as runs of repeated pieces. Repetition,
 * concatenation, length, indexing and slicing are computed on the runs; text codecs map each piece; code run
 * from such a value ({@code exec}, a file written) is read {@link #compact compacted}. Anything else materialises
 * it, which is a limit reached and reported ({@code PayloadEvaluator}), never a value silently taken as unknown.
 */
final class Repetitions {
    /** A run repeated more often than this is compacted to 2 or 3 copies (the same parity) when read as code. */
    static final int KEPT_COPIES = 3;
    /**
     * Runs one value may have: a str built in a loop past the per-step bound adds one per round unless the
     * pieces repeat; past this many it is the size limit (reported), as it was before runs existed.
     */
    static final int MAX_RUNS = 4096;

    private Repetitions() {
    }

    /** Thrown when a consumer that cannot read runs meets one: the evaluator reports it as a size limit. */
    static final class Unmaterialised extends RuntimeException {
        Unmaterialised() {
            super(null, null, false, false);
        }
    }

    static long unitLength(Value.Data d) {
        return d instanceof Value.Str s ? s.value().length() : ((Value.Bytes) d).value().length;
    }

    static boolean isText(Value v) {
        return v instanceof Value.Str || v instanceof Value.Repeated r && !r.bytes();
    }

    /** The runs of a str or bytes value, or null for other values. */
    static List<Value.Repeated.Run> runs(Value v) {
        if (v instanceof Value.Repeated r) {
            return r.runs();
        } else if (v instanceof Value.Data d) {
            return List.of(new Value.Repeated.Run(d, 1));
        }
        return null;
    }

    static long length(Value v) {
        return v instanceof Value.Repeated r ? r.length() : v instanceof Value.Data d ? unitLength(d) : -1;
    }

    /** {@code piece * times} as runs. */
    static Value.Repeated times(Value piece, long times) {
        List<Value.Repeated.Run> runs = runs(piece);
        if (runs == null || times < 0) {
            return null;
        }
        Value.Trace t = PayloadEvaluator.traceOf(piece);
        boolean bytes = !isText(piece);
        if (runs.size() == 1) {
            Value.Repeated.Run r = runs.get(0);
            long n = multiply(r.times(), times);
            return n < 0 ? null : new Value.Repeated(List.of(new Value.Repeated.Run(r.unit(), n)), bytes, t);
        }
        if (times > KEPT_COPIES * 4L) {
            return null;
        }
        List<Value.Repeated.Run> out = new ArrayList<>();
        for (long i = 0; i < times; i++) {
            out.addAll(runs);
        }
        return new Value.Repeated(out, bytes, t);
    }

    /** {@code a + b} of two str or two bytes values, at least one of them runs; null for other operands. */
    static Value.Repeated concat(Value a, Value b) {
        List<Value.Repeated.Run> ra = runs(a);
        List<Value.Repeated.Run> rb = runs(b);
        if (ra == null || rb == null || isText(a) != isText(b)) {
            return null;
        }
        if (ra.size() + rb.size() > MAX_RUNS) {
            return null;
        }
        List<Value.Repeated.Run> out = new ArrayList<>(ra);
        for (Value.Repeated.Run r : rb) {
            Value.Repeated.Run last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && last.unit().equals(r.unit())) {
                out.set(out.size() - 1, new Value.Repeated.Run(last.unit(), saturate(last.times() + r.times())));
            } else if (unitLength(r.unit()) > 0 && r.times() > 0) {
                out.add(r);
            }
        }
        return new Value.Repeated(out, !isText(a), PayloadEvaluator.traceOf(a).merge(PayloadEvaluator.traceOf(b)));
    }

    /**
     * Characters {@code [from, to)} as a plain value when that is at most {@code max} long, else as runs.
     * Indices are within {@code 0..length}.
     */
    static Value window(Value.Repeated r, long from, long to, long max) {
        List<Value.Repeated.Run> out = new ArrayList<>();
        long at = 0;
        for (Value.Repeated.Run run : r.runs()) {
            long ul = unitLength(run.unit());
            long len = run.length();
            long end = at + len;
            if (end > from && at < to && ul > 0) {
                long s = Math.max(from, at) - at;
                long e = Math.min(to, end) - at;
                // head: the rest of a piece; middle: whole pieces; tail: the start of one
                long firstWhole = (s + ul - 1) / ul;
                long lastWhole = e / ul;
                if (firstWhole > lastWhole) {
                    out.add(new Value.Repeated.Run(sub(run.unit(), s % ul, s % ul + (e - s)), 1));
                } else {
                    if (s % ul != 0) {
                        out.add(new Value.Repeated.Run(sub(run.unit(), s % ul, ul), 1));
                    }
                    if (lastWhole > firstWhole) {
                        out.add(new Value.Repeated.Run(run.unit(), lastWhole - firstWhole));
                    }
                    if (e % ul != 0) {
                        out.add(new Value.Repeated.Run(sub(run.unit(), 0, e % ul), 1));
                    }
                }
            }
            at = end;
        }
        Value.Repeated w = new Value.Repeated(out, r.bytes(), r.trace());
        return w.length() <= max ? build(w, max) : w;
    }

    /** {@code r[lo:hi]} (step 1); null when a bound is not an int. */
    static Value slice(Value.Repeated r, Const lo, Const hi, long max) {
        long n = r.length();
        Long from = index(lo, n, 0);
        Long to = index(hi, n, n);
        if (from == null || to == null) {
            return null;
        }
        return window(r, from, Math.max(from, to), max);
    }

    /** {@code r[i]}: a one-character str, or an int of bytes; null when out of range. */
    static Value at(Value.Repeated r, long i) {
        long n = r.length();
        long j = i < 0 ? i + n : i;
        if (j < 0 || j >= n) {
            return null;
        }
        Value one = window(r, j, j + 1, 1);
        if (one instanceof Value.Bytes b) {
            return new Value.Int(b.value()[0] & 0xff, r.trace());
        }
        return one;
    }

    private static Long index(Const c, long n, long absent) {
        if (c == null || c instanceof Const.None) {
            return absent;
        }
        if (!(c instanceof Const.Int i)) {
            return null;
        }
        BigInteger v = i.value();
        if (v.bitLength() >= 63) {
            return v.signum() < 0 ? 0L : n;
        }
        long x = v.longValue();
        if (x < 0) {
            x += n;
        }
        return Math.max(0, Math.min(n, x));
    }

    /** The whole value as plain str or bytes; only for values at most {@code max} long. */
    static Value.Data build(Value.Repeated r, long max) {
        if (r.length() > max) {
            throw new IllegalArgumentException("too long to build");
        }
        return join(r, Long.MAX_VALUE, max);
    }

    /**
     * The value as code is read from it: each run repeated more than {@value #KEPT_COPIES} times is kept as 2 or
     * 3 copies, the parity of its count (a comment line, padding, a quote or bracket that opens and closes),
     * so every distinct piece, and what follows the longest padding, is read; at most {@code max} characters.
     */
    static Value.Data compact(Value.Repeated r, long max) {
        return join(r, KEPT_COPIES, max);
    }

    private static Value.Data join(Value.Repeated r, long keep, long max) {
        if (r.bytes()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (Value.Repeated.Run run : r.runs()) {
                byte[] u = ((Value.Bytes) run.unit()).value();
                for (long i = 0, n = copies(run.times(), keep); i < n && out.size() <= max; i++) {
                    out.write(u, 0, (int) Math.min(u.length, max + 1 - out.size()));
                }
            }
            return new Value.Bytes(out.toByteArray(), r.trace());
        }
        StringBuilder out = new StringBuilder();
        for (Value.Repeated.Run run : r.runs()) {
            String u = ((Value.Str) run.unit()).value();
            for (long i = 0, n = copies(run.times(), keep); i < n && out.length() <= max; i++) {
                out.append(u, 0, (int) Math.min(u.length(), max + 1 - out.length()));
            }
        }
        return new Value.Str(out.toString(), r.trace());
    }

    private static long copies(long times, long keep) {
        return times <= keep ? times : 2 + (times & 1);
    }

    private static Value.Data sub(Value.Data d, long from, long to) {
        if (d instanceof Value.Str s) {
            return new Value.Str(s.value().substring((int) from, (int) to), s.trace());
        }
        byte[] b = ((Value.Bytes) d).value();
        return new Value.Bytes(java.util.Arrays.copyOfRange(b, (int) from, (int) to), d.trace());
    }

    private static long multiply(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return -1;
        }
    }

    private static long saturate(long n) {
        return n < 0 ? Long.MAX_VALUE : n;
    }
}
