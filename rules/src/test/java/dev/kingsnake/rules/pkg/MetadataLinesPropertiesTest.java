package dev.kingsnake.rules.pkg;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Reading metadata headers line by line finds the same lines as splitting the whole text. */
class MetadataLinesPropertiesTest {

    @Provide
    Arbitrary<String> metadata() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.of("Name: x", "Version: 1.0", "Summary:  s ", "name:y", "\r\n", "\n", "\r", " cont",
                        "\tmore", "Author-email: a@example.invalid", ":", "Name"),
                Arbitraries.strings().withChars("NameVrsio: \r\n\t").ofMaxLength(8));
        return piece.list().ofMaxSize(12).map(l -> String.join("", l));
    }

    @Property(tries = 5000)
    void headerLineAgreesWithSplitting(@ForAll("metadata") String text) {
        for (String name : new String[] {"Name", "version", "Summary", "Author-email", ""}) {
            assertEquals(reference(text, name), PackageMetadata.headerLine(text, name), text);
        }
    }

    /** The lookup as written before: split every line, stop at the first empty one. */
    private static int reference(String text, String name) {
        String[] lines = text.split("\r\n|\n|\r", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            if (l.isEmpty()) {
                return 0;
            }
            int colon = l.indexOf(':');
            if (colon > 0 && l.substring(0, colon).strip().equalsIgnoreCase(name)) {
                return i + 1;
            }
        }
        return 0;
    }
}
