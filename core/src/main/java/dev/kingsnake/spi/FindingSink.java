package dev.kingsnake.spi;

import dev.kingsnake.Confidence;
import dev.kingsnake.Severity;
import dev.kingsnake.spi.python.Node;

/** Where a rule reports what it found. The rule's id and default severity/confidence are added for it. */
public interface FindingSink {

    void report(Location at, String message, String evidence);

    /** Reports with a severity/confidence other than the rule's default, for a weaker or stronger match. */
    void report(Location at, String message, String evidence, Severity severity, Confidence confidence);

    /**
     * Reports at a node of a Python file with the rule's default severity and confidence. The sink derives the
     * rest: the location (line, column, when the code runs) is the node's, the evidence is the node's source line,
     * and a rule reports at most once per line of a file this way (a second report on a line already reported
     * through this method is dropped), so a rule needs no set of lines of its own.
     */
    void report(PythonFile file, Node node, String message);

    /** {@link #report(PythonFile, Node, String)} at a severity/confidence other than the rule's default. */
    void report(PythonFile file, Node node, String message, Severity severity, Confidence confidence);
}
