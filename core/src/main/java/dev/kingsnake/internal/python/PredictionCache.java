package dev.kingsnake.internal.python;

import dev.kingsnake.internal.python.grammar.PyLexer;
import dev.kingsnake.internal.python.grammar.PyParser;
import org.antlr.v4.runtime.atn.ATN;
import org.antlr.v4.runtime.atn.LexerATNSimulator;
import org.antlr.v4.runtime.atn.ParserATNSimulator;
import org.antlr.v4.runtime.atn.PredictionContextCache;
import org.antlr.v4.runtime.dfa.DFA;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ANTLR prediction caches (DFA states) shared by every parser in the JVM. ANTLR's generated
 * classes keep theirs in static fields that only ever grow; over a long scan of hostile input that is
 * an unbounded heap. We give every lexer/parser this cache instead and start a fresh generation when
 * it passes {@link #MAX_DFA_STATES} states: the next files run a little slower while it warms up.
 */
final class PredictionCache {

    /** About 100-200 MB of DFA with this grammar; the real-code working set is far below it. */
    static final int MAX_DFA_STATES = 60_000;

    private static final int CHECK_EVERY = 64;

    private static volatile Generation current = new Generation(0);
    private static final AtomicInteger USES = new AtomicInteger();
    private static final AtomicInteger GENERATION_IDS = new AtomicInteger();

    private PredictionCache() {
    }

    /** One set of caches; lexers/parsers built from the same generation share them. */
    static final class Generation {
        final int id;
        final DFA[] lexerDfa;
        final PredictionContextCache lexerContexts = new PredictionContextCache();
        final DFA[] parserDfa;
        final PredictionContextCache parserContexts = new PredictionContextCache();

        Generation(int id) {
            this.id = id;
            lexerDfa = newDfa(PyLexer._ATN);
            parserDfa = newDfa(PyParser._ATN);
        }

        LexerATNSimulator lexerSimulator(PyLexer lexer) {
            return new LexerATNSimulator(lexer, PyLexer._ATN, lexerDfa, lexerContexts);
        }

        ParserATNSimulator parserSimulator(PyParser parser) {
            return new ParserATNSimulator(parser, PyParser._ATN, parserDfa, parserContexts);
        }

        int states() {
            int n = 0;
            for (DFA d : lexerDfa) {
                n += d.states.size();
            }
            for (DFA d : parserDfa) {
                n += d.states.size();
            }
            return n;
        }
    }

    private static DFA[] newDfa(ATN atn) {
        DFA[] dfa = new DFA[atn.getNumberOfDecisions()];
        for (int i = 0; i < dfa.length; i++) {
            dfa[i] = new DFA(atn.getDecisionState(i), i);
        }
        return dfa;
    }

    /** The current generation; every so often checks its size and starts a new one if it grew too big. */
    static Generation acquire() {
        Generation g = current;
        if (USES.incrementAndGet() % CHECK_EVERY == 0 && g.states() > MAX_DFA_STATES) {
            reset(g);
        }
        return current;
    }

    /** Drops the caches (also used after a parse was cut short mid-prediction). */
    static void reset(Generation seen) {
        synchronized (PredictionCache.class) {
            if (current == seen) {
                current = new Generation(GENERATION_IDS.incrementAndGet());
            }
        }
    }

    static Generation current() {
        return current;
    }
}
