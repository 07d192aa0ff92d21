package dev.kingsnake;

/** How bad a behaviour is when it is really there. */
public enum Severity {
    INFO, LOW, MEDIUM, HIGH, CRITICAL
}
