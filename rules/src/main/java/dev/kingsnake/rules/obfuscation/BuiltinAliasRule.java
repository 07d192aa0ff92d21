package dev.kingsnake.rules.obfuscation;

import dev.kingsnake.Confidence;
import dev.kingsnake.Severity;
import dev.kingsnake.rules.shared.FileNodes;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.PythonFileRule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.Tags;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Stmt;

import java.util.Set;

/**
 * Code-running builtins rebound to innocent-looking names, typically several at once
 * ({@code Math, Add, Run = exec, str, globals}), so that a later {@code Math(payload)} hides the exec.
 */
public final class BuiltinAliasRule implements PythonFileRule {
    static final RuleInfo INFO = new RuleInfo("KS-OBF-BUILTIN-ALIAS",
            "exec/eval/compile/__import__ rebound to other names, usually several builtins in one tuple "
                    + "assignment, to hide later calls",
            Severity.MEDIUM, Confidence.HIGH, Set.of(Tags.OBFUSCATION, Tags.EXECUTE),
            "Theory, Add, Run = exec, str, globals",
            "Compatibility shims bind one builtin under a similar name (exec_ = getattr(builtins, 'exec')); "
                    + "single aliases are LOW/LOW, only tuple assignments that rebind a code-running builtin "
                    + "with two or more other builtins are MEDIUM/HIGH.");

    static final Set<String> RUNNERS = Set.of("exec", "eval", "compile", "__import__", "execfile");
    static final Set<String> BUILTINS = Set.of("exec", "eval", "compile", "__import__", "execfile", "str", "bytes",
            "tuple", "list", "dict", "map", "ord", "chr", "globals", "locals", "type", "getattr", "setattr", "vars",
            "bool", "int", "float", "len", "print", "open", "range", "zip", "filter", "bytearray", "hasattr",
            "isinstance", "object", "sorted", "reversed", "sum", "min", "max", "abs", "iter", "next", "input",
            "repr", "hash", "id", "dir", "super", "callable", "enumerate", "memoryview", "format", "set", "all",
            "any", "round", "pow", "divmod", "hex", "oct", "bin", "frozenset", "slice", "staticmethod");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
        for (Stmt.Assign a : FileNodes.of(file).assigns()) {
            if (a.value().isEmpty() || a.augOp().isPresent()) {
                continue;
            }
            Expr v = a.value().get();
            if (v instanceof Expr.Sequence s && a.targets().stream().anyMatch(t -> t instanceof Expr.Sequence)) {
                // Math, Add, Run = exec, str, globals: unpacked into new names (a set of builtins is data)
                int builtins = 0;
                String runner = null;
                for (Expr e : s.elements()) {
                    if (e instanceof Expr.Name nm && BUILTINS.contains(nm.id())) {
                        builtins++;
                        if (RUNNERS.contains(nm.id())) {
                            runner = nm.id();
                        }
                    }
                }
                if (runner != null && builtins >= 3) {
                    sink.reportLine(file, Location.of(file, a), "'" + runner + "' rebound together with "
                            + (builtins - 1) + " other builtins", 160);
                }
            } else if (v instanceof Expr.Name nm && RUNNERS.contains(nm.id()) && a.targets().size() == 1
                    && a.targets().get(0) instanceof Expr.Name t && !t.id().startsWith(nm.id())) {
                sink.reportLine(file, Location.of(file, a), "'" + nm.id() + "' rebound to '" + t.id() + "'", 160,
                        Severity.LOW, Confidence.LOW);
            }
        }
    }
}
