package dev.kingsnake.spi;

/**
 * A heuristic that looks at one package and reports findings. Implementations must be stateless and
 * thread-safe: one instance checks many packages in parallel. Register an implementation in
 * {@code META-INF/services/dev.kingsnake.spi.Rule}. An exception thrown from {@link #check} becomes a
 * {@code RULE_FAILED} diagnostic; the scan goes on.
 */
public interface Rule {
    RuleInfo info();

    void check(RuleContext ctx, FindingSink sink);
}
