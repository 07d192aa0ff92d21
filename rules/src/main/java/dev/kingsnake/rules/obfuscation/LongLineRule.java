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
 * A very long line of real code (not of string data): obfuscators and droppers squeeze whole programs
 * into one line. Generated data tables are excluded by measuring the code outside string literals and
 * how much of it is calls, lambdas and statement separators rather than numbers and commas.
 */
public final class LongLineRule implements PythonFileRule {
    static final RuleInfo INFO = new RuleInfo("KS-OBF-LONG-LINE",
            "A single line holds a large amount of code (1000+ characters outside strings, full of calls, "
                    + "lambdas or ';'-joined statements)",
            Severity.MEDIUM, Confidence.MEDIUM, Set.of(Tags.OBFUSCATION),
            "_=lambda x:__import__('zlib').decompress(x);exec(_(b'...'));... (thousands of characters)",
            "Generated tables (numbers, strings, dict literals) and long string constants are not code and "
                    + "are excluded; minified-but-benign generated code is rare in Python packages and this "
                    + "only weighs MEDIUM/MEDIUM.");

    static final int MIN_CODE = 1000;
    static final int MAX_REPORTS = 3;

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
        String text = file.text();
        if (text.length() < MIN_CODE) {
            return;
        }
        SourceChars chars = SourceChars.of(file);
        SourceRegions r = null;
        int reports = 0;
        int lineStart = 0;
        int line = 1;
        int n = text.length();
        while (lineStart <= n) {
            int i = chars.indexOf('\n', lineStart);
            if (i < 0) {
                i = n;
            }
            if (i - lineStart >= MIN_CODE) {
                if (r == null) {
                    r = SourceRegions.of(file);
                }
                String why = codeLine(r, lineStart, i);
                if (why != null) {
                    sink.report(Obf.at(file, line, 1), why, FindingSink.clip(text.substring(lineStart, i).strip(), 160));
                    if (++reports >= MAX_REPORTS) {
                        return;
                    }
                }
            }
            lineStart = i + 1;
            line++;
        }
    }

    private static String codeLine(SourceRegions r, int from, int to) {
        String t = r.text();
        int code = 0;
        int calls = 0;
        int semis = 0;
        int letters = 0;
        int lambdas = 0;
        for (int i = from; i < to; i++) {
            if (r.kind(i) != SourceRegions.CODE) {
                continue;
            }
            char c = t.charAt(i);
            if (Character.isWhitespace(c)) {
                continue;
            }
            code++;
            if (c == '(' && i > from && (Character.isLetterOrDigit(t.charAt(i - 1)) || t.charAt(i - 1) == '_'
                    || t.charAt(i - 1) == ')' || t.charAt(i - 1) == ']')) {
                calls++;
            } else if (c == ';') {
                semis++;
            } else if (Character.isLetter(c) || c == '_') {
                letters++;
                if (c == 'l' && t.startsWith("lambda", i) && (i == from || !Character.isLetterOrDigit(t.charAt(i - 1)))) {
                    lambdas++;
                }
            }
        }
        if (code < MIN_CODE || letters < code * 0.3) {
            return null;
        }
        if (calls >= 20 || semis >= 10 || lambdas >= 5) {
            return "one line of " + code + " code characters (" + calls + " calls, " + semis + " ';', "
                    + lambdas + " lambdas)";
        }
        return null;
    }
}
