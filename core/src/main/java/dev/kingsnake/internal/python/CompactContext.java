package dev.kingsnake.internal.python;

import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.tree.ErrorNode;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The base class of every parse-tree node of our grammar ({@code contextSuperClass}). ANTLR keeps a node's
 * children in an {@code ArrayList}: with its array that is two objects per node, and most of our nodes have one
 * child (an atom sits in a chain test, or_test, comparison, expr, atom, name). Those lists and their arrays, the
 * iterators of ANTLR's accessors and the growing lists of {@link #getRuleContexts} were a third of what parsing
 * allocated (JFR allocation samples, torch 2.14.1's 50 MB of Python). Here a node holds its only child in one
 * field and two or more in an array of its own; ANTLR's inherited {@link #children} list stays null, and every
 * accessor that reads children is overridden to read this storage with the same results
 * ({@code CompactContextTest} compares each with a plain {@link ParserRuleContext} over random trees).
 */
public class CompactContext extends ParserRuleContext {
    private static final ParseTree[] NONE = {};

    /** The only child while there is one, else null. */
    private ParseTree only;
    /** The children when there are two or more (slots past {@link #count} unused), else {@link #NONE}. */
    private ParseTree[] many = NONE;
    private int count;

    public CompactContext() {
    }

    public CompactContext(ParserRuleContext parent, int invokingStateNumber) {
        super(parent, invokingStateNumber);
    }

    @Override
    public <T extends ParseTree> T addAnyChild(T t) {
        if (count == 0) {
            only = t;
        } else {
            if (count == 1) {
                many = new ParseTree[4];
                many[0] = only;
                only = null;
            } else if (count == many.length) {
                many = java.util.Arrays.copyOf(many, count * 2);
            }
            many[count] = t;
        }
        count++;
        return t;
    }

    @Override
    public void removeLastChild() {
        if (count == 0) {
            return;
        }
        count--;
        if (count == 0) {
            only = null;
        } else {
            many[count] = null;
            if (count == 1) {
                only = many[0];
                many = NONE;
            }
        }
    }

    /** What {@link ParserRuleContext#copyFrom} does, on this storage: only error nodes are carried over. */
    @Override
    public void copyFrom(ParserRuleContext ctx) {
        this.parent = ctx.parent;
        this.invokingState = ctx.invokingState;
        this.start = ctx.start;
        this.stop = ctx.stop;
        int n = ctx.getChildCount();
        for (int i = 0; i < n; i++) {
            if (ctx.getChild(i) instanceof ErrorNode e) {
                addErrorNode(e);
            }
        }
    }

    @Override
    public int getChildCount() {
        return count;
    }

    @Override
    public ParseTree getChild(int i) {
        if (i < 0 || i >= count) {
            return null;
        }
        return count == 1 ? only : many[i];
    }

    /** The {@code i}-th child, {@code 0 <= i < count}. */
    private ParseTree at(int i) {
        return count == 1 ? only : many[i];
    }

    @Override
    public <T extends ParseTree> T getChild(Class<? extends T> ctxType, int i) {
        if (i < 0 || i >= count) {
            return null;
        }
        int j = -1;
        for (int k = 0; k < count; k++) {
            ParseTree o = at(k);
            if (ctxType.isInstance(o) && ++j == i) {
                return ctxType.cast(o);
            }
        }
        return null;
    }

    @Override
    public TerminalNode getToken(int ttype, int i) {
        if (i < 0 || i >= count) {
            return null;
        }
        int j = -1;
        for (int k = 0; k < count; k++) {
            if (at(k) instanceof TerminalNode t && t.getSymbol().getType() == ttype && ++j == i) {
                return t;
            }
        }
        return null;
    }

    @Override
    public List<TerminalNode> getTokens(int ttype) {
        int n = 0;
        for (int k = 0; k < count; k++) {
            if (at(k) instanceof TerminalNode t && t.getSymbol().getType() == ttype) {
                n++;
            }
        }
        if (n == 0) {
            return Collections.emptyList();
        }
        List<TerminalNode> tokens = new ArrayList<>(n);
        for (int k = 0; k < count; k++) {
            if (at(k) instanceof TerminalNode t && t.getSymbol().getType() == ttype) {
                tokens.add(t);
            }
        }
        return tokens;
    }

    @Override
    public <T extends ParserRuleContext> List<T> getRuleContexts(Class<? extends T> ctxType) {
        int n = 0;
        for (int k = 0; k < count; k++) {
            if (ctxType.isInstance(at(k))) {
                n++;
            }
        }
        if (n == 0) {
            return Collections.emptyList();
        }
        List<T> contexts = new ArrayList<>(n);
        for (int k = 0; k < count; k++) {
            ParseTree o = at(k);
            if (ctxType.isInstance(o)) {
                contexts.add(ctxType.cast(o));
            }
        }
        return contexts;
    }

    /** Whether some child is a token of type {@code ttype}. */
    public boolean hasToken(int ttype) {
        for (int k = 0; k < count; k++) {
            if (at(k) instanceof TerminalNode t && t.getSymbol().getType() == ttype) {
                return true;
            }
        }
        return false;
    }
}
