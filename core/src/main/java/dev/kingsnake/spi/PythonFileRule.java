package dev.kingsnake.spi;

/** A rule that looks at each Python file (decoded layers included) on its own. */
public interface PythonFileRule extends Rule {

    void check(PythonFile file, RuleContext ctx, FindingSink sink);

    @Override
    default void check(RuleContext ctx, FindingSink sink) {
        for (PythonFile f : ctx.pythonFiles()) {
            check(f, ctx, sink);
        }
    }
}
