/**
 * Writing scan results: a {@link dev.kingsnake.report.ReportWriter} per {@link dev.kingsnake.report.ReportFormat}
 * (text, JSON, JSON Lines, SARIF, ...), configured by {@link dev.kingsnake.report.ReportSettings}. A new format is
 * one writer class and one {@code ReportFormat} constant.
 */
package dev.kingsnake.report;
