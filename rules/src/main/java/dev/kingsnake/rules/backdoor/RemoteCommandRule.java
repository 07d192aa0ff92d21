package dev.kingsnake.rules.backdoor;

import dev.kingsnake.Confidence;
import dev.kingsnake.Severity;
import dev.kingsnake.rules.network.Capability;
import dev.kingsnake.rules.network.CodeFacts;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.PythonFileRule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.Tags;

import java.util.HashSet;
import java.util.Set;

/** Commands or code received over a socket and run: a command-and-control loop or a bind shell. */
public final class RemoteCommandRule implements PythonFileRule {

    private static final RuleInfo INFO = new RuleInfo("KS-BACKDOOR-REMOTE-EXEC",
            "Runs commands or code received over a socket (recv then subprocess/os.system/exec), or listens for "
                    + "connections and runs what arrives (bind shell)",
            Severity.HIGH, Confidence.HIGH, Set.of(Tags.BACKDOOR, Tags.NETWORK, Tags.EXECUTE),
            "while True: cmd = s.recv(1024).decode(); out = subprocess.getoutput(cmd); s.send(out.encode())",
            "Remote-execution frameworks (RPC servers, remote debuggers, distributed workers) do this by design and "
                    + "will match; the rule needs the receive and the run in the same function.");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
        CodeFacts facts = CodeFacts.of(file);
        Set<Capability> fc = facts.fileCaps();
        if (!(fc.contains(Capability.RECV) || fc.contains(Capability.LISTEN))
                || !(fc.contains(Capability.PROCESS) || fc.contains(Capability.EXEC))) {
            return;
        }
        Set<Integer> lines = new HashSet<>();
        for (CodeFacts.CallFact c : facts.calls()) {
            if (!(c.is(Capability.PROCESS) || c.is(Capability.EXEC))) {
                continue;
            }
            Set<Capability> scope = facts.scope(c.scope());
            if (scope.contains(Capability.RECV) && lines.add(c.call().line())) {
                sink.report(Location.of(file, c.call()), "runs what it receives from a socket",
                        file.line(c.call().line()));
            } else if (scope.contains(Capability.LISTEN) && scope.contains(Capability.SOCKET)
                    && lines.add(c.call().line())) {
                sink.report(Location.of(file, c.call()), "listens on a socket and runs commands (bind shell)",
                        file.line(c.call().line()), Severity.HIGH, Confidence.MEDIUM);
            }
        }
    }
}
