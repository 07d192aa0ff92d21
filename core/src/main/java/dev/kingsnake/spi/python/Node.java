package dev.kingsnake.spi.python;

import java.util.List;

/** A node of the Python semantic model. Positions are 1-based; column 0 means unknown. */
public interface Node {
    int line();

    int column();

    /** Direct children, in source order. */
    List<? extends Node> children();
}
