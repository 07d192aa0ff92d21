package dev.kingsnake.internal.decode;

import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Module;
import dev.kingsnake.spi.python.Nodes;
import dev.kingsnake.spi.python.Stmt;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every name binding in a file, regardless of scope: assignments (plain, augmented, tuple unpacking),
 * function definitions and imports. The evaluator resolves a name to the last plain assignment before
 * the use, followed by the augmented assignments between the two (how obfuscators build strings piecewise).
 */
final class Bindings {
    /** One binding of a name: {@code value} (or the element {@code index} of a tuple value) at {@code line}. */
    record Binding(int line, Expr value, int index, Optional<String> augOp) {
        /** Identity: two bindings are the same statement, never two equal-looking ones (and no deep hashing). */
        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    private final Map<String, List<Binding>> assignments = new HashMap<>();
    private final Map<String, Stmt.FunctionDef> functions = new HashMap<>();
    private final Map<String, Value> imports = new HashMap<>();
    private final List<String> starImports = new ArrayList<>();

    Bindings(Module module) {
        Nodes.walk(module, n -> {
            if (n instanceof Stmt.Assign a && a.value().isPresent()) {
                for (Expr t : a.targets()) {
                    bind(t, a.value().get(), a.augOp(), a.line());
                }
            } else if (n instanceof Expr.NamedExpr ne && ne.target() instanceof Expr.Name name) {
                add(name.id(), new Binding(ne.line(), ne.value(), -1, Optional.empty()));
            } else if (n instanceof Stmt.FunctionDef f) {
                functions.putIfAbsent(f.name(), f);
            } else if (n instanceof Stmt.Import imp) {
                for (Stmt.Alias al : imp.names()) {
                    if (al.asName().isPresent()) {
                        imports.put(al.asName().get(), new Value.Module(al.name()));
                    } else {
                        String top = al.name().contains(".") ? al.name().substring(0, al.name().indexOf('.'))
                                : al.name();
                        imports.put(top, new Value.Module(top));
                    }
                }
            } else if (n instanceof Stmt.ImportFrom imp && imp.level() == 0) {
                for (Stmt.Alias al : imp.names()) {
                    if (al.name().equals("*")) {
                        starImports.add(imp.module());
                    } else {
                        imports.put(al.asName().orElse(al.name()), new Value.Builtin(imp.module() + "." + al.name()));
                    }
                }
            }
        });
        assignments.values().forEach(l -> l.sort(java.util.Comparator.comparingInt(Binding::line)));
    }

    private void bind(Expr target, Expr value, Optional<String> augOp, int line) {
        if (target instanceof Expr.Name n) {
            add(n.id(), new Binding(line, value, -1, augOp));
        } else if (target instanceof Expr.Sequence s && augOp.isEmpty()) {
            for (int i = 0; i < s.elements().size(); i++) {
                if (s.elements().get(i) instanceof Expr.Name n) {
                    if (value instanceof Expr.Sequence vs && vs.elements().size() == s.elements().size()) {
                        add(n.id(), new Binding(line, vs.elements().get(i), -1, augOp));
                    } else {
                        add(n.id(), new Binding(line, value, i, augOp));
                    }
                }
            }
        }
    }

    private void add(String name, Binding b) {
        assignments.computeIfAbsent(name, k -> new ArrayList<>()).add(b);
    }

    /**
     * The bindings that make up {@code name}'s value at {@code line}: the last plain binding before it
     * (or the first binding of the file when none comes before) and the augmented ones after that.
     */
    List<Binding> at(String name, int line) {
        List<Binding> all = assignments.get(name);
        if (all == null) {
            return List.of();
        }
        int base = -1;
        for (int i = 0; i < all.size(); i++) {
            Binding b = all.get(i);
            if (b.line() > line && base >= 0) {
                break;
            }
            if (b.augOp().isEmpty()) {
                if (b.line() <= line || base < 0) {
                    base = i;
                }
            }
        }
        if (base < 0) {
            return List.of();
        }
        List<Binding> out = new ArrayList<>();
        out.add(all.get(base));
        for (int i = base + 1; i < all.size() && all.get(i).augOp().isPresent()
                && (all.get(i).line() <= line || all.get(base).line() > line); i++) {
            out.add(all.get(i));
        }
        return out;
    }

    Optional<Stmt.FunctionDef> function(String name) {
        return Optional.ofNullable(functions.get(name));
    }

    Optional<Value> imported(String name) {
        return Optional.ofNullable(imports.get(name));
    }

    List<String> starImports() {
        return starImports;
    }
}
