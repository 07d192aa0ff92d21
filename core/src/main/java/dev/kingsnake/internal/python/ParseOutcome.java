package dev.kingsnake.internal.python;

import dev.kingsnake.Diagnostic;
import dev.kingsnake.spi.python.Module;

import java.util.List;

/**
 * The result of parsing one file.
 *
 * @param module      every statement that parsed (unparseable regions as {@code Stmt.Invalid})
 * @param text        the decoded source text
 * @param diagnostics PARSE_ERROR / ENCODING_ERROR / LIMIT_EXCEEDED for this file
 */
public record ParseOutcome(Module module, String text, List<Diagnostic> diagnostics) {
    public ParseOutcome {
        diagnostics = List.copyOf(diagnostics);
    }
}
