package dev.kingsnake;

import java.util.List;
import java.util.Objects;

/**
 * One piece of evidence a rule found.
 *
 * @param ruleId      id of the rule, e.g. {@code KS-EXEC-DECODED}
 * @param severity    severity (the rule's default unless the rule raised or lowered it for this match)
 * @param confidence  confidence, likewise
 * @param file        path inside the package as it appears in the archive; decoded layers append
 *                    {@code #layerN}
 * @param line        1-based line, 0 when the finding is about the file or package as a whole
 * @param column      1-based column, 0 when unknown
 * @param message     what was found, in one sentence
 * @param evidence    the source text (trimmed) or value that shows it
 * @param reach       when the code runs: install time, import time, or only when called
 * @param decodeChain for findings inside decoded payloads, the decoding steps from the outer
 *                    literal inwards (e.g. base64, zlib, reversed); empty otherwise
 * @param context     the source lines around {@code line}, or {@link Excerpt#NONE}
 */
public record Finding(
        String ruleId,
        Severity severity,
        Confidence confidence,
        String file,
        int line,
        int column,
        String message,
        String evidence,
        Reach reach,
        List<String> decodeChain,
        Excerpt context) {

    public Finding {
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(confidence, "confidence");
        file = file == null ? "" : file;
        message = message == null ? "" : message;
        evidence = evidence == null ? "" : evidence;
        reach = reach == null ? Reach.UNKNOWN : reach;
        decodeChain = decodeChain == null ? List.of() : List.copyOf(decodeChain);
        context = context == null ? Excerpt.NONE : context;
    }

    /** A finding without source context. */
    public Finding(String ruleId, Severity severity, Confidence confidence, String file, int line, int column,
                   String message, String evidence, Reach reach, List<String> decodeChain) {
        this(ruleId, severity, confidence, file, line, column, message, evidence, reach, decodeChain, Excerpt.NONE);
    }
}
