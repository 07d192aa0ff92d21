package dev.kingsnake.internal.decode;

import dev.kingsnake.internal.python.semantic.SemanticModel;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.python.Const;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Module;
import dev.kingsnake.spi.python.SeqKind;
import dev.kingsnake.spi.python.Stmt;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Builds model trees by hand, so that the evaluator is tested independently of the parser. Each
 * statement goes on its own line.
 */
final class Ast {
    private final List<Stmt> body = new ArrayList<>();

    private int line() {
        return body.size() + 1;
    }

    Ast imp(String module) {
        body.add(new Stmt.Import(List.of(new Stmt.Alias(module, Optional.empty(), line(), 0)), line(), 0));
        return this;
    }

    Ast imp(String module, String as) {
        body.add(new Stmt.Import(List.of(new Stmt.Alias(module, Optional.of(as), line(), 0)), line(), 0));
        return this;
    }

    Ast from(String module, String name) {
        body.add(new Stmt.ImportFrom(module, 0, List.of(new Stmt.Alias(name, Optional.empty(), line(), 0)), line(), 0));
        return this;
    }

    Ast let(String name, Expr value) {
        body.add(new Stmt.Assign(List.of(n(name)), Optional.of(value), Optional.empty(), line(), 0));
        return this;
    }

    Ast plusEq(String name, Expr value) {
        body.add(new Stmt.Assign(List.of(n(name)), Optional.of(value), Optional.of("+="), line(), 0));
        return this;
    }

    Ast expr(Expr value) {
        body.add(new Stmt.ExprStmt(value, line(), 0));
        return this;
    }

    Ast def(String name, List<String> params, Stmt... stmts) {
        List<Stmt.Param> ps = new ArrayList<>();
        for (String p : params) {
            ps.add(new Stmt.Param(p, Optional.empty(), Stmt.ParamKind.POSITIONAL, line(), 0));
        }
        body.add(new Stmt.FunctionDef(name, ps, List.of(), Arrays.asList(stmts), false, line(), 0));
        return this;
    }

    PythonFile file(String path) {
        Module m = new Module(body);
        return new SemanticModel(path, new byte[0], "", m, false, List.of(), Optional.empty());
    }

    static Expr.Name n(String id) {
        return new Expr.Name(id, 1, 0);
    }

    static Expr.Literal s(String v) {
        return new Expr.Literal(new Const.Str(v), 1, 0);
    }

    static Expr.Literal b(String latin1) {
        return new Expr.Literal(new Const.Bytes(latin1.getBytes(StandardCharsets.ISO_8859_1)), 1, 0);
    }

    static Expr.Literal i(long v) {
        return new Expr.Literal(new Const.Int(BigInteger.valueOf(v)), 1, 0);
    }

    static Expr a(Expr value, String attr) {
        return new Expr.Attribute(value, attr, 1, 0);
    }

    /** A dotted name: {@code d("base64.b64decode")}. */
    static Expr d(String dotted) {
        String[] parts = dotted.split("\\.");
        Expr e = n(parts[0]);
        for (int k = 1; k < parts.length; k++) {
            e = a(e, parts[k]);
        }
        return e;
    }

    static Expr.Call c(Expr callee, Expr... args) {
        return new Expr.Call(callee, List.of(args), List.of(), 1, 0);
    }

    static Expr.Call c(String callee, Expr... args) {
        return c(d(callee), args);
    }

    static Expr rev(Expr e) {
        return new Expr.Subscript(e, new Expr.Slice(Optional.empty(), Optional.empty(),
                Optional.of(new Expr.UnaryOp("-", i(1), 1, 0)), 1, 0), 1, 0);
    }

    static Expr bin(Expr l, String op, Expr r) {
        return new Expr.BinOp(l, op, r, 1, 0);
    }

    static Expr list(long... values) {
        List<Expr> items = new ArrayList<>();
        for (long v : values) {
            items.add(i(v));
        }
        return new Expr.Sequence(SeqKind.LIST, items, 1, 0);
    }

    static Expr gen(Expr element, String var, Expr iter) {
        return new Expr.Comprehension(SeqKind.GENERATOR, element, Optional.empty(),
                List.of(new Expr.ComprehensionFor(n(var), iter, List.of(), false, 1, 0)), 1, 0);
    }

    static Expr lambda(String param, Expr body) {
        return new Expr.Lambda(List.of(new Stmt.Param(param, Optional.empty(), Stmt.ParamKind.POSITIONAL, 1, 0)),
                body, 1, 0);
    }

    static Stmt ret(Expr e) {
        return new Stmt.Return(Optional.of(e), 1, 0);
    }
}
