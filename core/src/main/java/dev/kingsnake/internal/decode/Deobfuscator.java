package dev.kingsnake.internal.decode;

import dev.kingsnake.Diagnostic;
import dev.kingsnake.Limits;
import dev.kingsnake.spi.PythonFile;

import java.util.List;

/** Peels encoded payloads off a Python file without running anything. Placeholder until the decoder lands. */
public final class Deobfuscator {
    private final Limits limits;

    public Deobfuscator(Limits limits) {
        this.limits = limits;
    }

    /**
     * The payloads found directly in {@code file} (one layer deep; the engine parses Python payloads
     * and calls this again on them, up to {@link Limits#maxDecodeLayers()}).
     */
    public Result peel(PythonFile file, DecodeBudget budget) {
        return new Result(List.of(), List.of());
    }

    public record Result(List<DecodedLayer> layers, List<Diagnostic> diagnostics) {
        public Result {
            layers = List.copyOf(layers);
            diagnostics = List.copyOf(diagnostics);
        }
    }
}
