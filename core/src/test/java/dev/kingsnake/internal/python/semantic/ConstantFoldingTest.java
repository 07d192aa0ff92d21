package dev.kingsnake.internal.python.semantic;

import dev.kingsnake.spi.python.Const;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.SeqKind;
import dev.kingsnake.spi.python.Stmt;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static dev.kingsnake.internal.python.semantic.Py.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConstantFoldingTest {

    /** Folds {@code e} as the value of the last statement after {@code before}. */
    private static Optional<Const> fold(Expr e, Stmt... before) {
        Stmt[] body = new Stmt[before.length + 1];
        System.arraycopy(before, 0, body, 0, before.length);
        body[before.length] = expr(e);
        return model("pkg/mod.py", body).constant(e);
    }

    /**
     * Folding follows a fifth of {@code Limits.maxEvaluationDepth}: a name defined through 20 others folds with the
     * default (200, so 40) and is not decided at 50 (10).
     */
    @Test
    void foldingDepthFollowsTheEvaluationDepthLimit() {
        Stmt[] body = nameChain(20);
        Expr last = ((Stmt.ExprStmt) body[body.length - 1]).value();
        assertEquals(s("os"), foldWith(dev.kingsnake.Limits.defaults(), last, body));
        assertEquals(Optional.empty(), foldWith(dev.kingsnake.Limits.builder().maxEvaluationDepth(50).build(), last,
                body));
    }

    /**
     * Folding spends at most {@code Limits.maxAnalysisSteps} evaluations on a file: a chain of twenty names needs
     * about twenty, so it folds with a budget of 100 and is left undecided with a budget of 1 (a repository file
     * whose nested comprehensions over range() tables took more than ten minutes of CPU before this bound).
     */
    @Test
    void foldingStepsFollowTheAnalysisStepsLimit() {
        Stmt[] body = nameChain(20);
        Expr last = ((Stmt.ExprStmt) body[body.length - 1]).value();
        assertEquals(s("os"), foldWith(dev.kingsnake.Limits.builder().maxAnalysisSteps(100).build(), last, body));
        assertEquals(Optional.empty(), foldWith(dev.kingsnake.Limits.builder().maxAnalysisSteps(1).build(), last,
                body));
    }

    /**
     * A display expanding a list name is not folded: the name's list may have been appended to since it was bound
     * (cattrs builds {@code lines = []}, appends to it, then compiles {@code [*lines, "    return res"]}).
     */
    @Test
    void starredNamesAreNotExpanded() {
        Expr display = new Expr.Sequence(SeqKind.LIST, List.of(new Expr.Starred(name("lines"), false, 3, 1), str("x")), 3, 1);
        assertEquals(Optional.empty(), fold(display, assign("lines", list())));
    }

    /** {@code a0 = "os"; a1 = a0; ...; a(n-1) = a(n-2); a(n-1)}: n names, each bound to the one before. */
    private static Stmt[] nameChain(int n) {
        Stmt[] body = new Stmt[n + 1];
        body[0] = assign("a0", str("os"));
        for (int i = 1; i < n; i++) {
            body[i] = assign("a" + i, name("a" + (i - 1)));
        }
        body[n] = expr(name("a" + (n - 1)));
        return body;
    }

    private static Optional<Const> foldWith(dev.kingsnake.Limits limits, Expr e, Stmt... body) {
        return new SemanticModel("pkg/mod.py", new byte[0], "", module(body), false, List.of(), Optional.empty(),
                limits, true).constant(e);
    }

    private static Optional<Const> s(String v) {
        return Optional.of(new Const.Str(v));
    }

    private static Optional<Const> b(String latin1) {
        return Optional.of(new Const.Bytes(latin1.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private static Optional<Const> i(long v) {
        return Optional.of(new Const.Int(BigInteger.valueOf(v)));
    }

    @Test
    void everySpellingOfOsFoldsToOs() {
        Optional<Const> os = s("os");
        assertEquals(os, fold(str("os")));
        assertEquals(os, fold(add(str("o"), str("s"))));
        assertEquals(os, fold(add(call("chr", num(111)), call("chr", num(115)))));
        assertEquals(os, fold(call(attr(str(""), "join"), list(str("o"), str("s")))));
        assertEquals(os, fold(call(attr(str(""), "join"), call("map", name("chr"), ints(111, 115)))));
        assertEquals(os, fold(call(attr(str(""), "join"), gen(call("chr", name("c")), "c", ints(111, 115)))));
        assertEquals(os, fold(call(attr(str(""), "join"),
                call("map", lambda("c", call("chr", op(name("c"), "^", num(1)))), ints(110, 114)))));
        assertEquals(os, fold(sub(str("so"), slice(null, null, num(-1)))));
        assertEquals(os, fold(sub(str("xxosyy"), slice(num(2), num(-2), null))));
        assertEquals(os, fold(op(str("%s%s"), "%", tuple(str("o"), str("s")))));
        assertEquals(os, fold(op(str("o%s"), "%", str("s"))));
        assertEquals(os, fold(call(attr(str("{}{}"), "format"), str("o"), str("s"))));
        assertEquals(os, fold(callKw(attr(str("{0}{x}"), "format"), List.of(str("o")), kw("x", str("s")))));
        assertEquals(os, fold(fstr(str("o"), name("rest")), assign("rest", str("s"))));
        assertEquals(os, fold(call(attr(call("bytes", ints(111, 115)), "decode"))));
        assertEquals(os, fold(call(attr(call("bytearray", ints(111, 115)), "decode"), str("ascii"))));
        assertEquals(os, fold(call(attr(call("bytes.fromhex", str("6f 73")), "decode"), str("utf-8"))));
        assertEquals(os, fold(call(attr(bytes("os"), "decode"), str("latin-1"))));
        assertEquals(os, fold(call(attr(str("OS"), "lower"))));
        assertEquals(os, fold(call(attr(str("  os\n"), "strip"))));
        assertEquals(os, fold(call(attr(str("oXs"), "replace"), str("X"), str(""))));
        assertEquals(os, fold(sub(call(attr(str("os.path"), "split"), str(".")), num(0))));
        assertEquals(os, fold(name("x"), assign("x", str("o")), augAssign("x", "+=", str("s"))));
        assertEquals(os, fold(call("str", name("m")), assign("m", str("os"))));
        assertEquals(os, fold(call(attr(str(""), "join"), call("reversed", str("so")))));
    }

    @Test
    void bytesFolding() {
        assertEquals(b("os"), fold(add(bytes("o"), bytes("s"))));
        assertEquals(b("os"), fold(call(attr(str("os"), "encode"))));
        assertEquals(b("os"), fold(call(attr(str("os"), "encode"), str("latin-1"))));
        assertEquals(b("os"), fold(call("bytes", str("os"), str("utf-8"))));
        assertEquals(b("os"), fold(call("bytes", ints(111, 115))));
        assertEquals(b("os"), fold(call("bytes.fromhex", str("6f73"))));
        assertEquals(b("os"), fold(call(attr(bytes(""), "join"), list(bytes("o"), bytes("s")))));
        assertEquals(b("\u00e9"), fold(call(attr(str("\u00e9"), "encode"), str("latin1"))));
        assertEquals(b("\u00c3\u00a9"), fold(call(attr(str("\u00e9"), "encode"), str("utf-8"))));
        assertEquals(b("abab"), fold(op(bytes("ab"), "*", num(2))));
        assertEquals(i(111), fold(sub(bytes("os"), num(0))));
        assertEquals(s("6f73"), fold(call(attr(bytes("os"), "hex"))));
        // invalid encodings are not constants
        assertEquals(Optional.empty(), fold(call(attr(str("\u00e9"), "encode"), str("ascii"))));
        assertEquals(Optional.empty(), fold(call(attr(bytes("\u00ff"), "decode"), str("utf-8"))));
        assertEquals(Optional.empty(), fold(call("bytes", ints(256))));
    }

    @Test
    void arithmeticAndConversions() {
        assertEquals(i(7), fold(op(num(3), "+", num(4))));
        assertEquals(i(-4), fold(op(num(-7), "//", num(2))));
        assertEquals(i(1), fold(op(num(-7), "%", num(2))));
        assertEquals(i(1024), fold(op(num(2), "**", num(10))));
        assertEquals(i(6), fold(op(num(3), "^", num(5))));
        assertEquals(i(111), fold(call("ord", str("o"))));
        assertEquals(i(255), fold(call("int", str("ff"), num(16))));
        assertEquals(i(3), fold(call("len", str("abc"))));
        assertEquals(s("12"), fold(call("str", num(12))));
        assertEquals(s("ababab"), fold(op(str("ab"), "*", num(3))));
        assertEquals(s("ababab"), fold(op(num(3), "*", str("ab"))));
        assertEquals(s("0x1f"), fold(call("hex", num(31))));
        assertEquals(s("007"), fold(op(str("%03d"), "%", num(7))));
        assertEquals(s("'a'"), fold(op(str("%r"), "%", str("a"))));
        assertEquals(Optional.empty(), fold(op(num(1), "//", num(0))));
    }

    @Test
    void sequencesAndSplits() {
        assertEquals(Optional.of(new Const.Seq(SeqKind.LIST, List.of(new Const.Str("a"), new Const.Str("b")))),
                fold(call(attr(str("a b"), "split"))));
        assertEquals(Optional.of(new Const.Seq(SeqKind.TUPLE, List.of(new Const.Str("a"), new Const.Int(BigInteger.ONE)))),
                fold(tuple(str("a"), num(1))));
        assertEquals(Optional.of(new Const.Seq(SeqKind.LIST, List.of(new Const.Str("a"), new Const.Str("b,c")))),
                fold(call(attr(str("a,b,c"), "split"), str(","), num(1))));
        assertEquals(Optional.of(new Const.Seq(SeqKind.LIST, List.of(new Const.Str("a,b"), new Const.Str("c")))),
                fold(call(attr(str("a,b,c"), "rsplit"), str(","), num(1))));
        assertEquals(s("cba"), fold(call(attr(str(""), "join"), sub(list(str("a"), str("b"), str("c")),
                slice(null, null, num(-1))))));
        assertEquals(s("b"), fold(sub(list(str("a"), str("b")), num(-1))));
    }

    @Test
    void localVariablePropagation() {
        // module-level names assigned once are read in functions
        Expr use = add(name("a"), name("b"));
        Stmt.FunctionDef f = def("f", List.of(), expr(use));
        assertEquals(s("os"), model("m.py", assign("a", str("o")), assign("b", str("s")), f).constant(use));

        // a name assigned twice at module level is not constant when read from a function
        Expr twice = name("c");
        Stmt.FunctionDef g = def("g", List.of(), expr(twice));
        assertEquals(Optional.empty(), model("m.py", assign("c", str("x")), assign("c", str("y")), g).constant(twice));

        // a parameter is never constant, even if a module-level name has the same name
        Expr param = name("p");
        Stmt.FunctionDef h = def("h", List.of("p"), expr(param));
        assertEquals(Optional.empty(), model("m.py", assign("p", str("x")), h).constant(param));

        // an augmented assignment in another block (a loop) stops propagation
        Expr looped = name("acc");
        assertEquals(Optional.empty(), fold(looped, assign("acc", str("")),
                forIn("ch", str("ab"), augAssign("acc", "+=", name("ch")))));

        // reads see only the assignments before them in the same scope
        Stmt.Assign first = assign("v", str("one"));
        Expr early = name("v");
        Stmt.ExprStmt read = expr(early);
        SemanticModel m = model("m.py", first, read, assign("v", str("two")));
        assertEquals(s("one"), m.constant(early));

        // a name defined through itself
        Expr loop = name("z");
        Stmt.FunctionDef k = def("k", List.of(), expr(loop));
        assertEquals(Optional.empty(), model("m.py", assign("z", add(name("z"), str("a"))), k).constant(loop));
    }

    @Test
    void unknownValuesAreNotConstants() {
        assertEquals(Optional.empty(), fold(add(str("a"), name("undefined"))));
        assertEquals(Optional.empty(), fold(call("input")));
        assertEquals(Optional.empty(), fold(call(attr(str("a"), "no_such_method"))));
        assertEquals(Optional.empty(), fold(call(attr(str("{0.attr}"), "format"), str("x"))));
    }

    @Test
    void hugeRepetitionIsRefusedWithoutAllocating() {
        Expr huge = op(str("a"), "*", op(num(10), "**", num(12)));
        assertEquals(Optional.empty(), fold(huge));
        Expr hugeBytes = op(bytes("ab"), "*", num(Integer.MAX_VALUE));
        assertEquals(Optional.empty(), fold(hugeBytes));
        Expr hugeInt = op(num(2), "**", op(num(10), "**", num(9)));
        assertEquals(Optional.empty(), fold(hugeInt));
        Expr shift = op(num(1), "<<", num(1L << 40));
        assertEquals(Optional.empty(), fold(shift));

        // the cap is configurable
        Expr small = op(str("ab"), "*", num(10));
        SemanticModel capped = new SemanticModel("m.py", new byte[0], "", module(expr(small)), false, List.of(),
                Optional.empty(), 8);
        assertEquals(Optional.empty(), capped.constant(small));
        assertTrue(model("m.py", expr(small)).constant(small).isPresent());
    }
}
