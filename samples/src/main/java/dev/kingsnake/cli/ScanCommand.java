package dev.kingsnake.cli;

import dev.kingsnake.Baseline;
import dev.kingsnake.BatchScanner;
import dev.kingsnake.Inputs;
import dev.kingsnake.ScanResult;
import dev.kingsnake.Scanner;
import dev.kingsnake.Suppressions;
import dev.kingsnake.Verdict;
import dev.kingsnake.index.IndexClient;
import dev.kingsnake.report.PypiReport;
import dev.kingsnake.report.ReportFormat;
import dev.kingsnake.report.FileOrigin;
import dev.kingsnake.report.ReportSettings;
import dev.kingsnake.report.ReportWriter;
import dev.kingsnake.report.ScanSummary;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** {@code kingsnake scan}: scans packages and writes a report. */
@Command(name = "scan", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Scans each PATH and writes one result per package.",
                "",
                "A PATH is an archive (sdist, wheel, egg), a .py file, or a directory. A directory with setup.py, "
                        + "pyproject.toml, setup.cfg or PKG-INFO at its top is an unpacked project and scans as one "
                        + "package. Any other directory is walked (symbolic links are not followed): every archive "
                        + "in it (.tar.gz .tgz .tar.bz2 .tbz2 .tar.xz .txz .tar .zip .whl .egg, or any file whose "
                        + "first bytes are a gzip, bzip2, xz, zip or tar header) and every loose .py file is a package "
                        + "of its own, and every project directory found in it is one package.",
                ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:no package reached --fail-on", "1:at least one package reached --fail-on (default: MALICIOUS),"
                + " or was partial or ERROR with --fail-on-partial",
                "2:usage or I/O error (missing PATH, unreadable directory, output not writable), or a --submit not accepted"})
final class ScanCommand implements Callable<Integer> {
    /** Verdicts that make the exit code 1. */
    enum FailOn { MALICIOUS, SUSPICIOUS }

    @ParentCommand
    KingsnakeCommand parent;

    @Parameters(paramLabel = "PATH", arity = "0..*",
            description = "Archives, .py files or directories; with --index, NAME or NAME==VERSION to fetch.")
    List<Path> paths = List.of();

    @Option(names = {"-r", "--requirement"}, paramLabel = "FILE",
            description = "Fetch and scan the pinned packages of a requirements.txt, pylock.toml (PEP 751), "
                    + "uv.lock or poetry.lock (from --index, else pip's configured index). Repeatable.")
    List<Path> requirementFiles = List.of();

    @Mixin
    IndexOptions indexOptions;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", converter = FormatName.class,
            description = "text, json, jsonl, sarif, html or pypi-report. Default: text.")
    ReportFormat format = ReportFormat.TEXT;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the report to FILE instead of standard output.")
    Path output;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N",
            description = "Packages scanned in parallel. Default: available processors (${DEFAULT-VALUE}).")
    int jobs = Runtime.getRuntime().availableProcessors();

    @Option(names = "--ordered",
            description = "Write results in input order (a slow package holds back at most 4 x jobs finished ones) "
                    + "instead of as each scan completes.")
    boolean ordered;

    @Option(names = "--fail-on", paramLabel = "VERDICT",
            description = "Exit with 1 if any package is at least this bad: MALICIOUS or SUSPICIOUS. Default: ${DEFAULT-VALUE}.")
    FailOn failOn = FailOn.MALICIOUS;

    @Option(names = "--fail-on-partial",
            description = "Also exit with 1 if any package was not scanned whole (a limit or the time bound cut it"
                    + " short) or could not be scanned at all (ERROR).")
    boolean failOnPartial;

    @Option(names = {"-q", "--quiet"},
            description = "No progress bar; in text format, leave out BENIGN packages without findings or diagnostics.")
    boolean quiet;

    @Option(names = "--suppressions", paramLabel = "FILE",
            description = "TOML file of findings to set aside ([[suppress]] rule, path glob and/or sha256, reason); "
                    + "they stay in the report marked as suppressed and out of the score.")
    Path suppressionsFile;

    @Option(names = "--baseline", paramLabel = "FILE",
            description = "Set aside the findings recorded in FILE (see --write-baseline): only new findings count.")
    Path baselineFile;

    @Option(names = "--write-baseline", paramLabel = "FILE",
            description = "Record every finding of this scan, suppressed or not, in FILE for later --baseline runs.")
    Path writeBaselineFile;

    @Option(names = "--source-url", paramLabel = "URL",
            description = "PyPI download URL of a scanned file (https://files.pythonhosted.org/packages/.../FILE), "
                    + "matched by file name; pypi-report then links the evidence on inspector.pypi.io. Repeatable.")
    List<String> sourceUrls = new ArrayList<>();

    @Option(names = "--find-source-urls",
            description = "pypi-report and --submit: look up the PyPI URL of each MALICIOUS package's file on "
                    + "PyPI's Simple API (--pypi-url, then simple/) when --source-url does not give it. Only these "
                    + "packages are looked up.")
    boolean findSourceUrls;

    /**
     * Deprecated: the Simple API root of --find-source-urls, which is now PyPI's own under --pypi-url (source URLs
     * are only of use on PyPI: inspector links and observations). Kept hidden so existing command lines still work.
     */
    @Option(names = "--index-url", paramLabel = "URL", hidden = true)
    URI indexUrl;

    @Option(names = "--submit",
            description = "Send each MALICIOUS package's observation to PyPI's observation API with the token in $"
                    + PypiSubmitter.TOKEN_VARIABLE + ". Without it nothing is sent (the pypi-report format shows "
                    + "exactly what would be).")
    boolean submit;

    @Option(names = "--pypi-url", paramLabel = "URL",
            description = "Base URL of PyPI: --submit sends observations to its API, --find-source-urls looks "
                    + "files up on its Simple API (URL/simple/). Default: ${DEFAULT-VALUE}.")
    URI pypiUrl = URI.create("https://pypi.org/");

    /** Where --find-source-urls looks files up: PyPI's Simple API, or the deprecated --index-url when given. */
    private URI sourceUrlIndex() {
        if (indexUrl != null) {
            return indexUrl;
        }
        String base = pypiUrl.toString();
        return URI.create((base.endsWith("/") ? base : base + "/") + "simple/");
    }

    @Mixin
    ScannerOptions scannerOptions;

    /** Format names as written in the docs: pypi-report for PYPI_REPORT. */
    static final class FormatName implements CommandLine.ITypeConverter<ReportFormat> {
        @Override
        public ReportFormat convert(String value) {
            try {
                return ReportFormat.valueOf(value.trim().replace('-', '_').toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("expected text, json, jsonl, sarif, html or pypi-report");
            }
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = parent.err();
        if (jobs < 1) {
            err.println("kingsnake: --jobs must be at least 1");
            return KingsnakeCommand.EXIT_ERROR;
        }
        Map<String, FileOrigin> origins = new HashMap<>();
        if (indexOptions.index().isPresent() || !requirementFiles.isEmpty()) {
            Optional<List<Path>> fetched = FetchByName.fetch(indexOptions, paths, requirementFiles, origins, err);
            if (fetched.isEmpty()) {
                return KingsnakeCommand.EXIT_ERROR;
            }
            paths = fetched.get();
        }
        if (paths.isEmpty()) {
            err.println("kingsnake: give at least one PATH (or --index NAME..., or -r FILE)");
            return KingsnakeCommand.EXIT_ERROR;
        }
        for (Path p : paths) {
            if (!Files.exists(p)) {
                err.println("kingsnake: no such file or directory: " + p);
                return KingsnakeCommand.EXIT_ERROR;
            }
        }
        Suppressions suppressions;
        try {
            suppressions = suppressions();
        } catch (IOException e) {
            err.println("kingsnake: " + KingsnakeCommand.message(e));
            return KingsnakeCommand.EXIT_ERROR;
        }
        String token = System.getenv(PypiSubmitter.TOKEN_VARIABLE);
        if (submit && (token == null || token.isBlank())) {
            err.println("kingsnake: --submit needs a PyPI API token in $" + PypiSubmitter.TOKEN_VARIABLE);
            return KingsnakeCommand.EXIT_ERROR;
        }
        Scanner scanner = scannerOptions.scanner(suppressions);
        Baseline.Builder baseline = new Baseline.Builder();
        ReportSettings settings = new ReportSettings(KingsnakeCommand.version(), scanner.threshold(),
                scanner.rules(), quiet, sourceUrls, origins);
        List<ScanResult> toSubmit = new ArrayList<>();
        SourceUrlLookup lookup = new SourceUrlLookup(
                () -> new IndexClient(sourceUrlIndex(), IndexClient.Settings.defaults()), err);

        OutputStream out;
        if (output != null) {
            try {
                out = new BufferedOutputStream(Files.newOutputStream(output), 1 << 16);
            } catch (IOException e) {
                err.println("kingsnake: cannot write " + output + ": " + KingsnakeCommand.message(e));
                return KingsnakeCommand.EXIT_ERROR;
            }
        } else {
            out = parent.out();
        }

        AtomicBoolean unreadable = new AtomicBoolean();
        ScanSummary.Tally tally = new ScanSummary.Tally();
        boolean[] failed = new boolean[1];
        try (ReportWriter writer = findSourceUrls && format == ReportFormat.PYPI_REPORT
                ? lookup.deferred(out, settings) : format.writer(out, settings);
             ConsoleProgress progress = ConsoleProgress.open(!quiet, output == null)) {
            if (progress.shown()) {
                countInBackground(progress);
            }
            BatchScanner.Builder batchBuilder = BatchScanner.builder(scanner).jobs(jobs)
                    .order(ordered ? BatchScanner.Order.INPUT : BatchScanner.Order.COMPLETION);
            try (BatchScanner batch = batchBuilder.start(r -> {
                tally.add(r);
                if (writeBaselineFile != null) {
                    baseline.add(r);
                }
                if (submit && r.verdict() == Verdict.MALICIOUS) {
                    toSubmit.add(r);
                }
                if (reaches(r)) {
                    failed[0] = true;
                }
                progress.print(() -> {
                    try {
                        writer.result(r);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            })) {
                long submitted = 0;
                for (Path root : paths) {
                    long[] count = {0};
                    expand(root, p -> {
                        try {
                            batch.submit(p);
                            count[0]++;
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IllegalStateException("interrupted");
                        }
                    }, (dir, e) -> {
                        unreadable.set(true);
                        progress.message(() -> err.println("kingsnake: cannot read " + dir + ": "
                                + KingsnakeCommand.message(e)));
                    });
                    submitted += count[0];
                }
                progress.total(submitted);
                batch.finish();
            }
            writer.finish(tally.summary());
        } catch (UncheckedIOException e) {
            return reportFailed(err, e.getCause(), out);
        } catch (IOException e) {
            return reportFailed(err, e, out);
        }
        if (writeBaselineFile != null) {
            try {
                baseline.build().write(writeBaselineFile);
            } catch (IOException e) {
                err.println("kingsnake: cannot write " + writeBaselineFile + ": " + KingsnakeCommand.message(e));
                return KingsnakeCommand.EXIT_ERROR;
            }
        }
        try {
            if (output != null) {
                out.close();
            } else {
                out.flush();
            }
        } catch (IOException e) {
            return reportFailed(err, e, out);
        }
        if (submit && new PypiSubmitter(pypiUrl, token).submit(reports(toSubmit, settings, lookup), err) > 0) {
            return KingsnakeCommand.EXIT_ERROR;
        }
        if (failed[0]) {
            return KingsnakeCommand.EXIT_MALICIOUS;
        }
        return unreadable.get() ? KingsnakeCommand.EXIT_ERROR : KingsnakeCommand.EXIT_CLEAN;
    }

    /** The PyPI reports of these MALICIOUS results, their URLs looked up if asked. */
    private List<PypiReport> reports(List<ScanResult> malicious, ReportSettings settings, SourceUrlLookup lookup) {
        List<String> urls = findSourceUrls ? lookup.complete(sourceUrls, malicious) : sourceUrls;
        return malicious.stream().map(r -> PypiReport.of(r, settings, urls)).toList();
    }

    /** The user's suppression file and baseline, read before anything is scanned. */
    private Suppressions suppressions() throws IOException {
        Suppressions s = Suppressions.NONE;
        if (suppressionsFile != null) {
            try {
                s = Suppressions.read(suppressionsFile);
            } catch (IOException e) {
                throw new IOException("cannot read --suppressions " + suppressionsFile + ": " + e.getMessage(), e);
            }
        }
        if (baselineFile != null) {
            try {
                s = s.withBaseline(Baseline.read(baselineFile));
            } catch (IOException e) {
                throw new IOException("cannot read --baseline " + baselineFile + ": " + e.getMessage(), e);
            }
        }
        return s;
    }

    /** {@link Inputs#expand}, with a root that vanished or cannot be read reported like an unreadable directory. */
    private static void expand(Path root, Consumer<Path> packages, BiConsumer<Path, IOException> errors) {
        try {
            Inputs.expand(root, packages, errors);
        } catch (IOException e) {
            errors.accept(root, e);
        }
    }

    /** The report could not be written (full disk, closed pipe): one message, exit code 2. */
    private int reportFailed(PrintWriter err, IOException e, OutputStream out) {
        err.println("kingsnake: cannot write the report: " + KingsnakeCommand.message(e));
        if (output != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // already reported
            }
        }
        return KingsnakeCommand.EXIT_ERROR;
    }

    /** A second, cheap walk of the inputs gives the bar its total while the scan streams. */
    private void countInBackground(ConsoleProgress progress) {
        Thread counter = new Thread(() -> {
            long[] n = {0};
            try {
                for (Path root : paths) {
                    Inputs.expand(root, p -> n[0]++, (dir, e) -> { });
                }
                progress.total(n[0]);
            } catch (IOException | RuntimeException e) {
                // the bar stays open-ended; the scan itself reports unreadable inputs
            }
        }, "kingsnake-count");
        counter.setDaemon(true);
        counter.start();
    }

    private boolean reaches(ScanResult r) {
        Verdict v = r.verdict();
        return v == Verdict.MALICIOUS || (failOn == FailOn.SUSPICIOUS && v == Verdict.SUSPICIOUS)
                || failOnPartial && (r.partial() || v == Verdict.ERROR);
    }
}
