package dev.kingsnake.internal.python;

import dev.kingsnake.DiagnosticCode;
import dev.kingsnake.Limits;
import dev.kingsnake.spi.python.Const;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Stmt;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile input finishes with a diagnostic, never a StackOverflowError or OutOfMemoryError. Every
 * parse here runs on a thread with a 1 MiB stack (a common default), not the test JVM's larger one.
 */
class PathologicalInputTest {

    private static final long STACK = 1024 * 1024;

    private final PythonParser parser = new PythonParser(Limits.defaults());

    /** CPU seconds the last {@link #onSmallStack} call used (wall time means little on a shared CI box). */
    private volatile double lastCpuSeconds;

    private <T> T onSmallStack(Supplier<T> work) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = new Thread(null, () -> {
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            long start = mx.getCurrentThreadCpuTime();
            try {
                result.complete(work.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            } finally {
                lastCpuSeconds = (mx.getCurrentThreadCpuTime() - start) / 1e9;
            }
        }, "small-stack-parse", STACK);
        t.start();
        // A hang guard only; the CPU-time assertions below are the speed checks.
        T value = result.get(10, TimeUnit.MINUTES);
        t.join();
        return value;
    }

    private ParseOutcome parse(PythonParser p, String src) throws Exception {
        byte[] bytes = src.getBytes(StandardCharsets.UTF_8);
        ParseOutcome o = onSmallStack(() -> p.parse("evil.py", bytes));
        assertTrue(lastCpuSeconds < 30, "took " + lastCpuSeconds + " s CPU");
        return o;
    }

    private ParseOutcome parse(String src) throws Exception {
        return parse(parser, src);
    }

    private static boolean has(ParseOutcome o, DiagnosticCode code) {
        return o.diagnostics().stream().anyMatch(d -> d.code() == code);
    }

    @Test
    void fileOverTheParseLimitIsNotParsed() throws Exception {
        String src = "x = [" + "0x12, ".repeat(900_000) + "]\n";
        assertTrue(src.length() > Limits.defaults().maxParseBytes());
        ParseOutcome o = parse(src);
        assertTrue(has(o, DiagnosticCode.LIMIT_EXCEEDED));
        assertEquals(0, o.module().body().size());
        assertEquals(src, o.text());
    }

    @Test
    void fiveMegabyteSingleLineParsesWhenAllowed() throws Exception {
        PythonParser big = new PythonParser(Limits.builder().maxParseBytes(8L << 20).build());
        String src = "x = [" + "0x12, ".repeat(900_000) + "]\n";
        ParseOutcome o = parse(big, src);
        System.out.printf("5 MB one-line list: %.1f s CPU%n", lastCpuSeconds);
        assertTrue(lastCpuSeconds < 30, "took " + lastCpuSeconds + " s CPU");
        assertEquals(java.util.List.of(), o.diagnostics());
        Stmt.Assign a = assertInstanceOf(Stmt.Assign.class, o.module().body().get(0));
        assertEquals(900_000, ((Expr.Sequence) a.value().orElseThrow()).elements().size());
    }

    @Test
    void tenThousandNestedBracketsAreCut() throws Exception {
        ParseOutcome o = parse("x = " + "(".repeat(10_000) + "1" + ")".repeat(10_000) + "\ny = 2\n");
        assertTrue(has(o, DiagnosticCode.LIMIT_EXCEEDED), o.diagnostics().toString());
        assertEquals(2, o.module().body().size());
        assertInstanceOf(Stmt.Assign.class, o.module().body().get(0));
        assertEquals("y = 2", ModelPrinter.stmt(o.module().body().get(1)));
    }

    @Test
    void tenThousandUnclosedBrackets() throws Exception {
        ParseOutcome o = parse("x = " + "[{(".repeat(3_400));
        assertTrue(has(o, DiagnosticCode.LIMIT_EXCEEDED));
        assertInstanceOf(Stmt.Invalid.class, o.module().body().get(0));
    }

    /**
     * Every shape of nesting up to the default limit parses whole even when the caller's stack is small: a file
     * nested deeper than {@code PythonParser.NESTING_ON_ANY_STACK} is parsed on a thread whose stack fits it.
     */
    @Test
    void nestingUpToTheDefaultLimitParsesWholeOnASmallStack() throws Exception {
        int d = Limits.defaults().maxSyntaxNesting() - 1;
        String[] shapes = {
                "x = " + "(".repeat(d) + "1" + ")".repeat(d),
                "x = " + "[".repeat(d) + "1" + "]".repeat(d),
                "x = " + "f(".repeat(d) + "1" + ")".repeat(d),
                "x = " + "{1: ".repeat(d) + "1" + "}".repeat(d),
                "x = " + "a[".repeat(d) + "1" + "]".repeat(d),
                "x = " + "(lambda: ".repeat(d) + "1" + ")".repeat(d),
                "x = f'{" + "(".repeat(d) + "1" + ")".repeat(d) + "}'"};
        for (String shape : shapes) {
            ParseOutcome o = parse(shape + "\ny = 2\n");
            assertEquals(java.util.List.of(), o.diagnostics(), shape.substring(0, 12));
            assertInstanceOf(Stmt.Assign.class, o.module().body().get(0));
            if (shape.startsWith("x = [")) {
                assertTrue(ModelPrinter.depth(o.module()) > d, "the list is modelled whole");
            }
            assertEquals("y = 2", ModelPrinter.stmt(o.module().body().get(1)));
        }
        StringBuilder blocks = new StringBuilder();
        for (int i = 0; i < d; i++) {
            blocks.append(" ".repeat(i)).append("if x:\n");
        }
        ParseOutcome o = parse(blocks.append(" ".repeat(d)).append("pass\nz = 1\n").toString());
        assertEquals(java.util.List.of(), o.diagnostics());
        assertEquals("z = 1", ModelPrinter.stmt(o.module().body().get(o.module().body().size() - 1)));
    }

    @Test
    void deepIndentationIsCut() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 1_200; i++) {
            sb.append(" ".repeat(i)).append("if x:\n");
        }
        sb.append(" ".repeat(1_200)).append("pass\nz = 1\n");
        ParseOutcome o = parse(sb.toString());
        assertTrue(has(o, DiagnosticCode.LIMIT_EXCEEDED));
        assertEquals("z = 1", ModelPrinter.stmt(o.module().body().get(o.module().body().size() - 1)));
    }

    @Test
    void oneMegabyteStringLiteral() throws Exception {
        ParseOutcome o = parse("s = '" + "A".repeat(1 << 20) + "'\n");
        assertEquals(java.util.List.of(), o.diagnostics());
        Stmt.Assign a = (Stmt.Assign) o.module().body().get(0);
        Const.Str s = (Const.Str) ((Expr.Literal) a.value().orElseThrow()).value();
        assertEquals(1 << 20, s.value().length());
    }

    @Test
    void minifiedOneLiner() throws Exception {
        ParseOutcome o = parse("import os;".repeat(1) + "a=1;b=a+1;exec(b);".repeat(20_000) + "\n");
        assertEquals(java.util.List.of(), o.diagnostics());
        assertEquals(60_001, o.module().body().size());
    }

    @Test
    void longAssociativeChainsAreBalanced() throws Exception {
        ParseOutcome o = parse("x = " + "chr(97)+".repeat(100_000) + "chr(97)\n");
        assertEquals(java.util.List.of(), o.diagnostics());
        int depth = ModelPrinter.depth(o.module());
        assertTrue(depth < 40, "depth " + depth);
    }

    @Test
    void longNonAssociativeChainsAreCutWithADiagnostic() throws Exception {
        ParseOutcome o = parse("x = " + "a-".repeat(100_000) + "a\ny = 1\n");
        assertTrue(has(o, DiagnosticCode.LIMIT_EXCEEDED));
        assertEquals("y = 1", ModelPrinter.stmt(o.module().body().get(1)));
        assertTrue(ModelPrinter.depth(o.module()) < 10 * Limits.defaults().maxSyntaxNesting() + 10);
    }

    @Test
    void longPrefixAndRightAssociativeChains() throws Exception {
        for (String src : new String[] {
                "x = " + "not ".repeat(100_000) + "a\ny = 1\n",
                "x = " + "-".repeat(100_000) + "1\ny = 1\n",
                "x = " + "a**".repeat(100_000) + "a\ny = 1\n",
                "x = " + "lambda: ".repeat(50_000) + "a\ny = 1\n",
                "x = " + "a if b else ".repeat(50_000) + "c\ny = 1\n",
                "x = " + "await ".repeat(100_000) + "a\ny = 1\n"}) {
            ParseOutcome o = parse(src);
            assertTrue(has(o, DiagnosticCode.LIMIT_EXCEEDED), src.substring(0, 20));
            assertEquals("y = 1", ModelPrinter.stmt(o.module().body().get(o.module().body().size() - 1)));
        }
    }

    @Test
    void deeplyNestedFStrings() throws Exception {
        String src = "x = " + "f'{".repeat(2_000) + "1" + "}'".repeat(2_000) + "\ny = 1\n";
        ParseOutcome o = parse(src);
        assertEquals("y = 1", ModelPrinter.stmt(o.module().body().get(o.module().body().size() - 1)));
    }

    @Test
    void randomBinaryJunk() throws Exception {
        byte[] junk = new byte[200_000];
        new Random(42).nextBytes(junk);
        ParseOutcome o = onSmallStack(() -> parser.parse("junk.py", junk));
        assertTrue(has(o, DiagnosticCode.ENCODING_ERROR));
        assertTrue(has(o, DiagnosticCode.PARSE_ERROR));
    }
}
