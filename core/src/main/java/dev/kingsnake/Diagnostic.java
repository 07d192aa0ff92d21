package dev.kingsnake;

import java.util.Objects;

/**
 * Something that kept the scan from seeing its input whole. Bad input is a value, never an
 * exception out of {@link Scanner#scan}.
 *
 * @param code    stable reason code
 * @param file    path inside the package, or empty for the package as a whole
 * @param message human-readable detail
 */
public record Diagnostic(DiagnosticCode code, String file, String message) {
    public Diagnostic {
        Objects.requireNonNull(code, "code");
        file = file == null ? "" : file;
        message = message == null ? "" : message;
    }

    public static Diagnostic of(DiagnosticCode code, String message) {
        return new Diagnostic(code, "", message);
    }
}
