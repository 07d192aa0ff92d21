package dev.kingsnake.internal.python.semantic;

import dev.kingsnake.Limits;
import dev.kingsnake.Reach;
import dev.kingsnake.internal.python.ParseOutcome;
import dev.kingsnake.internal.python.PythonParser;
import dev.kingsnake.spi.python.Const;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Stmt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The semantic layer on trees the real front end builds from Python source. */
class SourceLevelTest {
    private static final PythonParser PARSER = new PythonParser(Limits.defaults());

    static SemanticModel parse(String path, String source) {
        byte[] bytes = source.getBytes(StandardCharsets.UTF_8);
        ParseOutcome out = PARSER.parse(path, bytes);
        assertTrue(out.diagnostics().isEmpty(), () -> "parse diagnostics: " + out.diagnostics());
        return new SemanticModel(path, bytes, out.text(), out.module(), false, List.of(), Optional.empty());
    }

    /** The last call of the file whose callee is written {@code name}. */
    static Expr.Call lastCall(SemanticModel m, String name) {
        Expr.Call found = null;
        for (Expr.Call c : m.calls()) {
            if (dev.kingsnake.spi.python.Nodes.dottedName(c.callee()).equals(name)) {
                found = c;
            }
        }
        assertTrue(found != null, "no call to " + name);
        return found;
    }

    /** The call in the last statement of the file, which must be an expression statement. */
    static Expr.Call lastStatementCall(SemanticModel m) {
        List<Stmt> body = m.module().body();
        Stmt last = body.get(body.size() - 1);
        assertTrue(last instanceof Stmt.ExprStmt e && e.value() instanceof Expr.Call, "last statement: " + last);
        return (Expr.Call) ((Stmt.ExprStmt) last).value();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "import os\nos.system('id')",
        "import os as o\no.system('id')",
        "from os import system as s\ns('id')",
        "from os import *\nsystem('id')",
        "__import__('os').system('id')",
        "__import__('o' + 's').system('id')",
        "__import__('so'[::-1]).system('id')",
        "__import__(''.join(map(chr, [111, 115]))).system('id')",
        "__import__(''.join(chr(c) for c in [111, 115])).system('id')",
        "import importlib\nimportlib.import_module('os').system('id')",
        "import importlib as il\nil.import_module('o' + 's').system('id')",
        "import os\ngetattr(os, 'sys' + 'tem')('id')",
        "import os\ngetattr(os, 'metsys'[::-1])('id')",
        "getattr(__import__('os'), 'system')('id')",
        "import os\ns = os.system\ns('id')",
        "import os\nr = os\nr.system('id')",
        "m = 'os'\n__import__(m).system('id')",
        "m = 'o'\nm += 's'\n__import__(m).system('id')",
        "import sys, os\nsys.modules['os'].system('id')",
        "import os\nvars(os)['system']('id')",
        "import os\nos.__dict__['sys%s' % 'tem']('id')",
        "name = '{}{}'.format('o', 's')\n__import__(name).system('id')",
        "x = 's'\n__import__(f'o{x}').system('id')",
        "__import__(bytes([111, 115]).decode()).system('id')",
        "__import__(bytes.fromhex('6f73').decode('utf-8')).system('id')",
        "__import__('OS'.lower()).system('id')",
        "__import__('xosx'.replace('x', '')).system('id')",
    })
    void everySpellingResolvesToOsSystem(String source) {
        SemanticModel m = parse("pkg/mod.py", source);
        assertEquals(Optional.of("os.system"), m.calleeName(lastStatementCall(m)), source);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "exec(code)",
        "import builtins\nbuiltins.exec(code)",
        "__builtins__.exec(code)",
        "e = exec\ne(code)",
        "getattr(__builtins__, 'ex' + 'ec')(code)",
        "getattr(__import__('builtins'), 'exec')(code)",
        "globals()['__builtins__'].exec(code)",
        "__builtins__.__dict__['exec'](code)",
        "import builtins as b\nb.__dict__['ex' 'ec'](code)",
        "from builtins import exec as run\nrun(code)",
    })
    void everySpellingResolvesToExec(String source) {
        SemanticModel m = parse("pkg/mod.py", source);
        assertEquals(Optional.of("exec"), m.calleeName(lastStatementCall(m)), source);
    }

    @Test
    void pythonTwoExecStatementIsAnExecCall() {
        SemanticModel m = parse("pkg/mod.py", "exec \"print 1\"\n");
        assertEquals(Optional.of("exec"), m.calleeName(lastStatementCall(m)));
    }

    @Test
    void shadowedNamesDoNotResolve() {
        SemanticModel m = parse("pkg/mod.py", """
                def run(exec, code):
                    exec(code)

                class Engine:
                    def eval(self, x):
                        return x

                def use(engine):
                    eval = engine.eval
                    eval('1')
                """);
        assertEquals(Optional.empty(), m.calleeName(lastCall(m, "exec")));
        assertEquals(Optional.empty(), m.calleeName(lastCall(m, "eval")));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "use('curl')",
        "use('cu' + 'rl')",
        "use('c' 'u' 'r' 'l')",
        "use('lruc'[::-1])",
        "use(''.join(['c', 'u', 'r', 'l']))",
        "use(''.join(map(chr, [99, 117, 114, 108])))",
        "use(''.join(chr(x) for x in [99, 117, 114, 108]))",
        "use(''.join([chr(x ^ 1) for x in [98, 116, 115, 109]]))",
        "use(chr(99) + chr(117) + chr(114) + chr(108))",
        "use('%s%s' % ('cu', 'rl'))",
        "use('{}rl'.format('cu'))",
        "use('{a}{b}'.format(a='cu', b='rl'))",
        "a = 'cu'\nuse(f'{a}rl')",
        "use(bytes([99, 117, 114, 108]).decode())",
        "use(bytearray(b'curl').decode('ascii'))",
        "use(bytes.fromhex('6375726c').decode())",
        "use(b'curl'.decode('latin-1'))",
        "use('CURL'.lower())",
        "use('  curl  '.strip())",
        "use('c-u-r-l'.replace('-', ''))",
        "use('x curl y'.split()[1])",
        "use('curl'.encode().decode('utf-8'))",
        "use(str('curl'))",
        "x = 'cu'\nx += 'rl'\nuse(x)",
        "x = 'cu'\ny = x + 'rl'\nuse(y)",
        "def f():\n    return 1\nP = 'curl'\ndef g():\n    use(P)",
        "use('abcurlxyz'[2:6])",
        "use(''.join(reversed('lruc')))",
        "_ = ''.join\nuse(_([chr(x) for x in [99, 117, 114, 108]]))",
        "j = '-'.join\nuse(j(['cu', 'rl']).replace('-', ''))",
    })
    void everySpellingFoldsToTheSameString(String source) {
        SemanticModel m = parse("pkg/mod.py", source);
        Expr arg = lastCall(m, "use").args().get(0);
        assertEquals(Optional.of(new Const.Str("curl")), m.constant(arg), source);
    }

    @Test
    void bytesAndIntsFold() {
        SemanticModel m = parse("pkg/mod.py", """
                use(b'cu' + b'rl')
                use('curl'.encode('utf-8'))
                use(bytes([99, 117, 114, 108]))
                use(3 * 4 + 2 ** 3 - 7 // 2)
                use(ord('c'))
                use(len('curl') * 2)
                """);
        List<Expr.Call> uses = m.calls().stream().filter(c -> Optional.of("use").equals(
                Optional.of(dev.kingsnake.spi.python.Nodes.dottedName(c.callee())))).toList();
        Const curl = new Const.Bytes("curl".getBytes(StandardCharsets.US_ASCII));
        assertEquals(Optional.of(curl), m.constant(uses.get(0).args().get(0)));
        assertEquals(Optional.of(curl), m.constant(uses.get(1).args().get(0)));
        assertEquals(Optional.of(curl), m.constant(uses.get(2).args().get(0)));
        assertEquals(Optional.of(new Const.Int(java.math.BigInteger.valueOf(17))), m.constant(uses.get(3).args().get(0)));
        assertEquals(Optional.of(new Const.Int(java.math.BigInteger.valueOf(99))), m.constant(uses.get(4).args().get(0)));
        assertEquals(Optional.of(new Const.Int(java.math.BigInteger.valueOf(8))), m.constant(uses.get(5).args().get(0)));
    }

    /**
     * Docstring characters fold where CPython 3.6-3.13 agree: {@code abs}'s docstring never changed, {@code int}'s
     * shares only "int(", {@code print}'s shares nothing; {@code ''} and {@code {}} stand for str and dict.
     */
    @Test
    void builtinDocstringsFoldWhereEveryVersionAgrees() {
        SemanticModel m = parse("pkg/mod.py", """
                use(abs.__doc__[0])
                use(abs.__doc__[-1])
                use(''.__doc__[:3])
                use({}.__doc__[0:4])
                use(''.join(compile.__doc__[i] for i in (6, 47, 6, 12)))
                use(int.__doc__[3])
                use(int.__doc__[4])
                use(int.__doc__[-1])
                use(print.__doc__[0])
                use(str.__doc__[1:])
                def shadowed(abs):
                    use(abs.__doc__[0])
                """);
        List<Expr.Call> uses = m.calls().stream().filter(c -> Optional.of("use").equals(
                Optional.of(dev.kingsnake.spi.python.Nodes.dottedName(c.callee())))).toList();
        List<Optional<Const>> folded = uses.stream().map(c -> m.constant(c.args().get(0))).toList();
        assertEquals(List.of(Optional.of(new Const.Str("R")), Optional.of(new Const.Str(".")),
                Optional.of(new Const.Str("str")), Optional.of(new Const.Str("dict")),
                Optional.of(new Const.Str("exec")), Optional.of(new Const.Str("(")), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()), folded);
    }

    @Test
    void valuesThatDependOnRuntimeDoNotFold() {
        SemanticModel m = parse("pkg/mod.py", """
                import os
                x = os.environ['HOME']
                use(x + '/bin')
                acc = ''
                for ch in 'abc':
                    acc += ch
                use(acc)
                use('a' * 10 ** 12)
                """);
        for (Expr.Call c : m.calls()) {
            if (dev.kingsnake.spi.python.Nodes.dottedName(c.callee()).equals("use")) {
                assertFalse(m.constant(c.args().get(0)).isPresent(), () -> "folded: " + c.line());
            }
        }
    }

    @Test
    void setupPyReach() {
        SemanticModel m = parse("setup.py", """
                import os
                from setuptools import setup
                from setuptools.command.install import install

                def helper():
                    os.system('at-install')

                def unused():
                    os.system('never')

                class PostInstall(install):
                    def run(self):
                        os.system('post-install')
                        install.run(self)

                class Other:
                    def run(self):
                        os.system('other')

                import atexit

                @atexit.register
                def on_exit():
                    os.system('at-exit')

                helper()
                setup(name='x', cmdclass={'install': PostInstall})
                """);
        assertEquals(Reach.INSTALL_TIME, reachOfSystemCall(m, "at-install"));
        assertEquals(Reach.CALLED, reachOfSystemCall(m, "never"));
        assertEquals(Reach.INSTALL_TIME, reachOfSystemCall(m, "post-install"));
        assertEquals(Reach.CALLED, reachOfSystemCall(m, "other"));
        assertEquals(Reach.INSTALL_TIME, reachOfSystemCall(m, "at-exit"));
        assertEquals(Reach.INSTALL_TIME, m.reach(lastCall(m, "setup")));
    }

    @Test
    void libraryModuleReach() {
        SemanticModel m = parse("pkg/__init__.py", """
                import os
                os.system('on-import')

                class Config:
                    os.system('class-body')
                    def method(self):
                        os.system('method')

                def _init():
                    os.system('init')

                _init()

                if __name__ == '__main__':
                    os.system('main')
                """);
        assertEquals(Reach.IMPORT_TIME, reachOfSystemCall(m, "on-import"));
        assertEquals(Reach.IMPORT_TIME, reachOfSystemCall(m, "class-body"));
        assertEquals(Reach.CALLED, reachOfSystemCall(m, "method"));
        assertEquals(Reach.IMPORT_TIME, reachOfSystemCall(m, "init"));
        assertEquals(Reach.CALLED, reachOfSystemCall(m, "main"));
        Expr.Call method = systemCall(m, "method");
        assertEquals("method", m.enclosingFunction(method).orElseThrow().name());
    }

    private static Expr.Call systemCall(SemanticModel m, String arg) {
        for (Expr.Call c : m.calls()) {
            if (m.calleeName(c).equals(Optional.of("os.system"))
                    && m.constant(c.args().get(0)).equals(Optional.of(new Const.Str(arg)))) {
                return c;
            }
        }
        throw new AssertionError("no os.system('" + arg + "')");
    }

    private static Reach reachOfSystemCall(SemanticModel m, String arg) {
        return m.reach(systemCall(m, arg));
    }

    @Test
    void concurrentQueriesAgreeWithSequentialOnes() throws Exception {
        StringBuilder src = new StringBuilder("import os, base64 as b\nfrom subprocess import Popen as P\n");
        for (int i = 0; i < 20; i++) {
            src.append("""
                    k%1$d = 'ke' + 'y'
                    def f%1$d(x):
                        e = exec
                        e(b.b64decode(''.join(['YW', 'Jj'])))
                        P(['sh', '-c', '%%s %%s' %% ('echo', k%1$d)])
                        return getattr(os, 'sys' + 'tem')(chr(105) + chr(100))
                    class C%1$d:
                        def run(self):
                            __import__('o' + 's').popen('{}'.format(k%1$d[::-1]))
                    f%1$d(1)
                    """.formatted(i));
        }
        String source = src.toString();
        SemanticModel sequential = parse("pkg/mod.py", source);
        List<String> expected = answers(sequential);
        SemanticModel shared = parse("pkg/mod.py", source);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<List<String>>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> answers(shared)));
            }
            for (java.util.concurrent.Future<List<String>> r : results) {
                assertEquals(expected, r.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(expected.contains("os.system|id|IMPORT_TIME"), expected::toString);
        assertTrue(expected.contains("os.popen|yek|CALLED"), expected::toString);
    }

    private static List<String> answers(SemanticModel m) {
        List<String> out = new java.util.ArrayList<>();
        for (Expr.Call c : m.calls()) {
            String arg = c.args().isEmpty() ? "" : m.constant(c.args().get(0)).map(Const::asText).orElse("?");
            out.add(m.calleeName(c).orElse("?") + "|" + arg + "|" + m.reach(c));
        }
        return out;
    }

    @Test
    void deepConcatenationFromSourceFolds() {
        StringBuilder src = new StringBuilder("use(");
        for (int i = 0; i < 20_000; i++) {
            src.append(i == 0 ? "" : " + ").append("'ab'");
        }
        src.append(")\n");
        SemanticModel m = parse("pkg/mod.py", src.toString());
        Optional<Const> c = m.constant(lastCall(m, "use").args().get(0));
        assertTrue(c.isPresent());
        assertEquals(40_000, c.get().asText().length());
    }
}
