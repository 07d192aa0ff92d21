package dev.kingsnake.internal.decode;

import dev.kingsnake.Confidence;
import dev.kingsnake.Finding;
import dev.kingsnake.Limits;
import dev.kingsnake.Reach;
import dev.kingsnake.ScanResult;
import dev.kingsnake.Scanner;
import dev.kingsnake.Severity;
import dev.kingsnake.internal.decode.marshal.MarshalReaderTest;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.Rule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.SourceFile;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Decoded layers as the engine hands them to rules: virtual files with their chain. */
class EngineDecodeTest {

    /** Reports every decoded layer whose text names a host under example.invalid. */
    static final class ProbeRule implements Rule {
        @Override
        public RuleInfo info() {
            return new RuleInfo("KS-TEST-PROBE", "probe", Severity.INFO, Confidence.LOW, Set.of(), "", "");
        }

        @Override
        public void check(RuleContext ctx, FindingSink sink) {
            for (SourceFile f : ctx.files()) {
                if (!f.decodeChain().isEmpty() && f.text().contains("example.invalid")) {
                    sink.report(Location.file(f, Reach.UNKNOWN), "names example.invalid", f.path());
                }
            }
        }
    }

    private static byte[] wheel(String path, byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("demo-1.0.dist-info/METADATA"));
            zip.write("Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n".getBytes());
            zip.putNextEntry(new ZipEntry(path));
            zip.write(content);
        }
        return bytes.toByteArray();
    }

    @Test
    void pycInsideAWheelBecomesACodeListingLayer() throws IOException {
        byte[] header = {(byte) 0xa7, 0x0d, 0x0d, 0x0a, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        byte[] marshal = HexFormat.of().parseHex(MarshalReaderTest.PY311_MODULE);
        byte[] pyc = new byte[header.length + marshal.length];
        System.arraycopy(header, 0, pyc, 0, header.length);
        System.arraycopy(marshal, 0, pyc, header.length, marshal.length);
        Scanner scanner = Scanner.builder().rules(List.of(new ProbeRule())).build();
        ScanResult r = scanner.scan("demo-1.0-py3-none-any.whl",
                new ByteArrayInputStream(wheel("demo/__pycache__/core.cpython-311.pyc", pyc)));
        List<Finding> probes = r.findings().stream().filter(f -> f.ruleId().equals("KS-TEST-PROBE")).toList();
        assertEquals(1, probes.size(), r.toString());
        Finding f = probes.get(0);
        assertEquals("demo/__pycache__/core.cpython-311.pyc#layer1", f.file());
        assertEquals(List.of("pyc 3.11-3.13"), f.decodeChain());
    }

    @Test
    void unreadablePycIsADiagnosticNotACrash() throws IOException {
        byte[] junk = {0x55, 0x0d, 0x0d, 0x0a, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 'c', 1};
        Scanner scanner = Scanner.builder().rules(List.of(new ProbeRule())).limits(Limits.defaults()).build();
        ScanResult r = scanner.scan("demo-1.0-py3-none-any.whl",
                new ByteArrayInputStream(wheel("demo/x.pyc", junk)));
        assertTrue(r.diagnostics().stream().anyMatch(d -> d.file().equals("demo/x.pyc")
                && d.code() == dev.kingsnake.DiagnosticCode.DECODE_INCOMPLETE), r.diagnostics().toString());
    }

    /** *args holding a value the evaluator cannot know (a call result) is unknown, not a crash of decoding. */
    @Test
    void varargsWithAnUnknownArgumentDoNotStopTheAnalysis() {
        String src = "import base64, os\n"
                + "def pick(*parts):\n"
                + "    return parts[-1]\n"
                + "class Loader:\n"
                + "    def blob(self):\n"
                + "        return pick(os.getcwd(), 'aW1wb3J0IG9zCg==')\n"
                + "    def code(self):\n"
                + "        return base64.b64decode(self.blob())\n"
                + "exec(Loader().code())\n"
                + "exec(base64.b64decode(pick('aW1wb3J0IG9zCg==')))\n";
        Scanner scanner = Scanner.builder().rules(List.of(new ProbeRule())).build();
        ScanResult r = scanner.scan("loader.py", new ByteArrayInputStream(src.getBytes()));
        assertTrue(r.diagnostics().stream().noneMatch(d -> d.message().contains("Exception")), r.diagnostics().toString());
        assertTrue(r.findings().stream().noneMatch(f -> f.ruleId().equals("RULE_FAILED")), r.toString());
    }
}
