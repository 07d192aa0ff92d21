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
    void badStatementBecomesInvalidAndTheRestParses() {
        ParseOutcome o = parse("x = 1\ndef f(a b):\n    pass\ny = 2\n");
        assertEquals("x = 1; INVALID<def f(a b):\n    pass>@2; y = 2", ModelPrinter.stmts(o.module().body()));
        assertEquals(List.of("syntax error at line 2 near 'b'"), parseErrors(o));
    }

    @Test
    void errorInsideAFunctionLosesOnlyThatFunction() {
        ParseOutcome o = parse("import os\ndef f():\n    x = = 1\n    return 2\nos.system(c)\n");
        assertEquals("import os; INVALID<def f():\n    x = = 1\n    return 2>@2; os.system(c)",
                ModelPrinter.stmts(o.module().body()));
        assertEquals(1, parseErrors(o).size());
        assertTrue(parseErrors(o).get(0).contains("line 3"), parseErrors(o).toString());
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
