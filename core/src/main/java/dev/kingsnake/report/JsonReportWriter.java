package dev.kingsnake.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.kingsnake.ScanResult;

import java.io.IOException;
import java.io.OutputStream;

/**
 * One JSON document, streamed: {@code {"tool": {...}, "threshold": n, "results": [...], "summary": {...}}}.
 * Each element of {@code results} is a {@link ResultJson} object.
 */
final class JsonReportWriter implements ReportWriter {
    private final JsonGenerator gen;
    private final ReportSettings settings;
    private boolean started;

    JsonReportWriter(OutputStream out, ReportSettings settings) {
        this.gen = ResultJson.prettyGenerator(out);
        this.settings = settings;
    }

    private void start() throws IOException {
        if (started) {
            return;
        }
        started = true;
        gen.writeStartObject();
        gen.writeObjectFieldStart("tool");
        gen.writeStringField("name", "kingsnake");
        gen.writeStringField("version", settings.toolVersion());
        gen.writeEndObject();
        gen.writeNumberField("threshold", settings.threshold());
        gen.writeArrayFieldStart("results");
    }

    @Override
    public void result(ScanResult result) throws IOException {
        start();
        ResultJson.MAPPER.writeTree(gen, ResultJson.toJson(result, settings));
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
