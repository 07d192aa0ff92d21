package dev.kingsnake.report;

import dev.kingsnake.ScanResult;

import java.io.IOException;
import java.io.OutputStream;

/** JSON Lines: one {@link ResultJson} object per line, flushed as each result arrives; no summary. */
final class JsonLinesReportWriter implements ReportWriter {
    private final OutputStream out;
    private final ReportSettings settings;

    JsonLinesReportWriter(OutputStream out, ReportSettings settings) {
        this.out = out;
        this.settings = settings;
    }

    @Override
    public void result(ScanResult result) throws IOException {
        // Jackson escapes control characters, so a record never spans lines.
        out.write(ResultJson.MAPPER.writeValueAsBytes(ResultJson.toJson(result, settings)));
        out.write('\n');
        out.flush();
    }

    @Override
    public void finish(ScanSummary summary) throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }
}
