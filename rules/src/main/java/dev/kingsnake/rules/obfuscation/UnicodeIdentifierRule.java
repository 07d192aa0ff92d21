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
import dev.kingsnake.spi.facts.SourceChars;
import dev.kingsnake.spi.facts.SourceRegions;

import java.text.Normalizer;
import java.util.Set;

/**
 * Identifiers that look like something else: invisible characters in code, letters that Python's NFKC
 * normalisation folds to ASCII ({@code ｅｘｅｃ} runs {@code exec}), and Latin mixed with Cyrillic or
 * other look-alike scripts in one name.
 */
public final class UnicodeIdentifierRule implements PythonFileRule {
    static final RuleInfo INFO = new RuleInfo("KS-OBF-UNICODE-IDENTIFIER",
            "Deceptive identifiers: invisible (zero-width) characters in code, names that normalise to "
                    + "different ASCII names (fullwidth/mathematical letters), Latin mixed with Cyrillic look-alikes",
            Severity.HIGH, Confidence.HIGH, Set.of(Tags.OBFUSCATION),
            "\\uff45\\uff58\\uff45\\uff43(code)  # fullwidth 'exec'",
            "Names written wholly in one non-Latin script (Chinese, Russian, Greek variable names) are "
                    + "normal and not reported; Latin mixed with Greek is allowed for maths (Δt, σ_x).");

    static final int MAX_REPORTS = 10;
    /** Cyrillic/Armenian/Cherokee letters that look like Latin ones. */
    static final String LOOKALIKES = "\u0430\u0432\u0435\u043a\u043c\u043d\u043e\u0440\u0441\u0442\u0443\u0445"
            + "\u0410\u0412\u0415\u041a\u041c\u041d\u041e\u0420\u0421\u0422\u0425\u0456\u0458\u0455\u0501"
            + "\u051b\u051d\u0475\u04bb\u0261\u0585\u0578\u057d\u0570\u13aa\u13a1\u13a2\u13c0";

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
        int first = NonAscii.firstOffset(file);
        if (first < 0) {
            return;
        }
        String t = file.text();
        SourceRegions r = SourceRegions.of(file);
        int[] reports = {0};
        nonAsciiRuns(SourceChars.of(file), r, first, (start, end) -> {
            String why = judge(t.substring(start, end));
            if (why != null) {
                int line = r.lineOf(start);
                reports[0]++;
                sink.reportLine(file, Obf.at(file, line, start - r.lineStart(line) + 1), why, 120);
            }
            return reports[0] < MAX_REPORTS;
        });
    }

    /** Told each run of {@link #nonAsciiRuns}; returns whether to go on. */
    interface RunVisitor {
        boolean visit(int start, int end);
    }

    /**
     * Each maximal run of code code points that are identifier parts or invisible ({@link #identifierLike}) and
     * hold at least one non-ASCII code point, in text order, until the visitor says stop. {@code first} is the
     * offset of the text's first non-ASCII character. Only the non-ASCII characters are looked at closely: at
     * one that is in such a run the run is found by reading back and forth; all-ASCII runs (nearly every name
     * of a file) are never read as runs.
     */
    static void nonAsciiRuns(SourceChars chars, SourceRegions r, int first, RunVisitor visitor) {
        String t = chars.text();
        int n = chars.length();
        int i = first;
        while (i < n) {
            if (chars.charAt(i) < 0x80) {
                i++;
                continue;
            }
            // a non-ASCII character at a code point's start: every character before it was ASCII or a whole code
            // point stepped over, as in a walk of the text by code points from its start
            int cp = t.codePointAt(i);
            if (r.kind(i) != SourceRegions.CODE || !identifierLike(cp)) {
                i += Character.charCount(cp);
                continue;
            }
            int start = i;
            while (start > 0) {
                int before = t.codePointBefore(start);
                int at = start - Character.charCount(before);
                if (r.kind(at) != SourceRegions.CODE || !identifierLike(before)) {
                    break;
                }
                start = at;
            }
            int end = i;
            while (end < n && r.kind(end) == SourceRegions.CODE) {
                int c = t.codePointAt(end);
                if (!identifierLike(c)) {
                    break;
                }
                end += Character.charCount(c);
            }
            if (!visitor.visit(start, end)) {
                return;
            }
            i = end;
        }
    }

    static boolean identifierLike(int cp) {
        return Character.isUnicodeIdentifierPart(cp) || isInvisible(cp);
    }

    static boolean isInvisible(int cp) {
        return Character.getType(cp) == Character.FORMAT && cp != 0xFEFF
                || cp == 0x3164 || cp == 0x115F || cp == 0x1160 || cp == 0xFFA0; // Hangul fillers
    }

    static String judge(String id) {
        boolean latin = false;
        boolean lookalike = false;
        for (int k = 0; k < id.length(); ) {
            int c = id.codePointAt(k);
            k += Character.charCount(c);
            if (isInvisible(c)) {
                return String.format("invisible character U+%04X in code", c);
            }
            if (c < 0x80) {
                latin |= Character.isLetter(c);
                continue;
            }
            Character.UnicodeScript s = Character.UnicodeScript.of(c);
            if (s == Character.UnicodeScript.LATIN) {
                latin = true;
            } else if (s == Character.UnicodeScript.CYRILLIC || s == Character.UnicodeScript.ARMENIAN
                    || s == Character.UnicodeScript.CHEROKEE) {
                if (LOOKALIKES.indexOf(c) < 0) {
                    return null; // a real word of that script, not a disguise
                }
                lookalike = true;
            }
        }
        String norm = Normalizer.normalize(id, Normalizer.Form.NFKC);
        if (!norm.equals(id) && norm.length() >= 2 && norm.chars().allMatch(ch -> ch < 0x80)) {
            return "identifier '" + id + "' runs as '" + norm + "' (Unicode normalisation)";
        }
        if (latin && lookalike) {
            return "identifier '" + id + "' mixes Latin with look-alike letters of another script";
        }
        return null;
    }
}
