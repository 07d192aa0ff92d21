package dev.kingsnake.internal.decode;

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
            assertTrue(ObfuscationSignals.mentionsObfuscator(t), t);
        }
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
