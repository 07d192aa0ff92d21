package dev.kingsnake.internal.python.semantic;

import dev.kingsnake.spi.python.Const;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Module;
import dev.kingsnake.spi.python.Node;
import dev.kingsnake.spi.python.Stmt;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scopes, bindings and the context of every node, built in one iterative pre-order pass over the
 * module (source order, so each name's bindings are in source order too).
 */
final class SymbolTable {
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![.\\w])([A-Za-z_]\\w*)(?![\\w.(=])");

    final Scope module;
    final List<Scope> scopes = new ArrayList<>();
    final List<Expr.Call> calls = new ArrayList<>();
    final List<Stmt> imports = new ArrayList<>();
    final List<Scope> classes = new ArrayList<>();
    private final Map<Node, Scope.Ctx> ctxOf;

    /**
     * A node still to visit with its context and statement list: the walk keeps them in parallel arrays (a
     * frame object, an iterator and a deque node for each of a file's nodes were most of this pass's garbage).
     */
    private static final class Frames {
        Node[] nodes = new Node[64];
        Scope.Ctx[] ctxs = new Scope.Ctx[64];
        @SuppressWarnings("unchecked")
        List<Stmt>[] blocks = new List[64];
        int size;

        void add(Node node, Scope.Ctx ctx, List<Stmt> block) {
            if (size == nodes.length) {
                int n = size * 2;
                nodes = java.util.Arrays.copyOf(nodes, n);
                ctxs = java.util.Arrays.copyOf(ctxs, n);
                blocks = java.util.Arrays.copyOf(blocks, n);
            }
            nodes[size] = node;
            ctxs[size] = ctx;
            blocks[size++] = block;
        }
    }

    /**
     * The node being visited, its context and its statement list: one instance serves the whole walk (the
     * visit is not re-entered; the lambdas that read it run before it returns).
     */
    private static final class Frame {
        Node node;
        Scope.Ctx ctx;
        List<Stmt> block;
    }

    private final Frame current = new Frame();

    private SymbolTable(Module m, int expectedNodes) {
        this.ctxOf = new IdentityHashMap<>(Math.max(32, expectedNodes));
        this.module = newScope(Scope.Kind.MODULE, m, null);
        walk(m);
    }

    /**
     * @param expectedNodes a guess of the node count (the map of contexts is sized once instead of
     *                      rehashed a dozen times on big files)
     */
    static SymbolTable build(Module m, int expectedNodes) {
        return new SymbolTable(m, expectedNodes);
    }

    /** Nodes that have a context (about the number of nodes in the module). */
    int size() {
        return ctxOf.size();
    }

    /** The context of a node of this module, or null for a node from elsewhere. */
    Scope.Ctx ctx(Node n) {
        return ctxOf.get(n);
    }

    private Scope newScope(Scope.Kind kind, Node node, Scope.Ctx definedIn) {
        Scope s = new Scope(kind, node, definedIn, scopes.size());
        scopes.add(s);
        return s;
    }

    private void walk(Module m) {
        ctxOf.put(m, module.ctx);
        Frames stack = new Frames();
        Frames kids = new Frames();
        pushStatements(kids, m.body(), module.ctx);
        pushAll(stack, kids);
        while (stack.size > 0) {
            int top = --stack.size;
            Node node = stack.nodes[top];
            Scope.Ctx ctx = stack.ctxs[top];
            List<Stmt> block = stack.blocks[top];
            stack.nodes[top] = null;
            stack.ctxs[top] = null;
            stack.blocks[top] = null;
            kids.size = 0;
            ctxOf.put(node, ctx);
            visit(node, ctx, block, kids);
            pushAll(stack, kids);
        }
    }

    /** Pushes the children in reverse, so that they are popped in source order. */
    private static void pushAll(Frames stack, Frames kids) {
        for (int i = kids.size - 1; i >= 0; i--) {
            stack.add(kids.nodes[i], kids.ctxs[i], kids.blocks[i]);
            kids.nodes[i] = null;
            kids.ctxs[i] = null;
            kids.blocks[i] = null;
        }
    }

    private static void pushStatements(Frames out, List<Stmt> body, Scope.Ctx ctx) {
        for (int i = 0, n = body.size(); i < n; i++) {
            out.add(body.get(i), ctx, body);
        }
    }

    /**
     * Records what the node binds and lists its children, in source order, each with its context. One small
     * method per kind of node, dispatched on the three families: the JIT compiles (and, when a new kind of node
     * turns up, recompiles) each alone, instead of one method of every kind with all of them inlined (it was the
     * largest compilation of a batch scan, over 100 KB of machine code, compiled five times).
     */
    private void visit(Node node, Scope.Ctx ctx, List<Stmt> block, Frames out) {
        Frame f = current;
        f.node = node;
        f.ctx = ctx;
        f.block = block;
        if (f.node instanceof Expr e) {
            visitExpression(e, f, out);
        } else if (f.node instanceof Stmt s) {
            visitStatement(s, f, out);
        } else if (f.node instanceof Stmt.Handler h) {
            handler(h, f, out);
        } else if (f.node instanceof Stmt.MatchCase c) {
            matchCase(c, f, out);
        } else {
            addChildren(out, f.node, f.ctx, f.block);
        }
    }

    private void visitExpression(Expr e, Frame f, Frames out) {
        if (e instanceof Expr.Call c) {
            calls.add(c);
            addChildren(out, c, f.ctx, f.block);
        } else if (e instanceof Expr.Lambda l) {
            lambda(l, f, out);
        } else if (e instanceof Expr.Comprehension c) {
            comprehension(c, f, out);
        } else if (e instanceof Expr.NamedExpr n) {
            namedExpr(n, f, out);
        } else {
            addChildren(out, e, f.ctx, f.block);
        }
    }

    private void visitStatement(Stmt s, Frame f, Frames out) {
        Scope.Ctx ctx = f.ctx;
        if (s instanceof Stmt.Assign a) {
            assign(a, f, out);
        } else if (s instanceof Stmt.FunctionDef d) {
            functionDef(d, f, out);
        } else if (s instanceof Stmt.ClassDef c) {
            classDef(c, f, out);
        } else if (s instanceof Stmt.Import i) {
            importNames(i, f, out);
        } else if (s instanceof Stmt.ImportFrom i) {
            importFrom(i, f, out);
        } else if (s instanceof Stmt.For loop) {
            bindTarget(ctx.scope(), loop.target(), null, f.block);
            out.add(loop.target(), ctx, f.block);
            out.add(loop.iter(), ctx, f.block);
            pushStatements(out, loop.body(), ctx);
            pushStatements(out, loop.orElse(), ctx);
        } else if (s instanceof Stmt.While loop) {
            out.add(loop.test(), ctx, f.block);
            pushStatements(out, loop.body(), ctx);
            pushStatements(out, loop.orElse(), ctx);
        } else if (s instanceof Stmt.If test) {
            out.add(test.test(), ctx, f.block);
            boolean guard = ctx.scope().kind == Scope.Kind.MODULE && isMainGuard(test.test());
            pushStatements(out, test.body(), guard ? ctx.scope().mainGuardCtx : ctx);
            pushStatements(out, test.orElse(), ctx);
        } else if (s instanceof Stmt.With with) {
            for (Stmt.WithItem item : with.items()) {
                item.target().ifPresent(t -> bindTarget(ctx.scope(), t, null, f.block));
                out.add(item, ctx, f.block);
            }
            pushStatements(out, with.body(), ctx);
        } else if (s instanceof Stmt.Try t) {
            pushStatements(out, t.body(), ctx);
            for (Stmt.Handler h : t.handlers()) {
                out.add(h, ctx, f.block);
            }
            pushStatements(out, t.orElse(), ctx);
            pushStatements(out, t.finalBody(), ctx);
        } else if (s instanceof Stmt.Match m) {
            out.add(m.subject(), ctx, f.block);
            for (Stmt.MatchCase c : m.cases()) {
                out.add(c, ctx, f.block);
            }
        } else if (s instanceof Stmt.Global g) {
            (g.nonlocal() ? ctx.scope().nonlocals : ctx.scope().globals).addAll(g.names());
        } else if (s instanceof Stmt.Delete d) {
            for (Expr t : d.targets()) {
                if (t instanceof Expr.Name n) {
                    bind(ctx.scope(), n.id(), new Binding.Opaque(n));
                }
            }
            addChildren(out, d, ctx, f.block);
        } else {
            addChildren(out, s, ctx, f.block);
        }
    }

    private void functionDef(Stmt.FunctionDef d, Frame f, Frames out) {
        bind(f.ctx.scope(), d.name(), new Binding.Definition(d, d));
        Scope inner = newScope(Scope.Kind.FUNCTION, d, f.ctx);
        addExprs(out, d.decorators(), f.ctx, f.block);
        addParams(out, d.params(), f.ctx, inner);
        pushStatements(out, d.body(), inner.ctx);
    }

    private void classDef(Stmt.ClassDef c, Frame f, Frames out) {
        bind(f.ctx.scope(), c.name(), new Binding.Definition(c, c));
        Scope inner = newScope(Scope.Kind.CLASS, c, f.ctx);
        classes.add(inner);
        addExprs(out, c.decorators(), f.ctx, f.block);
        addExprs(out, c.bases(), f.ctx, f.block);
        for (Expr.Keyword k : c.keywords()) {
            out.add(k, f.ctx, f.block);
        }
        pushStatements(out, c.body(), inner.ctx);
    }

    private void lambda(Expr.Lambda l, Frame f, Frames out) {
        Scope inner = newScope(Scope.Kind.LAMBDA, l, f.ctx);
        addParams(out, l.params(), f.ctx, inner);
        out.add(l.body(), inner.ctx, f.block);
    }

    private void comprehension(Expr.Comprehension c, Frame f, Frames out) {
        Scope inner = newScope(Scope.Kind.COMPREHENSION, c, f.ctx);
        out.add(c.element(), inner.ctx, f.block);
        c.value().ifPresent(v -> out.add(v, inner.ctx, f.block));
        boolean first = true;
        for (Expr.ComprehensionFor g : c.generators()) {
            bindTarget(inner, g.target(), null, f.block);
            ctxOf.put(g, inner.ctx);
            out.add(g.target(), inner.ctx, f.block);
            // the first iterable is evaluated in the enclosing scope
            out.add(g.iter(), first ? f.ctx : inner.ctx, f.block);
            addExprs(out, g.conditions(), inner.ctx, f.block);
            first = false;
        }
    }

    private void namedExpr(Expr.NamedExpr n, Frame f, Frames out) {
        if (n.target() instanceof Expr.Name name) {
            Scope s = f.ctx.scope();
            while (s.kind == Scope.Kind.COMPREHENSION && s.parent != null) {
                s = s.parent;
            }
            bind(s, name.id(), new Binding.Value(n.value(), name, null));
        }
        addChildren(out, n, f.ctx, f.block);
    }

    private void importNames(Stmt.Import i, Frame f, Frames out) {
        imports.add(i);
        for (Stmt.Alias a : i.names()) {
            if (a.asName().isPresent()) {
                bind(f.ctx.scope(), a.asName().get(), new Binding.Import(Builtins.normalize(a.name()), a));
            } else {
                int dot = a.name().indexOf('.');
                String top = dot < 0 ? a.name() : a.name().substring(0, dot);
                bind(f.ctx.scope(), top, new Binding.Import(top, a));
            }
        }
        addChildren(out, i, f.ctx, f.block);
    }

    private void importFrom(Stmt.ImportFrom i, Frame f, Frames out) {
        Scope scope = f.ctx.scope();
        imports.add(i);
        String base = ".".repeat(Math.max(0, i.level())) + i.module();
        for (Stmt.Alias a : i.names()) {
            if (a.name().equals("*")) {
                scope.starImports.add(base);
                continue;
            }
            String target = base.isEmpty() || base.endsWith(".") ? base + a.name() : base + "." + a.name();
            bind(scope, a.asName().orElse(a.name()), new Binding.Import(Builtins.normalize(target), a));
        }
        addChildren(out, i, f.ctx, f.block);
    }

    private void assign(Stmt.Assign a, Frame f, Frames out) {
        Scope scope = f.ctx.scope();
        if (a.augOp().isPresent() && a.value().isPresent()) {
            String op = a.augOp().get();
            op = op.endsWith("=") ? op.substring(0, op.length() - 1) : op;
            List<Expr> targets = a.targets();
            for (int i = 0, k = targets.size(); i < k; i++) {
                if (targets.get(i) instanceof Expr.Name n) {
                    bind(scope, n.id(), new Binding.Augmented(op, a.value().get(), n, f.block));
                }
            }
        } else if (a.value().isPresent()) {
            List<Expr> targets = a.targets();
            for (int i = 0, k = targets.size(); i < k; i++) {
                bindTarget(scope, targets.get(i), a.value().get(), f.block);
            }
        }
        addChildren(out, a, f.ctx, f.block);
    }

    private void handler(Stmt.Handler h, Frame f, Frames out) {
        h.name().ifPresent(n -> bind(f.ctx.scope(), n, new Binding.Opaque(h)));
        h.type().ifPresent(t -> out.add(t, f.ctx, f.block));
        pushStatements(out, h.body(), f.ctx);
    }

    private void matchCase(Stmt.MatchCase c, Frame f, Frames out) {
        bindPatternCaptures(f.ctx.scope(), c);
        c.guard().ifPresent(g -> out.add(g, f.ctx, f.block));
        pushStatements(out, c.body(), f.ctx);
    }

    /**
     * {@code n.children()}, in order. The kinds most nodes are of add their parts directly: {@code children()}
     * builds a new list for them on every call.
     */
    private static void addChildren(Frames out, Node n, Scope.Ctx ctx, List<Stmt> block) {
        if (n instanceof Expr.Name || n instanceof Expr.Literal) {
            return;
        }
        if (n instanceof Expr.Attribute a) {
            out.add(a.value(), ctx, block);
        } else if (n instanceof Expr.Call c) {
            out.add(c.callee(), ctx, block);
            addExprs(out, c.args(), ctx, block);
            addExprs(out, c.keywords(), ctx, block);
        } else if (n instanceof Expr.Keyword k) {
            out.add(k.value(), ctx, block);
        } else if (n instanceof Expr.BinOp b) {
            out.add(b.left(), ctx, block);
            out.add(b.right(), ctx, block);
        } else if (n instanceof Expr.Subscript s) {
            out.add(s.value(), ctx, block);
            out.add(s.index(), ctx, block);
        } else {
            addExprs(out, n.children(), ctx, block);
        }
    }

    /** What {@link #addChildren} adds for a node (for tests: {@code n.children()}). */
    static List<Node> childrenAsWalked(Node n) {
        Frames out = new Frames();
        addChildren(out, n, null, null);
        return java.util.Arrays.asList(java.util.Arrays.copyOf(out.nodes, out.size));
    }

    private static void addExprs(Frames out, List<? extends Node> nodes, Scope.Ctx ctx, List<Stmt> block) {
        for (int i = 0, k = nodes.size(); i < k; i++) {
            out.add(nodes.get(i), ctx, block);
        }
    }

    /** Parameters belong to the new scope; their defaults are evaluated where the def stands. */
    private void addParams(Frames out, List<Stmt.Param> params, Scope.Ctx outer, Scope inner) {
        for (int i = 0, k = params.size(); i < k; i++) {
            Stmt.Param p = params.get(i);
            bind(inner, p.name(), new Binding.Opaque(p));
            ctxOf.put(p, inner.ctx);
            p.defaultValue().ifPresent(d -> out.add(d, outer, null));
        }
    }

    /** Binds assignment targets; {@code value} is null when the value is not known (loops, with, except). */
    private void bindTarget(Scope scope, Expr target, Expr value, List<Stmt> block) {
        if (target instanceof Expr.Name n) {
            // the usual target: bound as the loop below would, without its work list
            bind(scope, n.id(), value == null ? new Binding.Opaque(n) : new Binding.Value(value, n, block));
            return;
        }
        Deque<Expr[]> work = new ArrayDeque<>();
        work.push(new Expr[] {target, value});
        while (!work.isEmpty()) {
            Expr[] pair = work.pop();
            Expr t = pair[0];
            Expr v = pair[1];
            if (t instanceof Expr.Name n) {
                bind(scope, n.id(), v == null ? new Binding.Opaque(n) : new Binding.Value(v, n, block));
            } else if (t instanceof Expr.Starred s) {
                work.push(new Expr[] {s.value(), null});
            } else if (t instanceof Expr.Sequence s) {
                List<Expr> values = v instanceof Expr.Sequence vs && vs.elements().size() == s.elements().size()
                        && vs.elements().stream().noneMatch(e -> e instanceof Expr.Starred)
                        ? vs.elements() : null;
                for (int i = 0; i < s.elements().size(); i++) {
                    work.push(new Expr[] {s.elements().get(i), values == null ? null : values.get(i)});
                }
            }
        }
    }

    private void bind(Scope scope, String name, Binding b) {
        if (scope.globals.contains(name)) {
            module.bind(name, b);
            return;
        }
        if (scope.nonlocals.contains(name)) {
            for (Scope s = scope.parent; s != null && s.kind != Scope.Kind.MODULE; s = s.parent) {
                if (s.kind != Scope.Kind.CLASS && s.bindings.containsKey(name)) {
                    s.bind(name, new Binding.Opaque(b.site()));
                    return;
                }
            }
            return;
        }
        scope.bind(name, b);
    }

    /** Capture names of a match pattern (kept as text by the model): over-approximated, never resolved. */
    private void bindPatternCaptures(Scope scope, Stmt.MatchCase c) {
        Matcher m = IDENTIFIER.matcher(c.pattern());
        while (m.find()) {
            String id = m.group(1);
            if (!id.equals("_") && !id.equals("None") && !id.equals("True") && !id.equals("False")) {
                bind(scope, id, new Binding.Opaque(c));
            }
        }
    }

    /**
     * {@code __name__ == '__main__'}, alone or as one operand of an {@code and} ({@code sys.platform != 'win32'
     * and __name__ == '__main__'}): the block only runs when the file is run as a script.
     */
    static boolean isMainGuard(Expr test) {
        if (test instanceof Expr.BoolOp b && b.op().equals("and")) {
            return b.values().stream().anyMatch(SymbolTable::isMainGuard);
        }
        if (test instanceof Expr.Compare c && c.ops().size() == 1 && c.ops().get(0).equals("==")) {
            Expr a = c.left();
            Expr b = c.comparators().get(0);
            return isNameDunder(a) && isMainLiteral(b) || isNameDunder(b) && isMainLiteral(a);
        }
        return false;
    }

    private static boolean isNameDunder(Expr e) {
        return e instanceof Expr.Name n && n.id().equals("__name__");
    }

    private static boolean isMainLiteral(Expr e) {
        return e instanceof Expr.Literal l && l.value() instanceof Const.Str s && s.value().equals("__main__");
    }
}
