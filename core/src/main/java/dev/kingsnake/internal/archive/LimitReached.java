package dev.kingsnake.internal.archive;

import java.io.IOException;

/**
 * Thrown through the archive libraries when a limit stops reading. Its diagnostic has already been
 * recorded; the catcher only has to stop.
 */
final class LimitReached extends IOException {
    private static final long serialVersionUID = 1L;

    /** True when the whole package stops (total bytes, entries, time); false when only the current archive does. */
    private final boolean wholePackage;

    LimitReached(String message, boolean wholePackage) {
        super(message);
        this.wholePackage = wholePackage;
    }

    /** Control flow, not a bug: no stack trace needed. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }

    boolean wholePackage() {
        return wholePackage;
    }

    /** The LimitReached behind an exception that an archive library may have wrapped, or null. */
    static LimitReached in(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof LimitReached l) {
                return l;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }
}
