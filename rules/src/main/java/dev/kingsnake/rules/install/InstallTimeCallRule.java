package dev.kingsnake.rules.install;

import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.PythonFileRule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.facts.Activity;
import dev.kingsnake.spi.facts.DataFlow;
import dev.kingsnake.spi.python.Expr;

import java.util.List;

/**
 * A rule that judges each call made while the package is installed ({@link Activity#installTimeCalls}); files
 * without such calls cost nothing more.
 */
abstract class InstallTimeCallRule implements PythonFileRule {
    private final RuleInfo info;

    InstallTimeCallRule(RuleInfo info) {
        this.info = info;
    }

    @Override
    public final RuleInfo info() {
        return info;
    }

    @Override
    public final void check(PythonFile file, RuleContext ctx, FindingSink sink) {
        List<Expr.Call> installTime = Activity.installTimeCalls(file);
        if (installTime.isEmpty()) {
            return;
        }
        DataFlow facts = DataFlow.of(file);
        for (Expr.Call c : installTime) {
            checkCall(file, facts, c, sink);
        }
    }

    /** Reports what the install-time call {@code c} does, if it is this rule's behaviour. */
    abstract void checkCall(PythonFile file, DataFlow facts, Expr.Call c, FindingSink sink);
}
