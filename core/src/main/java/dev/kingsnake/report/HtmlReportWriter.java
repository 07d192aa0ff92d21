package dev.kingsnake.report;

import dev.kingsnake.Diagnostic;
import dev.kingsnake.Excerpt;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One self-contained HTML page: no script, no external asset (a Content-Security-Policy forbids loading any),
 * everything that comes from a package escaped. Packages are sorted by verdict, then score; each package's
 * findings are grouped by {@link Behaviours behaviour}, each with its
 * evidence in a few lines of context; a finding inside decoded payloads shows its decoding chain as an
 * expandable {@code <details>}; a bar chart sums up the verdicts. Results are held until {@link #finish}, since
 * the page is sorted.
 */
final class HtmlReportWriter implements ReportWriter {
    private static final Comparator<ScanResult> ORDER = Comparator
            .comparingInt((ScanResult r) -> verdictRank(r.verdict()))
            .thenComparing(Comparator.comparingDouble(ScanResult::score).reversed())
            .thenComparing(ScanResult::input);

    private final PrintWriter out;
    private final ReportSettings settings;
    private final Behaviours behaviours;
    private final List<ScanResult> results = new ArrayList<>();

    HtmlReportWriter(OutputStream out, ReportSettings settings) {
        this.out = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), false);
        this.settings = settings;
        this.behaviours = new Behaviours(settings.rules());
    }

    private static int verdictRank(Verdict v) {
        return switch (v) {
            case MALICIOUS -> 0;
            case SUSPICIOUS -> 1;
            case ERROR -> 2;
            case BENIGN -> 3;
        };
    }

    @Override
    public void result(ScanResult result) {
        if (settings.brief() && result.verdict() == Verdict.BENIGN && result.findings().isEmpty()
                && result.diagnostics().isEmpty() && result.suppressed().isEmpty()) {
            return;
        }
        results.add(result);
    }

    @Override
    public void finish(ScanSummary summary) throws IOException {
        results.sort(ORDER);
        out.println("<!DOCTYPE html>");
        out.println("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        // nothing may be loaded or run, whatever a package managed to put into the page
        out.println("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                + "style-src 'unsafe-inline'; img-src data:\">");
        out.println("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        out.println("<title>Kingsnake report</title>");
        out.println("<style>" + STYLE + "</style></head><body>");
        out.println("<header><h1>Kingsnake report</h1>");
        out.printf(Locale.ROOT, "<p class=\"meta\">Kingsnake %s &middot; threshold %.1f &middot; %d package%s, "
                        + "%d finding%s, %d diagnostic%s</p>%n",
                esc(settings.toolVersion()), settings.threshold(), summary.packages(), plural(summary.packages()),
                summary.findings(), plural(summary.findings()), summary.diagnostics(), plural(summary.diagnostics()));
        chart(summary);
        out.println("</header><main>");
        int n = 0;
        for (ScanResult r : results) {
            pkg(r, ++n);
        }
        if (results.isEmpty()) {
            out.println("<p class=\"empty\">Nothing to show.</p>");
        }
        out.println("</main></body></html>");
        out.flush();
        if (out.checkError()) {
            throw new IOException("cannot write the report");
        }
    }

    private static String plural(long n) {
        return n == 1 ? "" : "s";
    }

    /** Horizontal bars, one per verdict, as inline SVG. */
    private void chart(ScanSummary s) {
        Verdict[] order = {Verdict.MALICIOUS, Verdict.SUSPICIOUS, Verdict.BENIGN, Verdict.ERROR};
        long max = 1;
        for (Verdict v : order) {
            max = Math.max(max, s.count(v));
        }
        int rowHeight = 22;
        out.printf(Locale.ROOT, "<svg id=\"chart\" role=\"img\" aria-label=\"packages by verdict\" width=\"420\" "
                + "height=\"%d\" viewBox=\"0 0 420 %d\">%n", rowHeight * order.length, rowHeight * order.length);
        for (int i = 0; i < order.length; i++) {
            Verdict v = order[i];
            long count = s.count(v);
            int width = (int) Math.round(260.0 * count / max);
            int y = i * rowHeight;
            out.printf(Locale.ROOT, "<g class=\"bar\" data-verdict=\"%s\" data-count=\"%d\">"
                            + "<text x=\"0\" y=\"%d\">%s</text><rect class=\"v-%s\" x=\"100\" y=\"%d\" width=\"%d\" "
                            + "height=\"16\"></rect><text x=\"%d\" y=\"%d\">%d</text></g>%n",
                    v, count, y + 13, v, v.name().toLowerCase(Locale.ROOT), y + 2, width, 106 + width, y + 13, count);
        }
        out.println("</svg>");
    }

    private void pkg(ScanResult r, int n) {
        String verdict = r.verdict().name();
        out.printf(Locale.ROOT, "<section class=\"package v-%s\" id=\"package-%d\" data-verdict=\"%s\" "
                        + "data-score=\"%.1f\">%n", verdict.toLowerCase(Locale.ROOT), n, verdict, r.score());
        String id = (r.name() + " " + r.version()).trim();
        out.printf(Locale.ROOT, "<h2><span class=\"verdict\">%s</span> <span class=\"score\">%.1f</span> "
                        + "<span class=\"name\">%s</span> <span class=\"kind\">%s</span></h2>%n",
                verdict, r.score(), esc(id.isEmpty() ? "?" : id), r.kind().name().toLowerCase(Locale.ROOT));
        out.printf("<p class=\"input\">%s%s</p>%n", esc(r.input()),
                r.partial() ? " <span class=\"partial\">partial: a limit was reached</span>" : "");
        Map<String, List<Finding>> groups = new LinkedHashMap<>();
        Behaviours.HEADINGS.keySet().forEach(b -> groups.put(b, new ArrayList<>()));
        for (Finding f : r.findings()) {
            groups.get(behaviours.of(f)).add(f);
        }
        groups.forEach((behaviour, findings) -> {
            if (!findings.isEmpty()) {
                out.printf("<div class=\"behaviour\" data-behaviour=\"%s\"><h3>%s <span class=\"count\">%d</span>"
                        + "</h3>%n", behaviour, esc(Behaviours.HEADINGS.get(behaviour)), findings.size());
                findings.forEach(f -> finding(f, ""));
                out.println("</div>");
            }
        });
        if (!r.suppressed().isEmpty()) {
            out.printf("<details class=\"suppressed\"><summary>%d suppressed finding%s</summary>%n",
                    r.suppressed().size(), plural(r.suppressed().size()));
            for (SuppressedFinding s : r.suppressed()) {
                finding(s.finding(), s.reason());
            }
            out.println("</details>");
        }
        if (!r.diagnostics().isEmpty()) {
            out.println("<ul class=\"diagnostics\">");
            for (Diagnostic d : r.diagnostics()) {
                out.printf("<li><code>%s</code> %s %s</li>%n", d.code(), esc(d.file()), esc(d.message()));
            }
            out.println("</ul>");
        }
        out.println("</section>");
    }

    private void finding(Finding f, String suppression) {
        out.printf("<div class=\"finding sev-%s\" data-rule=\"%s\">%n", f.severity().name().toLowerCase(Locale.ROOT),
                esc(f.ruleId()));
        StringBuilder where = new StringBuilder(esc(f.file().isEmpty() ? "(package)" : f.file()));
        if (f.line() > 0) {
            where.append(':').append(f.line());
        }
        out.printf("<p class=\"head\"><code class=\"rule\">%s</code> <span class=\"sev\">%s/%s</span> "
                        + "<span class=\"where\">%s</span>%s</p>%n", esc(f.ruleId()), f.severity(), f.confidence(),
                where, f.reach() == Reach.UNKNOWN ? ""
                        : " <span class=\"reach\">" + f.reach().name().toLowerCase(Locale.ROOT).replace('_', '-') + "</span>");
        if (!suppression.isEmpty()) {
            out.printf("<p class=\"suppression\">suppressed: %s</p>%n", esc(suppression));
        }
        if (!f.message().isEmpty()) {
            out.printf("<p class=\"message\">%s</p>%n", esc(f.message()));
        }
        evidence(f);
        if (!f.decodeChain().isEmpty()) {
            out.printf("<details class=\"layers\"><summary>decoded through %d layer%s</summary><ol class=\"chain\">",
                    f.decodeChain().size(), plural(f.decodeChain().size()));
            for (String step : f.decodeChain()) {
                out.printf("<li>%s</li>", esc(step));
            }
            out.printf("<li class=\"found\">%s</li></ol></details>%n", esc(f.file()));
        }
        out.println("</div>");
    }

    /** The context lines with the finding's line marked, or the evidence alone. */
    private void evidence(Finding f) {
        Excerpt context = f.context();
        if (context.lines().isEmpty()) {
            if (!f.evidence().isEmpty()) {
                out.printf("<pre class=\"evidence\">%s</pre>%n", esc(f.evidence()));
            }
            return;
        }
        out.print("<pre class=\"evidence context\">");
        for (int i = 0; i < context.lines().size(); i++) {
            int line = context.firstLine() + i;
            // block spans, no newline between them: a newline inside <pre> would add an empty line
            out.printf("<span class=\"%s\"><span class=\"ln\">%d</span>%s</span>", line == f.line() ? "hit" : "line",
                    line, esc(context.lines().get(i)));
        }
        out.println("</pre>");
    }

    @Override
    public void close() {
        out.flush();
    }

    /** HTML-escapes text, with control and invisible formatting characters (bidi overrides ...) made visible. */
    static String esc(String s) {
        String visible = TextReportWriter.safe(s);
        StringBuilder b = new StringBuilder(visible.length() + 16);
        for (int i = 0; i < visible.length(); i++) {
            char c = visible.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static final String STYLE = """
            body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d1d1f;background:#f6f7f9}
            header{background:#14213d;color:#fff;padding:16px 24px}
            header h1{margin:0 0 4px;font-size:20px}.meta{margin:0 0 10px;opacity:.85}
            #chart text{fill:#fff;font-size:12px}
            rect.v-malicious{fill:#d62828}rect.v-suspicious{fill:#f77f00}rect.v-benign{fill:#2a9d8f}rect.v-error{fill:#8d99ae}
            main{padding:12px 24px;max-width:1100px}
            .package{background:#fff;border-radius:6px;margin:12px 0;padding:10px 16px;border-left:6px solid #8d99ae}
            .package.v-malicious{border-color:#d62828}.package.v-suspicious{border-color:#f77f00}.package.v-benign{border-color:#2a9d8f}
            h2{font-size:16px;margin:4px 0}.verdict{font-weight:700}.v-malicious .verdict{color:#d62828}
            .v-suspicious .verdict{color:#c46200}.score{font-variant-numeric:tabular-nums}.kind{color:#666;font-size:12px}
            .input{margin:0 0 6px;color:#555;font-family:monospace;word-break:break-all}.partial{color:#c46200}
            h3{font-size:14px;margin:10px 0 4px;color:#14213d}.count{color:#888;font-weight:400}
            .finding{border-top:1px solid #eee;padding:6px 0}.head{margin:0}.rule{font-weight:700}
            .sev{color:#666;font-size:12px}.where{font-family:monospace}.reach{background:#eef;border-radius:3px;padding:0 4px;font-size:12px}
            .message{margin:2px 0}.suppression{margin:2px 0;color:#2a6f97}
            pre{background:#f3f4f6;padding:6px 8px;overflow-x:auto;margin:4px 0;white-space:pre}
            pre .ln{display:inline-block;width:3.5em;color:#999;user-select:none}pre .hit{background:#ffe3e3;display:block}
            pre .line{display:block}details{margin:4px 0}summary{cursor:pointer;color:#14213d}
            ol.chain li.found{font-family:monospace;color:#555}.diagnostics{color:#555;font-size:12px}
            """;
}
