package dev.kingsnake.internal.decode;

import dev.kingsnake.spi.facts.PythonApis;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Decoders#handles} says which calls the evaluator evaluates the arguments of; every other call is unknown
 * without them. It is a list beside {@link Decoders#builtin}'s dispatch, so a name added to the dispatch alone
 * would never be called: this reads the dispatch's names from its source and asks {@code handles} for each.
 */
class DecodersHandlesTest {
    /** A case label of the dispatch's switch, one name or several. */
    private static final Pattern CASE = Pattern.compile("case (\"[^\"]+\"(?:, \"[^\"]+\")*):");
    /** An {@code if} of the dispatch that tests the name itself. */
    private static final Pattern IF_NAME = Pattern.compile("\\n\\s*if \\((name\\.[^\\n]*)\\) \\{");
    private static final Pattern TEST = Pattern.compile("name\\.(equals|endsWith)\\(\"([^\"]+)\"\\)");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]+)\"");

    @Test
    void everyNameTheBuiltinsDispatchOnIsHandled() throws IOException {
        String source = Files.readString(Path.of("src/main/java/dev/kingsnake/internal/decode/Decoders.java"));
        int from = source.indexOf("static Value builtin(");
        int to = source.indexOf("static Value method(", from);
        assertTrue(from > 0 && to > from, "Decoders.builtin and Decoders.method are where this test reads them");
        String dispatch = source.substring(from, to);
        List<String> names = new ArrayList<>();
        for (Matcher c = CASE.matcher(dispatch); c.find(); ) {
            for (Matcher q = QUOTED.matcher(c.group(1)); q.find(); ) {
                names.add(q.group(1));
            }
        }
        for (Matcher i = IF_NAME.matcher(dispatch); i.find(); ) {
            for (Matcher t = TEST.matcher(i.group(1)); t.find(); ) {
                // endsWith: a suffix, any module's callable of that name
                names.add(t.group(1).equals("equals") ? t.group(2) : "some.module." + t.group(2).replaceFirst("^\\.", ""));
            }
        }
        names.addAll(PythonApis.BASE64_DECODE_CALLS);
        names.addAll(PythonApis.HEX_DECODE_CALLS);
        assertTrue(names.size() > 40, "names read: " + names);
        List<String> missing = names.stream().filter(n -> !Decoders.handles(n)).toList();
        assertEquals(List.of(), missing, "dispatched by Decoders.builtin but not in Decoders.handles");
    }
}
