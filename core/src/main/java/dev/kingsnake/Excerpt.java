package dev.kingsnake;

import java.util.List;

/**
 * A few source lines around a finding, for reports that show evidence in context (HTML, SARIF's
 * {@code contextRegion}). Lines are as in the file; a longer line is cut after {@value #MAX_LINE} characters
 * and ends in an ellipsis.
 *
 * @param firstLine 1-based number of the first line, 0 when there is no excerpt
 * @param lines     the lines, in order; empty when the finding has no line or its file is not Python source
 */
public record Excerpt(int firstLine, List<String> lines) {
    /** Longest line kept: a minified payload must not make every finding on it megabytes long. */
    public static final int MAX_LINE = 200;
    public static final Excerpt NONE = new Excerpt(0, List.of());

    public Excerpt {
        lines = List.copyOf(lines);
        if (firstLine < 0 || (lines.isEmpty() != (firstLine == 0))) {
            throw new IllegalArgumentException("an excerpt starts at line 1 or later and has lines, or is NONE");
        }
    }

    /** Number of the last line, or 0 for {@link #NONE}. */
    public int lastLine() {
        return lines.isEmpty() ? 0 : firstLine + lines.size() - 1;
    }
}
