package dev.kingsnake.internal.decode;

import java.util.ArrayList;
import java.util.List;

/** Python slicing ({@code x[a:b:c]}) of str, bytes and sequences; {@code [::-1]} is the reversal step. */
final class Slicing {
    private Slicing() {
    }

    /** {@code lo}/{@code hi} null when omitted. */
    static Value slice(Value v, Long lo, Long hi, long step) {
        if (step == 0) {
            return null;
        }
        boolean reversal = lo == null && hi == null && step == -1;
        if (v instanceof Value.Str s) {
            if (reversal) {
                return new Value.Str(TextTransforms.reverse(s.value()), s.trace().then("reversed"));
            }
            int[] idx = indices(s.value().length(), lo, hi, step);
            StringBuilder sb = new StringBuilder(idx.length);
            for (int i : idx) {
                sb.append(s.value().charAt(i));
            }
            return new Value.Str(sb.toString(), step == 1 ? s.trace() : s.trace().then("slice"));
        }
        if (v instanceof Value.Bytes b) {
            if (reversal) {
                return new Value.Bytes(TextTransforms.reverse(b.value()), b.trace().then("reversed"));
            }
            int[] idx = indices(b.value().length, lo, hi, step);
            byte[] out = new byte[idx.length];
            for (int i = 0; i < idx.length; i++) {
                out[i] = b.value()[idx[i]];
            }
            return new Value.Bytes(out, step == 1 ? b.trace() : b.trace().then("slice"));
        }
        if (v instanceof Value.Seq s) {
            int[] idx = indices(s.items().size(), lo, hi, step);
            List<Value> out = new ArrayList<>(idx.length);
            for (int i : idx) {
                out.add(s.items().get(i));
            }
            return new Value.Seq(out, reversal ? s.trace().then("reversed") : s.trace());
        }
        return null;
    }

    /** The indices Python's slice.indices(n) would visit. */
    static int[] indices(int n, Long lo, Long hi, long step) {
        long start;
        long stop;
        if (step > 0) {
            start = lo == null ? 0 : clamp(lo < 0 ? lo + n : lo, 0, n);
            stop = hi == null ? n : clamp(hi < 0 ? hi + n : hi, 0, n);
        } else {
            start = lo == null ? n - 1 : clamp(lo < 0 ? lo + n : lo, -1, n - 1);
            stop = hi == null ? -1 : clamp(hi < 0 ? hi + n : hi, -1, n - 1);
        }
        long count = step > 0 ? (stop - start + step - 1) / step : (start - stop - step - 1) / -step;
        if (count <= 0) {
            return new int[0];
        }
        int[] out = new int[(int) count];
        long i = start;
        for (int k = 0; k < count; k++, i += step) {
            out[k] = (int) i;
        }
        return out;
    }

    private static long clamp(long v, long min, long max) {
        return Math.max(min, Math.min(max, v));
    }
}
