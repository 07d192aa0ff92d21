package dev.kingsnake.internal.decode;

import dev.kingsnake.Limits;
import dev.kingsnake.internal.python.ParseOutcome;
import dev.kingsnake.internal.python.PythonParser;
import dev.kingsnake.internal.python.semantic.SemanticModel;
import dev.kingsnake.spi.ObfuscationSignal;
import dev.kingsnake.spi.PythonFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Obfuscator markers on small defanged snippets written for this test. */
class ObfuscationSignalsTest {
    @BeforeAll
    static void parserPresent() {
        DecodeFixturesTest.parserPresent();
    }

    private static Set<ObfuscationSignal.Kind> kinds(String source) {
        PythonFile f = DecodeFixturesTest.model("x.py", source.getBytes(StandardCharsets.UTF_8), List.of(),
                Optional.empty());
        return f.obfuscationSignals().stream().map(ObfuscationSignal::kind).collect(Collectors.toSet());
    }

    @Test
    void pyarmorRuntime() {
        assertEquals(Set.of(ObfuscationSignal.Kind.PYARMOR),
                kinds("from pytransform import pyarmor_runtime\npyarmor_runtime()\n__pyarmor__(__name__, __file__, b'x')\n"));
    }

    @Test
    void decoderLambdaAndDeclaredTool() {
        Set<ObfuscationSignal.Kind> k = kinds("# Obfuscated with SomeTool\n"
                + "_ = lambda __ : __import__('zlib').decompress(__import__('base64').b64decode(__[::-1]))\n"
                + "exec((_)(b'=='))\n");
        assertTrue(k.contains(ObfuscationSignal.Kind.DECODER_LAMBDA), k::toString);
        assertTrue(k.contains(ObfuscationSignal.Kind.DECLARED_OBFUSCATOR), k::toString);
    }

    @Test
    void hiddenBuiltinsAndConfusableNames() {
        StringBuilder src = new StringBuilder("_ = ''.join\n");
        src.append("__ = getattr(__builtins__, _([chr(c) for c in [101, 120, 101, 99]]))\n");
        String[] names = {"IlIlIlIl", "lIlIlIlI", "IIllIIll", "llIIllII", "IlllIIlI", "lIIIlllI", "IIIlllII", "lllIIIll",
                "IlIIlIIl", "lIllIllI"};
        for (String n : names) {
            src.append(n).append(" = 1\n");
        }
        Set<ObfuscationSignal.Kind> k = kinds(src.toString());
        assertTrue(k.contains(ObfuscationSignal.Kind.HIDDEN_BUILTINS), k::toString);
        assertTrue(k.contains(ObfuscationSignal.Kind.CONFUSABLE_NAMES), k::toString);
    }

    /** The {@code eval}'d text behind a computed builtin name is parsed under the scan's limits, not the defaults. */
    @Test
    void evaluatedNamesAreParsedWithTheScansLimits() {
        String source = "f = getattr(__builtins__, eval(\"'ex' + 'ec'\"))\n";
        assertTrue(signals(source, Limits.defaults()).contains(ObfuscationSignal.Kind.HIDDEN_BUILTINS));
        Limits tiny = Limits.defaults().toBuilder().maxParseBytes(4).build();
        assertEquals(Set.of(), signals(source, tiny));
    }

    /**
     * The look-ups of computed builtin names share a hundredth of {@code maxAnalysisSteps}: a name built by a
     * comprehension over 300 character codes needs more than 3 of 300 steps, and is found with the default.
     */
    @Test
    void computedNamesAreLookedUpWithinTheAnalysisSteps() {
        StringBuilder codes = new StringBuilder();
        for (int i = 0; i < 75; i++) {
            codes.append(i == 0 ? "" : ", ").append("101, 120, 101, 99");
        }
        String source = "f = getattr(__builtins__, ''.join([chr(c) for c in [" + codes + "]])[:4])\n";
        assertTrue(signals(source, Limits.defaults()).contains(ObfuscationSignal.Kind.HIDDEN_BUILTINS));
        assertEquals(Set.of(), signals(source, Limits.defaults().toBuilder().maxAnalysisSteps(300).build()));
    }

    private static Set<ObfuscationSignal.Kind> signals(String source, Limits limits) {
        byte[] bytes = source.getBytes(StandardCharsets.UTF_8);
        ParseOutcome out = new PythonParser(Limits.defaults()).parse("x.py", bytes);
        PythonFile f = new SemanticModel("x.py", bytes, out.text(), out.module(), false, List.of(), Optional.empty(),
                limits, true);
        return f.obfuscationSignals().stream().map(ObfuscationSignal::kind).collect(Collectors.toSet());
    }

    @Test
    void execAnnotatedClass() {
        Set<ObfuscationSignal.Kind> k = kinds("class Loader():\n"
                + " def __decode__(self:object,_execute:str)->exec:return(None,self._exec(_execute))[0]\n"
                + " def __init__(self:object,_k:float=False)->exec:\n  self._x = 1\n");
        assertEquals(Set.of(ObfuscationSignal.Kind.EXEC_ANNOTATED_CLASS), k);
    }

    @Test
    void ordinaryCodeHasNoSignal() {
        assertEquals(Set.of(), kinds("import base64, json\n\ndef load(s):\n    return json.loads(base64.b64decode(s))\n"
                + "value = getattr(obj, 'name')\n"));
    }
}
