package dev.kingsnake.internal.python;

import dev.kingsnake.Diagnostic;
import dev.kingsnake.DiagnosticCode;
import dev.kingsnake.Limits;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A syntax error costs the statement it is in, never the rest of the file. */
class ErrorRecoveryTest {

    private final PythonParser parser = new PythonParser(Limits.defaults());

    private ParseOutcome parse(String src) {
        return parser.parse("bad.py", src.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> parseErrors(ParseOutcome o) {
        return o.diagnostics().stream().filter(d -> d.code() == DiagnosticCode.PARSE_ERROR)
                .map(Diagnostic::message).collect(Collectors.toList());
    }

    @Test
    void badLineBecomesInvalidAndTheRestParses() {
        ParseOutcome o = parse("x = 1\ny = = 2\nz = 3\n");
        assertEquals("x = 1; INVALID<y = = 2>@2; z = 3", ModelPrinter.stmts(o.module().body()));
        assertEquals(List.of("syntax error at line 2 near '='"), parseErrors(o));
    }

    @Test
    void errorInsideAFunctionCostsOnlyThatLine() {
        ParseOutcome o = parse("import os\ndef f():\n    x = = 1\n    os.system(c)\n    return 2\ny = 3\n");
        assertEquals("import os; def f() {INVALID<x = = 1>@3; os.system(c); return 2}; y = 3",
                ModelPrinter.stmts(o.module().body()));
        assertEquals(List.of("syntax error at line 3 near '='"), parseErrors(o));
    }

    @Test
    void badBlockHeaderKeepsItsBody() {
        ParseOutcome o = parse("x = 1\ndef f(a b):\n    exec(p)\ny = 2\n");
        assertEquals("x = 1; INVALID<def f(a b):>@2; exec(p); y = 2", ModelPrinter.stmts(o.module().body()));
        assertEquals(List.of("syntax error at line 2 near 'b'"), parseErrors(o));
    }

    @Test
    void severalBadLinesInOneClass() {
        ParseOutcome o = parse("class A:\n    a = )\n    def f(self):\n        b = ]\n        c()\n    d = 1\n");
        assertEquals("class A() {INVALID<a = )>@2; def f(self) {INVALID<b = ]>@4; c()}; d = 1}",
                ModelPrinter.stmts(o.module().body()));
        assertEquals(2, parseErrors(o).size());
    }

    @Test
    void unexpectedIndentedBlockIsMerged() {
        ParseOutcome o = parse("def f():\n    a()\n        b()\n    c()\n");
        assertEquals("def f() {a(); b(); c()}", ModelPrinter.stmts(o.module().body()));
        assertEquals(1, parseErrors(o).size());
    }

    @Test
    void tooManyBadLinesGiveUpTheWholeStatement() {
        ParseOutcome o = parse("class A:\n" + "    x = = 1\n".repeat(25) + "y = 1\n");
        assertEquals(2, o.module().body().size());
        assertTrue(ModelPrinter.stmt(o.module().body().get(0)).startsWith("INVALID<class A:"));
        assertEquals("y = 1", ModelPrinter.stmt(o.module().body().get(1)));
    }

    /**
     * An unclosed bracket would make the rest of the file one logical line (CPython reports just that);
     * the layout ends it at the next column-0 line that starts with a statement-only keyword.
     */
    @Test
    void unclosedBracketDoesNotSwallowTheFile() {
        ParseOutcome o = parse("a = (1,\nimport os\nos.system(c)\n");
        assertEquals("INVALID<a = (1,>@1; import os; os.system(c)", ModelPrinter.stmts(o.module().body()));
        assertEquals(1, parseErrors(o).size());
    }

    @Test
    void strayCharactersAndUnterminatedStrings() {
        ParseOutcome o = parse("x = $\ns = 'abc\nimport os\ny = 2 ?\nz = 3\n");
        assertEquals("INVALID<x = $>@1; INVALID<s = 'abc>@2; import os; INVALID<y = 2 ?>@4; z = 3",
                ModelPrinter.stmts(o.module().body()));
        assertEquals(3, parseErrors(o).size());
    }

    @Test
    void unexpectedIndentIsReportedButParsed() {
        ParseOutcome o = parse("  x = 1\ny = 2\n");
        assertEquals("x = 1; y = 2", ModelPrinter.stmts(o.module().body()));
        assertEquals(List.of("unexpected indent at line 1"), parseErrors(o));
    }

    @Test
    void inconsistentDedentIsTolerated() {
        ParseOutcome o = parse("if a:\n    b\n  c\nd\n");
        assertEquals("if a {b}; c; d", ModelPrinter.stmts(o.module().body()));
    }

    @Test
    void manyErrorsAreSummarised() {
        ParseOutcome o = parse("x = = 1\n".repeat(50) + "ok = 1\n");
        // each bad line is its own top-level statement, so this is not bounded by the per-statement repairs
        assertEquals(51, o.module().body().size());
        assertEquals("ok = 1", ModelPrinter.stmt(o.module().body().get(50)));
        List<String> errors = parseErrors(o);
        assertEquals(11, errors.size());
        assertEquals("40 more syntax errors", errors.get(10));
    }

    @Test
    void badFStringFieldIsUnknownWithAnError() {
        ParseOutcome o = parse("x = f'{a b}'\ny = 1\n");
        assertEquals("x = f[?a b?]; y = 1", ModelPrinter.stmts(o.module().body()));
        assertEquals(1, parseErrors(o).size());
    }
}
