package dev.kingsnake.internal.decode;

import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Module;
import dev.kingsnake.spi.python.Node;
import dev.kingsnake.spi.python.Nodes;
import dev.kingsnake.spi.python.Stmt;

import java.text.Normalizer;
import dev.kingsnake.spi.FactKey;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every name binding in a file, regardless of scope: assignments (plain, augmented, tuple unpacking),
 * function definitions and imports. The evaluator resolves a name to the last plain assignment before
 * the use, followed by the augmented assignments between the two (how obfuscators build strings piecewise).
 * <p>
 * Not the semantic model's {@code SymbolTable}, on purpose: that one is Python's scoping, and leaves a name bound
 * by several assignments, a loop, an unpacking or a parameter without a value, because rules act on its answers.
 * A payload is spread exactly that way (a string built across functions through {@code global}, {@code self.x}
 * set in one method and read in another, {@code a, b = table}, assignments inside the decoding loop, a layer
 * reading the globals of the file that exec'd it), so the decoder follows names by line across scopes here.
 */
final class Bindings {
    /** One binding of a name: {@code value} (or the element {@code index} of a tuple value) at {@code line}. */
    record Binding(int line, Expr value, int index, Optional<String> augOp, Optional<Stmt.For> loop) {
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

    /** One name imported from a module, which may be one of the package's own. */
    record FromImport(int level, String module, String name) {
    }

    /**
     * A file's own bindings, read once per file ({@link #OF_FILE}): every peel of the file, and every other file's
     * peel that imports a name from it, used to build them again (2–3% of a torch scan's CPU).
     */
    private static final FactKey<Table> OF_FILE = FactKey.ofPython("bindings for decoding", f -> new Table(f.nodes()));

    private final Table table;
    /** The code that exec'd this file's code, whose globals this code sees; null for real files. */
    private final Bindings outer;

    Bindings(Module module) {
        this(module, null);
    }

    Bindings(Module module, Bindings outer) {
        this(new Table(preOrder(module)), outer);
    }

    /** The bindings of a file, read from its cached node list ({@link PythonFile#nodes()}). */
    Bindings(PythonFile file, Bindings outer) {
        this(file.fact(OF_FILE), outer);
    }

    private Bindings(Table table, Bindings outer) {
        this.table = table;
        this.outer = outer;
    }

    private static List<Node> preOrder(Module module) {
        List<Node> out = new ArrayList<>();
        Nodes.walk(module, out::add);
        return out;
    }

    /** Every binding of one module's code; never changed once read, so peels of several files can share it. */
    private static final class Table {
        private final Map<String, List<Binding>> assignments = new HashMap<>();
        private final Map<String, Stmt.FunctionDef> functions = new HashMap<>();
        private final Map<String, Value> imports = new HashMap<>();
        private final List<String> starImports = new ArrayList<>();
        /** {@code from <level><module> import <name> [as <local>]}: the import each local name came from. */
        private final Map<String, FromImport> fromImports = new HashMap<>();
        private final Set<String> longLiteralNames = new HashSet<>();
        /** The outermost for-loop around each assignment inside one. */
        private final Map<Node, Stmt.For> loops = new IdentityHashMap<>();

        /** @param nodes the module and every node below it, in pre-order */
        Table(List<Node> nodes) {
            Set<Node> nestedLoops = Collections.newSetFromMap(new IdentityHashMap<>());
            nodes.forEach(n -> {
                // a loop inside a loop already walked holds only assignments mapped to the outer loop
                if (n instanceof Stmt.For f && !nestedLoops.contains(f)) {
                    Nodes.walk(f, inner -> {
                        if (inner != f && inner instanceof Stmt.Assign) {
                            loops.putIfAbsent(inner, f);
                        } else if (inner != f && inner instanceof Stmt.For) {
                            nestedLoops.add(inner);
                        }
                    });
                }
            });
            nodes.forEach(n -> {
                if (n instanceof Stmt.Assign a && a.value().isPresent()) {
                    for (Expr t : a.targets()) {
                        bind(t, a.value().get(), a.augOp(), a.line(), Optional.ofNullable(loops.get(a)));
                    }
                } else if (n instanceof Expr.NamedExpr ne && ne.target() instanceof Expr.Name name) {
                    add(id(name.id()), new Binding(ne.line(), ne.value(), -1, Optional.empty(), Optional.empty()));
                } else if (n instanceof Stmt.FunctionDef f) {
                    functions.putIfAbsent(id(f.name()), f);
                } else if (n instanceof Stmt.Import imp) {
                    for (Stmt.Alias al : imp.names()) {
                        if (al.asName().isPresent()) {
                            imports.put(id(al.asName().get()), new Value.Module(al.name()));
                        } else {
                            String top = al.name().contains(".") ? al.name().substring(0, al.name().indexOf('.'))
                                    : al.name();
                            imports.put(top, new Value.Module(top));
                        }
                    }
                } else if (n instanceof Stmt.ImportFrom imp) {
                    for (Stmt.Alias al : imp.names()) {
                        if (!al.name().equals("*")) {
                            fromImports.putIfAbsent(id(al.asName().orElse(al.name())),
                                    new FromImport(imp.level(), imp.module(), al.name()));
                        }
                    }
                }
                if (n instanceof Stmt.ImportFrom imp && imp.level() == 0) {
                    for (Stmt.Alias al : imp.names()) {
                        if (al.name().equals("*")) {
                            starImports.add(imp.module());
                        } else {
                            imports.put(id(al.asName().orElse(al.name())), new Value.Builtin(imp.module() + "." + al.name()));
                        }
                    }
                }
            });
            assignments.values().forEach(l -> l.sort(java.util.Comparator.comparingInt(Binding::line)));
        }

        private void bind(Expr target, Expr value, Optional<String> augOp, int line, Optional<Stmt.For> loop) {
            if (target instanceof Expr.Name n) {
                add(id(n.id()), new Binding(line, value, -1, augOp, loop));
            } else if (target instanceof Expr.Attribute a && a.value() instanceof Expr.Name self
                    && self.id().equals("self")) {
                add("self." + id(a.attr()), new Binding(line, value, -1, augOp, loop));
            } else if (target instanceof Expr.Sequence s && augOp.isEmpty()) {
                for (int i = 0; i < s.elements().size(); i++) {
                    if (s.elements().get(i) instanceof Expr.Name n) {
                        if (value instanceof Expr.Sequence vs && vs.elements().size() == s.elements().size()) {
                            add(id(n.id()), new Binding(line, vs.elements().get(i), -1, augOp, loop));
                        } else {
                            add(id(n.id()), new Binding(line, value, i, augOp, loop));
                        }
                    }
                }
            }
        }

        private void add(String name, Binding b) {
            assignments.computeIfAbsent(name, k -> new ArrayList<>()).add(b);
            if (b.value() instanceof Expr.Literal l && l.value().isStringLike()
                    && l.value().asText().length() >= Deobfuscator.MIN_LITERAL) {
                longLiteralNames.add(name);
            }
        }
    }

    /** Python compares identifiers after NFKC normalisation (so 𝘦𝘹𝘦𝘤 is exec). */
    static String id(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) >= 0x80) {
                return Normalizer.normalize(name, Normalizer.Form.NFKC);
            }
        }
        return name;
    }

    /** True when some binding of {@code name} is a string literal long enough to hide a payload. */
    boolean boundToLongLiteral(String name) {
        return table.longLiteralNames.contains(id(name)) || outer != null && outer.boundToLongLiteral(name);
    }

    /**
     * The bindings that make up {@code name}'s value at {@code line}: the last plain binding before it
     * (or the first binding of the file when none comes before) and the augmented ones after that.
     */
    List<Binding> at(String name, int line) {
        List<Binding> all = table.assignments.get(id(name));
        if (all == null) {
            // exec'd code sees the globals of the code that ran it, as they are by then
            return outer == null ? List.of() : outer.at(name, Integer.MAX_VALUE);
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
        Stmt.FunctionDef f = table.functions.get(id(name));
        return f != null || outer == null ? Optional.ofNullable(f) : outer.function(name);
    }

    Optional<Value> imported(String name) {
        Value v = table.imports.get(id(name));
        return v != null || outer == null ? Optional.ofNullable(v) : outer.imported(name);
    }

    Optional<FromImport> fromImport(String name) {
        FromImport f = table.fromImports.get(id(name));
        return f != null || outer == null ? Optional.ofNullable(f) : outer.fromImport(name);
    }

    List<String> starImports() {
        if (outer == null) {
            return table.starImports;
        }
        List<String> all = new ArrayList<>(table.starImports);
        all.addAll(outer.starImports());
        return all;
    }
}
