package dev.kingsnake.report;

import java.io.OutputStream;

/** The report formats, each with a streaming {@link ReportWriter}. */
public enum ReportFormat {
    /** Human-readable, grouped by package, with evidence lines and a summary. */
    TEXT,
    /** One JSON document: header, array of results, summary. */
    JSON,
    /** JSON Lines: exactly one object per package (see {@link ResultJson}), nothing else. */
    JSONL,
    /** SARIF 2.1.0, one run. */
    SARIF,
    /** One self-contained HTML page, packages sorted by verdict and score, findings grouped by behaviour. */
    HTML,
    /** For each MALICIOUS package, PyPI's malware observation (API body) and the same report as Markdown. */
    PYPI_REPORT;

    /** A writer of this format on {@code out} (UTF-8); closing the writer does not close {@code out}. */
    public ReportWriter writer(OutputStream out, ReportSettings settings) {
        return switch (this) {
            case TEXT -> new TextReportWriter(out, settings);
            case JSON -> JsonReportWriter.results(out, settings);
            case JSONL -> new JsonLinesReportWriter(out, settings);
            case SARIF -> new SarifReportWriter(out, settings);
            case HTML -> new HtmlReportWriter(out, settings);
            case PYPI_REPORT -> JsonReportWriter.pypiReports(out, settings);
        };
    }
}
