package dev.kingsnake.rules.exec;

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
import dev.kingsnake.spi.facts.DataFlow;
import dev.kingsnake.spi.facts.ExecSinks;
import dev.kingsnake.spi.python.Expr;

import java.util.Set;

/** exec/eval/compile/marshal.loads of a non-literal whose origin is unknown: a weak signal. */
public final class DynamicCodeExecutionRule implements PythonFileRule {
    static final RuleInfo INFO = new RuleInfo("KS-EXEC-DYNAMIC-CODE",
            "Runs code built at run time (exec/eval/compile/marshal.loads of a non-literal value)",
            Severity.LOW, Confidence.LOW, Set.of(Tags.EXECUTE),
            "exec(payload)",
            "Common in benign code (setup.py reading its version file, templating, typing helpers, six); "
                    + "it is therefore LOW/LOW and only matters combined with other findings. Literal "
                    + "arguments and pickle.loads of variables are not reported.");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
        CallUses.codeSinks(file).forEach(use -> {
            Expr.Call c = use.call();
            ExecSinks.Use u = use.value();
            if (u.pickle() || DataFlow.isLiteral(u.input()) || u.taint().contains(DataFlow.Taint.DECODE)
                    || u.taint().contains(DataFlow.Taint.NETWORK)) {
                return;
            }
            if (file.constant(u.input()).isPresent() && !"marshal.loads".equals(u.sink())) {
                return; // folded template code, e.g. exec("def f(): ..." % 'name')
            }
            sink.report(Location.of(file, c), u.sink() + "() runs a value computed at run time",
                    ExecSinks.snippet(file.line(c.line())));
        });
    }
}
