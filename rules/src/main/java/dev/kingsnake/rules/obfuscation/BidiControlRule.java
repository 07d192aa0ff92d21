package dev.kingsnake.rules.obfuscation;

import dev.kingsnake.Confidence;
import dev.kingsnake.Severity;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.PythonFileRule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.Tags;
import dev.kingsnake.spi.facts.NonAscii;
import dev.kingsnake.spi.facts.SourceRegions;

import java.util.Set;

/** Trojan Source: bidirectional control characters that make code display differently from how it runs. */
public final class BidiControlRule implements PythonFileRule {
    static final RuleInfo INFO = new RuleInfo("KS-OBF-BIDI-CONTROL",
            "Bidirectional control characters (U+202A-202E, U+2066-2069) in source: code may run "
                    + "differently from how it reads (Trojan Source)",
            Severity.HIGH, Confidence.MEDIUM, Set.of(Tags.OBFUSCATION),
            "access_level = 'user\\u202e \\u2066# check if admin\\u2069 \\u2066'",
            "Right-to-left text in translations can contain embeddings inside string literals: those are "
                    + "reported LOW/LOW; in code and comments they are HIGH/MEDIUM. Escaped forms (\\u202e) "
                    + "are harmless and not reported.");

    static final int MAX_REPORTS = 10;

    @Override
    public RuleInfo info() {
        return INFO;
    }

    static boolean bidi(char c) {
        return c >= '\u202a' && c <= '\u202e' || c >= '\u2066' && c <= '\u2069';
    }

    /**
     * Where the first control character is, or -1: one indexOf per character (vectorised, and immediate on text
     * without characters beyond U+00FF, which most files are) instead of a test of every character.
     */
    static int firstBidi(String t, int from) {
        int first = -1;
        for (char c = '\u202a'; c <= '\u2069'; c = c == '\u202e' ? '\u2066' : (char) (c + 1)) {
            int at = t.indexOf(c, from);
            if (at >= 0 && (first < 0 || at < first)) {
                first = at;
            }
        }
        return first;
    }

    /** A "stretched string": after the control character the literal holds something displayed as code or comment. */
    private static boolean looksLikeCodeInString(SourceRegions r, int at) {
        String t = r.text();
        for (int i = at; i < t.length() && r.kind(i) == SourceRegions.STRING && t.charAt(i) != '\n'; i++) {
            char c = t.charAt(i);
            if (c == '#' || c == '"' && i + 1 < t.length() && r.kind(i + 1) == SourceRegions.STRING) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
        int nonAscii = NonAscii.firstOffset(file);
        if (nonAscii < 0) {
            return; // every bidirectional control is above U+007F
        }
        String t = file.text();
        int first = firstBidi(t, nonAscii);
        if (first < 0) {
            return;
        }
        SourceRegions r = SourceRegions.of(file);
        int reports = 0;
        int lastLine = -1;
        for (int i = first; i < t.length() && reports < MAX_REPORTS; i++) {
            char c = t.charAt(i);
            if (!bidi(c)) {
                continue;
            }
            int line = r.lineOf(i);
            if (line == lastLine) {
                continue;
            }
            lastLine = line;
            reports++;
            String ev = String.format("U+%04X in: %s", (int) c, FindingSink.clip(file.line(line).strip(), 120));
            if (r.kind(i) == SourceRegions.STRING && !looksLikeCodeInString(r, i)) {
                sink.report(Obf.at(file, line, i - r.lineStart(line) + 1), "bidirectional control character "
                        + "inside a string literal", ev, Severity.LOW, Confidence.LOW);
            } else {
                sink.report(Obf.at(file, line, i - r.lineStart(line) + 1), "bidirectional control character in "
                        + (r.kind(i) == SourceRegions.COMMENT ? "a comment" : "code"), ev);
            }
        }
    }
}
