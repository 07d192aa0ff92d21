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
import dev.kingsnake.rules.shared.FileNodes;
import dev.kingsnake.rules.shared.FixedEndpoints;
import dev.kingsnake.spi.facts.CallFacts;
import dev.kingsnake.spi.facts.Capability;
import dev.kingsnake.spi.facts.DataFlow;
import dev.kingsnake.spi.facts.ExecSinks;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Nodes;

import java.util.Set;
import java.util.regex.Pattern;

/** exec/eval/compile/marshal/pickle of data that came from the network. */
public final class DownloadedCodeExecutionRule implements PythonFileRule {
    static final RuleInfo INFO = new RuleInfo("KS-EXEC-DOWNLOADED-CODE",
            "Runs code downloaded from the network (exec/eval/compile/marshal/pickle of a response, or a "
                    + "string of Python code that does so, written out as a stager)",
            Severity.CRITICAL, Confidence.HIGH,
            Set.of(Tags.EXECUTE, Tags.DOWNLOAD, Tags.NETWORK, Tags.STRONG),
            "exec(requests.get('https://example.invalid/p.txt').text)",
            "Benign code almost never executes what it downloads; plugin systems that do so are rare and "
                    + "should be reviewed. pickle.loads of socket data (IPC in network tools) is LOW/MEDIUM; code received on a socket (remote-execution and IPC frameworks) is HIGH/MEDIUM, fetched from a URL CRITICAL, "
                    + "HIGH/MEDIUM when the function names no destination (a preload or plugin URL its caller or "
                    + "configuration gives). Data is followed through simple assignments and with-blocks only.");

    /** A call of exec/eval with an argument, and a network fetch, inside a string literal. */
    static final Pattern STAGER_EXEC = Pattern.compile("\\b(exec|eval)\\s*\\(\\s*[^)\\s]");
    static final Pattern STAGER_NET = Pattern.compile("\\b(urlopen|urlretrieve|requests\\.(get|post)|httpx\\.get)\\b");

    /** A fetch in the same function takes its URL from the function's caller ({@code urlopen(url)}). */
    private static boolean configuredSource(PythonFile file, Expr.Call c) {
        CallFacts calls = CallFacts.of(file);
        int scope = calls.calls().stream().filter(f -> f.call() == c).mapToInt(CallFacts.CallFact::scope).findFirst()
                .orElse(0);
        return scope != 0 && calls.calls().stream().anyMatch(f -> f.scope() == scope && f.is(Capability.FETCH)
                && FixedEndpoints.givenByCaller(calls, f));
    }

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
        for (Expr.Literal l : FileNodes.of(file).strings()) {
            String t = l.value().asText();
            if (t.length() >= 30 && t.length() < 1_000_000 && (t.contains("exec") || t.contains("eval"))
                    && STAGER_EXEC.matcher(t).find() && STAGER_NET.matcher(t).find()) {
                sink.report(Location.of(file, l), "string holds Python code that runs a download (a stager "
                        + "written to a file or passed to another interpreter)", ExecSinks.snippet(t));
            }
        }
        CallUses.codeSinks(file).forEach(use -> {
            Expr.Call c = use.call();
            ExecSinks.Use u = use.value();
            if (!u.taint().contains(DataFlow.Taint.NETWORK)) {
                return;
            }
            if (u.pickle()) {
                // pickle over sockets is (unsafe) IPC far more often than a loader
                sink.report(Location.of(file, c), u.sink() + "() unpickles data received from the network",
                        ExecSinks.snippet(file.line(c.line())), Severity.LOW, Confidence.MEDIUM);
            } else if (u.taint().contains(DataFlow.Taint.FETCHED) && configuredSource(file, c)) {
                // preload scripts and plugins fetched from a URL the user configures: a remote-execution
                // feature by design; a stager names its server
                sink.report(Location.of(file, c), u.sink() + "() runs code fetched from a URL its caller or "
                        + "configuration gives", ExecSinks.snippet(file.line(c.line())), Severity.HIGH,
                        Confidence.MEDIUM);
            } else if (u.taint().contains(DataFlow.Taint.FETCHED)) {
                sink.report(Location.of(file, c), u.sink() + "() runs data fetched from the network",
                        ExecSinks.snippet(file.line(c.line())));
            } else {
                // received on a connection the program holds: remote-execution and IPC frameworks do this by
                // design; a backdoor's receive-and-run loop is KS-BACKDOOR-REMOTE-EXEC's
                sink.report(Location.of(file, c), u.sink() + "() runs data received over a network connection",
                        ExecSinks.snippet(file.line(c.line())), Severity.HIGH, Confidence.MEDIUM);
            }
        });
    }
}
