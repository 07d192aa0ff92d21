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

    /** Each branch of {@link #MARKER} holds one of these; the last in any case ({@code regionMatches(true, ...)}). */
    private static final String[] MARKER_LITERALS = {"pyarmor", "pytransform", "__armor_", "obfuscated"};
    private static final int CASELESS = 3;
    private static final int SHORTEST_MARKER = 7;
    /** Per ASCII character, where it occurs in the literals: literal index {@code << 8 |} offset. */
    private static final int[][] MARKER_PLACES = new int[128][];

    static {
        for (char c = 0; c < 128; c++) {
            java.util.List<Integer> places = new java.util.ArrayList<>();
            for (int lit = 0; lit < MARKER_LITERALS.length; lit++) {
                String l = MARKER_LITERALS[lit];
                for (int k = 0; k < l.length(); k++) {
                    if (l.charAt(k) == (lit == CASELESS ? Character.toLowerCase(c) : c)) {
                        places.add(lit << 8 | k);
                    }
                }
            }
            MARKER_PLACES[c] = places.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    /**
     * False only when no {@link #MARKER} can be in the text: true exactly when one of {@link #MARKER_LITERALS}
     * occurs. Each occurrence covers one of the offsets 6, 13, 20 ... (the shortest literal has 7 characters):
     * only those are read, and at each the literals are tried at the places where they hold its character.
     */
    static boolean mayHoldMarker(SourceChars t) {
        for (int i = SHORTEST_MARKER - 1, n = t.length(); i < n; i += SHORTEST_MARKER) {
            char c = t.charAt(i);
            if (c >= 128) {
                // no case-sensitive literal holds it; ignoring case, a non-ASCII letter may match ('ſ' is 's')
                for (int k = 0; k < MARKER_LITERALS[CASELESS].length(); k++) {
                    if (markerAt(t, CASELESS, i - k)) {
                        return true;
                    }
                }
                continue;
            }
            for (int place : MARKER_PLACES[c]) {
                if (markerAt(t, place >> 8, i - (place & 0xff))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean markerAt(SourceChars t, int literal, int at) {
        String l = MARKER_LITERALS[literal];
        return literal == CASELESS ? t.text().regionMatches(true, at, l, 0, l.length()) : t.startsWith(l, at);
    }

    /**
     * False only when no identifier of the file can have a {@link #confusableShape}: that needs six or more
     * characters in a row from I, l, 1, O, 0, o and '_', at the start of an {@link #IDENT} (not a digit, not
     * after an ASCII word character; numbers like 1000000 do not count).
     */
    static boolean hasConfusableRun(SourceChars t) {
        // a run of CONFUSABLE_RUN such characters covers one of the offsets 5, 11, 17 ...: only those are read,
        // and around the ones that are such a character the run they are in
        int n = t.length();
        for (int i = CONFUSABLE_RUN - 1; i < n; i += CONFUSABLE_RUN) {
            if (!confusable(t.charAt(i))) {
                continue;
            }
            int start = i;
            while (start > 0 && confusable(t.charAt(start - 1))) {
                start--;
            }
            int end = i + 1;
            while (end < n && confusable(t.charAt(end))) {
                end++;
            }
            char first = t.charAt(start);
            if (end - start >= CONFUSABLE_RUN && first != '1' && first != '0'
                    && (start == 0 || !asciiWord(t.charAt(start - 1)))) {
                return true;
            }
            // t[end] is not such a character: a run after it covers end + CONFUSABLE_RUN, the next offset read
            i = end;
        }
        return false;
    }

    /** The shortest run of {@link #confusable} characters {@link #hasConfusableRun} looks for. */
    private static final int CONFUSABLE_RUN = 6;

    private static boolean confusable(char c) {
        return c == 'I' || c == 'l' || c == '1' || c == 'O' || c == '0' || c == 'o' || c == '_';
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
