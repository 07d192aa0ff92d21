package dev.kingsnake.internal.python.semantic;

import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Stmt;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static dev.kingsnake.internal.python.semantic.Py.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

class NameResolutionTest {

    private static Optional<String> callee(Expr.Call c, Stmt... before) {
        Stmt[] body = new Stmt[before.length + 1];
        System.arraycopy(before, 0, body, 0, before.length);
        body[before.length] = expr(c);
        return model("pkg/mod.py", body).calleeName(c);
    }

    @Test
    void everySpellingOfOsSystemResolvesToOsSystem() {
        Optional<String> want = Optional.of("os.system");
        assertEquals(want, callee(call("os.system", str("id")), imp("os")));
        assertEquals(want, callee(call("o.system"), imp("os", "o")));
        assertEquals(want, callee(call("s"), from("os", "system as s")));
        assertEquals(want, callee(call("system"), from("os", "system")));
        assertEquals(want, callee(call(attr(call("__import__", str("os")), "system"))));
        assertEquals(want, callee(call(attr(call("__import__", add(str("o"), str("s"))), "system"))));
        assertEquals(want, callee(call(attr(call("importlib.import_module", str("os")), "system")), imp("importlib")));
        assertEquals(want, callee(call(attr(call("import_module", add(str("o"), str("s"))), "system")),
                from("importlib", "import_module")));
        assertEquals(want, callee(call(call("getattr", name("os"), add(str("sys"), str("tem")))), imp("os")));
        assertEquals(want, callee(call(call("getattr", call("__import__", str("os")), str("system")))));
        assertEquals(want, callee(call("s"), imp("os"), assign("s", dotted("os.system"))));
        assertEquals(want, callee(call(attr(name("r"), "system")), imp("os"), assign("r", name("os"))));
        assertEquals(want, callee(call(sub(call("vars", name("os")), str("system"))), imp("os")));
        assertEquals(want, callee(call(sub(dotted("os.__dict__"), str("system"))), imp("os")));
        assertEquals(want, callee(call(attr(sub(dotted("sys.modules"), str("os")), "system")), imp("sys")));
        assertEquals(want, callee(call("system"), from("os", "*")));
        assertEquals(want, callee(call(call("eval", add(str("os.sy"), str("stem")))), imp("os")));
        assertEquals(want, callee(call("s"), imp("os"), assign("s", call("eval", str("os.system")))));
    }

    @Test
    void evalOfAnythingButAConstantDottedNameIsNotAName() {
        assertEquals(Optional.empty(), callee(call(call("eval", name("x"))), imp("os")));
        assertEquals(Optional.empty(), callee(call(call("eval", str("os.system('id')"))), imp("os")));
        assertEquals(Optional.empty(), callee(call(call("eval", str("os.system"), name("g"))), imp("os")));
    }

    @Test
    void dottedImportsAndAliases() {
        assertEquals(Optional.of("os.path.join"), callee(call("p.join"), imp("os.path", "p")));
        assertEquals(Optional.of("os.path.join"), callee(call("os.path.join"), imp("os.path")));
        assertEquals(Optional.of("base64.b64decode"), callee(call("b.b64decode"), imp("base64", "b")));
        assertEquals(Optional.of("requests.get"), callee(call("r.get"), imp("requests"), assign("r", name("requests"))));
        // __import__('os.path') without fromlist returns the top-level package
        assertEquals(Optional.of("os.getcwd"), callee(call(attr(call("__import__", str("os.path")), "getcwd"))));
        assertEquals(Optional.of("os.path.join"), callee(call(attr(call(name("__import__"), str("os.path"), name("None"),
                name("None"), list(str("join"))), "join"))));
    }

    @Test
    void relativeImportsKeepTheirDots() {
        assertEquals(Optional.of(".x"), callee(call("x"), from(1, "", "x")));
        assertEquals(Optional.of(".util.helper"), callee(call("helper"), from(1, "util", "helper")));
        assertEquals(Optional.of("..x.y"), callee(call("x.y"), from(2, "", "x")));
        assertEquals(Optional.of(".mod"), callee(call(call("importlib.import_module", str(".mod"))), imp("importlib")));
    }

    @Test
    void builtinsResolveToTheirBareNameHoweverReached() {
        Optional<String> want = Optional.of("exec");
        assertEquals(want, callee(call("exec", name("x"))));
        assertEquals(want, callee(call("builtins.exec"), imp("builtins")));
        assertEquals(want, callee(call("__builtins__.exec")));
        assertEquals(want, callee(call("b.exec"), imp("builtins", "b")));
        assertEquals(want, callee(call("e"), from("builtins", "exec as e")));
        assertEquals(want, callee(call("__builtin__.exec"), imp("__builtin__")));
        assertEquals(want, callee(call("e", name("x")), assign("e", name("exec"))));
        assertEquals(want, callee(call(call("getattr", name("__builtins__"), add(str("ex"), str("ec"))))));
        assertEquals(want, callee(call(call("getattr", call("__import__", str("builtins")), str("exec")))));
        assertEquals(want, callee(call(attr(sub(call("globals"), str("__builtins__")), "exec"))));
        assertEquals(want, callee(call(sub(sub(call("globals"), str("__builtins__")), str("exec")))));
        assertEquals(want, callee(call(sub(dotted("builtins.__dict__"), str("exec"))), imp("builtins")));
        assertEquals(want, callee(call(sub(call("globals"), str("e"))), assign("e", name("exec"))));
        assertEquals(Optional.of("eval"), callee(call("eval")));
        assertEquals(Optional.of("compile"), callee(call("compile")));
        assertEquals(Optional.of("open"), callee(call("open")));
        assertEquals(Optional.of("__import__"), callee(call("__import__")));
        assertEquals(Optional.of("getattr"), callee(call("getattr")));
    }

    @Test
    void shadowingStopsResolution() {
        // a parameter named exec
        Expr.Call inner = call("exec", name("x"));
        Stmt.FunctionDef f = def("f", List.of("exec", "x"), expr(inner));
        assertEquals(Optional.empty(), model("m.py", f).calleeName(inner));

        // a local def named exec
        Expr.Call afterDef = call("exec", str("x"));
        assertEquals(Optional.empty(), model("m.py", def("exec", List.of("s")), expr(afterDef)).calleeName(afterDef));

        // a module-level assignment of something unknown
        assertEquals(Optional.empty(), callee(call("eval", str("1")), assign("eval", call("make_evaluator"))));

        // os rebound to something else before the use
        assertEquals(Optional.empty(), callee(call("os.system"), imp("os"), assign("os", call("Fake"))));

        // a loop variable
        Expr.Call loopCall = call("exec");
        assertEquals(Optional.empty(),
                model("m.py", forIn("exec", list(name("a")), expr(loopCall))).calleeName(loopCall));

        // the read before a shadowing assignment at module level still sees the import
        Stmt.Import importOs = imp("os");
        Expr.Call early = call("os.system");
        assertEquals(Optional.of("os.system"),
                model("m.py", importOs, expr(early), assign("os", call("Fake"))).calleeName(early));
    }

    @Test
    void functionsSeeModuleAliases() {
        Expr.Call inner = call("run", name("cmd"));
        Stmt.FunctionDef f = def("go", List.of("cmd"), expr(inner));
        SemanticModel m = model("m.py", from("subprocess", "run"), f);
        assertEquals(Optional.of("subprocess.run"), m.calleeName(inner));

        // a local alias inside the function
        Expr.Call local = call("s", str("id"));
        Stmt.FunctionDef g = def("g", List.of(), imp("os"), assign("s", dotted("os.system")), expr(local));
        assertEquals(Optional.of("os.system"), model("m.py", g).calleeName(local));

        // class attributes are not visible from methods
        Expr.Call fromMethod = call("helper");
        Stmt.ClassDef c = cls("C", List.of(), assign("helper", name("exec")),
                def("m", List.of("self"), expr(fromMethod)));
        assertEquals(Optional.empty(), model("m.py", c).calleeName(fromMethod));
    }

    @Test
    void globalDeclarationsBindAtModuleLevel() {
        Expr.Call use = call("runner", str("x"));
        Stmt.FunctionDef init = def("init", List.of(), global("runner"), assign("runner", name("eval")));
        Stmt.FunctionDef later = def("later", List.of(), expr(use));
        assertEquals(Optional.of("eval"), model("m.py", init, later).calleeName(use));
    }

    @Test
    void conflictingBindingsAreUndecided() {
        Expr.Call use = call("loads");
        Stmt.FunctionDef f = def("f", List.of(), expr(use));
        SemanticModel m = model("m.py", from("json", "loads"), from("pickle", "loads"), f);
        assertEquals(Optional.empty(), m.calleeName(use));
        // the same target twice is fine
        Expr.Call same = call("j.loads");
        SemanticModel m2 = model("m.py", imp("json", "j"), imp("json", "j"), def("g", List.of(), expr(same)));
        assertEquals(Optional.of("json.loads"), m2.calleeName(same));
    }

    @Test
    void selfReferentialAliasesTerminate() {
        Expr.Call use = call("a");
        Stmt.FunctionDef f = def("f", List.of(), expr(use));
        SemanticModel m = model("m.py", assign("a", name("b")), assign("b", name("a")), f);
        assertEquals(Optional.empty(), m.calleeName(use));
    }

    @Test
    void unresolvableExpressionsAreEmpty() {
        assertEquals(Optional.empty(), callee(call(attr(call("foo"), "bar"))));
        assertEquals(Optional.empty(), callee(call(call("getattr", name("os"), name("attrname"))), imp("os")));
        assertEquals(Optional.empty(), callee(call(attr(call("__import__", name("modname")), "system"))));
        assertEquals(Optional.empty(), callee(call("undefined_thing")));
    }
}
