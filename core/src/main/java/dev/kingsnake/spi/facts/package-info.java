/**
 * The facts layer: the questions rules share about one Python file, answered once per file and kept for as long
 * as the scan of that file lasts ({@link dev.kingsnake.spi.SourceFile#fact(dev.kingsnake.spi.FactKey)}).
 *
 * <ul>
 *   <li>{@link dev.kingsnake.spi.facts.PythonApis}: the one catalogue of library calls that fetch, send, read,
 *       write, decode and run, and the {@link dev.kingsnake.spi.facts.Capability} of each;</li>
 *   <li>{@link dev.kingsnake.spi.facts.CallFacts}: every call with its resolved name and capabilities, every
 *       string constant (and the text of encoded ones), per function scope, with the local call graph;</li>
 *   <li>{@link dev.kingsnake.spi.facts.DataFlow}: where a value comes from (network, decoding, file reads,
 *       standard input), through assignments and local helper functions;</li>
 *   <li>{@link dev.kingsnake.spi.facts.Commands}, {@link dev.kingsnake.spi.facts.ExecSinks},
 *       {@link dev.kingsnake.spi.facts.Activity}, {@link dev.kingsnake.spi.facts.Destinations}: what a process
 *       call runs, what runs data as code, what a call does at install time, where a request goes;</li>
 *   <li>{@link dev.kingsnake.spi.facts.LocalFunctions}, {@link dev.kingsnake.spi.facts.SourceRegions},
 *       {@link dev.kingsnake.spi.facts.EncodedText}: the functions a file defines, which characters are code,
 *       string or comment, and base64/hex text decoded.</li>
 * </ul>
 * If two rules need the same loop over a file, that loop is a fact here; rules never call each other.
 */
package dev.kingsnake.spi.facts;
