package dev.kingsnake.internal.python;

import dev.kingsnake.internal.python.grammar.PyLexer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.antlr.v4.runtime.CharStream;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The lexer reads our stand-in characters exactly as it reads the source itself: same tokens, same places. */
class LexerInputTest {

    private static final List<String> PIECES = List.of(
            "x", "_", "if", "and", "print", "0", "0x1f", "1e5", "10L", "3j", " ", "\t", "\n", "(", ")", "[", "]",
            "{", "}", "{{", "'", "\"", "'''", "\"\"\"", "\\", "\\N{", "f'", "f\"", "rb'", "u'", "#", ".", "=",
            "!", "!=", "$", "?",
            "\u00e9", "\u00c0", "\u00aa", "\u00b5", "\u00a0", "\u00bf", "\u00d7", "\u2028", "\u3000",
            "\u4e2d\u6587", "\u0430", "\u0661", "\u0301", "\u0903", "\u203f", "\u2160", "\u02b0", "\uff41",
            "\uff10", "\uD835\uDC1E", "\uD835\uDFCE", "\uD83D\uDE00", "\uD800", "\uDC00", "\uFFFF", "\uFFFE",
            "\uD83A\uDE90", "\u0870", "\u2e80", "\u00e9\u0301x");

    @Provide
    Arbitrary<String> sources() {
        return Arbitraries.of(PIECES).list().ofMaxSize(60).map(l -> String.join("", l));
    }

    @Property(tries = 3000)
    void sameTokensAsTheSourceItself(@ForAll("sources") String text) {
        assertEquals(tokens(CharStreams.fromString(text)), tokens(LexerInput.of(new SourceText(text),
                PredictionCache.current())), text);
    }

    @Test
    void everyCharacterOfTheBasicPlaneAfterAndInsideAName() {
        StringBuilder names = new StringBuilder();
        StringBuilder alone = new StringBuilder();
        for (int c = 0x80; c <= 0xFFFF; c++) {
            if (!Character.isSurrogate((char) c)) {
                names.append('a').append((char) c).append(' ');
                alone.append((char) c).append('\n');
            }
        }
        for (String text : List.of(names.toString(), alone.toString())) {
            assertEquals(tokens(CharStreams.fromString(text)), tokens(LexerInput.of(new SourceText(text),
                    PredictionCache.current())));
        }
    }

    /** The source is read in chunks: characters on both sides of a chunk's end are read as themselves. */
    @Test
    void charactersAroundChunkEnds() {
        for (String piece : List.of("a\u0301 ", "x\u00e9", "\u4e2d\u0661 ", "'\u0903' ", "#\u00e9\n")) {
            StringBuilder sb = new StringBuilder();
            while (sb.length() < 3 * LexerInput.CHUNK) {
                sb.append(piece);
            }
            for (int shift = 0; shift < 3; shift++) {
                String text = " ".repeat(shift) + sb;
                assertEquals(tokens(CharStreams.fromString(text)), tokens(LexerInput.of(new SourceText(text),
                        PredictionCache.current())), piece);
            }
        }
    }

    private static List<String> tokens(CharStream input) {
        PyLexer lexer = new PyLexer(input);
        lexer.setInterpreter(PredictionCache.current().lexerSimulator(lexer));
        lexer.removeErrorListeners();
        List<String> out = new ArrayList<>();
        for (Token t : lexer.getAllTokens()) {
            out.add(t.getType() + ":" + t.getText() + "@" + t.getLine() + ":" + t.getCharPositionInLine() + "["
                    + t.getStartIndex() + "," + t.getStopIndex() + "]");
        }
        return out;
    }
}
