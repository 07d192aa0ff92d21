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
import dev.kingsnake.spi.python.Expr;

import java.util.HashSet;
import java.util.Set;

/** Commands or code received over a socket and run: a command-and-control loop or a bind shell. */
public final class RemoteCommandRule implements PythonFileRule {

    private static final RuleInfo INFO = new RuleInfo("KS-BACKDOOR-REMOTE-EXEC",
            "Runs commands or code received over a socket (recv then subprocess/os.system/exec), listens for "
                    + "connections and runs what arrives (bind shell), or runs commands in a chat-bot-driven program",
            Severity.HIGH, Confidence.HIGH, Set.of(Tags.BACKDOOR, Tags.NETWORK, Tags.EXECUTE),
            "while True: cmd = s.recv(1024).decode(); out = subprocess.getoutput(cmd); s.send(out.encode())",
            "Remote-execution frameworks (RPC servers, remote debuggers, distributed workers) do this by design and "
                    + "will match; the rule needs the receive and the run in the same function. Chat bots that run "
                    + "variable shell commands are reported at medium confidence (admin bots do this on purpose).");

    /** A chat bot in the file and, inside a function, a shell command built from values: remote control. */
    private static void chatBotCommands(PythonFile file, CodeFacts facts, FindingSink sink) {
        for (CodeFacts.CallFact c : facts.calls()) {
            if (c.scope() == 0 || !(c.is(Capability.PROCESS) || c.is(Capability.EXEC)) || c.call().args().isEmpty()) {
                continue;
            }
            Expr a = c.call().args().get(0);
            if (a instanceof Expr.Name || a instanceof Expr.FString || a instanceof Expr.BinOp
                    || a instanceof Expr.Subscript || a instanceof Expr.Attribute) {
                sink.report(Location.of(file, c.call()), "runs commands in a program driven by a chat bot",
                        file.line(c.call().line()), Severity.HIGH, Confidence.MEDIUM);
            }
        }
    }

    /**
     * The command or code run is what was received (directly, or through a few assignments in the same
     * function: {@code cmd = sock.recv(1024).decode(); subprocess.getoutput(cmd)}); a server that runs a fixed
     * program and feeds it the request (a CGI handler) does not run what it receives.
     */
    private static boolean runsReceived(CodeFacts facts, CodeFacts.CallFact run) {
        Set<Expr.Call> received = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (CodeFacts.CallFact c : facts.calls()) {
            if (c.scope() == run.scope() && c.is(Capability.RECV)) {
                received.add(c.call());
            }
        }
        for (Expr a : run.call().args()) {
            if (mentions(facts, run.scope(), a, received, 0)) {
                return true;
            }
        }
        return false;
    }

    private static boolean mentions(CodeFacts facts, int scope, Expr e, Set<Expr.Call> received, int depth) {
        boolean[] found = {false};
        dev.kingsnake.spi.python.Nodes.walk(e, n -> {
            if (found[0]) {
                return;
            }
            if (n instanceof Expr.Call c && received.contains(c)) {
                found[0] = true;
            } else if (n instanceof Expr.Name nm && depth < 4) {
                for (Expr v : facts.assignedIn(scope, nm.id())) {
                    if (v != e && mentions(facts, scope, v, received, depth + 1)) {
                        found[0] = true;
                        return;
                    }
                }
            }
        });
        return found[0];
    }

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
        CodeFacts facts = CodeFacts.of(file);
        Set<Capability> fc = facts.fileCaps();
        if (fc.contains(Capability.CHAT_BOT)) {
            chatBotCommands(file, facts, sink);
        }
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
            if (scope.contains(Capability.RECV) && runsReceived(facts, c) && lines.add(c.call().line())) {
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
