package dev.kingsnake.internal.decode;

import dev.kingsnake.Limits;

/**
 * The work one {@link PayloadEvaluator} may do, derived from the scan's two analysis limits so that one knob
 * scales every evaluation: steps for all payloads of one file, how deeply expressions are followed, and how many
 * rounds of one {@code while} loop are followed (a loop whose every round is known, but that a server or retry
 * loop would run forever, must not take the whole file's budget).
 *
 * @param steps       evaluation steps (one expression or statement each) for the whole file
 * @param depth       expressions, names and calls followed inside one another
 * @param whileRounds rounds of one {@code while} loop
 */
record EvaluationBounds(long steps, int depth, int whileRounds) {
    /** Share of the file's steps one {@code while} loop may take in rounds. */
    private static final long STEPS_PER_WHILE_ROUND = 2_000;
    /** Share of the file's steps the obfuscation signals' look-ups take: they look at names, not payloads. */
    private static final long SIGNAL_SHARE = 100;

    /** The deobfuscator's bounds for one file. */
    static EvaluationBounds payloads(Limits limits) {
        return new EvaluationBounds(limits.maxAnalysisSteps(), limits.maxEvaluationDepth(),
                (int) Math.max(1, Math.min(Integer.MAX_VALUE, limits.maxAnalysisSteps() / STEPS_PER_WHILE_ROUND)));
    }

    /** The obfuscation signals' bounds for one file: computed names of builtins are short expressions. */
    static EvaluationBounds signals(Limits limits) {
        EvaluationBounds all = payloads(limits);
        return new EvaluationBounds(Math.max(1, all.steps / SIGNAL_SHARE), all.depth, all.whileRounds);
    }
}
