/**
 * What a rule author sees. A {@link dev.kingsnake.spi.Rule} (or {@link dev.kingsnake.spi.PythonFileRule}, called
 * once per Python file) carries its identity in a {@link dev.kingsnake.spi.RuleInfo}, reads the package through
 * {@link dev.kingsnake.spi.RuleContext} and its files ({@link dev.kingsnake.spi.SourceFile},
 * {@link dev.kingsnake.spi.PythonFile} with the model of {@link dev.kingsnake.spi.python}), asks questions of
 * the facts layer ({@link dev.kingsnake.spi.facts}, memoised per file through
 * {@link dev.kingsnake.spi.SourceFile#fact(dev.kingsnake.spi.FactKey)}) and reports to a
 * {@link dev.kingsnake.spi.FindingSink}. Rules are found with {@code ServiceLoader}. Nothing here depends on
 * {@code dev.kingsnake.internal} (a build check holds it to that).
 */
package dev.kingsnake.spi;
