package dev.kingsnake.spark;

import dev.kingsnake.cli.KingsnakeCommand;
import dev.kingsnake.cli.ScannerOptions;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import scala.Tuple2;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

/**
 * Scans every archive a manifest names, on a Spark cluster, and writes one result per archive.
 *
 * <pre>
 * spark-submit --class dev.kingsnake.spark.ScanJob kingsnake-spark.jar \
 *     --manifest s3a://bucket/manifest.parquet --output s3a://bucket/kingsnake [--format parquet|jsonl]
 * </pre>
 *
 * <p>Output: {@code OUTPUT/results/verdict=V/part-*} (Parquet, or JSON Lines of the CLI's records) with the
 * archive's {@code sha256} and the {@code rulesVersion} added, and {@code OUTPUT/summary.json}. Results
 * are appended: a second run over the same output scans only archives whose digest has no result for the
 * current rules version yet.
 */
@Command(name = "kingsnake-spark", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = ScanJob.Version.class,
        description = {"Scans every package archive a manifest names, on Apache Spark.", ""})
public final class ScanJob implements Callable<Integer> {
    /** Result file format. */
    enum OutputFormat { PARQUET, JSONL }

    static final String RESULTS = "results";
    static final String SUMMARY = "summary.json";
    private static final StructType LINES = DataTypes.createStructType(List.of(
            DataTypes.createStructField("value", DataTypes.StringType, false),
            DataTypes.createStructField("verdict", DataTypes.StringType, false)));
    private static final int TOP_RULES = 10;

    @Option(names = "--manifest", paramLabel = "FILE",
            description = "Archives to scan: text (one location per line), CSV or Parquet with a 'location' column "
                    + "and optional 'size' and 'sha256'. Local path or any Hadoop filesystem URI.")
    String manifest;

    @Option(names = "--manifest-format", paramLabel = "FORMAT",
            description = "auto (by the name's ending: .csv, .parquet, else text), text, csv or parquet. "
                    + "Default: ${DEFAULT-VALUE}.")
    Manifest.Format manifestFormat = Manifest.Format.AUTO;

    @Option(names = "--index", paramLabel = "URL",
            description = "A Simple API index root (e.g. https://pypi.org/simple/) to list the --names projects on.")
    String index;

    @Option(names = "--names", paramLabel = "FILE",
            description = "Instead of --manifest: project names, one per line; every file --index lists for them "
                    + "is downloaded on an executor (sha-256 checked) and scanned.")
    String names;

    @Option(names = "--output", required = true, paramLabel = "DIR",
            description = "Where results and summary.json go; earlier results there are kept and not recomputed.")
    String output;

    @Option(names = "--format", paramLabel = "FORMAT", description = "parquet or jsonl. Default: ${DEFAULT-VALUE}.")
    OutputFormat format = OutputFormat.PARQUET;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master, e.g. local[2]; by default the one spark-submit gives.")
    String master;

    @Option(names = "--bin-mib", paramLabel = "N",
            description = "Largest size bin (MiB of archives per task); bigger archives get a task of their own. "
                    + "Default: ${DEFAULT-VALUE}.")
    int binMib = 128;

    @Option(names = "--rules-version", paramLabel = "TEXT",
            description = "Label results with this instead of the computed rules version (version + digest of "
                    + "threshold, limits and rule classes).")
    String rulesVersion;

    @Mixin
    ScannerOptions scannerOptions;

    @Spec
    CommandSpec spec;

    /** The scanner options as given: executors rebuild the same scanner from them. */
    private List<String> scannerArgs = List.of();

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the job as the command line says, in a session of its own; the exit code. */
    static int execute(String... args) {
        CommandLine cli = commandLine(new ScanJob());
        return cli.execute(args);
    }

    private static CommandLine commandLine(ScanJob job) {
        return new CommandLine(job).setCaseInsensitiveEnumValuesAllowed(true);
    }

    /** Parses a command line without running it. */
    static ScanJob parse(List<String> args) {
        ScanJob job = new ScanJob();
        CommandLine cli = commandLine(job);
        cli.parseArgs(args.toArray(String[]::new));
        job.scannerArgs = scannerArgs(cli);
        return job;
    }

    /** The scanner options of a parsed command line, as {@code --name=value}, in the order given. */
    private static List<String> scannerArgs(CommandLine cli) {
        Set<String> names = new HashSet<>();
        cli.getCommandSpec().mixins().get("scannerOptions").options()
                .forEach(o -> names.addAll(Arrays.asList(o.names())));
        List<String> out = new ArrayList<>();
        for (OptionSpec o : cli.getParseResult().matchedOptions()) {
            if (names.contains(o.longestName())) {
                o.originalStringValues().forEach(v -> out.add(o.longestName() + "=" + v));
            }
        }
        return List.copyOf(out);
    }

    @Override
    public Integer call() {
        scannerArgs = scannerArgs(spec.commandLine());
        SparkSession.Builder builder = SparkSession.builder().appName("kingsnake-scan");
        if (master != null) {
            builder.master(master);
        }
        SparkSession spark = builder.getOrCreate();
        try {
            RunSummary summary = scan(spark);
            spec.commandLine().getOut().print(summary.text());
            spec.commandLine().getOut().flush();
            return 0;
        } catch (Exception e) {
            // Spark's AnalysisException (a missing manifest) is checked but undeclared, so this catches Exception.
            spec.commandLine().getErr().println("kingsnake-spark: " + e);
            return 2;
        } finally {
            spark.stop();
        }
    }

    /** Runs the job a command line describes in an existing session (tests, notebooks); its summary. */
    public static RunSummary run(SparkSession spark, String... args) {
        return parse(List.of(args)).scan(spark);
    }

    private RunSummary scan(SparkSession spark) {
        if (binMib < 1) {
            throw new IllegalArgumentException("--bin-mib must be at least 1: " + binMib);
        }
        if ((manifest == null) == (names == null) || (names == null) != (index == null)) {
            throw new IllegalArgumentException("give either --manifest FILE or --index URL with --names FILE");
        }
        long start = System.nanoTime();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        HadoopFiles files = new HadoopFiles(sc.hadoopConfiguration());
        String version = rulesVersion != null ? rulesVersion
                : RulesVersion.of(KingsnakeCommand.version(), WarmScanner.forOptions(scannerArgs), scannerOptions.limits());
        ArchiveScan scan = new ArchiveScan(scannerArgs, files, version);
        String base = output.replaceAll("/+$", "");
        String results = base + "/" + RESULTS;

        JavaRDD<ArchiveRef> named;
        JavaRDD<ScannedArchive> unlisted;
        if (names != null) {
            IndexListing listing = new IndexListing(URI.create(index));
            JavaRDD<IndexListing.Listed> listings = Manifest.lines(spark, names)
                    .repartition(sc.defaultParallelism())
                    .flatMap(name -> listing.list(name).iterator())
                    .persist(StorageLevel.MEMORY_AND_DISK());
            named = listings.filter(l -> l instanceof IndexListing.Listed.File)
                    .map(l -> ((IndexListing.Listed.File) l).ref());
            unlisted = listings.filter(l -> l instanceof IndexListing.Listed.Unlisted)
                    .map(l -> scan.unlisted((IndexListing.Listed.Unlisted) l));
        } else {
            named = Manifest.read(spark, manifest, manifestFormat);
            unlisted = sc.emptyRDD();
        }
        JavaRDD<ArchiveRef> listed = named
                .map(ref -> ref.sizeKnown() ? ref : ref.withSize(scan.size(ref.location())))
                .persist(StorageLevel.MEMORY_AND_DISK());
        long listedCount = listed.count() + unlisted.count();
        JavaRDD<ArchiveRef> todo = exists(files, results)
                ? notYetScanned(listed, previous(spark, results, version), scan).persist(StorageLevel.MEMORY_AND_DISK())
                : listed;
        long totalBytes = todo.map(ref -> Math.max(0, ref.size())).fold(0L, Long::sum);
        long target = SizeBins.targetBytes(totalBytes, sc.defaultParallelism(), (long) binMib << 20);
        JavaPairRDD<Long, ArchiveRef> binned = JavaPairRDD.fromJavaRDD(
                todo.mapPartitionsWithIndex((i, refs) -> SizeBins.pack(i, refs, target), true));
        List<Tuple2<Long, Long>> bins = binned.mapValues(ref -> Math.max(0, ref.size())).reduceByKey(Long::sum).collect();
        SizeBins.BinPartitioner partitioner = new SizeBins.BinPartitioner(bins);

        JavaRDD<Row> rows = binned.partitionBy(partitioner).values()
                .mapPartitions(scan::scanAll)
                .union(unlisted)
                .map(s -> RowFactory.create(s.json(), s.verdict()));
        Dataset<Row> scanned = spark.createDataFrame(rows, LINES).persist(StorageLevel.MEMORY_AND_DISK());
        write(scanned, results);
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        RunSummary summary = summarize(scanned, version, listedCount, elapsedMillis, sc.defaultParallelism(),
                bins.size());
        scanned.unpersist();
        todo.unpersist();
        listed.unpersist();
        try {
            files.write(base + "/" + SUMMARY, summary.json().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + base + "/" + SUMMARY, e);
        }
        return summary;
    }

    private static boolean exists(HadoopFiles files, String location) {
        try {
            return files.exists(location);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot look at " + location, e);
        }
    }

    /** Digests of archives that already have a result for this rules version. */
    private Dataset<Row> previous(SparkSession spark, String results, String version) {
        // With the schema given, an output directory without result files reads as empty instead of failing.
        Dataset<Row> earlier = format == OutputFormat.PARQUET
                ? spark.read().schema(ResultSchema.DONE).parquet(results)
                : spark.read().schema(ResultSchema.DONE).json(results);
        return earlier.where(col("rulesVersion").equalTo(version).and(col("sha256").notEqual("")))
                .select("sha256").distinct();
    }

    /** The listed archives, less those whose digest is done; archives without a digest in the manifest are read for it. */
    private static JavaRDD<ArchiveRef> notYetScanned(JavaRDD<ArchiveRef> listed, Dataset<Row> done, ArchiveScan scan) {
        JavaPairRDD<String, ArchiveRef> bySha = listed
                .map(ref -> ref.sha256Known() ? ref : ref.withSha256(scan.sha256(ref.location())))
                .keyBy(ArchiveRef::sha256);
        JavaPairRDD<String, Boolean> doneSha = done.javaRDD().mapToPair(row -> new Tuple2<>(row.getString(0), true));
        return bySha.subtractByKey(doneSha).values();
    }

    private void write(Dataset<Row> scanned, String results) {
        switch (format) {
            case PARQUET -> scanned.select(from_json(col("value"), ResultSchema.RESULT).as("r")).select("r.*")
                    .write().mode(SaveMode.Append).partitionBy("verdict").parquet(results);
            case JSONL -> scanned.write().mode(SaveMode.Append).partitionBy("verdict").text(results);
        }
    }

    private static RunSummary summarize(Dataset<Row> scanned, String version, long listed, long elapsedMillis,
                                        int cores, int tasks) {
        Dataset<Row> parsed = scanned.select(from_json(col("value"), ResultSchema.RESULT).as("r")).select("r.*");
        Map<String, Long> verdicts = new HashMap<>();
        long scannedCount = 0;
        for (Row row : parsed.groupBy("verdict").count().collectAsList()) {
            verdicts.put(row.getString(0), row.getLong(1));
            scannedCount += row.getLong(1);
        }
        Row bytes = parsed.agg(sum("stats.compressedBytes"), sum("stats.uncompressedBytes")).first();
        List<RunSummary.RuleCount> topRules = parsed
                .select(col("input"), explode(col("findings.rule")).as("rule"))
                .groupBy("rule").agg(countDistinct("input").as("packages"), count(lit(1)).as("findings"))
                .orderBy(desc("packages"), desc("findings"), col("rule")).limit(TOP_RULES)
                .collectAsList().stream()
                .map(row -> new RunSummary.RuleCount(row.getString(0), row.getLong(1), row.getLong(2)))
                .toList();
        return new RunSummary(version, listed, listed - scannedCount, scannedCount, verdicts, topRules,
                bytes.isNullAt(0) ? 0 : bytes.getLong(0), bytes.isNullAt(1) ? 0 : bytes.getLong(1), elapsedMillis,
                cores, tasks);
    }

    /** {@code kingsnake-spark VERSION}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"kingsnake-spark " + KingsnakeCommand.version()};
        }
    }
}
