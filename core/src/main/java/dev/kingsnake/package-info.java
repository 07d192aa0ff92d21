/**
 * Kingsnake's public API: {@link dev.kingsnake.Scanner} scans a package (sdist, wheel, egg or directory) and
 * returns a {@link dev.kingsnake.ScanResult} with its {@link dev.kingsnake.Verdict}, {@link dev.kingsnake.Finding}s
 * and {@link dev.kingsnake.Diagnostic}s; {@link dev.kingsnake.Limits} bounds every size, count, depth and time;
 * {@link dev.kingsnake.BatchScanner} scans many inputs in parallel; {@link dev.kingsnake.Suppressions} and
 * {@link dev.kingsnake.Baseline} set findings aside. {@link dev.kingsnake.PythonSource} builds the model a rule
 * sees of one piece of source, for tests and tools. Rules are written against {@link dev.kingsnake.spi};
 * everything under {@code dev.kingsnake.internal} may change without notice.
 */
package dev.kingsnake;
