package dev.kingsnake.rules.obfuscation;

import dev.kingsnake.Confidence;
import dev.kingsnake.Reach;
import dev.kingsnake.Severity;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.PythonFileRule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.Tags;
import dev.kingsnake.spi.facts.SourceChars;
import dev.kingsnake.spi.facts.SourceRegions;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Output of code obfuscators: runtime markers of protectors (PyArmor), self-declared obfuscation
 * banners, and identifier renaming to confusable shapes (IlIlIl, O0O0O, ____) that renamers produce.
 */
public final class ObfuscatorMarkerRule implements PythonFileRule {
    static final RuleInfo INFO = new RuleInfo("KS-OBF-OBFUSCATOR-MARKER",
            "Code produced by an obfuscator: protector runtime markers (PyArmor), 'obfuscated with/by' "
                    + "banners, or many identifiers renamed to confusable shapes (lIlIl1, O0O0O, ____)",
            Severity.MEDIUM, Confidence.HIGH, Set.of(Tags.OBFUSCATION),
            "from pytransform import pyarmor_runtime; pyarmor_runtime()",
            "Some commercial packages ship PyArmor-protected code; they are reported but only MEDIUM "
                    + "(HIGH only when the obfuscated code runs at install time, e.g. a protected setup.py). "
                    + "Confusable names need at least 8 distinct ones in a file.");

    static final Pattern MARKER = Pattern.compile(
            "__pyarmor__|pyarmor_runtime|from\\s+pytransform\\s+import|__armor_enter__|__armor_exit__"
                    + "|(?i:obfuscated\\s+(with|by|using)\\s+\\S+)");
    static final Pattern IDENT = Pattern.compile("\\b[A-Za-z_][A-Za-z0-9_]*\\b");
    static final int MIN_CONFUSABLE = 8;
    /** Evidence is the marker's line, cut short: obfuscated lines are long encoded text. */
    private static final int EVIDENCE_CHARS = 120;

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
        String t = file.text();
        SourceChars chars = SourceChars.of(file);
        Matcher m = mayHoldMarker(chars) ? MARKER.matcher(t) : null;
        while (m != null && m.find()) {
            SourceRegions r = SourceRegions.of(file);
            boolean banner = m.group().regionMatches(true, 0, "obfuscated", 0, 10);
            if (banner && r.kind(m.start()) != SourceRegions.COMMENT) {
                continue; // prose in a docstring, not a tool's banner
            }
            int line = r.lineOf(m.start());
            report(sink, file, Obf.at(file, line, m.start() - r.lineStart(line) + 1), "obfuscator marker '"
                    + FindingSink.clip(m.group(), 60) + "'");
            break;
        }
        if (!hasConfusableRun(chars)) {
            return;
        }
        Set<String> confusable = new HashSet<>();
        int firstOffset = -1;
        Matcher id = IDENT.matcher(t);
        SourceRegions r = null;
        while (id.find()) {
            if (id.end() - id.start() < 6) {
                continue;
            }
            String s = id.group();
            if (confusableShape(s)) {
                if (r == null) {
                    r = SourceRegions.of(file);
                }
                if (r.kind(id.start()) != SourceRegions.CODE) {
                    continue;
                }
                if (confusable.add(s) && firstOffset < 0) {
                    firstOffset = id.start();
                }
                if (confusable.size() >= 200) {
                    break;
                }
            }
        }
        if (confusable.size() >= MIN_CONFUSABLE) {
            int line = r.lineOf(firstOffset);
            report(sink, file, Obf.at(file, line, firstOffset - r.lineStart(line) + 1), confusable.size()
                    + " identifiers renamed to confusable shapes, e.g. " + confusable.iterator().next());
        }
    }

    /**
     * Obfuscated code that runs while the package is installed is HIGH: protected commercial packages
     * obfuscate their modules, never the install script a user would read before installing.
     */
    private static void report(FindingSink sink, PythonFile file, Location at, String message) {
        if (at.reach() == Reach.INSTALL_TIME) {
            sink.reportLine(file, at, message + " in code that runs at install time", EVIDENCE_CHARS, Severity.HIGH,
                    Confidence.HIGH);
        } else {
            sink.reportLine(file, at, message, EVIDENCE_CHARS);
        }
    }

    /**
     * False only when no {@link #MARKER} can be in the text: each of its branches holds one of these literals
     * ('obfuscated' in any ASCII case). One pass that looks closer only at the letters the literals start with.
     */
    static boolean mayHoldMarker(SourceChars t) {
        for (int i = 0, n = t.length(); i < n; i++) {
            char c = t.charAt(i);
            // 'p' and '_' are common: the next character settles most of them without a call
            if (c == 'p' ? i + 1 < n && t.charAt(i + 1) == 'y' && (t.startsWith("pyarmor", i)
                    || t.startsWith("pytransform", i))
                    : c == '_' ? i + 1 < n && t.charAt(i + 1) == '_' && t.startsWith("__armor_", i)
                    : (c | 0x20) == 'o' && i + 1 < n && ((t.charAt(i + 1) | 0x20) == 'b' || t.charAt(i + 1) > 0x7f)
                    && t.text().regionMatches(true, i, "obfuscated", 0, 10)) {
                return true;
            }
        }
        return false;
    }

    /**
     * False only when no identifier of the file can have a {@link #confusableShape}: that needs six or more
     * characters in a row from I, l, 1, O, 0, o and '_', at the start of an {@link #IDENT} (not a digit, not
     * after an ASCII word character; numbers like 1000000 do not count).
     */
    static boolean hasConfusableRun(SourceChars t) {
        int run = 0;
        boolean identStart = false;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == 'I' || c == 'l' || c == '1' || c == 'O' || c == '0' || c == 'o' || c == '_') {
                if (run++ == 0) {
                    identStart = c != '1' && c != '0' && (i == 0 || !asciiWord(t.charAt(i - 1)));
                }
                if (identStart && run >= 6) {
                    return true;
                }
            } else {
                run = 0;
            }
        }
        return false;
    }

    private static boolean asciiWord(char c) {
        // Character.isLetterOrDigit below U+0080 is exactly these ranges, without its table look-up
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
    }

    /** Only I/l/1, only O/0/o, or only underscores (with at least one mix, so '______' alone counts too). */
    static boolean confusableShape(String s) {
        boolean il = true;
        boolean oo = true;
        boolean us = true;
        int kinds = 0;
        boolean upperI = false;
        boolean lowerL = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            il &= c == 'I' || c == 'l' || c == '1' || c == '_';
            oo &= c == 'O' || c == '0' || c == 'o' || c == '_';
            us &= c == '_';
            upperI |= c == 'I';
            lowerL |= c == 'l';
        }
        if (il && upperI && lowerL) {
            kinds++;
        }
        if (oo && s.indexOf('O') >= 0 && s.indexOf('0') >= 0) {
            kinds++;
        }
        if (us && s.length() >= 6) {
            kinds++;
        }
        return kinds > 0;
    }
}
