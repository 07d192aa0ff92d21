package dev.kingsnake.internal.python;

import dev.kingsnake.Limits;
import dev.kingsnake.spi.python.Module;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Turns Python source bytes into our own model. Placeholder until the ANTLR front end lands. */
public final class PythonParser {
    private final Limits limits;

    public PythonParser(Limits limits) {
        this.limits = limits;
    }

    /** Thread-safe; never throws on bad input. */
    public ParseOutcome parse(String path, byte[] source) {
        return new ParseOutcome(new Module(List.of()), new String(source, StandardCharsets.UTF_8), List.of());
    }
}
