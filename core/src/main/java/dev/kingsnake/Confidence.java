package dev.kingsnake;

/** How sure a rule is that what it matched is the behaviour it names. */
public enum Confidence {
    LOW, MEDIUM, HIGH
}
