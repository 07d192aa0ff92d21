package dev.kingsnake.internal.decode;

import dev.kingsnake.spi.facts.SourceChars;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The decoder's fast paths agree with the slow reference they stand in for. */
class FastPathPropertiesTest {

    @Provide
    Arbitrary<String> texts() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.of("# obfuscated with pyobf", "# OBFUSCATED BY x", "__obfuscator__ = 1",
                        "  __MyObfuscator__ =", "obfuscat", "Obfuscate", "obfuscated  with", "#", "\n", " ", "é"),
                Arbitraries.strings().withChars("obfuscatedwithyOB_ #\n=").ofMaxLength(14));
        return piece.list().ofMaxSize(10).map(l -> String.join("", l));
    }

    @Property(tries = 5000)
    void declaredObfuscatorPrefilterNeverSkipsAMatch(@ForAll("texts") String t) {
        if (ObfuscationSignals.DECLARED.matcher(t).find()) {
            assertTrue(ObfuscationSignals.TextMarks.of(SourceChars.of(t)).obfuscator(), t);
        }
    }

    @Provide
    Arbitrary<String> marked() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.of("__pyarmor__", "pyarmor_runtime", "__armor_enter__", "PYARMOR", "->", "exec", "-", ">",
                        "_", "__", "pyarmor", "py", "PY", "ex", "e", "obfuscat", "OBFUSCAT", "o", "b", "ſ", "é"),
                Arbitraries.strings().withChars("_pyarmortunePYAR-> xcobfusOB\n").ofMaxLength(10));
        return piece.list().ofMaxSize(12).map(l -> String.join("", l));
    }

    /** The one pass over the text finds what a search for each literal finds. */
    @Property(tries = 5000)
    void textMarksAreWhatTheSearchesFind(@ForAll("marked") String t) {
        ObfuscationSignals.TextMarks expected = new ObfuscationSignals.TextMarks(
                t.contains("__pyarmor__") || t.contains("pyarmor_runtime") || t.contains("__armor_enter__")
                        || t.contains("PYARMOR"),
                java.util.stream.IntStream.rangeClosed(0, t.length() - 8)
                        .anyMatch(i -> t.regionMatches(true, i, "obfuscat", 0, 8)),
                t.contains("->"), t.contains("exec"));
        org.junit.jupiter.api.Assertions.assertEquals(expected, ObfuscationSignals.TextMarks.of(SourceChars.of(t)), t);
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.of("Il1", "O0o", "_", "IJL", "MNW", "XW", "Il1O0o_JLMNWXa")
                .flatMap(cls -> Arbitraries.strings().withChars(cls).ofMinLength(1).ofMaxLength(12));
    }

    @Property(tries = 5000)
    void confusablePrefilterNeverSkipsAConfusableName(@ForAll("names") String name) {
        if (ObfuscationSignals.CONFUSABLE.matcher(name).matches()) {
            assertTrue(ObfuscationSignals.mayBeConfusable(name), name);
        }
    }

    @Provide
    Arbitrary<String> anyNames() {
        return Arbitraries.of("Il1", "O0o", "_", "IJLjli1", "MNWmnw", "XWxw", "OoD0Q", "S2s5Z", "vVwWuU",
                        "Il1O0o_JLjiMNWmnwXxDQS2s5ZvVuUa\n", "Oo0DQl1I")
                .flatMap(cls -> Arbitraries.strings().withChars(cls).ofMinLength(0).ofMaxLength(14));
    }

    /** The loop says what the regex says, on runs of each class, of mixed classes and of other characters. */
    @Property(tries = 20000)
    void confusableIsTheRegex(@ForAll("anyNames") String name) {
        org.junit.jupiter.api.Assertions.assertEquals(ObfuscationSignals.CONFUSABLE.matcher(name).matches(),
                ObfuscationSignals.confusable(name), name);
    }

    /** Any bytes, base64-encoded, with junk Python discards mixed in, decode back to themselves. */
    @Property(tries = 2000)
    void base64DecodesWhatJavaEncodes(@ForAll byte[] data, @ForAll("junk") String junk, @ForAll boolean unpadded)
            throws DecodeException {
        String enc = Base64.getEncoder().encodeToString(data);
        if (unpadded) {
            enc = enc.replace("=", "");
        }
        StringBuilder mixed = new StringBuilder();
        for (int i = 0; i < enc.length(); i++) {
            mixed.append(enc.charAt(i));
            if (!junk.isEmpty() && i % 5 == 2) {
                mixed.append(junk);
            }
        }
        byte[] in = mixed.toString().getBytes(StandardCharsets.ISO_8859_1);
        assertArrayEquals(data, BaseN.b64(in, OutputBound.of(1 << 20)));
    }

    @Provide
    Arbitrary<String> junk() {
        return Arbitraries.strings().withChars(" \n\t-_.:!é\u00ff").ofMaxLength(3);
    }
}
