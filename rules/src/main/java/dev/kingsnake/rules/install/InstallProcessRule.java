package dev.kingsnake.rules.install;

import dev.kingsnake.Confidence;
import dev.kingsnake.Severity;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.PythonFileRule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.Tags;
import dev.kingsnake.spi.facts.Activity;
import dev.kingsnake.spi.facts.Commands;
import dev.kingsnake.spi.facts.DataFlow;
import dev.kingsnake.spi.python.Expr;

import java.util.Set;

/** Starts a process other than a build or version-probing tool while the package is being installed. */
public final class InstallProcessRule implements PythonFileRule {
    static final RuleInfo INFO = new RuleInfo("KS-INSTALL-PROCESS",
            "Starts a process other than a build or version-probing tool while the package is being installed",
            Severity.MEDIUM, Confidence.MEDIUM, Set.of(Tags.PROCESS),
            "os.system('touch /tmp/x')  # at setup.py module level",
            "Compilers, git, pkg-config, cmake, twine and sys.executable invocations with constant commands are not reported (compiler probing, version lookup, the 'upload' command template, sh of an in-tree *.sh script); commands computed at run time are LOW. Opening a desktop application (calc, notepad, mspaint, xcalc ...) is HIGH: no build does that.");

    /**
     * Desktop applications that no build needs: installing a package that opens a calculator or an editor is
     * running arbitrary code on the installer's machine to show that it can (or to distract while it does).
     */
    static final Set<String> DESKTOP_APPS = Set.of("calc", "notepad", "mspaint", "wordpad", "write",
            "xcalc", "gnome-calculator", "kcalc", "gedit", "xeyes", "xclock", "charmap", "magnify", "osk");

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
        Activity.process(facts, c).ifPresent(cmd -> {
            if (cmd.computed()) {
                sink.report(file, c, cmd.sink() + "() runs a command computed at install time",
                        Severity.LOW, Confidence.MEDIUM);
            } else if (DESKTOP_APPS.contains(cmd.tool())) {
                sink.report(Location.of(file, c), cmd.sink() + "() opens the desktop application '" + cmd.tool()
                        + "' at install time (a code-execution proof or a lure)", cmd.evidence(),
                        Severity.HIGH, Confidence.HIGH);
            } else if (Commands.builtFromSource(file).contains(cmd.tool())) {
                sink.report(Location.of(file, c), cmd.sink() + "() runs '" + cmd.tool() + "' at install time, a"
                        + " program this file builds from source with a package tool", cmd.evidence(),
                        Severity.LOW, Confidence.MEDIUM);
            } else {
                sink.report(Location.of(file, c), cmd.sink() + "() runs '" + cmd.tool() + "' at install time",
                        cmd.evidence());
            }
        });
    }
}
