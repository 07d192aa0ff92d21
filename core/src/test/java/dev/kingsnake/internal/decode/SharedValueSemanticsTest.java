package dev.kingsnake.internal.decode;

import dev.kingsnake.Limits;
import dev.kingsnake.internal.python.PythonParser;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.python.Const;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Stmt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Constant folding and the decoder compute Python's operations with one library ({@code ConstOps}): on each
 * expression both give the same answer, and that answer is CPython 3.11's ({@code <raises>} where Python raises
 * or the result is not a str, bytes, int or bool, so neither may claim a value).
 */
class SharedValueSemanticsTest {
    private static final PythonParser PARSER = new PythonParser(Limits.defaults());

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "x >> -1 | <raises>",
            "x << -1 | <raises>",
            "x >> 70 | 0",
            "-x >> 1 | -3",
            "x // 0 | <raises>",
            "-7 // 2 | -4",
            "-7 % 3 | 2",
            "2 ** -1 | <raises>",
            "2 ** 10 | 1024",
            "~x | -6",
            "not x | False",
            "x < 6 < 7 | True",
            "'ab' in 'cabd' | True",
            "True + 1 | 2",
            "'abcdef'[::-2] | fdb",
            "'abcdef'[-2:] | ef",
            "'abc'[5] | <raises>",
            "'%s-%03d' % ('a', x) | a-005",
            "'{}{}'.format('a', 1) | a1",
            "int('0x1f', 0) | 31",
            "int(' 12 ') | 12",
            "chr(0x110000) | <raises>",
            "ord('é') | 233",
            "b'\\xff'.decode() | <raises>",
            "b'\\xffa'.decode('utf-8', 'ignore') | a",
            "'é'.encode('ascii') | <raises>",
            "'é'.encode('latin-1') | b'\\xe9'",
            "bytes('ab') | <raises>",
            "bytes([104, 105]) | b'hi'",
            "'-'.join(['a', 'b']) | a-b",
            "'a b  c'.split()[2] | c",
            "'xxa'.lstrip('x') | a",
            "'a.b.c'.rsplit('.', 1)[0] | a.b",
            "hex(255) | 0xff",
            "len('naïve') | 5",
            "'ab' * 2 | abab",
            "'ab' + b'c' | <raises>",
            "f'{x}-{x + 1}' | 5-6",
            "f'{x > 1}{None}' | TrueNone",
            "(x, 'a')[1] if x else 'b' | a",
            "''.__doc__[:3] | str",
            "''.join([chr(ord(c) + 1) for c in 'abc' if c != 'b']) | bd",
            "''.join([y[0] for c in 'ab' for y in [('x', 'a'), ('y', 'b')] if c == y[1]]) | xy",
            "len([1 for c in 'ab' for y in 'abc' if c == y]) | 2",
            "''.join(c for c, d in ['ab', 'cd'] if d > 'b') | c",
            "''.join(c for c, d in [('a', 1), ('b', 2)] if d > 1) | b",
            "''.join(map(chr, [111, 115])) | os",
            "''.join(map(lambda c: chr(ord(c) - 1), 'pt')) | os",
            "''.join(map(lambda a, b: a + b, 'ab', 'xyz')) | axby",
            "len(list(map(str, range(x)))) | 5",
            "''.join(map(lambda c: c * 2, [])) + 'e' | e",
            "[1, x][1] | 5",
            "'o' + 's' + 'x'[:0] | os",
            "b'o' + b's' + b'' | b'os'",
            "1 + x + True | 7",
            "'a' + 'b' + 1 | <raises>",
            "'a' + b'b' + 'c' | <raises>",
            "([1] + [x])[1] + 1 | 6",
            "x - 1 + 2 | 6",
    })
    void foldingAndDecodingAgreeWithPython(String expression, String python) {
        PythonFile file = DecodeFixturesTest.model("values.py",
                ("x = 5\ny = " + expression + "\n").getBytes(StandardCharsets.UTF_8), List.of(), Optional.empty());
        Expr value = ((Stmt.Assign) file.module().body().get(1)).value().orElseThrow();
        PayloadEvaluator decoder = new PayloadEvaluator(file, new Bindings(file, null), PARSER,
                OutputBound.of(1 << 16), EvaluationBounds.payloads(Limits.builder().maxAnalysisSteps(100_000).build()));
        String decoded = decoder.evaluate(value, 2).map(SharedValueSemanticsTest::render).orElse("<raises>");
        String folded = file.constant(value).map(SharedValueSemanticsTest::render).orElse("<raises>");
        assertEquals(python, decoded, "decoding");
        assertEquals(python, folded, "folding");
    }

    private static String render(Value v) {
        Const c = ConstConversion.toConst(v);
        return c == null ? "<raises>" : render(c);
    }

    private static String render(Const c) {
        if (c instanceof Const.Str s) {
            return s.value();
        } else if (c instanceof Const.Bytes b) {
            StringBuilder sb = new StringBuilder("b'");
            for (byte x : b.value()) {
                sb.append(x >= 0x20 && x < 0x7f ? String.valueOf((char) x) : String.format("\\x%02x", x & 0xff));
            }
            return sb.append('\'').toString();
        } else if (c instanceof Const.Int i) {
            return i.value().toString();
        } else if (c instanceof Const.Bool b) {
            return b.value() ? "True" : "False";
        }
        return "<raises>";
    }
}
