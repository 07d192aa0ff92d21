package dev.kingsnake.internal.python;

import dev.kingsnake.internal.python.grammar.PyLexer;
import org.antlr.v4.runtime.CharStream;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.IntStream;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.Interval;

import java.util.List;

/**
 * The source as the lexer reads it. ANTLR caches its lexer DFA's transitions only for characters up to U+007F;
 * every other character runs the ATN simulation again, character by character (a quarter of the lexer's CPU
 * samples on the development corpus, whose payloads and comments are full of non-ASCII text). Outside ASCII
 * our grammar tells characters apart only by whether they may start a name, only continue one, or neither (no
 * other rule names a non-ASCII character), so each is shown to the lexer as an ASCII character that behaves
 * the same way in every rule: a letter that is in no keyword, string prefix or number ({@code Z}) for one that
 * may start a name, a character in no token but ERRCHAR ({@code $}) for one that is neither. The few that may
 * only continue a name (non-ASCII digits and combining marks) are read as themselves. Tokens' text comes from
 * the real source. The class of a character is asked of the generated lexer itself, once per character, so it
 * follows the grammar's Unicode tables, not the JDK's.
 *
 * <p>One class for every source also keeps the lexer's calls monomorphic (ANTLR's own streams come in three
 * widths, each new one a deoptimisation of the compiled lexer loop).
 */
final class LexerInput implements CharStream {
    /** Stands for a character outside ASCII that may start a name. */
    private static final byte NAME_START = 'Z';
    /** Stands for a character outside ASCII that is in no name: '$' is in no token of the grammar but ERRCHAR. */
    private static final byte NOT_IN_NAME = '$';
    /** Marks a position to read as its own code point (every stand-in is ASCII, so one byte each). */
    private static final byte OWN = -1;

    private static final byte UNKNOWN = 0;
    private static final byte START = 1;
    private static final byte CONTINUE = 2;
    private static final byte NEITHER = 3;
    private static final int PAGE_BITS = 8;
    /** Characters of the source read at a time by {@link #of}. */
    static final int CHUNK = 8192;
    /**
     * Known classes of characters outside ASCII, in pages of 256 made on first use. Races are harmless: a class
     * lost to a concurrent write is asked again and comes out the same.
     */
    private static final byte[][] CLASSES = new byte[(Character.MAX_CODE_POINT >> PAGE_BITS) + 1][];

    private final SourceText source;
    private final byte[] shown;
    /**
     * Where {@link #OWN} positions are read (from an array, not through {@link String#charAt}): the source's chars
     * when there is one such position and each code point is one char, else its code points (null when it has no
     * surrogate pairs).
     */
    private final char[] ownChars;
    private final int[] codePoints;
    private int position;

    private LexerInput(SourceText source, byte[] shown, char[] ownChars, int[] codePoints) {
        this.source = source;
        this.shown = shown;
        this.ownChars = ownChars;
        this.codePoints = codePoints;
    }

    /** The lexer's view of {@code source}; {@code gen} is the prediction cache used to classify new characters. */
    static LexerInput of(SourceText source, PredictionCache.Generation gen) {
        int n = source.length();
        byte[] shown = new byte[n];
        if (source.oneCharEach()) {
            // read in chunks: no copy of the whole text unless some character must be read as itself
            char[] chunk = new char[Math.min(n, CHUNK)];
            boolean own = false;
            for (int at = 0; at < n; at += chunk.length) {
                int m = Math.min(chunk.length, n - at);
                source.getChars(at, at + m, chunk);
                for (int i = 0; i < m; i++) {
                    own |= (shown[at + i] = standIn(chunk[i], gen)) == OWN;
                }
            }
            return new LexerInput(source, shown, own ? source.chars() : null, null);
        }
        int[] codePoints = source.codePoints();
        for (int i = 0; i < n; i++) {
            shown[i] = standIn(codePoints[i], gen);
        }
        return new LexerInput(source, shown, null, codePoints);
    }

    private static byte standIn(int c, PredictionCache.Generation gen) {
        return c < 0x80 ? (byte) c : switch (classOf(c, gen)) {
            case START -> NAME_START;
            case NEITHER -> NOT_IN_NAME;
            default -> OWN;
        };
    }

    private static byte classOf(int codePoint, PredictionCache.Generation gen) {
        byte[] page = CLASSES[codePoint >> PAGE_BITS];
        if (page == null) {
            page = new byte[1 << PAGE_BITS];
            CLASSES[codePoint >> PAGE_BITS] = page;
        }
        int slot = codePoint & ((1 << PAGE_BITS) - 1);
        if (page[slot] == UNKNOWN) {
            String c = Character.toString(codePoint);
            page[slot] = isOneName(c, gen) ? START : isOneName("a" + c, gen) ? CONTINUE : NEITHER;
        }
        return page[slot];
    }

    /** Whether the generated lexer reads {@code text} as one NAME token. */
    private static boolean isOneName(String text, PredictionCache.Generation gen) {
        PyLexer lexer = new PyLexer(CharStreams.fromString(text));
        lexer.setInterpreter(gen.lexerSimulator(lexer));
        lexer.removeErrorListeners();
        List<? extends Token> tokens = lexer.getAllTokens();
        return tokens.size() == 1 && tokens.get(0).getType() == PyLexer.NAME && tokens.get(0).getText().equals(text);
    }

    @Override
    public int LA(int i) {
        int at = i > 0 ? position + i - 1 : position + i;
        if (i == 0) {
            return 0;
        }
        if (at < 0 || at >= shown.length) {
            return IntStream.EOF;
        }
        byte c = shown[at];
        return c != OWN ? c : ownChars != null ? ownChars[at] : codePoints[at];
    }

    @Override
    public void consume() {
        if (position >= shown.length) {
            throw new IllegalStateException("cannot consume EOF");
        }
        position++;
    }

    @Override
    public int mark() {
        return -1;
    }

    @Override
    public void release(int marker) {
    }

    @Override
    public int index() {
        return position;
    }

    @Override
    public void seek(int index) {
        position = index;
    }

    @Override
    public int size() {
        return shown.length;
    }

    @Override
    public String getSourceName() {
        return IntStream.UNKNOWN_SOURCE_NAME;
    }

    @Override
    public String getText(Interval interval) {
        int from = Math.min(interval.a, shown.length);
        int to = Math.min(interval.b + 1, shown.length);
        return source.token(from, Math.max(from, to));
    }
}
