package dev.kingsnake.internal.python;

import dev.kingsnake.internal.python.grammar.PyLexer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.WritableToken;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The lexer's compact tokens answer as the CommonTokens of ANTLR's default factory. */
class SourceTokenTest {

    private static final List<String> PIECES = List.of(
            "x", "_", "if", "print", "0", "0x1f", "1e5", " ", "\t", "\n", "(", ")", "{", "}", "'", "\"", "'''",
            "\\", "\\\n", "f'{x}'", "#c", ".", "=", "!=", "$", "?", "\u00e9", "\u4e2d", "\u0301", "\uD835\uDC1E",
            "\uD83D\uDE00", "\uD800", "'s'", "\"\"\"d\n\"\"\"");

    @Provide
    Arbitrary<String> sources() {
        return Arbitraries.of(PIECES).list().ofMaxSize(60).map(l -> String.join("", l));
    }

    @Property(tries = 2000)
    void sameAsCommonTokens(@ForAll("sources") String text) {
        for (int[] at : new int[][] {{1, 0}, {7, 12}}) {
            List<Token> plain = lex(text, false, at[0], at[1]);
            List<Token> compact = lex(text, true, at[0], at[1]);
            assertEquals(plain.size(), compact.size());
            for (int i = 0; i < plain.size(); i++) {
                Token p = plain.get(i);
                Token c = compact.get(i);
                assertInstanceOf(SourceToken.class, c);
                assertEquals(describe(p), describe(c), text);
                assertEquals(p.toString(), c.toString());
                for (int channel : new int[] {Token.HIDDEN_CHANNEL, Token.DEFAULT_CHANNEL}) {
                    ((WritableToken) p).setChannel(channel);
                    ((WritableToken) c).setChannel(channel);
                    assertEquals(describe(p), describe(c));
                }
                ((WritableToken) p).setTokenIndex(i * 3);
                ((WritableToken) c).setTokenIndex(i * 3);
                ((WritableToken) p).setType(PyLexer.INVALID_LINE);
                ((WritableToken) c).setType(PyLexer.INVALID_LINE);
                assertEquals(describe(p), describe(c));
                assertEquals(p.toString(), c.toString());
            }
        }
    }

    @Test
    void onlyTheTwoChannelsOfOurGrammar() {
        Token t = lex("x", true, 1, 0).get(0);
        assertThrows(IllegalArgumentException.class, () -> ((WritableToken) t).setChannel(2));
        assertThrows(UnsupportedOperationException.class, () -> ((WritableToken) t).setText("y"));
    }

    private static String describe(Token t) {
        return t.getType() + "/" + t.getChannel() + ":" + t.getText() + "@" + t.getLine() + ":"
                + t.getCharPositionInLine() + "[" + t.getStartIndex() + "," + t.getStopIndex() + "]#"
                + t.getTokenIndex();
    }

    /** Every token including EOF. */
    private static List<Token> lex(String text, boolean compact, int line, int column) {
        SourceText source = new SourceText(text);
        PyLexer lexer = new PyLexer(LexerInput.of(source, PredictionCache.current()));
        lexer.setInterpreter(PredictionCache.current().lexerSimulator(lexer));
        if (compact) {
            lexer.setTokenFactory(new SourceToken.Factory(source));
        }
        lexer.removeErrorListeners();
        lexer.setLine(line);
        lexer.setCharPositionInLine(column);
        List<Token> out = new ArrayList<>();
        Token t;
        do {
            t = lexer.nextToken();
            out.add(t);
        } while (t.getType() != Token.EOF);
        return out;
    }
}
