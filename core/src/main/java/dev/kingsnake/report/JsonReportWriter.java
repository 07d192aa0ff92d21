package dev.kingsnake.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kingsnake.ScanResult;
import dev.kingsnake.Verdict;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;
import java.util.function.Function;

/**
 * One JSON document, streamed: {@code {"tool": {...}, "threshold": n, "<array>": [...], "summary": {...}}}.
 * The JSON format's array is {@code results}, one {@link ResultJson} object per package; the pypi-report
 * format's is {@code reports}, one {@link PypiReport} per MALICIOUS package.
 */
final class JsonReportWriter implements ReportWriter {
    private final JsonGenerator gen;
    private final ReportSettings settings;
    private final String arrayName;
    private final Function<ScanResult, Optional<ObjectNode>> element;
    private boolean started;

    JsonReportWriter(OutputStream out, ReportSettings settings, String arrayName,
                     Function<ScanResult, Optional<ObjectNode>> element) {
        this.gen = ResultJson.prettyGenerator(out);
        this.settings = settings;
        this.arrayName = arrayName;
        this.element = element;
    }

    /** The JSON format: every result. */
    static JsonReportWriter results(OutputStream out, ReportSettings settings) {
        return new JsonReportWriter(out, settings, "results", r -> Optional.of(ResultJson.toJson(r, settings)));
    }

    /** The pypi-report format: a report for each MALICIOUS package. */
    static JsonReportWriter pypiReports(OutputStream out, ReportSettings settings) {
        return new JsonReportWriter(out, settings, "reports", r -> r.verdict() != Verdict.MALICIOUS ? Optional.empty()
                : Optional.of(PypiReport.of(r, settings, settings.sourceUrls()).toJson()));
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
        gen.writeArrayFieldStart(arrayName);
    }

    @Override
    public void result(ScanResult result) throws IOException {
        start();
        Optional<ObjectNode> node = element.apply(result);
        if (node.isPresent()) {
            ResultJson.MAPPER.writeTree(gen, node.get());
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
