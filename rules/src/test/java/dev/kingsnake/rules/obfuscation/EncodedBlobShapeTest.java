package dev.kingsnake.rules.obfuscation;

import dev.kingsnake.spi.python.Const;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link EncodedBlobRule#blob}'s one pass with early exits says what counting every character says. */
class EncodedBlobShapeTest {

    /** The shape test as first written: two searches, then every character counted. */
    private static boolean counted(String s) {
        if (s.length() < EncodedBlobRule.MIN_LEN || s.contains("-----BEGIN") || s.contains(" ")) {
            return false;
        }
        int b64 = 0;
        int hex = 0;
        int ws = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\n' || ch == '\r') {
                ws++;
                continue;
            }
            if (ch >= '0' && ch <= '9' || ch >= 'a' && ch <= 'f' || ch >= 'A' && ch <= 'F') {
                hex++;
            }
            if (ch >= 'A' && ch <= 'Z' || ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9' || ch == '+'
                    || ch == '/' || ch == '=' || ch == '-' || ch == '_') {
                b64++;
            }
        }
        int len = s.length() - ws;
        if (len < EncodedBlobRule.MIN_LEN) {
            return false;
        }
        if (hex == len) {
            return Obf.entropy(s) >= 3.5;
        }
        return b64 >= len * 0.98 && Obf.entropy(s) >= 5.0;
    }

    @Provide
    Arbitrary<String> texts() {
        Arbitrary<String> hex = Arbitraries.strings().withChars("0123456789abcdefABCDEF\n").ofMinLength(200)
                .ofMaxLength(700);
        Arbitrary<String> b64 = Arbitraries.strings().withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_\n\r").ofMinLength(200)
                .ofMaxLength(700);
        Arbitrary<String> noise = Arbitraries.strings().withChars("ab0 .:é\u0430-\n").ofMaxLength(12);
        Arbitrary<String> insert = Arbitraries.of("", "", "", "-----BEGIN", " ", ".", "é", "..........", "\n\n\n");
        return Arbitraries.oneOf(hex, b64).flatMap(base -> Arbitraries.integers().between(0, base.length())
                .flatMap(at -> Arbitraries.oneOf(noise, insert)
                        .map(extra -> base.substring(0, at) + extra + base.substring(at))));
    }

    @Property(tries = 5000)
    void saysWhatCountingEveryCharacterSays(@ForAll("texts") String s) {
        assertEquals(counted(s), EncodedBlobRule.blob(new Const.Str(s)), s);
    }

    /** Shannon entropy with a count for every one of the 65,536 characters, as first written. */
    private static double entropyOverAllCharacters(String s) {
        int[] counts = new int[65536];
        for (int i = 0; i < s.length(); i++) {
            counts[s.charAt(i)]++;
        }
        double h = 0;
        for (int i = 0; i < s.length(); i++) {
            int c = counts[s.charAt(i)];
            if (c > 0) {
                double p = (double) c / s.length();
                h -= p * (Math.log(p) / Math.log(2));
                counts[s.charAt(i)] = 0;
            }
        }
        return h;
    }

    @Property(tries = 2000)
    void entropyIsTheSameNumber(@ForAll("texts") String s) {
        assertEquals(entropyOverAllCharacters(s), Obf.entropy(s), 0.0, s);
    }

    /** The generator makes blobs of both alphabets and texts that are not, so the property is not vacuous. */
    @org.junit.jupiter.api.Test
    void generatedTextsAreOfBothKinds() {
        java.util.List<String> sample = texts().sampleStream().limit(2000).toList();
        long blobs = sample.stream().filter(EncodedBlobShapeTest::counted).count();
        long hexBlobs = sample.stream().filter(EncodedBlobShapeTest::counted)
                .filter(t -> t.chars().allMatch(ch -> Character.digit(ch, 16) >= 0 || ch == '\n')).count();
        org.junit.jupiter.api.Assertions.assertTrue(blobs > 50 && blobs < 1900 && hexBlobs > 10
                && hexBlobs < blobs, blobs + " blobs, " + hexBlobs + " of hex digits");
    }
}
