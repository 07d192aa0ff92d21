package dev.kingsnake.rules.process;

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
import dev.kingsnake.spi.facts.Commands;
import dev.kingsnake.spi.facts.DataFlow;
import dev.kingsnake.spi.python.Const;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Node;
import dev.kingsnake.spi.python.Nodes;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/** A process started so that the user does not see it: no window, detached, in the background. */
public final class HiddenProcessRule implements PythonFileRule {
    static final RuleInfo INFO = new RuleInfo("KS-PROCESS-HIDDEN",
            "Starts a process hidden or detached from the user (CREATE_NO_WINDOW/DETACHED_PROCESS, "
                    + "STARTUPINFO with SW_HIDE, powershell -w hidden / -ep bypass, start /b, nohup, "
                    + "trailing &, pythonw, start_new_session=True)",
            Severity.MEDIUM, Confidence.MEDIUM, Set.of(Tags.PROCESS, Tags.OBFUSCATION),
            "subprocess.Popen(['pythonw', path], creationflags=0x08000000)",
            "GUI tools hide console windows of helper processes and servers detach daemons; hence "
                    + "MEDIUM/MEDIUM: it matters with what is run and where (install time).");

    static final long NO_WINDOW = 0x08000000L;
    static final long DETACHED = 0x00000008L;
    static final Set<String> HIDE_NAMES = Set.of("CREATE_NO_WINDOW", "DETACHED_PROCESS", "SW_HIDE");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
        DataFlow facts = DataFlow.of(file);
        Set<Integer> reported = new HashSet<>();
        CallUses.commands(file).forEach(use -> {
            Expr.Call c = use.call();
            Commands.Command cmd = use.value();
            String why = cmd.find(Commands.HIDDEN);
            if (why == null) {
                why = hiddenFlags(file, c);
            }
            if (why != null && reported.add(c.line())) {
                sink.report(Location.of(file, c), cmd.sink() + "() starts a hidden/detached process: " + why,
                        cmd.evidence());
            }
        });
        // STARTUPINFO configured to hide the window
        for (var a : facts.assigns()) {
            for (Expr t : a.targets()) {
                if (t instanceof Expr.Attribute at && "wShowWindow".equals(at.attr()) && a.value().isPresent()) {
                    Optional<Const> k = file.constant(a.value().get());
                    boolean hide = k.isPresent() && k.get() instanceof Const.Int i && i.value().intValue() == 0
                            || Nodes.dottedName(a.value().get()).endsWith("SW_HIDE");
                    if (hide) {
                        sink.report(file, a, "STARTUPINFO set to hide the window");
                    }
                }
            }
        }
    }

    private static String hiddenFlags(PythonFile file, Expr.Call c) {
        Optional<Expr> flags = c.keyword("creationflags");
        if (flags.isEmpty()) {
            // the POSIX way to detach: a new session outlives the terminal and the parent
            return c.keyword("start_new_session").flatMap(file::constant)
                    .filter(k -> k instanceof Const.Bool b && b.value()).isPresent()
                    ? "start_new_session=True (detached from the parent and its terminal)" : null;
        }
        Optional<Const> k = file.constant(flags.get());
        if (k.isPresent() && k.get() instanceof Const.Int i) {
            long v = i.value().longValue();
            if ((v & NO_WINDOW) != 0) {
                return "creationflags CREATE_NO_WINDOW";
            }
            if ((v & DETACHED) != 0) {
                return "creationflags DETACHED_PROCESS";
            }
            return null;
        }
        String[] found = {null};
        Nodes.walk(flags.get(), (Node n) -> {
            String name = n instanceof Expr.Attribute a ? a.attr() : n instanceof Expr.Name nm ? nm.id() : null;
            if (name != null && HIDE_NAMES.contains(name) && found[0] == null) {
                found[0] = "creationflags " + name;
            }
        });
        return found[0];
    }
}
