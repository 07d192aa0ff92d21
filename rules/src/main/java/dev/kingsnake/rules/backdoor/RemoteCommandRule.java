package dev.kingsnake.rules.backdoor;

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
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Node;

import java.util.Set;

/** Commands or code received over a socket and run: a command-and-control loop or a bind shell. */
public final class RemoteCommandRule implements PythonFileRule {

    private static final RuleInfo INFO = new RuleInfo("KS-BACKDOOR-REMOTE-EXEC",
            "Runs commands or code received over a socket (recv then subprocess/os.system/exec), listens for "
                    + "connections and runs what arrives (bind shell), runs the command a web request sent (web"
                    + " shell: flask/bottle request.args, Django request.GET ...), or runs commands in a"
                    + " chat-bot-driven program",
            Severity.HIGH, Confidence.HIGH, Set.of(Tags.BACKDOOR, Tags.NETWORK, Tags.EXECUTE),
            "while True: cmd = s.recv(1024).decode(); out = subprocess.getoutput(cmd); s.send(out.encode())",
            "Remote-execution frameworks (RPC servers, remote debuggers, distributed workers) do this by design and "
                    + "will match; the rule needs the receive and the run in the same function. A web handler is a"
                    + " web shell only when the whole command or code is the request value (CRITICAL); a fixed"
                    + " program given a request value as an argument is not reported. Chat bots that run "
                    + "variable shell commands are reported at medium confidence (admin bots do this on purpose).");

    /** A chat bot in the file and, inside a function, a shell command built from values: remote control. */
    private static void chatBotCommands(PythonFile file, CallFacts facts, FindingSink sink) {
        for (CallFacts.CallFact c : facts.calls()) {
            if (c.scope() == 0 || !(c.is(Capability.PROCESS) || c.is(Capability.EXEC)) || c.call().args().isEmpty()) {
                continue;
            }
            Expr a = c.call().args().get(0);
            if (a instanceof Expr.Name || a instanceof Expr.FString || a instanceof Expr.BinOp
                    || a instanceof Expr.Subscript || a instanceof Expr.Attribute) {
                sink.report(file, c.call(), "runs commands in a program driven by a chat bot",
                        Severity.HIGH, Confidence.MEDIUM);
            }
        }
    }

    /**
     * The command or code run is what was received (directly, or through a few assignments in the same
     * function: {@code cmd = sock.recv(1024).decode(); subprocess.getoutput(cmd)}); a server that runs a fixed
     * program and feeds it the request (a CGI handler) does not run what it receives.
     */
    private static boolean runsReceived(CallFacts facts, CallFacts.CallFact run) {
        Set<Expr.Call> received = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (CallFacts.CallFact c : facts.calls()) {
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

    private static boolean mentions(CallFacts facts, int scope, Expr e, Set<Expr.Call> received, int depth) {
        return mentions(facts, scope, e, n -> n instanceof Expr.Call c && received.contains(c), depth);
    }

    /** {@code e} holds a node {@code source} accepts, directly or through a few assignments in the scope. */
    private static boolean mentions(CallFacts facts, int scope, Expr e, java.util.function.Predicate<Node> source,
                                    int depth) {
        boolean[] found = {false};
        dev.kingsnake.spi.python.Nodes.walk(e, n -> {
            if (found[0]) {
                return;
            }
            if (source.test(n)) {
                found[0] = true;
            } else if (n instanceof Expr.Name nm && depth < 4) {
                for (Expr v : facts.assignedIn(scope, nm.id())) {
                    if (v != e && mentions(facts, scope, v, source, depth + 1)) {
                        found[0] = true;
                        return;
                    }
                }
            }
        });
        return found[0];
    }

    /** Web frameworks' request objects: what a client sent in the query, form, body or headers. */
    private static final Set<String> WEB_REQUESTS = Set.of("flask.request", "bottle.request", "quart.request",
            "sanic.request", "werkzeug.local.request");
    private static final Set<String> REQUEST_PARTS = Set.of("args", "form", "values", "json", "data", "get_json",
            "get_data", "headers", "cookies", "query", "forms", "params", "GET", "POST", "body", "query_params");

    /**
     * A value the client of a web handler chose: {@code flask.request.args.get('cmd')}, {@code request.form['c']}
     * (bottle, quart), or {@code request.GET['c']} where {@code request} is the handler's parameter (Django).
     */
    private static boolean webRequestValue(PythonFile file, Node n) {
        if (!(n instanceof Expr.Attribute a) || !REQUEST_PARTS.contains(a.attr())) {
            return false;
        }
        String base = file.qualifiedName(a.value()).orElse("");
        if (WEB_REQUESTS.contains(base)) {
            return true;
        }
        return a.value() instanceof Expr.Name nm && nm.id().equals("request") && base.isEmpty()
                && file.enclosingFunction(a).map(f -> f.params().stream().anyMatch(p -> p.name().equals("request")))
                .orElse(false);
    }

    /**
     * The command or code a process/exec call runs (its first argument, or {@code args=}/{@code cmd=}) is what the
     * client of a web handler sent: a web shell. A fixed program given a request value as one of its arguments is
     * not (that is at most an injection bug).
     */
    private static void webShell(PythonFile file, CallFacts facts, FindingSink sink) {
        for (CallFacts.CallFact c : facts.calls()) {
            if (!(c.is(Capability.PROCESS) || c.is(Capability.EXEC))) {
                continue;
            }
            java.util.Optional<Expr> command = c.call().arg(0).or(() -> c.call().keyword("args"))
                    .or(() -> c.call().keyword("cmd"));
            if (command.isPresent() && !(command.get() instanceof Expr.Sequence)
                    && mentions(facts, c.scope(), command.get(), n -> webRequestValue(file, n), 0)) {
                sink.report(file, c.call(), "runs a command or code sent in a web request (a web shell)",
                        Severity.CRITICAL, Confidence.HIGH);
            }
        }
    }

    /**
     * An HTTP command-and-control loop: in one function, the command run is what a request to a host written into
     * the code returned ({@code cmd = requests.get(C2).text}), and the function sends data back. Job runners of
     * remote-execution frameworks poll the server they were configured with, not a constant address.
     */
    private static void polledCommands(PythonFile file, CallFacts facts, FindingSink sink) {
        for (CallFacts.CallFact c : facts.calls()) {
            if (!(c.is(Capability.PROCESS) || c.is(Capability.EXEC)) || !facts.scopeHas(c.scope(), Capability.SEND)) {
                continue;
            }
            Set<Expr.Call> polled = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            for (CallFacts.CallFact f : facts.calls()) {
                if (f.scope() == c.scope() && f.is(Capability.FETCH) && !f.is(Capability.SEND)
                        && f.call().keyword("url").or(() -> f.call().arg(0)).flatMap(file::constant).isPresent()) {
                    polled.add(f.call());
                }
            }
            java.util.Optional<Expr> command = c.call().arg(0).or(() -> c.call().keyword("args"));
            if (!polled.isEmpty() && command.isPresent() && !(command.get() instanceof Expr.Sequence)
                    && mentions(facts, c.scope(), command.get(), polled, 0)) {
                sink.report(file, c.call(), "runs the command a fixed web address returns and sends data "
                        + "back (an HTTP command-and-control loop)", Severity.CRITICAL,
                        Confidence.HIGH);
            }
        }
    }

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
        CallFacts facts = CallFacts.of(file);
        Set<Capability> fc = facts.fileCaps();
        if (fc.contains(Capability.CHAT_BOT)) {
            chatBotCommands(file, facts, sink);
        }
        if (fc.contains(Capability.PROCESS) || fc.contains(Capability.EXEC)) {
            webShell(file, facts, sink);
            polledCommands(file, facts, sink);
        }
        if (!(fc.contains(Capability.RECV) || fc.contains(Capability.LISTEN))
                || !(fc.contains(Capability.PROCESS) || fc.contains(Capability.EXEC))) {
            return;
        }
        for (CallFacts.CallFact c : facts.calls()) {
            if (!(c.is(Capability.PROCESS) || c.is(Capability.EXEC))) {
                continue;
            }
            Set<Capability> scope = facts.scope(c.scope());
            if (scope.contains(Capability.RECV) && runsReceived(facts, c)) {
                sink.report(file, c.call(), "runs what it receives from a socket");
            } else if (scope.contains(Capability.LISTEN) && scope.contains(Capability.SOCKET)) {
                sink.report(file, c.call(), "listens on a socket and runs commands (bind shell)",
                        Severity.HIGH, Confidence.MEDIUM);
            }
        }
    }
}
