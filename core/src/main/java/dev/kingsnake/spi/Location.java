package dev.kingsnake.spi;

import dev.kingsnake.Reach;
import dev.kingsnake.spi.python.Node;

import java.util.Objects;

/** Where a finding is: a file, a 1-based line and column (0 = the whole file), and when that code runs. */
public record Location(SourceFile file, int line, int column, Reach reach) {
    public Location {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(reach, "reach");
    }

    public static Location of(PythonFile file, Node node) {
        return new Location(file, node.line(), node.column(), file.reach(node));
    }

    public static Location of(SourceFile file, int line, int column, Reach reach) {
        return new Location(file, line, column, reach);
    }

    /** The file as a whole. */
    public static Location file(SourceFile file, Reach reach) {
        return new Location(file, 0, 0, reach);
    }
}
