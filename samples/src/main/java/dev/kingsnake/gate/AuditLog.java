package dev.kingsnake.gate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One JSON line per decision about a file (served, refused, hidden from a page, failed upstream), written and
 * flushed as it is made. Thread-safe.
 */
public final class AuditLog implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One decision.
     *
     * @param client     the asking client's address
     * @param userAgent  its User-Agent (pip and uv put their version and platform there)
     * @param project    the project, normalised
     * @param file       the file name
     * @param sha256     the file's digest (from the download, else from the index; empty when neither)
     * @param origin     public or private upstream
     * @param action     {@code served}, {@code refused}, {@code hidden} or {@code failed}
     * @param reason     why, in one line
     * @param record     the scan behind the decision, if there was one
     * @param fromStore  the verdict came from the store rather than a scan made now
     * @param millis     time spent on the request
     */
    public record Entry(String client, String userAgent, String project, String file, String sha256, String origin,
                        String action, String reason, Optional<ScanRecord> record, boolean fromStore, long millis) {
        public Entry {
            Objects.requireNonNull(record, "record");
        }
    }

    private final Writer out;

    public AuditLog(Writer out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    public void write(Entry e) {
        ObjectNode line = JSON.createObjectNode();
        line.put("time", Instant.now().toString());
        line.put("client", e.client());
        line.put("user_agent", e.userAgent());
        line.put("project", e.project());
        line.put("file", e.file());
        line.put("sha256", e.sha256());
        line.put("origin", e.origin());
        line.put("action", e.action());
        line.put("reason", e.reason());
        line.put("verdict", e.record().map(r -> r.verdict().name()).orElse(""));
        e.record().ifPresent(r -> line.put("score", r.score()));
        List<String> rules = e.record().map(ScanRecord::ruleIds).orElse(List.of());
        rules.forEach(line.putArray("rules")::add);
        line.put("cached_verdict", e.fromStore());
        e.record().ifPresent(r -> line.put("rules_version", r.rulesVersion()));
        e.record().ifPresent(r -> line.put("scanned_at", r.scannedAt().toString()));
        line.put("millis", e.millis());
        String text;
        try {
            text = JSON.writeValueAsString(line);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("a tree of strings and numbers always serialises", ex);
        }
        synchronized (this) {
            try {
                out.write(text);
                out.write('\n');
                out.flush();
            } catch (IOException ex) {
                // the decision stands; losing its log line is reported on stderr rather than failing the client
                System.err.println("kingsnake gate: cannot write the audit log: " + ex.getMessage());
            }
        }
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
