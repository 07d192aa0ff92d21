package dev.kingsnake.rules.obfuscation;

import dev.kingsnake.Reach;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.PythonFile;

/** Small helpers shared by the obfuscation rules. */
final class Obf {
    private Obf() {
    }

    /** A line location; the reach is that of the first statement on or after that line, else UNKNOWN. */
    static Location at(PythonFile f, int line, int column) {
        Reach r = Reach.UNKNOWN;
        for (var s : f.module().body()) {
            if (s.line() > line) {
                break;
            }
            r = s instanceof dev.kingsnake.spi.python.Stmt.FunctionDef ? Reach.CALLED : f.reach(s);
        }
        if (r == Reach.UNKNOWN && !f.decodeChain().isEmpty()) {
            r = f.origin().reach();
        }
        return Location.of(f, line, column, r);
    }

    /** Shannon entropy in bits per character. */
    static double entropy(String text) {
        char[] s = text.toCharArray(); // three passes over it: array reads
        int n = s.length;
        char max = 0;
        for (char c : s) {
            max = (char) Math.max(max, c);
        }
        // counts for the characters that occur (base64 and hex text: ASCII), not for all 65,536
        int[] counts = new int[max + 1];
        for (int i = 0; i < n; i++) {
            counts[s[i]]++;
        }
        double h = 0;
        for (int i = 0; i < n; i++) {
            int c = counts[s[i]];
            if (c > 0) {
                double p = (double) c / n;
                h -= p * (Math.log(p) / Math.log(2));
                counts[s[i]] = 0;
            }
        }
        return h;
    }

    static double entropy(byte[] b) {
        int[] counts = new int[256];
        for (byte x : b) {
            counts[x & 0xff]++;
        }
        double h = 0;
        for (int c : counts) {
            if (c > 0) {
                double p = (double) c / b.length;
                h -= p * (Math.log(p) / Math.log(2));
            }
        }
        return h;
    }
}
