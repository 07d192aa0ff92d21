package dev.kingsnake.rules.obfuscation;

import dev.kingsnake.Confidence;
import dev.kingsnake.Severity;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.PythonFileRule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.Tags;
import dev.kingsnake.spi.facts.SourceChars;
import dev.kingsnake.spi.facts.SourceRegions;

import java.util.Set;

/**
 * Code pushed far to the right behind a run of whitespace, so that an editor or a diff view without
 * wrapping shows only the harmless start of the line: {@code print('ok')}{@code <200 spaces>}{@code ;exec(...)}.
 */
public final class HiddenCodeRule implements PythonFileRule {
    static final RuleInfo INFO = new RuleInfo("KS-OBF-HIDDEN-CODE",
            "Code hidden far to the right of a line after 100+ spaces or tabs",
            Severity.HIGH, Confidence.MEDIUM, Set.of(Tags.OBFUSCATION, Tags.STRONG),
            "print('installing')" + " ".repeat(8) + "...200 spaces...;__import__('os').system('...')",
            "Aligned trailing comments and whitespace inside strings or docstrings are ignored; the hidden "
                    + "part must be code (a ';' statement or a call) after 100+ blanks that follow code.");

    static final int MIN_GAP = 100;

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
        String t = file.text();
        if (!mayHideCode(SourceChars.of(file))) {
            return;
        }
        SourceRegions r = SourceRegions.of(file);
        for (int line = 1; line <= r.lineCount(); line++) {
            int s = r.lineStart(line);
            int e = r.lineEnd(line);
            if (e - s < MIN_GAP + 2) {
                continue;
            }
            int gapStart = -1;
            int run = 0;
            boolean sawCode = false;
            for (int i = s; i < e; i++) {
                char c = t.charAt(i);
                if (c == ' ' || c == '\t') {
                    if (run == 0) {
                        gapStart = i;
                    }
                    run++;
                    continue;
                }
                if (run >= MIN_GAP && sawCode && r.kind(i) == SourceRegions.CODE && r.kind(gapStart) == SourceRegions.CODE) {
                    String tail = t.substring(i, e);
                    if (tail.startsWith(";") || tail.contains("(") && !tail.startsWith("#")) {
                        sink.report(Obf.at(file, line, i - s + 1),
                                "code after " + run + " blanks: " + FindingSink.clip(tail.strip(), 80),
                                FindingSink.clip(t.substring(s, gapStart).strip(), 60) + " \u2026" + run + " blanks\u2026 "
                                        + FindingSink.clip(tail.strip(), 100));
                        break;
                    }
                }
                run = 0;
                if (r.kind(i) == SourceRegions.CODE || r.kind(i) == SourceRegions.STRING) {
                    sawCode = true;
                }
            }
        }
    }

    /**
     * True exactly when the text holds {@link #MIN_GAP} blanks (spaces or tabs) in a row: without such a run no
     * line has a gap wide enough to hide code. Such a run covers one of the offsets {@code MIN_GAP - 1},
     * {@code 2 * MIN_GAP - 1} ...: only those are read, and around the blank ones the run they are in, so an
     * ordinary file is read at about one character in a hundred.
     */
    static boolean mayHideCode(SourceChars t) {
        int n = t.length();
        for (int i = MIN_GAP - 1; i < n; i += MIN_GAP) {
            if (!blank(t.charAt(i))) {
                continue;
            }
            int start = i;
            while (start > 0 && blank(t.charAt(start - 1))) {
                start--;
            }
            int end = i + 1;
            while (end < n && blank(t.charAt(end)) && end - start < MIN_GAP) {
                end++;
            }
            if (end - start >= MIN_GAP) {
                return true;
            }
            // t[end] is not blank: a run of MIN_GAP after it covers end + MIN_GAP, the next offset looked at
            i = end;
        }
        return false;
    }

    private static boolean blank(char c) {
        return c == ' ' || c == '\t';
    }
}
