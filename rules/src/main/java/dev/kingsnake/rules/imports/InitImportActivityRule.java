package dev.kingsnake.rules.imports;

import dev.kingsnake.Confidence;
import dev.kingsnake.Reach;
import dev.kingsnake.Severity;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.PythonFileRule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.Tags;
import dev.kingsnake.spi.facts.Activity;
import dev.kingsnake.spi.facts.DataFlow;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Node;
import dev.kingsnake.spi.python.Stmt;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/** Network access or process start at module level of a package's {@code __init__.py} (runs on import). */
public final class InitImportActivityRule implements PythonFileRule {
    static final RuleInfo INFO = new RuleInfo("KS-IMPORT-INIT-ACTIVITY",
            "Talks to the network or starts a process as soon as the package is imported (module level of "
                    + "__init__.py)",
            Severity.MEDIUM, Confidence.HIGH, Set.of(Tags.NETWORK, Tags.PROCESS),
            "# pkg/__init__.py\nrequests.get('https://example.invalid/ping')",
            "Libraries very rarely do I/O on import; version lookups with git and build-tool probes are "
                    + "not counted as processes.");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    /** Names of functions called by bare name from module-level code (outside def/class bodies). */
    static Set<String> calledAtModuleLevel(PythonFile file) {
        Set<String> out = new HashSet<>();
        Deque<Node> stack = new ArrayDeque<>(file.module().body());
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            if (n instanceof Stmt.FunctionDef || n instanceof Stmt.ClassDef || n instanceof Expr.Lambda) {
                continue;
            }
            if (n instanceof Expr.Call c && c.callee() instanceof Expr.Name nm) {
                out.add(nm.id());
            }
            stack.addAll(n.children());
        }
        return out;
    }

    static boolean isInit(PythonFile f) {
        String p = f.entryPath();
        return p.equals("__init__.py") || p.endsWith("/__init__.py");
    }

    @Override
    public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
        if (!isInit(file)) {
            return;
        }
        DataFlow facts = null;
        Set<String> calledAtTop = null;
        for (Expr.Call c : file.calls()) {
            if (Activity.reach(file, c) != Reach.IMPORT_TIME) {
                continue;
            }
            Optional<Stmt.FunctionDef> fn = file.enclosingFunction(c);
            if (fn.isPresent()) {
                if (calledAtTop == null) {
                    calledAtTop = calledAtModuleLevel(file);
                }
                if (!calledAtTop.contains(fn.get().name())) {
                    continue; // only functions this module itself calls while it is imported
                }
            }
            if (facts == null) {
                facts = DataFlow.of(file);
            }
            if (Activity.network(facts, c)) {
                sink.report(file, c, facts.name(c) + "() when the package is imported");
            } else {
                var cmd = Activity.process(facts, c);
                if (cmd.isPresent()) {
                    boolean computed = cmd.get().computed();
                    sink.report(Location.of(file, c), cmd.get().sink() + "() runs '" + cmd.get().tool()
                            + "' when the package is imported", cmd.get().evidence(),
                            computed ? Severity.LOW : Severity.MEDIUM, Confidence.MEDIUM);
                }
            }
        }
    }
}
