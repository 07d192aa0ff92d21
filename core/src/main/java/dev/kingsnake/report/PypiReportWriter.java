package dev.kingsnake.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.kingsnake.ScanResult;
import dev.kingsnake.Verdict;

import java.io.IOException;
import java.io.OutputStream;

/**
 * {@code {"reports": [...], "summary": {...}}}: one {@link PypiReport} per MALICIOUS package, streamed; other
 * packages are only counted in the summary.
 */
final class PypiReportWriter implements ReportWriter {
    private final JsonGenerator gen;
    private final ReportSettings settings;
    private boolean started;

    PypiReportWriter(OutputStream out, ReportSettings settings) {
        this.gen = ResultJson.prettyGenerator(out);
        this.settings = settings;
    }

    private void start() throws IOException {
        if (!started) {
            started = true;
            gen.writeStartObject();
            gen.writeArrayFieldStart("reports");
        }
    }

    @Override
    public void result(ScanResult result) throws IOException {
        start();
        if (result.verdict() == Verdict.MALICIOUS) {
            ResultJson.MAPPER.writeTree(gen, PypiReport.of(result, settings, settings.sourceUrls()).toJson());
        }
        gen.flush();
    }

    @Override
    public void finish(ScanSummary summary) throws IOException {
        start();
        gen.writeEndArray();
        gen.writeFieldName("summary");
        ResultJson.MAPPER.writeTree(gen, ResultJson.toJson(summary));
        gen.writeEndObject();
        gen.writeRaw('\n');
        gen.flush();
    }

    @Override
    public void close() throws IOException {
        gen.flush();
    }
}
