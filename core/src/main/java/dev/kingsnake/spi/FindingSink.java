package dev.kingsnake.spi;

import dev.kingsnake.Confidence;
import dev.kingsnake.Severity;

/** Where a rule reports what it found. The rule's id and default severity/confidence are added for it. */
public interface FindingSink {

    void report(Location at, String message, String evidence);

    /** Reports with a severity/confidence other than the rule's default, for a weaker or stronger match. */
    void report(Location at, String message, String evidence, Severity severity, Confidence confidence);
}
