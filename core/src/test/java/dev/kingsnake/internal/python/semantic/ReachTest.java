package dev.kingsnake.internal.python.semantic;

import dev.kingsnake.Reach;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Stmt;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static dev.kingsnake.internal.python.semantic.Py.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ReachTest {

    @Test
    void moduleCodeRunsAtInstallTimeInSetupPyAndAtImportTimeElsewhere() {
        Expr.Call c = call("os.system", str("id"));
        Stmt s = expr(c);
        assertEquals(Reach.INSTALL_TIME, model("setup.py", imp("os"), s).reach(c));
        Expr.Call c2 = call("os.system", str("id"));
        assertEquals(Reach.INSTALL_TIME, model("pkg-1.0/setup.py", imp("os"), expr(c2)).reach(c2));
        Expr.Call c3 = call("os.system", str("id"));
        assertEquals(Reach.IMPORT_TIME, model("pkg/__init__.py", imp("os"), expr(c3)).reach(c3));
        Expr.Call c4 = call("os.system", str("id"));
        assertEquals(Reach.IMPORT_TIME, model("pkg/util.py", expr(c4)).reach(c4));
        // not setup.py, just a name ending in it
        Expr.Call c5 = call("x");
        assertEquals(Reach.IMPORT_TIME, model("pkg/mysetup.py", expr(c5)).reach(c5));
    }

    @Test
    void functionBodiesRunWhenCalled() {
        Expr.Call inner = call("os.system", str("id"));
        Stmt.FunctionDef f = def("f", List.of(), expr(inner));
        SemanticModel m = model("pkg/util.py", f);
        assertEquals(Reach.CALLED, m.reach(inner));
        assertEquals(Reach.IMPORT_TIME, m.reach(f));
        assertEquals(Optional.of(f), m.enclosingFunction(inner));
        assertEquals(Optional.empty(), m.enclosingFunction(f));

        Expr.Call inLambda = call("exec", name("x"));
        Expr.Call outer = call("register", lambda("x", inLambda));
        SemanticModel m2 = model("pkg/util.py", expr(outer));
        assertEquals(Reach.CALLED, m2.reach(inLambda));
        assertEquals(Reach.IMPORT_TIME, m2.reach(outer));
    }

    @Test
    void classBodiesRunWhereTheyStandButMethodsDoNot() {
        Expr.Call inBody = call("os.system", str("id"));
        Expr.Call inMethod = call("os.system", str("id"));
        Stmt.FunctionDef method = def("m", List.of("self"), expr(inMethod));
        Stmt.ClassDef c = cls("C", List.of(), expr(inBody), method);
        SemanticModel m = model("pkg/util.py", c);
        assertEquals(Reach.IMPORT_TIME, m.reach(inBody));
        assertEquals(Reach.CALLED, m.reach(inMethod));
        assertEquals(Optional.of(method), m.enclosingFunction(inMethod));
    }

    @Test
    void mainGuardCodeRunsOnlyWhenExecutedAsAScript() {
        Expr.Call guarded = call("main");
        SemanticModel m = model("pkg/cli.py", ifMain(expr(guarded)));
        assertEquals(Reach.CALLED, m.reach(guarded));
        // in setup.py the guard is true: pip runs setup.py as __main__
        Expr.Call inSetup = call("setup");
        SemanticModel s = model("setup.py", ifMain(expr(inSetup)));
        assertEquals(Reach.INSTALL_TIME, s.reach(inSetup));
    }

    @Test
    void aMainGuardInsideAnAndStillGuards() {
        Expr.Call guarded = call("pty.spawn", name("argv"));
        Expr platform = new Expr.Compare(name("platform"), List.of("!="), List.of(str("win32")), 1, 1);
        Expr test = new Expr.BoolOp("and", List.of(platform, eq(name("__name__"), str("__main__"))), 1, 1);
        SemanticModel m = model("pkg/ansi.py", new Stmt.If(test, List.of(expr(guarded)), List.of(), 5, 1));
        assertEquals(Reach.CALLED, m.reach(guarded));
        // an "or" runs the block on import whenever the other side holds
        Expr.Call loose = call("pty.spawn", name("argv"));
        Expr either = new Expr.BoolOp("or", List.of(platform, eq(name("__name__"), str("__main__"))), 1, 1);
        SemanticModel n = model("pkg/ansi2.py", new Stmt.If(either, List.of(expr(loose)), List.of(), 5, 1));
        assertEquals(Reach.IMPORT_TIME, n.reach(loose));
    }

    @Test
    void cmdclassCommandsRunAtInstallTime() {
        Expr.Call payload = call("os.system", str("curl example.invalid"));
        Expr.Call helper = call("os.system", str("id"));
        Stmt.ClassDef custom = cls("PostInstall", List.of(name("Base")),
                def("run", List.of("self"), expr(payload)),
                def("other", List.of("self"), expr(helper)));
        Expr.Call setup = callKw(name("setup"), List.of(), kw("name", str("x")),
                kw("cmdclass", dict(str("install"), name("PostInstall"))));
        // the classes here live in a helper module, so only the cmdclass registration marks them
        SemanticModel m = model("setup.py", imp("os"), from("setuptools", "setup"), from("mylib", "Base"), custom,
                expr(setup));
        assertEquals(Reach.INSTALL_TIME, m.reach(payload));
        assertEquals(Reach.INSTALL_TIME, m.reach(helper));

        // through a name bound to dict(...)
        Expr.Call payload2 = call("os.system", str("id"));
        Stmt.ClassDef k = cls("K", List.of(name("Base")), def("run", List.of("self"), expr(payload2)));
        Stmt.Assign cmds = assign("cmds", callKw(name("dict"), List.of(), kw("develop", name("K"))));
        Expr.Call setup2 = callKw(dotted("setuptools.setup"), List.of(), kw("cmdclass", name("cmds")));
        SemanticModel m2 = model("setup.py", imp("setuptools"), from("mylib", "Base"), k, cmds, expr(setup2));
        assertEquals(Reach.INSTALL_TIME, m2.reach(payload2));
    }

    @Test
    void commandSubclassesRunAtInstallTimeInAnyFile() {
        Expr.Call[] payloads = new Expr.Call[4];
        for (int i = 0; i < payloads.length; i++) {
            payloads[i] = call("os.system", str("id"));
        }
        Stmt.ClassDef a = cls("A", List.of(name("install")), def("run", List.of("self"), expr(payloads[0])));
        Stmt.ClassDef b = cls("B", List.of(dotted("develop.develop")), def("run", List.of("self"), expr(payloads[1])));
        Stmt.ClassDef c = cls("C", List.of(name("_build_py")),
                def("initialize_options", List.of("self"), expr(payloads[2])));
        Stmt.ClassDef d = cls("D", List.of(name("A")), def("run", List.of("self"), expr(payloads[3])));
        SemanticModel m = model("pkg/build_hooks.py",
                from("setuptools.command.install", "install"),
                from("setuptools.command", "develop"),
                from("distutils.command.build_py", "build_py as _build_py"),
                a, b, c, d);
        for (Expr.Call p : payloads) {
            assertEquals(Reach.INSTALL_TIME, m.reach(p), p.toString());
        }
        // an unrelated class with a run method is not a command
        Expr.Call notPayload = call("os.system", str("id"));
        Stmt.ClassDef e = cls("Worker", List.of(dotted("threading.Thread")),
                def("run", List.of("self"), expr(notPayload)));
        SemanticModel m2 = model("pkg/worker.py", imp("threading"), e);
        assertEquals(Reach.CALLED, m2.reach(notPayload));
        // a generic Command outside setup.py is a command the project offers its users, run on request;
        // in setup.py it stays install time
        Expr.Call offered = call("os.system", str("id"));
        SemanticModel m3 = model("pkg/command/bdist_custom.py", from("setuptools", "Command"),
                cls("bdist_custom", List.of(name("Command")), def("run", List.of("self"), expr(offered))));
        assertEquals(Reach.CALLED, m3.reach(offered));
        Expr.Call inSetup = call("os.system", str("id"));
        SemanticModel m4 = model("setup.py", from("setuptools", "Command"),
                cls("custom", List.of(name("Command")), def("run", List.of("self"), expr(inSetup))));
        assertEquals(Reach.INSTALL_TIME, m4.reach(inSetup));
    }

    @Test
    void inAWheelOnlySetupPyItselfCouldRunAtInstallTime() {
        // numpy's wheel ships numpy/distutils/command/build_ext.py: a build_ext subclass nobody runs on install
        Expr.Call payload = call("os.system", str("id"));
        Stmt.ClassDef cmd = cls("build_ext", List.of(name("old_build_ext")),
                def("run", List.of("self"), expr(payload)));
        Stmt[] body = {from("distutils.command.build_ext", "build_ext as old_build_ext"), cmd};
        SemanticModel inSdist = new SemanticModel("pkg/distutils/command/build_ext.py", new byte[0], "", module(body),
                false, List.of(), Optional.empty(), 1 << 20, true);
        assertEquals(Reach.INSTALL_TIME, inSdist.reach(payload));
        SemanticModel inWheel = new SemanticModel("pkg/distutils/command/build_ext.py", new byte[0], "", module(body),
                false, List.of(), Optional.empty(), 1 << 20, false);
        assertEquals(Reach.CALLED, inWheel.reach(payload));
    }

    @Test
    void functionsCalledFromModuleLevelInheritItsReach() {
        Expr.Call payload = call("os.system", str("id"));
        Expr.Call deeper = call("exec", str("1"));
        Stmt.FunctionDef g = def("g", List.of(), expr(deeper));
        Stmt.FunctionDef f = def("f", List.of(), expr(payload), expr(call("g")));
        Stmt.FunctionDef unused = def("unused", List.of(), expr(call("os.remove", str("x"))));
        Expr.Call neverRuns = (Expr.Call) ((Stmt.ExprStmt) unused.body().get(0)).value();
        SemanticModel m = model("setup.py", imp("os"), g, f, unused, expr(call("f")));
        assertEquals(Reach.INSTALL_TIME, m.reach(payload));
        assertEquals(Reach.INSTALL_TIME, m.reach(deeper));
        assertEquals(Reach.CALLED, m.reach(neverRuns));

        // import time in a library module, through a callback too
        Expr.Call cb = call("os.system", str("id"));
        Stmt.FunctionDef hook = def("hook", List.of(), expr(cb));
        SemanticModel lib = model("pkg/__init__.py", imp("os"), imp("atexit"), hook,
                expr(call("atexit.register", name("hook"))));
        assertEquals(Reach.IMPORT_TIME, lib.reach(cb));
        // ... and a thread target; but a function stored for later (a CLI command, a signal slot) keeps its reach
        Expr.Call threaded = call("os.system", str("id"));
        Expr.Call command = call("os.system", str("id"));
        Expr.Call slot = call("os.system", str("id"));
        SemanticModel reg = model("pkg/__init__.py", imp("os"), imp("threading"), imp("click"),
                def("steal", List.of(), expr(threaded)), def("stack", List.of(), expr(command)),
                def("on_close", List.of(), expr(slot)),
                expr(call(attr(callKw(dotted("threading.Thread"), List.of(), kw("target", name("steal"))), "start"))),
                expr(call(attr(name("cli"), "add_command"), name("stack"))),
                expr(call(attr(name("closed"), "connect"), name("on_close"))));
        assertEquals(Reach.IMPORT_TIME, reg.reach(threaded));
        assertEquals(Reach.CALLED, reg.reach(command));
        assertEquals(Reach.CALLED, reg.reach(slot));

        // called only from a main guard: stays CALLED outside setup.py
        Expr.Call guardedPayload = call("os.system", str("id"));
        Stmt.FunctionDef main = def("main", List.of(), expr(guardedPayload));
        SemanticModel cli = model("pkg/cli.py", imp("os"), main, ifMain(expr(call("main"))));
        assertEquals(Reach.CALLED, cli.reach(guardedPayload));

        // methods reached through self from an install-time method
        Expr.Call viaSelf = call("os.system", str("id"));
        Stmt.ClassDef cmd = cls("Cmd", List.of(name("install")),
                def("run", List.of("self"), expr(call(attr(name("self"), "_go")))));
        Stmt.ClassDef withHelper = cls("Cmd2", List.of(name("Cmd")),
                def("run", List.of("self"), expr(call(attr(name("self"), "_go")))),
                def("_go", List.of("self"), expr(viaSelf)));
        SemanticModel sm = model("setup.py", from("setuptools.command.install", "install"), cmd, withHelper);
        assertEquals(Reach.INSTALL_TIME, sm.reach(viaSelf));

        // instantiating a class at module level runs its __init__
        Expr.Call inInit = call("os.system", str("id"));
        Stmt.ClassDef k = cls("K", List.of(), def("__init__", List.of("self"), expr(inInit)));
        SemanticModel km = model("pkg/__init__.py", imp("os"), k, assign("instance", call("K")));
        assertEquals(Reach.IMPORT_TIME, km.reach(inInit));
    }

    @Test
    void decodedLayersInheritTheOriginsReach() {
        Expr.Call outerLiteralCall = call("exec", str("payload"));
        SemanticModel outer = model("pkg/util.py", def("f", List.of(), expr(outerLiteralCall)));
        Location origin = Location.of(outer, outerLiteralCall);
        assertEquals(Reach.CALLED, origin.reach());

        Expr.Call inLayer = call("os.system", str("id"));
        SemanticModel layer = new SemanticModel("pkg/util.py#layer1", new byte[0], "", module(imp("os"), expr(inLayer)),
                false, List.of("base64"), Optional.of(origin));
        assertEquals(Reach.CALLED, layer.reach(inLayer));

        Expr.Call inSetupLayer = call("os.system", str("id"));
        Expr.Call setupLiteral = call("exec", str("payload"));
        SemanticModel setupPy = model("setup.py", expr(setupLiteral));
        SemanticModel setupLayer = new SemanticModel("setup.py#layer1", new byte[0], "",
                module(imp("os"), expr(inSetupLayer)), false, List.of("zlib", "base64"),
                Optional.of(Location.of(setupPy, setupLiteral)));
        assertEquals(Reach.INSTALL_TIME, setupLayer.reach(inSetupLayer));
    }

    @Test
    void nodesFromElsewhereHaveUnknownReach() {
        SemanticModel m = model("pkg/util.py", expr(call("f")));
        assertEquals(Reach.UNKNOWN, m.reach(call("g")));
        assertEquals(Optional.empty(), m.enclosingFunction(call("g")));
    }
}
