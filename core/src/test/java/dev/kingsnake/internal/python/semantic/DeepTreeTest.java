package dev.kingsnake.internal.python.semantic;

import dev.kingsnake.Reach;
import dev.kingsnake.spi.python.Const;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Stmt;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static dev.kingsnake.internal.python.semantic.Py.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hostile shapes: everything must finish, bounded, on a small stack. */
class DeepTreeTest {
    private static final int N = 100_000;

    /** Runs on a thread with a 256 KiB stack, so unbounded recursion would fail here. */
    private static void onSmallStack(Runnable r) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                r.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "small-stack", 256 * 1024);
        t.start();
        t.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }

    /** Compares without printing megabytes when it fails. */
    private static void assertFolds(String expected, Optional<Const> actual) {
        assertTrue(actual.isPresent(), "not folded");
        String got = actual.get().asText();
        assertEquals(expected.length(), got.length());
        assertTrue(expected.equals(got), "folded text differs");
    }

    @Test
    void leftDeepConcatenationChainFolds() throws InterruptedException {
        Expr e = str("a");
        Expr leaf = null;
        for (int i = 1; i < N; i++) {
            leaf = str("a");
            e = op(e, "+", leaf);
        }
        Expr chain = e;
        Expr deepest = leaf;
        Stmt.FunctionDef f = def("f", List.of(), expr(chain));
        onSmallStack(() -> {
            SemanticModel m = model("pkg/mod.py", f);
            assertFolds("a".repeat(N), m.constant(chain));
            assertEquals(Optional.empty(), m.qualifiedName(chain));
            assertEquals(Reach.CALLED, m.reach(deepest));
            assertEquals(Optional.of(f), m.enclosingFunction(deepest));
        });
    }

    @Test
    void rightDeepConcatenationChainFolds() throws InterruptedException {
        Expr e = bytes("b");
        for (int i = 1; i < N; i++) {
            e = op(bytes("b"), "+", e);
        }
        Expr chain = e;
        onSmallStack(() -> {
            SemanticModel m = model("pkg/mod.py", expr(chain));
            Optional<Const> c = m.constant(chain);
            assertTrue(c.isPresent());
            assertEquals(N, ((Const.Bytes) c.get()).value().length);
        });
    }

    @Test
    void deeplyNestedCallsAndOperatorsAreUndecidedNotFatal() throws InterruptedException {
        Expr calls = num(111);
        Expr unary = num(1);
        Expr subs = str("x");
        for (int i = 0; i < N; i++) {
            calls = call(name("chr"), calls);
            unary = new Expr.UnaryOp("-", unary, i + 1, 1);
            subs = sub(subs, num(0));
        }
        Expr c = calls;
        Expr u = unary;
        Expr s = subs;
        onSmallStack(() -> {
            SemanticModel m = model("pkg/mod.py", expr(c), expr(u), expr(s));
            assertEquals(Optional.empty(), m.constant(c));
            assertEquals(Optional.empty(), m.qualifiedName(c));
            assertEquals(Optional.empty(), m.constant(u));
            assertEquals(Optional.empty(), m.constant(s));
            assertEquals(Reach.IMPORT_TIME, m.reach(c));
        });
        // shallow ones still fold
        Expr two = call(name("chr"), call(name("ord"), str("o")));
        assertEquals(Optional.of(new Const.Str("o")), model("m.py", expr(two)).constant(two));
    }

    @Test
    void longAttributeChainsResolve() throws InterruptedException {
        Expr e = name("os");
        for (int i = 0; i < 10_000; i++) {
            e = attr(e, "x");
        }
        Expr chain = e;
        Stmt.Import importOs = imp("os");
        onSmallStack(() -> {
            Optional<String> q = model("pkg/mod.py", importOs, expr(chain)).qualifiedName(chain);
            assertTrue(q.isPresent() && q.get().equals("os" + ".x".repeat(10_000)), "long dotted name");
        });
    }

    @Test
    void manyAugmentedAssignmentsFold() throws InterruptedException {
        List<Stmt> body = new ArrayList<>();
        body.add(assign("payload", str("")));
        for (int i = 0; i < N; i++) {
            body.add(augAssign("payload", "+=", str("ab")));
        }
        Expr read = name("payload");
        body.add(expr(call(name("exec"), read)));
        Stmt[] stmts = body.toArray(new Stmt[0]);
        onSmallStack(() -> {
            SemanticModel m = model("setup.py", stmts);
            assertFolds("ab".repeat(N), m.constant(read));
        });
    }

    @Test
    void longAliasChainsAreBounded() throws InterruptedException {
        List<Stmt> body = new ArrayList<>();
        body.add(assign("a0", name("exec")));
        for (int i = 1; i < 1000; i++) {
            body.add(assign("a" + i, name("a" + (i - 1))));
        }
        Expr.Call near = call(name("a5"));
        Expr.Call far = call(name("a999"));
        body.add(expr(near));
        body.add(expr(far));
        Stmt[] stmts = body.toArray(new Stmt[0]);
        onSmallStack(() -> {
            SemanticModel m = model("pkg/mod.py", stmts);
            assertEquals(Optional.of("exec"), m.calleeName(near));
            assertEquals(Optional.empty(), m.calleeName(far));
        });
    }

    @Test
    void deeplyNestedFunctionsKeepTheirReach() throws InterruptedException {
        Expr.Call payload = call(name("exec"), str("x"));
        Stmt inner = expr(payload);
        Stmt.FunctionDef f = null;
        for (int i = 0; i < 5_000; i++) {
            f = def("f" + i, List.of(), inner);
            inner = f;
        }
        Stmt top = inner;
        Stmt.FunctionDef innermost = null;
        for (Stmt s = top; s instanceof Stmt.FunctionDef d; s = d.body().get(0)) {
            innermost = d;
        }
        Stmt.FunctionDef expected = innermost;
        onSmallStack(() -> {
            SemanticModel m = model("setup.py", top);
            assertEquals(Reach.CALLED, m.reach(payload));
            assertEquals(Optional.of(expected), m.enclosingFunction(payload));
        });
    }
}
