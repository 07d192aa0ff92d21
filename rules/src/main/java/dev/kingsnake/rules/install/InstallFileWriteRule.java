package dev.kingsnake.rules.install;

import dev.kingsnake.Confidence;
import dev.kingsnake.Severity;
import dev.kingsnake.rules.exec.CodeFacts;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.Tags;
import dev.kingsnake.spi.python.Expr;

import java.util.Set;

/** Writes files outside the build tree (home, temp, absolute or environment-derived paths) while the package is being installed. */
public final class InstallFileWriteRule extends InstallTimeCallRule {
    static final RuleInfo INFO = new RuleInfo("KS-INSTALL-FILE-WRITE",
            "Writes files outside the build tree (home, temp, absolute or environment-derived paths) while the package is being installed",
            Severity.MEDIUM, Confidence.MEDIUM, Set.of(Tags.FILE_WRITE),
            "open(os.path.expanduser('~/.bashrc'), 'a').write(line)",
            "Writes to relative paths (generated version files, build outputs) are not reported.");

    public InstallFileWriteRule() {
        super(INFO);
    }

    @Override
    void checkCall(PythonFile file, CodeFacts facts, Expr.Call c, FindingSink sink) {
        Activity.writeOutside(facts, c).ifPresent(p -> sink.report(Location.of(file, c),
                "writes outside the build tree at install time: " + p, file.line(c.line()).strip()));
    }
}
