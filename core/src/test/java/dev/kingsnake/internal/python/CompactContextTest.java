package dev.kingsnake.internal.python;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.antlr.v4.runtime.CommonToken;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.tree.ErrorNodeImpl;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNodeImpl;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * {@link CompactContext} keeps its children in fields of its own instead of ANTLR's list; every accessor must
 * answer as a plain {@link ParserRuleContext} given the same children does, whatever the sequence of additions,
 * removals ({@code enterOuterAlt}) and copies (labelled alternatives).
 */
class CompactContextTest {

    static final class RuleA extends CompactContext {
    }

    static final class RuleB extends CompactContext {
    }

    /** 0-2: a token of that type, 3: an error node, 4: a RuleA, 5: a RuleB, 6: remove last, 7: copy. */
    @Provide
    Arbitrary<List<Integer>> ops() {
        return Arbitraries.integers().between(0, 7).list().ofMaxSize(40);
    }

    @Property(tries = 2000)
    void everyAccessorAnswersAsAPlainContext(@ForAll("ops") List<Integer> ops) {
        ParserRuleContext plain = new ParserRuleContext();
        CompactContext compact = new CompactContext();
        for (int op : ops) {
            switch (op) {
                case 0, 1, 2 -> {
                    TerminalNodeImpl t = new TerminalNodeImpl(new CommonToken(op + 1, "t" + op));
                    plain.addChild(t);
                    compact.addChild(t);
                }
                case 3 -> {
                    ErrorNodeImpl e = new ErrorNodeImpl(new CommonToken(2, "err"));
                    plain.addErrorNode(e);
                    compact.addErrorNode(e);
                }
                case 4, 5 -> {
                    CompactContext r = op == 4 ? new RuleA() : new RuleB();
                    r.addChild(new TerminalNodeImpl(new CommonToken(1, "r" + op)));
                    plain.addChild(r);
                    compact.addChild(r);
                }
                case 6 -> {
                    if (plain.getChildCount() == 0) {
                        continue; // ANTLR only removes the child it has just added (a plain context would throw)
                    }
                    plain.removeLastChild();
                    compact.removeLastChild();
                }
                default -> {
                    ParserRuleContext p = new ParserRuleContext();
                    p.copyFrom(plain);
                    plain = p;
                    CompactContext c = new CompactContext();
                    c.copyFrom(compact);
                    compact = c;
                }
            }
            same(plain, compact);
        }
    }

    private static void same(ParserRuleContext plain, CompactContext compact) {
        int n = plain.getChildCount();
        assertEquals(n, compact.getChildCount());
        assertEquals(plain.getText(), compact.getText());
        for (int i = -1; i <= n + 1; i++) {
            assertSame(plain.getChild(i), compact.getChild(i));
            for (Class<? extends ParseTree> type : List.of(RuleA.class, RuleB.class, CompactContext.class,
                    TerminalNodeImpl.class, ErrorNodeImpl.class, ParseTree.class)) {
                assertSame(plain.getChild(type, i), compact.getChild(type, i));
            }
            assertSame(plain.getRuleContext(RuleA.class, i), compact.getRuleContext(RuleA.class, i));
            for (int type = 0; type <= 4; type++) {
                assertSame(plain.getToken(type, i), compact.getToken(type, i));
            }
        }
        for (int type = 0; type <= 4; type++) {
            assertEquals(plain.getTokens(type), compact.getTokens(type));
            assertEquals(!plain.getTokens(type).isEmpty(), compact.hasToken(type));
        }
        assertEquals(plain.getRuleContexts(RuleA.class), compact.getRuleContexts(RuleA.class));
        assertEquals(plain.getRuleContexts(RuleB.class), compact.getRuleContexts(RuleB.class));
        assertEquals(plain.getRuleContexts(CompactContext.class), compact.getRuleContexts(CompactContext.class));
    }
}
