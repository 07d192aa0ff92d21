package dev.kingsnake.internal.python;

import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.tree.ParseTree;

import java.util.ArrayList;

/**
 * The base class of every parse-tree node of our grammar ({@code contextSuperClass}). ANTLR gives each
 * node a child list of the default capacity (ten slots); nearly all of ours have one to three
 * children, and those lists were the largest single allocation of parsing (JFR allocation samples on
 * the dev corpus). Starting them at two slots keeps the trees identical and a good deal smaller.
 */
public class CompactContext extends ParserRuleContext {
    private static final int INITIAL_CHILDREN = 2;

    public CompactContext() {
    }

    public CompactContext(ParserRuleContext parent, int invokingStateNumber) {
        super(parent, invokingStateNumber);
    }

    @Override
    public <T extends ParseTree> T addAnyChild(T t) {
        if (children == null) {
            children = new ArrayList<>(INITIAL_CHILDREN);
        }
        children.add(t);
        return t;
    }
}
