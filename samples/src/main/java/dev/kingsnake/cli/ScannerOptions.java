package dev.kingsnake.cli;

import dev.kingsnake.Limits;
import dev.kingsnake.Scanner;
import dev.kingsnake.Suppressions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import dev.kingsnake.spi.Rule;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Options that configure a {@link Scanner}: threshold and every {@link Limits} bound. A picocli mixin, so
 * every command that scans (scan, eval) takes the same options:
 * {@code @Mixin ScannerOptions scannerOptions; ... Scanner s = scannerOptions.scanner();}
 */
public final class ScannerOptions {
    private static final Limits DEFAULTS = Limits.defaults();

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--threshold", paramLabel = "N",
            description = "Score (0-10] at and above which a package is MALICIOUS; half of it is SUSPICIOUS. Default: ${DEFAULT-VALUE}.")
    double threshold = Scanner.DEFAULT_THRESHOLD;

    @Option(names = "--disable-rule", paramLabel = "RULE-ID", split = ",",
            description = "Do not run this rule (repeatable or comma-separated ids, see `kingsnake rules`).")
    List<String> disabledRules = new ArrayList<>();

    @Option(names = "--limit-total-bytes", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Uncompressed bytes decompressed from one package, nested archives and skipped data included. Default: ${DEFAULT-VALUE}.")
    ByteSize totalBytes = new ByteSize(DEFAULTS.maxTotalBytes());

    @Option(names = "--limit-entry-bytes", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Bytes of one code or metadata entry kept in memory (the rest is hashed and skipped). Default: ${DEFAULT-VALUE}.")
    ByteSize entryBytes = new ByteSize(DEFAULTS.maxEntryBytes());

    @Option(names = "--limit-retained-bytes", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Bytes of one package's entries kept in memory for analysis. Default: ${DEFAULT-VALUE}.")
    ByteSize retainedBytes = new ByteSize(DEFAULTS.maxRetainedBytes());

    @Option(names = "--limit-entries", paramLabel = "N",
            description = "Entries read from one package, nested archives included. Default: ${DEFAULT-VALUE}.")
    int entries = DEFAULTS.maxEntries();

    @Option(names = "--limit-ratio", paramLabel = "N",
            description = "Compression ratio of one entry beyond which it is cut off. Default: ${DEFAULT-VALUE}.")
    int ratio = DEFAULTS.maxCompressionRatio();

    @Option(names = "--limit-depth", paramLabel = "N",
            description = "Archives inside archives that are opened (0 = only the outer one). Default: ${DEFAULT-VALUE}.")
    int depth = DEFAULTS.maxNestingDepth();

    @Option(names = "--limit-path-length", paramLabel = "N",
            description = "Characters in one entry path. Default: ${DEFAULT-VALUE}.")
    int pathLength = DEFAULTS.maxPathLength();

    @Option(names = "--limit-parse-bytes", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Bytes of one Python file that are fully parsed; larger files are only scanned as text. Default: ${DEFAULT-VALUE}.")
    ByteSize parseBytes = new ByteSize(DEFAULTS.maxParseBytes());

    @Option(names = "--limit-syntax-nesting", paramLabel = "N",
            description = "Bracket/indent nesting of Python code beyond which parsing of that statement stops. Default: ${DEFAULT-VALUE}.")
    int syntaxNesting = DEFAULTS.maxSyntaxNesting();

    @Option(names = "--limit-decoded-layer-bytes", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Bytes one decoding step may produce. Default: ${DEFAULT-VALUE}.")
    ByteSize decodedLayerBytes = new ByteSize(DEFAULTS.maxDecodedBytesPerLayer());

    @Option(names = "--limit-decode-layers", paramLabel = "N",
            description = "Decoding layers peeled off one payload. Default: ${DEFAULT-VALUE}.")
    int decodeLayers = DEFAULTS.maxDecodeLayers();

    @Option(names = "--limit-decoded-package-bytes", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Bytes all decoding in one package may produce. Default: ${DEFAULT-VALUE}.")
    ByteSize decodedPackageBytes = new ByteSize(DEFAULTS.maxDecodedBytesPerPackage());

    @Option(names = "--limit-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Wall time for scanning one package: seconds (60), 90s, 2m or ISO-8601 (PT1M). Default: ${DEFAULT-VALUE}.")
    Duration timeout = DEFAULTS.packageTimeout();

    @Option(names = "--limit-native-scan-bytes", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Bytes at the start of each native binary searched for the links it carries (0 = none). Default: ${DEFAULT-VALUE}.")
    ByteSize nativeScanBytes = new ByteSize(DEFAULTS.maxNativeScanBytes());

    @Option(names = "--limit-analysis-steps", paramLabel = "N",
            description = "Evaluation steps the deobfuscator may spend on one Python file (one expression or statement each). Default: ${DEFAULT-VALUE}.")
    long analysisSteps = DEFAULTS.maxAnalysisSteps();

    @Option(names = "--limit-evaluation-depth", paramLabel = "N",
            description = "Expressions, names and calls followed inside one another when evaluating one expression; constant folding follows a fifth of it. Default: ${DEFAULT-VALUE}.")
    int evaluationDepth = DEFAULTS.maxEvaluationDepth();

    @Option(names = "--limit-reachable-functions", paramLabel = "N",
            description = "Functions of a file followed from one call through the calls they make, to learn what the call can do. Default: ${DEFAULT-VALUE}.")
    int reachableFunctions = DEFAULTS.maxReachableFunctions();

    /** The limits the options describe. */
    public Limits limits() {
        try {
            return Limits.builder()
                    .maxTotalBytes(totalBytes.bytes())
                    .maxEntryBytes(entryBytes.bytes())
                    .maxRetainedBytes(retainedBytes.bytes())
                    .maxEntries(entries)
                    .maxCompressionRatio(ratio)
                    .maxNestingDepth(depth)
                    .maxPathLength(pathLength)
                    .maxParseBytes(parseBytes.bytes())
                    .maxSyntaxNesting(syntaxNesting)
                    .maxDecodedBytesPerLayer(decodedLayerBytes.bytes())
                    .maxDecodeLayers(decodeLayers)
                    .maxDecodedBytesPerPackage(decodedPackageBytes.bytes())
                    .packageTimeout(timeout)
                    .maxNativeScanBytes(nativeScanBytes.bytes())
                    .maxAnalysisSteps(analysisSteps)
                    .maxEvaluationDepth(evaluationDepth)
                    .maxReachableFunctions(reachableFunctions)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid limit: " + e.getMessage());
        }
    }

    public double threshold() {
        return threshold;
    }

    /** A scanner with these limits and threshold and every rule on the class path but the disabled ones. */
    public Scanner scanner() {
        return scanner(Suppressions.NONE);
    }

    /** {@link #scanner()}, setting these findings aside. */
    public Scanner scanner(Suppressions suppressions) {
        Scanner.Builder builder = Scanner.builder().limits(limits()).suppressions(suppressions);
        if (!disabledRules.isEmpty()) {
            builder.rules(enabledRules());
        }
        try {
            builder.threshold(threshold);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid --threshold: " + e.getMessage());
        }
        return builder.build();
    }

    private List<Rule> enabledRules() {
        Set<String> disabled = new LinkedHashSet<>();
        disabledRules.forEach(id -> disabled.add(id.trim().toUpperCase(java.util.Locale.ROOT)));
        List<Rule> all = Scanner.loadRules();
        Set<String> known = new TreeSet<>();
        all.forEach(r -> known.add(r.info().id()));
        for (String id : disabled) {
            if (!known.contains(id)) {
                throw new ParameterException(spec.commandLine(),
                        "Unknown rule id for --disable-rule: " + id + " (`kingsnake rules` lists them)");
            }
        }
        return all.stream().filter(r -> !disabled.contains(r.info().id())).toList();
    }
}
