package dev.kingsnake.report;

import dev.kingsnake.CapabilitySummary;
import dev.kingsnake.Diagnostic;
import dev.kingsnake.Finding;
import dev.kingsnake.Reach;
import dev.kingsnake.ScanResult;
import dev.kingsnake.SuppressedFinding;
import dev.kingsnake.Verdict;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Human-readable report: one block per package (verdict, score, name, version, input), its findings
 * with {@code file:line:column} and the evidence line, its diagnostics, and a summary at the end.
 * Text that comes from the scanned package is escaped, so a hostile package cannot send terminal
 * control sequences.
 */
final class TextReportWriter implements ReportWriter {
    private static final int MAX_EVIDENCE = 240;

    private final PrintWriter out;
    private final ReportSettings settings;

    TextReportWriter(OutputStream out, ReportSettings settings) {
        this.out = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), false);
        this.settings = settings;
    }

    @Override
    public void result(ScanResult r) throws IOException {
        List<CapabilitySummary> capabilities = CapabilitySummary.of(r.findings());
        if (settings.brief() && r.verdict() == Verdict.BENIGN && r.findings().size() == capabilities.stream()
                .mapToInt(CapabilitySummary::count).sum() && r.diagnostics().isEmpty()) {
            return;
        }
        StringBuilder head = new StringBuilder();
        // a partial scan must not read as clean to someone who looks only at the verdict column
        String verdict = r.partial() ? r.verdict() + "/PARTIAL" : r.verdict().toString();
        head.append(String.format(Locale.ROOT, "%-18s %4.1f  ", verdict, r.score()));
        String id = (r.name() + " " + r.version()).trim();
        head.append(id.isEmpty() ? "?" : safe(id));
        head.append("  [").append(r.kind().name().toLowerCase(Locale.ROOT)).append("]  ").append(safe(r.input()));
        if (r.partial()) {
            head.append("  (partial: a limit was reached, the package was not read or analysed whole)");
        }
        out.println(head);
        if (!capabilities.isEmpty()) {
            out.println("  capabilities: " + capabilityLine(capabilities));
        }
        for (Finding f : r.findings()) {
            if (CapabilitySummary.isCapability(f)) {
                continue; // listed on the capabilities line; each is in the JSON and SARIF reports
            }
            StringBuilder line = new StringBuilder("  ");
            line.append(f.ruleId()).append("  ")
                    .append(f.severity()).append('/').append(f.confidence()).append("  ")
                    .append(location(f));
            if (f.reach() != Reach.UNKNOWN) {
                line.append("  (").append(reachText(f.reach())).append(')');
            }
            out.println(line);
            if (!f.message().isEmpty()) {
                out.println("      " + safe(f.message()));
            }
            if (!f.evidence().isEmpty()) {
                out.println("      | " + shorten(safe(f.evidence())));
            }
            if (!f.decodeChain().isEmpty()) {
                out.println("      decoded: " + safe(String.join(" > ", f.decodeChain())));
            }
        }
        for (Diagnostic d : r.diagnostics()) {
            out.println("  ! " + d.code() + (d.file().isEmpty() ? "" : " " + safe(d.file())) + ": "
                    + shorten(safe(d.message())));
        }
        for (SuppressedFinding sf : r.suppressed()) {
            out.println("  ~ " + sf.finding().ruleId() + "  " + location(sf.finding()) + "  suppressed: "
                    + shorten(safe(sf.reason())));
        }
        out.flush();
        if (out.checkError()) {
            throw new IOException("cannot write the report");
        }
    }

    @Override
    public void finish(ScanSummary s) throws IOException {
        out.println();
        out.printf(Locale.ROOT, "%d package%s scanned in %.1f s: %d malicious, %d suspicious, %d benign, %d error%s"
                        + " (%d partial); %d finding%s, %d diagnostic%s; %s compressed, %s uncompressed%n",
                s.packages(), s.packages() == 1 ? "" : "s", s.elapsedMillis() / 1000.0,
                s.malicious(), s.suspicious(), s.benign(), s.errors(), s.errors() == 1 ? "" : "s", s.partial(),
                s.findings(), s.findings() == 1 ? "" : "s", s.diagnostics(), s.diagnostics() == 1 ? "" : "s",
                bytes(s.compressedBytes()), bytes(s.uncompressedBytes()));
        out.flush();
        if (out.checkError()) {
            throw new IOException("cannot write the report");
        }
    }

    @Override
    public void close() {
        out.flush();
    }

    /** {@code process (install-time, 3), network-client (called, 1)}: id without its prefix, earliest reach, count. */
    static String capabilityLine(List<CapabilitySummary> capabilities) {
        StringBuilder b = new StringBuilder();
        for (CapabilitySummary c : capabilities) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(c.id().substring(CapabilitySummary.ID_PREFIX.length()).toLowerCase(Locale.ROOT)).append(" (")
                    .append(reachText(c.reach())).append(", ").append(c.count()).append(')');
        }
        return b.toString();
    }

    private static String reachText(Reach reach) {
        return reach.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String location(Finding f) {
        StringBuilder b = new StringBuilder(safe(f.file().isEmpty() ? "(package)" : f.file()));
        if (f.line() > 0) {
            b.append(':').append(f.line());
            if (f.column() > 0) {
                b.append(':').append(f.column());
            }
        }
        return b.toString();
    }

    private static String shorten(String s) {
        return s.length() <= MAX_EVIDENCE ? s : s.substring(0, MAX_EVIDENCE) + " ...";
    }

    /** Escapes control characters (newlines, ESC, ...) so that package text stays on its line and inert. */
    static String safe(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean control = Character.isISOControl(c) || c == '\u2028' || c == '\u2029'
                    || Character.getType(c) == Character.FORMAT;
            if (control && b == null) {
                b = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (b != null) {
                if (!control) {
                    b.append(c);
                } else if (c == '\n') {
                    b.append("\\n");
                } else if (c == '\t') {
                    b.append("\\t");
                } else if (c == '\r') {
                    b.append("\\r");
                } else {
                    b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                }
            }
        }
        return b == null ? s : b.toString();
    }

    private static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
