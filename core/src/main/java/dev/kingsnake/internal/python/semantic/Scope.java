package dev.kingsnake.internal.python.semantic;

import dev.kingsnake.spi.python.Node;
import dev.kingsnake.spi.python.Stmt;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A Python scope: the module, a class body, a function, a lambda or a comprehension. */
final class Scope {
    enum Kind { MODULE, CLASS, FUNCTION, LAMBDA, COMPREHENSION }

    final Kind kind;
    /** The Module, ClassDef, FunctionDef, Lambda or Comprehension that opens the scope. */
    final Node node;
    final Scope parent;
    /** Where the opening node stands (null for the module). */
    final Ctx definedIn;
    /** Creation order; parents always come before their children. */
    final int index;
    final Map<String, List<Binding>> bindings = new HashMap<>();
    final Set<String> globals = new HashSet<>();
    final Set<String> nonlocals = new HashSet<>();
    final List<String> starImports = new ArrayList<>();
    /** Context for code directly in this scope, and for module code under {@code if __name__ == '__main__'}. */
    final Ctx ctx;
    final Ctx mainGuardCtx;
    /** {@link #enclosingFunction()}, found once when the scope is made (asked of every name data flow reads). */
    private final Optional<Stmt.FunctionDef> enclosingFunction;

    Scope(Kind kind, Node node, Ctx definedIn, int index) {
        this.kind = kind;
        this.node = node;
        this.definedIn = definedIn;
        this.parent = definedIn == null ? null : definedIn.scope();
        this.index = index;
        this.ctx = new Ctx(this, false);
        this.mainGuardCtx = new Ctx(this, true);
        this.enclosingFunction = node instanceof Stmt.FunctionDef f ? Optional.of(f)
                : parent == null ? Optional.empty() : parent.enclosingFunction;
    }

    void bind(String name, Binding b) {
        bindings.computeIfAbsent(name, k -> new ArrayList<>(1)).add(b);
    }

    /** The nearest function scope at or above this one (lambdas and comprehensions are skipped). */
    Optional<Stmt.FunctionDef> enclosingFunction() {
        return enclosingFunction;
    }

    /** {@link #enclosingFunction()} found by climbing the parents (what the field holds; for tests). */
    Optional<Stmt.FunctionDef> enclosingFunctionByClimbing() {
        for (Scope s = this; s != null; s = s.parent) {
            if (s.node instanceof Stmt.FunctionDef f) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** Where a node sits: its scope, and whether it is under a module-level main guard. */
    record Ctx(Scope scope, boolean mainGuard) {
        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }
}
