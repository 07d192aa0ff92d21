package dev.kingsnake;

/** The outcome of scanning one package. */
public enum Verdict {
    /** The score reached the scanner's threshold. */
    MALICIOUS,
    /** The score is in the band below the threshold: worth a human look. */
    SUSPICIOUS,
    /** Nothing of weight was found. */
    BENIGN,
    /** The input could not be read at all (see the diagnostics). */
    ERROR
}
