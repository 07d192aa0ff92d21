package dev.kingsnake.rules.obfuscation;

import dev.kingsnake.Confidence;
import dev.kingsnake.Severity;
import dev.kingsnake.rules.shared.FileNodes;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.PythonFileRule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.Tags;
import dev.kingsnake.spi.python.Const;
import dev.kingsnake.spi.python.Expr;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Long high-entropy base64/hex-looking string or binary bytes literals: packed payloads. */
public final class EncodedBlobRule implements PythonFileRule {
    static final RuleInfo INFO = new RuleInfo("KS-OBF-ENCODED-BLOB",
            "A long high-entropy encoded string (base64/base85/hex alphabet) or compressed/encrypted bytes "
                    + "literal in code",
            Severity.LOW, Confidence.MEDIUM, Set.of(Tags.OBFUSCATION),
            "payload = 'eJzLSM3JyVcozy/KSQEAGgQEXQ==...' (kilobytes)",
            "Embedded icons, fonts, test vectors and certificates look the same: LOW on its own (MEDIUM "
                    + "from 20 kB); it matters next to exec/decode findings. PEM blocks and text with spaces "
                    + "are excluded.");

    static final int MIN_LEN = 256;
    static final int BIG = 20_000;
    static final int MAX_REPORTS = 3;

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
        List<Expr.Literal> hits = new ArrayList<>();
        for (Expr.Literal l : FileNodes.of(file).strings()) {
            if (hits.size() >= MAX_REPORTS) {
                break;
            }
            if (blob(l.value())) {
                hits.add(l);
            }
        }
        for (Expr.Literal l : hits) {
            int len = l.value() instanceof Const.Bytes b ? b.value().length : l.value().asText().length();
            String ev = FindingSink.clip(l.value().asText(), 80);
            if (len >= BIG) {
                sink.report(Location.of(file, l), "encoded blob of " + len + " characters", ev,
                        Severity.MEDIUM, Confidence.LOW);
            } else {
                sink.report(Location.of(file, l), "encoded blob of " + len + " characters", ev);
            }
        }
    }

    private static final int HEX = 1;
    private static final int B64 = 2;
    /** Per ASCII character: whether it is a hex digit, and whether it is in the base64 alphabets. */
    private static final byte[] ALPHABETS = new byte[128];

    static {
        for (char ch = 0; ch < 128; ch++) {
            boolean hex = ch >= '0' && ch <= '9' || ch >= 'a' && ch <= 'f' || ch >= 'A' && ch <= 'F';
            boolean b64 = ch >= 'A' && ch <= 'Z' || ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9' || ch == '+'
                    || ch == '/' || ch == '=' || ch == '-' || ch == '_';
            ALPHABETS[ch] = (byte) ((hex ? HEX : 0) | (b64 ? B64 : 0));
        }
    }

    static boolean blob(Const c) {
        if (c instanceof Const.Bytes b) {
            byte[] v = b.value();
            if (v.length < MIN_LEN) {
                return false;
            }
            int printable = 0;
            for (byte x : v) {
                if (x >= 0x20 && x < 0x7f || x == '\n' || x == '\r' || x == '\t') {
                    printable++;
                }
            }
            if (printable < v.length * 0.9) {
                return Obf.entropy(v) >= 7.0; // compressed or encrypted bytes
            }
        }
        String s = c.asText();
        if (s.length() < MIN_LEN) {
            return false;
        }
        int b64 = 0;
        int hex = 0;
        int ws = 0;
        int n = s.length();
        // past this many characters outside the base64 alphabet, b64 >= 98% of the length can no longer hold
        int maxOutsideB64 = n / 50 + 1;
        for (int i = 0; i < n; i++) {
            char ch = s.charAt(i);
            if (ch == '\n' || ch == '\r') {
                ws++;
                continue;
            }
            if (ch == ' ' || ch == '-' && s.startsWith("-----BEGIN", i)) {
                return false; // text with spaces, or a PEM block
            }
            int k = ch < 128 ? ALPHABETS[ch] : 0;
            hex += k & HEX;
            b64 += (k & B64) >> 1;
            int seen = i + 1 - ws;
            if (hex < seen && seen - b64 > maxOutsideB64) {
                return false; // neither all hex digits nor (almost) all base64, whatever follows
            }
        }
        int len = n - ws;
        if (len < MIN_LEN) {
            return false;
        }
        if (hex == len) {
            return Obf.entropy(s) >= 3.5;
        }
        if (b64 >= len * 0.98) {
            return Obf.entropy(s) >= 5.0;
        }
        return false;
    }
}
