package dev.kingsnake.spi.python;

import java.util.List;

/** A parsed Python file. */
public record Module(List<Stmt> body) implements Node {
    public Module {
        body = List.copyOf(body);
    }

    @Override
    public int line() {
        return 1;
    }

    @Override
    public int column() {
        return 1;
    }

    @Override
    public List<? extends Node> children() {
        return body;
    }
}
