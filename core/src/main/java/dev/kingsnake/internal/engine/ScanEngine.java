package dev.kingsnake.internal.engine;

import dev.kingsnake.internal.archive.FileClassifier;

import dev.kingsnake.Confidence;
import dev.kingsnake.Diagnostic;
import dev.kingsnake.DiagnosticCode;
import dev.kingsnake.Finding;
import dev.kingsnake.Limits;
import dev.kingsnake.PackageKind;
import dev.kingsnake.ScanResult;
import dev.kingsnake.ScanStats;
import dev.kingsnake.Severity;
import dev.kingsnake.Suppressions;
import dev.kingsnake.Excerpt;
import dev.kingsnake.Verdict;
import dev.kingsnake.internal.archive.ArchiveEntry;
import dev.kingsnake.internal.archive.ArchiveReader;
import dev.kingsnake.internal.archive.UnpackedPackage;
import dev.kingsnake.internal.decode.DecodeBudget;
import dev.kingsnake.internal.decode.DecodedLayer;
import dev.kingsnake.internal.decode.Deobfuscator;
import dev.kingsnake.internal.decode.PackageModules;
import dev.kingsnake.internal.decode.StartupHooks;
import dev.kingsnake.internal.python.ParseOutcome;
import dev.kingsnake.internal.python.PythonParser;
import dev.kingsnake.internal.python.semantic.SemanticModel;
import dev.kingsnake.spi.FileKind;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.PackageInfo;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.PythonFileRule;
import dev.kingsnake.spi.Rule;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.SourceFile;
import dev.kingsnake.spi.python.Node;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.AtomicReference;

/** Runs one scan: unpack, classify, parse, decode, rules, score. Thread-safe. */
public final class ScanEngine {
    private final Limits limits;
    private final List<Rule> rules;
    private final Map<String, RuleInfo> infos;
    private final double threshold;
    private final double suspiciousThreshold;
    /**
     * Python source above which a package is analysed in groups (see {@link #analyseInGroups}); at or below it,
     * all at once (about 90 MiB of models at most).
     */
    static final long GROUPED_ABOVE_BYTES = 8L << 20;
    /**
     * Python source of one group: about 45 MiB of models. Two groups are analysed at once, and under a 512 MiB heap
     * their models are most of what is live: with groups of 8 MiB (about 90 MiB of models each) the live heap
     * reached about 230 MB with the kept entries, and the parallel collector spent about 8 s of CPU on a warm torch
     * scan, most of it in full collections; groups of 4 MiB took about 4 s less collector CPU per torch scan, and
     * less CPU in all (README, Performance, "The biggest wheels").
     */
    static final long GROUP_SOURCE_BYTES = 4L << 20;
    /**
     * Inputs of at least this size have their Python files parsed while the rest is still read ({@link ParseAhead}):
     * reading them takes long enough to pay for the handing over, and packages this big are rarely repeats whose
     * files the result cache would have spared the parse.
     */
    static final long PARSE_AHEAD_MIN_INPUT = 16L << 20;

    private final Optional<List<String>> popularPackages;
    private final Suppressions suppressions;
    private final List<Rule> packageRules;
    private final List<Rule> fileRules;
    private final long groupSourceBytes;
    private final long groupedAboveBytes;
    private final ArchiveReader archiveReader;
    private final PythonParser parser;
    private final Deobfuscator deobfuscator;
    private final Scoring scoring = new Scoring();
    private final FileResultCache fileResults = new FileResultCache(FileResultCache.DEFAULT_MAX_SOURCE_BYTES);
    /** Per-file rules that check each file alone (they keep {@link PythonFileRule}'s package-level check). */
    private final Set<Rule> eachFileAlone;

    public ScanEngine(Limits limits, List<Rule> rules, double threshold, double suspiciousThreshold,
                      Optional<List<String>> popularPackages, Suppressions suppressions) {
        this(limits, rules, threshold, suspiciousThreshold, popularPackages, suppressions, GROUP_SOURCE_BYTES,
                GROUPED_ABOVE_BYTES);
    }

    /**
     * With another group size, also the size above which a package is grouped, so that tests can exercise grouped
     * analysis on small packages.
     */
    ScanEngine(Limits limits, List<Rule> rules, double threshold, double suspiciousThreshold,
               Optional<List<String>> popularPackages, long groupSourceBytes) {
        this(limits, rules, threshold, suspiciousThreshold, popularPackages, Suppressions.NONE, groupSourceBytes,
                groupSourceBytes);
    }

    /** With other group sizes: groups of {@code groupSourceBytes}, for packages of more than {@code groupedAboveBytes}. */
    ScanEngine(Limits limits, List<Rule> rules, double threshold, double suspiciousThreshold,
               Optional<List<String>> popularPackages, long groupSourceBytes, long groupedAboveBytes) {
        this(limits, rules, threshold, suspiciousThreshold, popularPackages, Suppressions.NONE, groupSourceBytes,
                groupedAboveBytes);
    }

    private ScanEngine(Limits limits, List<Rule> rules, double threshold, double suspiciousThreshold,
                       Optional<List<String>> popularPackages, Suppressions suppressions, long groupSourceBytes,
                       long groupedAboveBytes) {
        this.groupSourceBytes = groupSourceBytes;
        this.groupedAboveBytes = groupedAboveBytes;
        this.limits = limits;
        this.rules = List.copyOf(rules);
        this.packageRules = this.rules.stream().filter(r -> !(r instanceof PythonFileRule)).toList();
        this.fileRules = this.rules.stream().filter(r -> r instanceof PythonFileRule).toList();
        this.eachFileAlone = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Rule r : fileRules) {
            if (checksEachFileAlone(r)) {
                eachFileAlone.add(r);
            }
        }
        Map<String, RuleInfo> m = new LinkedHashMap<>();
        for (Rule r : rules) {
            RuleInfo info = r.info();
            if (m.putIfAbsent(info.id(), info) != null) {
                throw new IllegalArgumentException("two rules share the id " + info.id());
            }
        }
        this.infos = Map.copyOf(m);
        this.threshold = threshold;
        this.suspiciousThreshold = suspiciousThreshold;
        this.popularPackages = popularPackages.map(List::copyOf);
        this.suppressions = suppressions;
        this.archiveReader = new ArchiveReader(limits);
        this.parser = new PythonParser(limits);
        this.deobfuscator = new Deobfuscator(limits);
    }

    /** An engine that suppresses nothing. */
    public ScanEngine(Limits limits, List<Rule> rules, double threshold, double suspiciousThreshold,
                      Optional<List<String>> popularPackages) {
        this(limits, rules, threshold, suspiciousThreshold, popularPackages, Suppressions.NONE);
    }

    public List<Rule> rules() {
        return rules;
    }

    private static boolean checksEachFileAlone(Rule r) {
        try {
            return r.getClass().getMethod("check", dev.kingsnake.spi.RuleContext.class, FindingSink.class)
                    .getDeclaringClass() == PythonFileRule.class;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /** Files found in the per-file result cache of this engine, and files looked up there (for tests). */
    long fileResultHits() {
        return fileResults.hits();
    }

    long fileResultLookUps() {
        return fileResults.hits() + fileResults.misses();
    }

    public ScanResult scan(Path path) {
        long start = System.nanoTime();
        ParseAhead ahead = parseAhead(path);
        try {
            UnpackedPackage pkg = archiveReader.read(path, ahead);
            return analyse(path.toString(), path.getFileName() == null ? path.toString()
                    : path.getFileName().toString(), pkg, start, ahead);
        } catch (RuntimeException | Error e) {
            return failed(path.toString(), e, start);
        } finally {
            ahead.close();
        }
    }

    /** Parses ahead on the common pool (the one the groups run on) when the input is a big file. */
    private ParseAhead parseAhead(Path path) {
        try {
            if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) && Files.size(path) >= PARSE_AHEAD_MIN_INPUT) {
                // the first two groups: the two analysed first, one on each core
                return new ParseAhead(parser, ForkJoinPool.commonPool(), groupedAboveBytes);
            }
        } catch (IOException e) {
            // the reader reports it
        }
        return ParseAhead.none(parser);
    }

    public ScanResult scan(String name, InputStream in) {
        long start = System.nanoTime();
        try {
            UnpackedPackage pkg = archiveReader.read(name, in);
            String fileName = name.contains("/") ? name.substring(name.lastIndexOf('/') + 1) : name;
            return analyse(name, fileName, pkg, start, ParseAhead.none(parser));
        } catch (RuntimeException | Error e) {
            return failed(name, e, start);
        }
    }

    /**
     * The result of a scan that failed outside the per-rule isolation (a bug, or the JVM ran out of
     * memory or stack): verdict ERROR with a SCAN_FAILED diagnostic, so a batch still gets one result
     * per input and goes on with the next one.
     */
    private static ScanResult failed(String input, Throwable e, long start) {
        long elapsed = (System.nanoTime() - start) / 1_000_000;
        return new ScanResult(input, "", "", PackageKind.UNKNOWN, Verdict.ERROR, 0, List.of(),
                List.of(Diagnostic.of(DiagnosticCode.SCAN_FAILED, "scanner failed: " + describe(e))),
                new ScanStats(0, 0, 0, 0, 0, elapsed));
    }

    /** The throwable's class and message; a StackOverflowError's stack trace is never formatted. */
    static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getName() + (m == null ? "" : ": " + (m.length() > 200 ? m.substring(0, 200) + "…" : m));
    }

    private ScanResult analyse(String input, String fileName, UnpackedPackage pkg, long start, ParseAhead ahead) {
        Deadline deadline = new Deadline(start, limits.packageTimeout().toNanos());
        long pythonSource = 0;
        for (ArchiveEntry e : pkg.entries()) {
            if (FileClassifier.classify(e.path(), e.bytes()) == FileKind.PYTHON) {
                pythonSource += e.bytes().length;
            }
        }
        Analysis a = pythonSource > groupedAboveBytes ? analyseInGroups(fileName, pkg, deadline, ahead)
                : analyseAtOnce(fileName, pkg, deadline, ahead);
        List<Finding> findings = new ArrayList<>(a.findings);
        findings.sort(Scoring::compare);
        SuppressionPass.Split split = SuppressionPass.apply(suppressions, a.info, findings, pkg.entries());
        Set<String> otherProjects = pkg.kind() == PackageKind.SDIST
                ? OtherProjects.of(pkg.entries().stream().map(ArchiveEntry::path).toList()) : Set.of();
        double score = scoring.score(split.active(), infos, ImportedTests.ofImporters(a.importers), a.pythonFiles,
                otherProjects);
        Verdict verdict = !pkg.readable() ? Verdict.ERROR
                : score >= threshold ? Verdict.MALICIOUS
                : score >= suspiciousThreshold ? Verdict.SUSPICIOUS : Verdict.BENIGN;
        long elapsed = (System.nanoTime() - start) / 1_000_000;
        ScanStats stats = new ScanStats(pkg.entries().size(), a.pythonFiles, a.pythonBytes,
                pkg.compressedBytes(), pkg.uncompressedBytes(), elapsed);
        return new ScanResult(input, a.info.name(), a.info.version(), pkg.kind(), verdict, score, split.active(),
                a.diagnostics, stats, split.suppressed());
    }

    /** What the rules made of a package, before scoring. */
    private record Analysis(PackageInfo info, List<Finding> findings, List<Diagnostic> diagnostics,
                            List<ImportedTests.Importer> importers, int pythonFiles, long pythonBytes) {
    }

    private Analysis analyseAtOnce(String fileName, UnpackedPackage pkg, Deadline deadline, ParseAhead ahead) {
        boolean built = pkg.kind() != PackageKind.WHEEL && pkg.kind() != PackageKind.EGG;
        FileReuse reuse = new FileReuse(Optional.of(fileResults), pkg.entries(), built);
        Prepared prepared = prepare(fileName, pkg, deadline, reuse, ahead);
        List<Diagnostic> diags = new ArrayList<>(prepared.diagnostics);
        List<Finding> findings = runRules(prepared.context, rules, diags, deadline, reuse);
        reuse.store();
        return new Analysis(prepared.context.packageInfo(), findings, diags,
                prepared.context.pythonFiles().stream().map(ImportedTests.Importer::of).toList(),
                prepared.pythonFiles, prepared.pythonBytes);
    }

    /**
     * A package with more Python source than {@link #GROUP_SOURCE_BYTES} (torch, tensorflow: 30–50 MB of it)
     * cannot have every file's model in memory at once (about 11 bytes of heap per byte of source). The package
     * rules run once, on every file's bytes and on the models of the shallow Python files they read (setup.py,
     * a build backend next to pyproject.toml); the per-file rules run group by group, each group's models dropped
     * before the next is parsed. What is lost against {@link #analyseAtOnce}: a per-file rule sees only its own
     * group's Python files through {@code ctx.files()}, and a build backend nested more than one directory deep is
     * not inspected by the package rules.
     */
    private Analysis analyseInGroups(String fileName, UnpackedPackage pkg, Deadline deadline, ParseAhead ahead) {
        List<Diagnostic> diags = new ArrayList<>(pkg.diagnostics());
        boolean built = pkg.kind() != PackageKind.WHEEL && pkg.kind() != PackageKind.EGG;
        List<SourceFile> others = new ArrayList<>();
        List<ArchiveEntry> python = new ArrayList<>();
        for (ArchiveEntry e : pkg.entries()) {
            FileKind kind = FileClassifier.classify(e.path(), e.bytes());
            if (kind == FileKind.PYTHON) {
                python.add(e);
            } else {
                others.add(new PackageFile(e, kind));
            }
        }
        // taken by the package rules' task, so that the shallow models die with it, not with the last group
        AtomicReference<PackagePass> pending = new AtomicReference<>(packagePass(fileName, pkg, others, python, built));
        PackageInfo info = pending.get().info();
        List<List<ArchiveEntry>> groups = new ArrayList<>();
        int from = 0;
        while (from < python.size()) {
            int to = from;
            long groupBytes = 0;
            while (to < python.size()
                    && (to == from || groupBytes + python.get(to).bytes().length <= groupSourceBytes)) {
                groupBytes += python.get(to++).bytes().length;
            }
            groups.add(python.subList(from, to));
            from = to;
        }
        DecodeBudget budget = new DecodeBudget(limits.maxDecodedBytesPerPackage());
        // the package rules (task 0) and the groups are independent: on a 2-core machine two of them run at once
        // (the common pool's parallelism), so the package rules no longer leave a core idle before the first
        // group; results are merged in task order so the outcome does not depend on timing
        List<GroupResult> results = eachOnce(groups.size() + 1,
                i -> i == 0 ? packageRules(pending.getAndSet(null), deadline)
                        : analyseGroup(groups.get(i - 1), info, others, pkg, built, budget, deadline, ahead));
        List<Finding> findings = new ArrayList<>();
        List<ImportedTests.Importer> importers = new ArrayList<>();
        long pythonBytes = 0;
        for (GroupResult r : results) {
            findings.addAll(r.findings());
            for (Diagnostic d : r.diagnostics()) {
                // the deadline once, not once per group; the package rules' diagnostics all come first
                if (r == results.get(0) || !d.file().isEmpty() || !diags.contains(d)) {
                    diags.add(d);
                }
            }
            importers.addAll(r.importers());
            pythonBytes += r.pythonBytes();
        }
        return new Analysis(info, findings, diags, importers, python.size(), pythonBytes);
    }

    /**
     * Runs tasks {@code 0..n-1} on the calling thread and the common pool's threads, each thread taking the next
     * task not yet taken, and returns their results in task order. A parallel stream cut the 8 tasks of torch into
     * leaves of two, so one thread could be left with two groups (a quarter of the analysis) while the other
     * idled; taken one at a time, at most the last group runs alone.
     */
    private static <T> List<T> eachOnce(int n, java.util.function.IntFunction<T> task) {
        AtomicReferenceArray<T> results = new AtomicReferenceArray<>(n);
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            try {
                for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                    results.set(i, task.apply(i));
                }
            } catch (RuntimeException | Error e) {
                next.set(n); // the scan fails: the other threads take no further task
                throw e;
            }
        };
        int helpers = Math.min(n - 1, ForkJoinPool.getCommonPoolParallelism());
        List<ForkJoinTask<?>> forks = new ArrayList<>();
        for (int h = 0; h < helpers; h++) {
            forks.add(ForkJoinPool.commonPool().submit(worker));
        }
        worker.run();
        forks.forEach(ForkJoinTask::join);
        List<T> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(results.get(i));
        }
        return out;
    }

    private record GroupResult(List<Finding> findings, List<Diagnostic> diagnostics,
                               List<ImportedTests.Importer> importers, long pythonBytes) {
    }

    /** Parses, decodes and runs the per-file rules on one group of Python files; its models die with it. */
    private GroupResult analyseGroup(List<ArchiveEntry> group, PackageInfo info, List<SourceFile> others,
                                     UnpackedPackage pkg, boolean built, DecodeBudget budget, Deadline deadline,
                                     ParseAhead ahead) {
        List<Diagnostic> diags = new ArrayList<>();
        if (deadline.passed()) {
            diags.add(deadline.diagnostic("while parsing"));
            return new GroupResult(List.of(), diags, List.of(), 0);
        }
        List<SourceFile> files = new ArrayList<>(others);
        List<PythonFile> pythonFiles = new ArrayList<>();
        long pythonBytes = 0;
        try {
            for (ArchiveEntry e : group) {
                PythonFile pf = model(e.path(), e.bytes(), ahead.parse(e), List.of(), Optional.empty(), diags,
                        built);
                files.add(pf);
                pythonFiles.add(pf);
                pythonBytes += e.bytes().length;
            }
            decodeLayers(pythonFiles, files, diags, deadline, built, budget, FileReuse.NONE);
        } catch (StackOverflowError | OutOfMemoryError e) {
            diags.add(Diagnostic.of(DiagnosticCode.LIMIT_EXCEEDED, "analysis stopped: " + describe(e)));
        } catch (RuntimeException e) {
            diags.add(Diagnostic.of(DiagnosticCode.SCAN_FAILED, "analysis stopped: " + describe(e)));
        }
        PackageContext ctx = new PackageContext(info, files, pythonFiles, limits, popularPackages,
                pkg.differentials());
        List<Finding> findings = runRules(ctx, fileRules, diags, deadline, FileReuse.NONE);
        return new GroupResult(findings, diags, pythonFiles.stream().map(ImportedTests.Importer::of).toList(),
                pythonBytes);
    }

    /** What the package rules are given: every file, with models only for the shallow Python files. */
    private record PackagePass(PackageInfo info, PackageContext context) {
    }

    /**
     * Parses the shallow Python files (setup.py, a build backend) and reads the metadata; parse diagnostics are
     * reported when the file's group is parsed.
     */
    private PackagePass packagePass(String fileName, UnpackedPackage pkg, List<SourceFile> others,
                                    List<ArchiveEntry> python, boolean built) {
        List<PythonFile> shallow = new ArrayList<>();
        List<SourceFile> everyFile = new ArrayList<>(others);
        for (ArchiveEntry e : python) {
            if (shallow(e.path())) {
                PythonFile pf = parse(e.path(), e.bytes(), List.of(), Optional.empty(), new ArrayList<>(), built);
                shallow.add(pf);
                everyFile.add(pf);
            } else {
                everyFile.add(new PackageFile(e, FileKind.PYTHON));
            }
        }
        PackageInfo info = MetadataReader.read(fileName, pkg.kind(), everyFile);
        return new PackagePass(info, new PackageContext(info, everyFile, shallow, limits, popularPackages,
                pkg.differentials()));
    }

    /** The package rules over every file; the shallow models are dropped when the pass is. */
    private GroupResult packageRules(PackagePass pass, Deadline deadline) {
        List<Diagnostic> diags = new ArrayList<>();
        List<Finding> findings = runRules(pass.context(), packageRules, diags, deadline, FileReuse.NONE);
        return new GroupResult(findings, diags, List.of(), 0);
    }

    /** A Python file at the top of the package or one directory down: where setup.py and build backends live. */
    private static boolean shallow(String path) {
        int slashes = 0;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '/' && ++slashes > 1) {
                return false;
            }
        }
        return !path.contains("!/");
    }

    /**
     * Classifies, parses and decodes an unpacked package: everything before the rules run. Public for
     * the benchmarks, which time the phases separately.
     */
    public Prepared prepare(String fileName, UnpackedPackage pkg) {
        return prepare(fileName, pkg, new Deadline(System.nanoTime(), limits.packageTimeout().toNanos()),
                FileReuse.NONE, ParseAhead.none(parser));
    }

    /** Runs every rule on a prepared package; rule failures are dropped (see {@link #scan} for diagnostics). */
    public List<Finding> runRules(Prepared prepared) {
        return runRules(prepared.context, rules, new ArrayList<>(),
                new Deadline(System.nanoTime(), limits.packageTimeout().toNanos()), FileReuse.NONE);
    }

    private Prepared prepare(String fileName, UnpackedPackage pkg, Deadline deadline, FileReuse reuse,
                             ParseAhead ahead) {
        List<Diagnostic> diags = new ArrayList<>(pkg.diagnostics());
        List<SourceFile> files = new ArrayList<>();
        List<PythonFile> pythonFiles = new ArrayList<>();
        long pythonBytes = 0;
        int realPythonFiles = 0;
        // wheels and eggs are unpacked, not built: no command class of theirs runs at install time
        boolean built = pkg.kind() != PackageKind.WHEEL && pkg.kind() != PackageKind.EGG;
        try {
            for (ArchiveEntry e : pkg.entries()) {
                if (deadline.passed()) {
                    diags.add(deadline.diagnostic("while parsing"));
                    break;
                }
                FileKind kind = FileClassifier.classify(e.path(), e.bytes());
                if (kind == FileKind.PYTHON) {
                    PythonFile pf = parseEntry(e, diags, built, reuse, ahead);
                    files.add(pf);
                    pythonFiles.add(pf);
                    pythonBytes += e.bytes().length;
                    realPythonFiles++;
                } else {
                    files.add(new PackageFile(e, kind));
                }
            }
            decodeLayers(pythonFiles, files, diags, deadline, built,
                    new DecodeBudget(limits.maxDecodedBytesPerPackage()), reuse);
        } catch (StackOverflowError | OutOfMemoryError e) {
            // too deep or too big for this JVM: a limit, reached where no configured bound caught it first
            diags.add(Diagnostic.of(DiagnosticCode.LIMIT_EXCEEDED, "analysis stopped: " + describe(e)));
        } catch (RuntimeException e) {
            // a defect of the scanner on this input; the files read so far are still checked by the rules
            diags.add(Diagnostic.of(DiagnosticCode.SCAN_FAILED, "analysis stopped: " + describe(e)));
        }
        PackageInfo info = MetadataReader.read(fileName, pkg.kind(), files);
        PackageContext ctx = new PackageContext(info, files, pythonFiles, limits, popularPackages,
                pkg.differentials());
        return new Prepared(ctx, diags, realPythonFiles, pythonBytes);
    }

    /** A package after parsing and decoding, ready for the rules. */
    public static final class Prepared {
        private final PackageContext context;
        private final List<Diagnostic> diagnostics;
        private final int pythonFiles;
        private final long pythonBytes;

        private Prepared(PackageContext context, List<Diagnostic> diagnostics, int pythonFiles, long pythonBytes) {
            this.context = context;
            this.diagnostics = List.copyOf(diagnostics);
            this.pythonFiles = pythonFiles;
            this.pythonBytes = pythonBytes;
        }

        public List<Diagnostic> diagnostics() {
            return diagnostics;
        }
    }

    /** Parses a Python entry, or takes its parse from the cache; notes it as a hit or a candidate to keep. */
    private PythonFile parseEntry(ArchiveEntry e, List<Diagnostic> diags, boolean built, FileReuse reuse,
                                  ParseAhead ahead) {
        Optional<FileResultCache.Key> key = reuse.key(e);
        Optional<FileResultCache.Entry> hit = key.flatMap(reuse::look);
        ParseOutcome out = hit.map(FileResultCache.Entry::parse).orElseGet(() -> ahead.parse(e));
        PythonFile pf = model(e.path(), e.bytes(), out, List.of(), Optional.empty(), diags, built);
        if (hit.isPresent()) {
            reuse.hit(pf, hit.get());
        } else if (key.isPresent() && out.diagnostics().isEmpty()) {
            reuse.candidate(pf, key.get(), out, e.bytes().length);
        }
        return pf;
    }

    private PythonFile parse(String path, byte[] bytes, List<String> chain, Optional<Location> origin,
                             List<Diagnostic> diags, boolean built) {
        return model(path, bytes, parser.parse(path, bytes), chain, origin, diags, built);
    }

    private PythonFile model(String path, byte[] bytes, ParseOutcome out, List<String> chain,
                             Optional<Location> origin, List<Diagnostic> diags, boolean built) {
        diags.addAll(out.diagnostics());
        boolean errors = out.diagnostics().stream().anyMatch(d -> d.code() == DiagnosticCode.PARSE_ERROR);
        return new SemanticModel(path, bytes, out.text(), out.module(), errors, chain, origin, limits, built);
    }

    /** Peels payloads breadth-first; each Python layer is parsed and peeled again, up to the layer limit. */
    /**
     * Runs one file's decoding so that a failure in it (a decoder bug, a too-deep payload) costs only that
     * file's layers: the failure becomes a DECODE_INCOMPLETE diagnostic and the other files are still decoded.
     */
    private static Deobfuscator.Result isolated(String path, List<Diagnostic> diags,
                                                java.util.function.Supplier<Deobfuscator.Result> peel) {
        try {
            return peel.get();
        } catch (RuntimeException | StackOverflowError e) {
            diags.add(new Diagnostic(DiagnosticCode.DECODE_INCOMPLETE, path, "decoding stopped: " + e));
            return new Deobfuscator.Result(List.of(), List.of());
        }
    }

    private void decodeLayers(List<PythonFile> pythonFiles, List<SourceFile> files, List<Diagnostic> diags,
                              Deadline deadline, boolean built, DecodeBudget budget, FileReuse reuse) {
        Deque<PythonFile> work = new ArrayDeque<>(pythonFiles);
        Map<String, Integer> layerCounter = new LinkedHashMap<>();
        // A decoded layer runs in the globals of the code that exec'd it: innermost caller first.
        Map<PythonFile, List<PythonFile>> enclosing = new java.util.IdentityHashMap<>();
        for (SourceFile bytecode : List.copyOf(files)) {
            if (bytecode.kind() == FileKind.BYTECODE) {
                Deobfuscator.Result r = isolated(bytecode.path(), diags, () -> deobfuscator.peelBytecode(bytecode, budget));
                diags.addAll(r.diagnostics());
                for (DecodedLayer layer : r.layers()) {
                    int n = layerCounter.merge(bytecode.path(), 1, Integer::sum);
                    files.add(new DecodedFile(bytecode.path() + "#layer" + n, layer));
                }
            }
        }
        PackageModules modules = new PackageModules(pythonFiles);
        for (SourceFile hook : List.copyOf(files)) {
            if (hook.kind() == FileKind.PTH) {
                // its import lines run at every interpreter start: decoded like a module, not shown to the rules
                StartupHooks.code(hook.bytes()).ifPresent(code ->
                        work.add(parse(hook.path(), code, List.of(), Optional.empty(), new ArrayList<>(), built)));
            }
        }
        while (!work.isEmpty()) {
            if (deadline.passed()) {
                diags.add(deadline.diagnostic("while decoding"));
                return;
            }
            PythonFile f = work.poll();
            if (reuse.isHit(f) && reuse.confirmed(f, modules)) {
                continue; // decoded to nothing in an earlier package, with the same modules around it
            }
            List<PythonFile> outer = enclosing.getOrDefault(f, List.of());
            List<PackageModules.LookUp> lookUps = new ArrayList<>();
            PackageModules seen = reuse.isCandidate(f) ? modules.watched(lookUps::add) : modules;
            long asked = budget.requests();
            int diagnosed = diags.size();
            Deobfuscator.Result r = isolated(f.path(), diags, () -> deobfuscator.peel(f, outer, seen, budget));
            if (budget.requests() != asked || diags.size() != diagnosed || !r.layers().isEmpty()
                    || !r.diagnostics().isEmpty()) {
                reuse.drop(f);
            } else {
                reuse.decoded(f, lookUps);
            }
            diags.addAll(r.diagnostics());
            for (DecodedLayer layer : r.layers()) {
                if (layer.chain().size() > limits.maxDecodeLayers()) {
                    diags.add(new Diagnostic(DiagnosticCode.LIMIT_EXCEEDED, f.path(),
                            "more than " + limits.maxDecodeLayers() + " decoding layers"));
                    continue;
                }
                String root = SourceFile.entryPath(layer.origin().file().path());
                int n = layerCounter.merge(root, 1, Integer::sum);
                String path = root + "#layer" + n;
                if (layer.python()) {
                    PythonFile pf = parse(path, layer.content(), layer.chain(), Optional.of(layer.origin()), diags, built);
                    List<PythonFile> callers = new ArrayList<>();
                    callers.add(f);
                    callers.addAll(enclosing.getOrDefault(f, List.of()));
                    enclosing.put(pf, callers);
                    files.add(pf);
                    pythonFiles.add(pf);
                    work.add(pf);
                } else {
                    files.add(new DecodedFile(path, layer));
                }
            }
        }
    }

    private List<Finding> runRules(PackageContext ctx, List<Rule> which, List<Diagnostic> diags,
                                   Deadline deadline, FileReuse reuse) {
        List<Finding> findings = new ArrayList<>();
        for (Rule rule : which) {
            if (deadline.passed()) {
                diags.add(deadline.diagnostic("before rule " + rule.info().id()));
                reuse.dropAll();
                break;
            }
            RuleInfo info = rule.info();
            List<Finding> mine = new ArrayList<>();
            try {
                if (rule instanceof PythonFileRule perFile && eachFileAlone.contains(rule)) {
                    checkEachFile(perFile, ctx, new Sink(info, mine), mine, reuse);
                } else {
                    rule.check(ctx, new Sink(info, mine));
                }
                findings.addAll(mine);
            } catch (RuntimeException | Error e) {
                reuse.dropAll();
                // Errors too: a rule that runs out of stack or heap (e.g. on input built to exhaust it)
                // or trips over a linkage problem loses only its own findings; its garbage is
                // unreachable once the stack unwinds, and every other rule still runs.
                diags.add(new Diagnostic(DiagnosticCode.RULE_FAILED, "", info.id() + " failed: " + describe(e)));
            }
        }
        // the facts the rules read report the limits that cut them short (once per file and message); a file cut
        // short is not kept for reuse: a later copy would get its findings without the diagnostic
        for (SourceFile f : ctx.files()) {
            if (f instanceof SemanticModel m) {
                List<String> reached = m.limitsReached();
                if (!reached.isEmpty()) {
                    reuse.drop(m);
                }
                for (String message : reached) {
                    Diagnostic d = new Diagnostic(DiagnosticCode.LIMIT_EXCEEDED, f.path(), message);
                    if (!diags.contains(d)) {
                        diags.add(d);
                    }
                }
            }
        }
        return findings;
    }

    /**
     * What {@link PythonFileRule#check(RuleContext, FindingSink)} does, in the same order, except that a file
     * found in the cache gets its kept findings, and what a candidate gets is noted for the cache.
     */
    private static void checkEachFile(PythonFileRule rule, PackageContext ctx, Sink sink, List<Finding> mine,
                                      FileReuse reuse) {
        String id = sink.info().id();
        for (PythonFile f : ctx.pythonFiles()) {
            if (reuse.isHit(f)) {
                mine.addAll(reuse.keptFindings(f, id));
            } else if (reuse.isCandidate(f)) {
                ConsultedContext watched = new ConsultedContext(ctx);
                int before = mine.size();
                rule.check(f, watched, sink);
                reuse.checked(f, id, mine.subList(before, mine.size()), watched.consulted());
            } else {
                rule.check(f, ctx, sink);
            }
        }
    }

    /** Collects one rule's findings, filling in its identity and the layer chain. */
    private record Sink(RuleInfo info, List<Finding> out, Set<String> linesReported) implements FindingSink {
        private static final int MAX_EVIDENCE = 300;
        private static final int CONTEXT_LINES = 2;

        Sink(RuleInfo info, List<Finding> out) {
            this(info, out, new HashSet<>());
        }

        @Override
        public void report(PythonFile file, Node node, String message) {
            report(file, node, message, info.severity(), info.confidence());
        }

        @Override
        public void report(PythonFile file, Node node, String message, Severity severity, Confidence confidence) {
            if (linesReported.add(file.path() + "\n" + node.line())) {
                report(Location.of(file, node), message, file.line(node.line()), severity, confidence);
            }
        }

        @Override
        public void report(Location at, String message, String evidence) {
            report(at, message, evidence, info.severity(), info.confidence());
        }

        @Override
        public void report(Location at, String message, String evidence, Severity severity, Confidence confidence) {
            String ev = FindingSink.clip(evidence == null ? "" : evidence.strip(), MAX_EVIDENCE);
            SourceFile f = at.file();
            out.add(new Finding(info.id(), severity, confidence, f.path(), at.line(), at.column(), message, ev,
                    f.decodeChain().isEmpty() ? at.reach() : f.origin().reach(), f.decodeChain(),
                    excerpt(f, at.line())));
        }

        /** Two lines either side of the finding's line, for reports; trailing empty lines dropped. */
        private static Excerpt excerpt(SourceFile f, int line) {
            if (!(f instanceof PythonFile pf) || line < 1) {
                return Excerpt.NONE;
            }
            int first = Math.max(1, line - CONTEXT_LINES);
            List<String> lines = new ArrayList<>();
            for (int i = first; i <= line + CONTEXT_LINES; i++) {
                String text = pf.line(i);
                lines.add(text.length() > Excerpt.MAX_LINE ? text.substring(0, Excerpt.MAX_LINE) + "…" : text);
            }
            int keep = lines.size();
            while (keep > line - first + 1 && lines.get(keep - 1).isEmpty()) {
                keep--;
            }
            return new Excerpt(first, lines.subList(0, keep));
        }
    }

    private record Deadline(long start, long budgetNanos) {
        boolean passed() {
            return System.nanoTime() - start > budgetNanos;
        }

        Diagnostic diagnostic(String where) {
            return Diagnostic.of(DiagnosticCode.LIMIT_EXCEEDED,
                    "package time limit of " + budgetNanos / 1_000_000 + " ms exceeded " + where);
        }
    }
}
