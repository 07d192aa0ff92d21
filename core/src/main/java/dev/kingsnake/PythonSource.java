package dev.kingsnake;

import dev.kingsnake.internal.python.ParseOutcome;
import dev.kingsnake.internal.python.PythonParser;
import dev.kingsnake.internal.python.semantic.SemanticModel;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.python.Module;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The model a rule sees of one Python file, built outside a scan: for tests and tools that run one rule on one
 * piece of source. A scan builds the same model for every Python file of a package.
 */
public final class PythonSource {
    private PythonSource() {
    }

    /** Parses {@code source} (with the default limits) as the file {@code path} of a package built on install. */
    public static PythonFile parse(String path, String source) {
        byte[] bytes = source.getBytes(StandardCharsets.UTF_8);
        ParseOutcome out = new PythonParser(Limits.defaults()).parse(path, bytes);
        return new SemanticModel(path, bytes, out.text(), out.module(), out.diagnostics().stream().anyMatch(d -> d.code() == DiagnosticCode.PARSE_ERROR), List.of(),
                Optional.empty());
    }

    /** A file whose tree is given rather than parsed (no text): rules' logic tested independently of the parser. */
    public static PythonFile of(String path, Module module) {
        return new SemanticModel(path, new byte[0], "", module, false, List.of(), Optional.empty());
    }
}
