package dev.kingsnake.rules.install;

import dev.kingsnake.Confidence;
import dev.kingsnake.Severity;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.PythonFileRule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.Tags;
import dev.kingsnake.spi.facts.Activity;
import dev.kingsnake.spi.facts.DataFlow;
import dev.kingsnake.spi.python.Expr;

import java.util.Set;

/** Writes files outside the build tree (home, temp, absolute or environment-derived paths) while the package is being installed. */
public final class InstallFileWriteRule implements PythonFileRule {
    static final RuleInfo INFO = new RuleInfo("KS-INSTALL-FILE-WRITE",
            "Writes files outside the build tree (home, temp, absolute or environment-derived paths) while the package is being installed",
            Severity.MEDIUM, Confidence.MEDIUM, Set.of(Tags.FILE_WRITE),
            "open(os.path.expanduser('~/.bashrc'), 'a').write(line)",
            "Writes to relative paths (generated version files, build outputs) are not reported; a file whose name "
                    + "is not that of a program or script written into the temporary directory (build scratch "
                    + "space) is low.");

    /** Names of files that run: programs, libraries, scripts (or a name not known statically). */
    private static final java.util.regex.Pattern RUNNABLE = java.util.regex.Pattern.compile(
            "(?i)(\\.(exe|dll|scr|com|bat|cmd|ps1|vbs|vbe|js|jse|wsf|hta|lnk|py|pyw|pyc|sh|bash|zsh|so|dylib|jar|bin|elf|php|phtml|asp|aspx|jsp|pl|rb|cgi|"
                    + "app|msi|desktop|service|plist)|\u2026)$");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    /** Judges each call made while the package is installed; files without such calls cost nothing more. */
    @Override
    public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
        for (Expr.Call c : Activity.installTimeCalls(file)) {
            checkCall(file, DataFlow.of(file), c, sink);
        }
    }

    private static void checkCall(PythonFile file, DataFlow facts, Expr.Call c, FindingSink sink) {
        Activity.outsideWrite(facts, c).ifPresent(w -> {
            if (w.temporaryOnly() && !RUNNABLE.matcher(w.path()).find()) {
                sink.report(file, c, "writes into the temporary directory at install time: " + w.path(),
                        Severity.LOW, Confidence.MEDIUM);
            } else {
                sink.report(file, c, "writes outside the build tree at install time: " + w.path());
            }
        });
    }
}
