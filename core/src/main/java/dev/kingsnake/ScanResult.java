package dev.kingsnake;

import java.util.List;
import java.util.Objects;

/**
 * The immutable result of scanning one package.
 *
 * @param input       the input as given (a path, or the name passed to {@link Scanner#scan(String, java.io.InputStream)})
 * @param name        package name from PKG-INFO/METADATA, else guessed from the file name; may be empty
 * @param version     package version, likewise; may be empty
 * @param kind        what kind of package the input is
 * @param verdict     the verdict at the scanner's threshold
 * @param score       0–10, see README "Scoring"
 * @param findings    evidence, most serious first
 * @param diagnostics what kept the scan from seeing the whole input
 * @param stats       counters
 * @param suppressed  findings set aside by the scanner's {@link Suppressions}: not in {@code findings}, not
 *                    in the score
 */
public record ScanResult(
        String input,
        String name,
        String version,
        PackageKind kind,
        Verdict verdict,
        double score,
        List<Finding> findings,
        List<Diagnostic> diagnostics,
        ScanStats stats,
        List<SuppressedFinding> suppressed) {

    public ScanResult {
        Objects.requireNonNull(input, "input");
        name = name == null ? "" : name;
        version = version == null ? "" : version;
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(verdict, "verdict");
        findings = List.copyOf(findings);
        diagnostics = List.copyOf(diagnostics);
        Objects.requireNonNull(stats, "stats");
        suppressed = List.copyOf(suppressed);
    }

    /** A result with nothing suppressed. */
    public ScanResult(String input, String name, String version, PackageKind kind, Verdict verdict, double score,
                      List<Finding> findings, List<Diagnostic> diagnostics, ScanStats stats) {
        this(input, name, version, kind, verdict, score, findings, diagnostics, stats, List.of());
    }

    /**
     * True when the package was not read and analysed whole, so that findings may be missing: a limit or the
     * time bound cut the scan short ({@link DiagnosticCode#LIMIT_EXCEEDED}), or the analysis stopped on a
     * defect of the scanner ({@link DiagnosticCode#SCAN_FAILED}). Never true of a scan that saw everything.
     */
    public boolean partial() {
        return diagnostics.stream().anyMatch(d -> d.code() == DiagnosticCode.LIMIT_EXCEEDED
                || d.code() == DiagnosticCode.SCAN_FAILED);
    }
}
