package dev.kingsnake.spi.facts;

import dev.kingsnake.spi.FactKey;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Nodes;
import dev.kingsnake.spi.python.Stmt;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The functions a file defines, by name, so that rules can look through a call of a local helper
 * ({@code run(cmd)}, {@code b64d(s)}, {@code download(url, path)}) into its body. Only names defined
 * exactly once count: a name with two definitions is ambiguous and is not followed. Calls are matched
 * by plain name ({@code run(...)}) or as a method of {@code self}/{@code cls} ({@code self.run(...)});
 * a name that resolves to an import or another binding is never taken for a local function.
 */
public final class LocalFunctions {

    private static final FactKey<LocalFunctions> KEY = FactKey.ofPython("local functions", LocalFunctions::new);

    private final PythonFile file;
    private final Map<String, Stmt.FunctionDef> byName = new HashMap<>();

    private LocalFunctions(PythonFile file) {
        this.file = file;
        Set<String> ambiguous = new HashSet<>();
        file.nodes().forEach(n -> {
            if (n instanceof Stmt.FunctionDef f) {
                if (byName.put(f.name(), f) != null) {
                    ambiguous.add(f.name());
                }
            }
        });
        ambiguous.forEach(byName::remove);
    }

    /** The local functions of a file, computed once per scan of the file. */
    public static LocalFunctions of(PythonFile file) {
        return file.fact(KEY);
    }

    /** The function defined once in this file under {@code name}. */
    public Optional<Stmt.FunctionDef> named(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The local function that {@code e} (a callee or a function passed as a value) refers to. */
    public Optional<Stmt.FunctionDef> referredBy(Expr e) {
        if (e instanceof Expr.Name n) {
            if (file.qualifiedName(e).isPresent()) {
                return Optional.empty();
            }
            return named(n.id());
        }
        if (e instanceof Expr.Attribute a && a.value() instanceof Expr.Name self
                && ("self".equals(self.id()) || "cls".equals(self.id()))) {
            return named(a.attr());
        }
        return Optional.empty();
    }

    /** The local function a call calls. */
    public Optional<Stmt.FunctionDef> target(Expr.Call c) {
        return referredBy(c.callee());
    }

    /**
     * The position of the positional parameter {@code name} as the caller counts arguments ({@code self}
     * or {@code cls} skipped when the call is a method call), or -1.
     */
    public static int paramIndex(Stmt.FunctionDef f, String name, boolean methodCall) {
        int i = 0;
        boolean first = true;
        for (Stmt.Param p : f.params()) {
            if (p.kind() != Stmt.ParamKind.POSITIONAL) {
                return -1;
            }
            boolean bound = methodCall && first && ("self".equals(p.name()) || "cls".equals(p.name()));
            first = false;
            if (bound) {
                continue;
            }
            if (p.name().equals(name)) {
                return i;
            }
            i++;
        }
        return -1;
    }
}
