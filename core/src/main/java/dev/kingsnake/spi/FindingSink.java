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

    /**
     * Reports at a line (and column) of a Python file whose source line is the evidence, cut to
     * {@code evidenceChars} characters: for findings about the text of a line rather than a node (a control
     * character, a marker, a long line), whose lines are often thousands of characters of encoded text. Every
     * finding is kept, several on one line included.
     */
    default void reportLine(PythonFile file, Location at, String message, int evidenceChars) {
        report(at, message, clip(file.line(at.line()).strip(), evidenceChars));
    }

    /** {@link #reportLine(PythonFile, Location, String, int)} at a severity/confidence other than the rule's. */
    default void reportLine(PythonFile file, Location at, String message, int evidenceChars, Severity severity,
                            Confidence confidence) {
        report(at, message, clip(file.line(at.line()).strip(), evidenceChars), severity, confidence);
    }

    /**
     * Text cut to {@code max} characters, an ellipsis marking the cut: how every evidence and quoted part of a
     * message is shortened (the engine cuts any evidence at 300).
     */
    static String clip(String text, int max) {
        return text.length() > max ? text.substring(0, max) + "\u2026" : text;
    }
}
