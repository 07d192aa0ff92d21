/**
 * The Python model rules read: a {@link dev.kingsnake.spi.python.Module} of sealed
 * {@link dev.kingsnake.spi.python.Stmt} and {@link dev.kingsnake.spi.python.Expr} records with
 * {@link dev.kingsnake.spi.python.Const} values, walked with {@link dev.kingsnake.spi.python.Nodes}. Built by our
 * own parser; no parser-generator type ever appears here.
 */
package dev.kingsnake.spi.python;
