package dev.kingsnake.internal.python.semantic;

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
 * A small DSL for building model trees by hand. Every node gets the next line number, so nodes built
 * later (later statements, later reads) sit after the ones built before them, as in source.
 */
final class Py {
    private static int line = 1;

    private Py() {
    }

    private static int next() {
        return line++;
    }

    static SemanticModel model(String path, Stmt... body) {
        return new SemanticModel(path, new byte[0], "", module(body), false, List.of(), Optional.empty());
    }

    static Module module(Stmt... body) {
        return new Module(List.of(body));
    }

    // ---------------------------------------------------------------- expressions

    static Expr.Name name(String id) {
        return new Expr.Name(id, next(), 1);
    }

    static Expr.Attribute attr(Expr value, String attr) {
        return new Expr.Attribute(value, attr, next(), 1);
    }

    /** {@code a.b.c} as a Name/Attribute chain. */
    static Expr dotted(String dotted) {
        String[] parts = dotted.split("\\.");
        Expr e = name(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            e = attr(e, parts[i]);
        }
        return e;
    }

    static Expr.Call call(Expr callee, Expr... args) {
        return new Expr.Call(callee, List.of(args), List.of(), next(), 1);
    }

    static Expr.Call call(String callee, Expr... args) {
        return call(dotted(callee), args);
    }

    static Expr.Call callKw(Expr callee, List<Expr> args, Expr.Keyword... keywords) {
        return new Expr.Call(callee, args, List.of(keywords), next(), 1);
    }

    static Expr.Keyword kw(String name, Expr value) {
        return new Expr.Keyword(name, value, next(), 1);
    }

    static Expr.Literal str(String s) {
        return new Expr.Literal(new Const.Str(s), next(), 1);
    }

    static Expr.Literal bytes(String latin1) {
        return new Expr.Literal(new Const.Bytes(latin1.getBytes(StandardCharsets.ISO_8859_1)), next(), 1);
    }

    static Expr.Literal num(long v) {
        return new Expr.Literal(new Const.Int(BigInteger.valueOf(v)), next(), 1);
    }

    static Expr.BinOp op(Expr left, String op, Expr right) {
        return new Expr.BinOp(left, op, right, next(), 1);
    }

    /** Left-assoc {@code a + b + c}. */
    static Expr add(Expr... parts) {
        Expr e = parts[0];
        for (int i = 1; i < parts.length; i++) {
            e = op(e, "+", parts[i]);
        }
        return e;
    }

    static Expr.Sequence list(Expr... elements) {
        return new Expr.Sequence(SeqKind.LIST, List.of(elements), next(), 1);
    }

    static Expr.Sequence tuple(Expr... elements) {
        return new Expr.Sequence(SeqKind.TUPLE, List.of(elements), next(), 1);
    }

    static Expr.Sequence ints(int... values) {
        List<Expr> out = new ArrayList<>();
        for (int v : values) {
            out.add(num(v));
        }
        return new Expr.Sequence(SeqKind.LIST, out, next(), 1);
    }

    static Expr.Subscript sub(Expr value, Expr index) {
        return new Expr.Subscript(value, index, next(), 1);
    }

    static Expr.Slice slice(Expr lower, Expr upper, Expr step) {
        return new Expr.Slice(Optional.ofNullable(lower), Optional.ofNullable(upper), Optional.ofNullable(step),
                next(), 1);
    }

    static Expr.FString fstr(Expr... parts) {
        return new Expr.FString(List.of(parts), next(), 1);
    }

    static Expr.Comprehension gen(Expr element, String var, Expr iter) {
        Expr.Name target = name(var);
        return new Expr.Comprehension(SeqKind.GENERATOR, element, Optional.empty(),
                List.of(new Expr.ComprehensionFor(target, iter, List.of(), false, next(), 1)), next(), 1);
    }

    static Expr.Lambda lambda(String param, Expr body) {
        return new Expr.Lambda(List.of(param(param)), body, next(), 1);
    }

    static Expr.Dict dict(Expr... keysAndValues) {
        List<Expr.DictItem> items = new ArrayList<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            items.add(new Expr.DictItem(Optional.of(keysAndValues[i]), keysAndValues[i + 1], next(), 1));
        }
        return new Expr.Dict(items, next(), 1);
    }

    static Expr.Compare eq(Expr left, Expr right) {
        return new Expr.Compare(left, List.of("=="), List.of(right), next(), 1);
    }

    // ---------------------------------------------------------------- statements

    static Stmt.ExprStmt expr(Expr e) {
        return new Stmt.ExprStmt(e, next(), 1);
    }

    static Stmt.Assign assign(String target, Expr value) {
        return assign(name(target), value);
    }

    static Stmt.Assign assign(Expr target, Expr value) {
        return new Stmt.Assign(List.of(target), Optional.of(value), Optional.empty(), next(), 1);
    }

    static Stmt.Assign augAssign(String target, String op, Expr value) {
        return new Stmt.Assign(List.of(name(target)), Optional.of(value), Optional.of(op), next(), 1);
    }

    /** {@code import a.b} or {@code import a.b as c} when {@code as} is given. */
    static Stmt.Import imp(String module, String as) {
        return new Stmt.Import(List.of(new Stmt.Alias(module, Optional.ofNullable(as), next(), 1)), next(), 1);
    }

    static Stmt.Import imp(String module) {
        return imp(module, null);
    }

    /** {@code from module import n1, n2 as x}; names written {@code "n"} or {@code "n as x"}. */
    static Stmt.ImportFrom from(int level, String module, String... names) {
        List<Stmt.Alias> aliases = new ArrayList<>();
        for (String n : names) {
            String[] p = n.split(" as ");
            aliases.add(new Stmt.Alias(p[0], p.length > 1 ? Optional.of(p[1]) : Optional.empty(), next(), 1));
        }
        return new Stmt.ImportFrom(module, level, aliases, next(), 1);
    }

    static Stmt.ImportFrom from(String module, String... names) {
        return from(0, module, names);
    }

    static Stmt.Param param(String name) {
        return new Stmt.Param(name, Optional.empty(), Stmt.ParamKind.POSITIONAL, next(), 1);
    }

    static Stmt.FunctionDef def(String name, List<String> params, Stmt... body) {
        List<Stmt.Param> ps = params.stream().map(Py::param).toList();
        return new Stmt.FunctionDef(name, ps, List.of(), List.of(body), false, next(), 1);
    }

    static Stmt.ClassDef cls(String name, List<Expr> bases, Stmt... body) {
        return new Stmt.ClassDef(name, bases, List.of(), List.of(), List.of(body), next(), 1);
    }

    static Stmt.If ifMain(Stmt... body) {
        return new Stmt.If(eq(name("__name__"), str("__main__")), List.of(body), List.of(), next(), 1);
    }

    static Stmt.For forIn(String var, Expr iter, Stmt... body) {
        return new Stmt.For(name(var), iter, List.of(body), List.of(), false, next(), 1);
    }

    static Stmt.Global global(String... names) {
        return new Stmt.Global(Arrays.asList(names), false, next(), 1);
    }

    static Stmt.Return ret(Expr e) {
        return new Stmt.Return(Optional.of(e), next(), 1);
    }
}
