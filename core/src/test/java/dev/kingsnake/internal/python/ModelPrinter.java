package dev.kingsnake.internal.python;

import dev.kingsnake.spi.python.Const;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Node;
import dev.kingsnake.spi.python.Stmt;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/** A compact, Python-like rendering of the model for golden tests (positions left out). */
final class ModelPrinter {
    private ModelPrinter() {
    }

    static String stmts(List<Stmt> body) {
        return body.stream().map(ModelPrinter::stmt).collect(Collectors.joining("; "));
    }

    static String stmt(Stmt s) {
        if (s instanceof Stmt.ExprStmt e) {
            return expr(e.value());
        }
        if (s instanceof Stmt.Assign a) {
            String targets = a.targets().stream().map(ModelPrinter::expr).collect(Collectors.joining(" = "));
            if (a.augOp().isPresent()) {
                return targets + " " + a.augOp().get() + " " + expr(a.value().orElseThrow());
            }
            return a.value().map(v -> targets + " = " + expr(v)).orElse(targets + ":");
        }
        if (s instanceof Stmt.Import i) {
            return "import " + i.names().stream().map(ModelPrinter::alias).collect(Collectors.joining(", "));
        }
        if (s instanceof Stmt.ImportFrom f) {
            return "from " + ".".repeat(f.level()) + f.module() + " import "
                    + f.names().stream().map(ModelPrinter::alias).collect(Collectors.joining(", "));
        }
        if (s instanceof Stmt.FunctionDef f) {
            return f.decorators().stream().map(d -> "@" + expr(d) + " ").collect(Collectors.joining())
                    + (f.async() ? "async " : "") + "def " + f.name() + "("
                    + f.params().stream().map(ModelPrinter::param).collect(Collectors.joining(", ")) + ") {"
                    + stmts(f.body()) + "}";
        }
        if (s instanceof Stmt.ClassDef c) {
            return c.decorators().stream().map(d -> "@" + expr(d) + " ").collect(Collectors.joining())
                    + "class " + c.name() + "(" + exprs(c.bases())
                    + c.keywords().stream().map(k -> ", " + keyword(k)).collect(Collectors.joining()) + ") {"
                    + stmts(c.body()) + "}";
        }
        if (s instanceof Stmt.If i) {
            return "if " + expr(i.test()) + " {" + stmts(i.body()) + "}"
                    + (i.orElse().isEmpty() ? "" : " else {" + stmts(i.orElse()) + "}");
        }
        if (s instanceof Stmt.For f) {
            return (f.async() ? "async " : "") + "for " + expr(f.target()) + " in " + expr(f.iter()) + " {"
                    + stmts(f.body()) + "}" + (f.orElse().isEmpty() ? "" : " else {" + stmts(f.orElse()) + "}");
        }
        if (s instanceof Stmt.While w) {
            return "while " + expr(w.test()) + " {" + stmts(w.body()) + "}"
                    + (w.orElse().isEmpty() ? "" : " else {" + stmts(w.orElse()) + "}");
        }
        if (s instanceof Stmt.Try t) {
            return "try {" + stmts(t.body()) + "}" + t.handlers().stream().map(h -> " except"
                    + h.type().map(e -> " " + expr(e)).orElse("") + h.name().map(n -> " as " + n).orElse("")
                    + " {" + stmts(h.body()) + "}").collect(Collectors.joining())
                    + (t.orElse().isEmpty() ? "" : " else {" + stmts(t.orElse()) + "}")
                    + (t.finalBody().isEmpty() ? "" : " finally {" + stmts(t.finalBody()) + "}");
        }
        if (s instanceof Stmt.With w) {
            return (w.async() ? "async " : "") + "with " + w.items().stream()
                    .map(i -> expr(i.context()) + i.target().map(t -> " as " + expr(t)).orElse(""))
                    .collect(Collectors.joining(", ")) + " {" + stmts(w.body()) + "}";
        }
        if (s instanceof Stmt.Match m) {
            return "match " + expr(m.subject()) + " {" + m.cases().stream().map(c -> "case " + c.pattern()
                    + c.guard().map(g -> " if " + expr(g)).orElse("") + " {" + stmts(c.body()) + "}")
                    .collect(Collectors.joining(" ")) + "}";
        }
        if (s instanceof Stmt.Return r) {
            return "return" + r.value().map(v -> " " + expr(v)).orElse("");
        }
        if (s instanceof Stmt.Raise r) {
            return "raise" + r.exception().map(v -> " " + expr(v)).orElse("")
                    + r.cause().map(v -> " from " + expr(v)).orElse("");
        }
        if (s instanceof Stmt.Delete d) {
            return "del " + exprs(d.targets());
        }
        if (s instanceof Stmt.Assert a) {
            return "assert " + expr(a.test()) + a.message().map(m -> ", " + expr(m)).orElse("");
        }
        if (s instanceof Stmt.Global g) {
            return (g.nonlocal() ? "nonlocal " : "global ") + String.join(", ", g.names());
        }
        if (s instanceof Stmt.Simple p) {
            return p.keyword();
        }
        if (s instanceof Stmt.Invalid i) {
            return "INVALID<" + i.text().strip() + ">@" + i.line();
        }
        throw new IllegalArgumentException(s.toString());
    }

    private static String alias(Stmt.Alias a) {
        return a.name() + a.asName().map(n -> " as " + n).orElse("");
    }

    private static String param(Stmt.Param p) {
        String prefix = switch (p.kind()) {
            case VARARGS -> "*";
            case KWARGS -> "**";
            case KEYWORD_ONLY -> "kw:";
            default -> "";
        };
        return prefix + p.name() + p.defaultValue().map(d -> "=" + expr(d)).orElse("");
    }

    private static String keyword(Expr.Keyword k) {
        return k.name().equals("**") ? "**" + expr(k.value()) : k.name() + "=" + expr(k.value());
    }

    static String exprs(List<? extends Expr> es) {
        return es.stream().map(ModelPrinter::expr).collect(Collectors.joining(", "));
    }

    static String expr(Expr e) {
        if (e instanceof Expr.Name n) {
            return n.id();
        }
        if (e instanceof Expr.Attribute a) {
            return expr(a.value()) + "." + a.attr();
        }
        if (e instanceof Expr.Call c) {
            String kws = c.keywords().stream().map(ModelPrinter::keyword).collect(Collectors.joining(", "));
            String args = exprs(c.args());
            return expr(c.callee()) + "(" + args + (!args.isEmpty() && !kws.isEmpty() ? ", " : "") + kws + ")";
        }
        if (e instanceof Expr.Literal l) {
            return constant(l.value());
        }
        if (e instanceof Expr.FString f) {
            return "f[" + exprs(f.parts()) + "]";
        }
        if (e instanceof Expr.BinOp b) {
            return "(" + expr(b.left()) + " " + b.op() + " " + expr(b.right()) + ")";
        }
        if (e instanceof Expr.UnaryOp u) {
            return "(" + u.op() + (u.op().equals("not") ? " " : "") + expr(u.operand()) + ")";
        }
        if (e instanceof Expr.BoolOp b) {
            return "(" + b.values().stream().map(ModelPrinter::expr).collect(Collectors.joining(" " + b.op() + " "))
                    + ")";
        }
        if (e instanceof Expr.Compare c) {
            StringBuilder sb = new StringBuilder("(").append(expr(c.left()));
            for (int i = 0; i < c.ops().size(); i++) {
                sb.append(' ').append(c.ops().get(i)).append(' ').append(expr(c.comparators().get(i)));
            }
            return sb.append(')').toString();
        }
        if (e instanceof Expr.Subscript s) {
            return expr(s.value()) + "[" + expr(s.index()) + "]";
        }
        if (e instanceof Expr.Slice s) {
            return s.lower().map(ModelPrinter::expr).orElse("") + ":" + s.upper().map(ModelPrinter::expr).orElse("")
                    + s.step().map(x -> ":" + expr(x)).orElse("");
        }
        if (e instanceof Expr.Sequence s) {
            return switch (s.kind()) {
                case LIST -> "[" + exprs(s.elements()) + "]";
                case SET -> "{" + exprs(s.elements()) + "}";
                default -> "(" + exprs(s.elements()) + (s.elements().size() == 1 ? ",)" : ")");
            };
        }
        if (e instanceof Expr.Dict d) {
            return "{" + d.items().stream().map(i -> i.key().map(k -> expr(k) + ": ").orElse("**") + expr(i.value()))
                    .collect(Collectors.joining(", ")) + "}";
        }
        if (e instanceof Expr.Lambda l) {
            return "(lambda " + l.params().stream().map(ModelPrinter::param).collect(Collectors.joining(", ")) + ": "
                    + expr(l.body()) + ")";
        }
        if (e instanceof Expr.Comprehension c) {
            String gens = c.generators().stream().map(g -> (g.async() ? " async" : "") + " for " + expr(g.target())
                    + " in " + expr(g.iter()) + g.conditions().stream().map(x -> " if " + expr(x))
                    .collect(Collectors.joining())).collect(Collectors.joining());
            String body = expr(c.element()) + c.value().map(v -> ": " + expr(v)).orElse("") + gens;
            return switch (c.kind()) {
                case LIST -> "[" + body + "]";
                case SET, DICT -> "{" + body + "}";
                default -> "(" + body + ")";
            };
        }
        if (e instanceof Expr.Conditional c) {
            return "(" + expr(c.body()) + " if " + expr(c.test()) + " else " + expr(c.orElse()) + ")";
        }
        if (e instanceof Expr.Starred s) {
            return (s.doubleStar() ? "**" : "*") + expr(s.value());
        }
        if (e instanceof Expr.Await a) {
            return "(await " + expr(a.value()) + ")";
        }
        if (e instanceof Expr.Yield y) {
            return "(yield" + (y.from() ? " from" : "") + y.value().map(v -> " " + expr(v)).orElse("") + ")";
        }
        if (e instanceof Expr.NamedExpr n) {
            return "(" + expr(n.target()) + " := " + expr(n.value()) + ")";
        }
        if (e instanceof Expr.Unknown u) {
            return "?" + u.text() + "?";
        }
        throw new IllegalArgumentException(e.toString());
    }

    static String constant(Const c) {
        if (c instanceof Const.Str s) {
            return "'" + s.value().replace("\\", "\\\\").replace("\n", "\\n").replace("'", "\\'") + "'";
        }
        if (c instanceof Const.Bytes b) {
            return "b'" + new String(b.value(), StandardCharsets.ISO_8859_1).replace("\n", "\\n") + "'";
        }
        if (c instanceof Const.Int i) {
            return i.value().toString();
        }
        if (c instanceof Const.Float f) {
            return Double.toString(f.value());
        }
        if (c instanceof Const.Bool b) {
            return b.value() ? "True" : "False";
        }
        if (c instanceof Const.None) {
            return "None";
        }
        if (c instanceof Const.Ellipsis) {
            return "...";
        }
        return c.toString();
    }

    /** Depth of the deepest node, computed without recursion. */
    static int depth(Node root) {
        int max = 0;
        java.util.ArrayDeque<Object[]> stack = new java.util.ArrayDeque<>();
        stack.push(new Object[] {root, 1});
        while (!stack.isEmpty()) {
            Object[] top = stack.pop();
            int d = (Integer) top[1];
            max = Math.max(max, d);
            for (Node k : ((Node) top[0]).children()) {
                stack.push(new Object[] {k, d + 1});
            }
        }
        return max;
    }
}
