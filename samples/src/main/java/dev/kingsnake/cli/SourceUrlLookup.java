package dev.kingsnake.cli;

import dev.kingsnake.ScanResult;
import dev.kingsnake.Verdict;
import dev.kingsnake.index.DistributionFile;
import dev.kingsnake.index.Fetch;
import dev.kingsnake.index.IndexClient;
import dev.kingsnake.index.ProjectPage;
import dev.kingsnake.report.ReportFormat;
import dev.kingsnake.report.ReportSettings;
import dev.kingsnake.report.ReportWriter;
import dev.kingsnake.report.ScanSummary;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Finds the PyPI download URL of each MALICIOUS package's file by asking the index for the project's page and
 * picking the file of the same name, so that PyPI reports can link the evidence on inspector.pypi.io without
 * {@code --source-url}. Only MALICIOUS results are looked up, one request per project, and only when asked.
 */
final class SourceUrlLookup {
    /** Opened on the first look-up: an HTTP client's TLS set-up is a good part of a small scan's start. */
    private final Supplier<IndexClient> connect;
    private IndexClient index;
    private final PrintWriter err;
    private final Map<String, Optional<String>> found = new HashMap<>();

    SourceUrlLookup(Supplier<IndexClient> connect, PrintWriter err) {
        this.connect = connect;
        this.err = err;
    }

    /** {@code known} plus the URLs found for the MALICIOUS results that {@code known} does not cover. */
    List<String> complete(List<String> known, List<ScanResult> results) {
        List<String> out = new ArrayList<>(known);
        for (ScanResult r : results) {
            String file = fileName(r.input());
            boolean covered = out.stream().anyMatch(u -> u.endsWith("/" + file));
            if (r.verdict() != Verdict.MALICIOUS || covered || r.name().isEmpty()) {
                continue;
            }
            find(r.name(), file).ifPresent(out::add);
        }
        return out;
    }

    private Optional<String> find(String project, String file) {
        return found.computeIfAbsent(file, f -> lookUp(project, f));
    }

    private Optional<String> lookUp(String project, String file) {
        if (index == null) {
            index = connect.get();
        }
        Fetch<ProjectPage> page = index.project(project);
        if (page instanceof Fetch.Found<ProjectPage> found) {
            Optional<DistributionFile> listed = found.value().file(file);
            if (listed.isEmpty()) {
                err.println("kingsnake: " + file + " is not among the files of " + project + " on " + index.root());
            }
            return listed.map(f -> f.url().toString());
        }
        String why = page instanceof Fetch.Failed<ProjectPage> failed ? failed.message()
                : project + " is not on " + index.root();
        err.println("kingsnake: cannot find the PyPI URL of " + file + ": " + why);
        return Optional.empty();
    }

    /**
     * A pypi-report writer that holds the MALICIOUS results until the scan ends, looks up their URLs, then
     * writes the report with them.
     */
    ReportWriter deferred(OutputStream out, ReportSettings settings) {
        List<ScanResult> held = new ArrayList<>();
        return new ReportWriter() {
            @Override
            public void result(ScanResult r) {
                if (r.verdict() == Verdict.MALICIOUS) {
                    held.add(r);
                }
            }

            @Override
            public void finish(ScanSummary summary) throws IOException {
                ReportSettings complete = withSourceUrls(settings, complete(settings.sourceUrls(), held));
                try (ReportWriter w = ReportFormat.PYPI_REPORT.writer(out, complete)) {
                    for (ScanResult r : held) {
                        w.result(r);
                    }
                    w.finish(summary);
                }
            }

            @Override
            public void close() {
                // the delegate is closed in finish; out stays open, as for every writer
            }
        };
    }

    private static String fileName(String input) {
        Path name = Path.of(input).getFileName();
        return name == null ? input : name.toString();
    }

    /** The settings with the looked-up URLs. */
    static ReportSettings withSourceUrls(ReportSettings s, List<String> urls) {
        return new ReportSettings(s.toolVersion(), s.threshold(), s.rules(), s.brief(), urls, s.origins());
    }
}
