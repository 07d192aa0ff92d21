package dev.kingsnake.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kingsnake.cli.KingsnakeCommand;
import org.apache.spark.sql.SparkSession;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One local[2] session for every test class in this JVM (starting Spark costs seconds), bound to loopback,
 * and the two sides of every comparison: the job's stored results and the CLI's JSON Lines for the same
 * files, both reduced to what must match (timings and the job's own fields left out).
 */
final class LocalSpark {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Scanner options both sides of a comparison run with: a package time limit far above any archive's scan
     * time, so that a loaded machine cannot cut one side's scan at a different point than the other's.
     */
    static final List<String> SCANNER_OPTIONS = List.of("--limit-timeout=10m");
    private static SparkSession session;

    private LocalSpark() {
    }

    static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder().master("local[2]").appName("kingsnake-spark-test")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "4")
                    .getOrCreate();
        }
        return session;
    }

    /** The job's results under {@code output}, by input, in the comparable form. */
    static Map<String, ObjectNode> jobResults(Path output, ScanJob.OutputFormat format) {
        String results = output.resolve(ScanJob.RESULTS).toString();
        List<String> lines = switch (format) {
            case PARQUET -> session().read().parquet(results).toJSON().collectAsList();
            case JSONL -> session().read().text(results).select("value").as(
                    org.apache.spark.sql.Encoders.STRING()).collectAsList();
        };
        return byInput(lines);
    }

    /** The CLI's results for the files ({@code kingsnake scan --format jsonl --jobs 2}, in this JVM), by input. */
    static CliRun cli(List<Path> files, Path report) {
        List<String> args = new ArrayList<>(List.of("scan", "--format", "jsonl", "--jobs", "2", "--quiet",
                "--output", report.toString()));
        args.addAll(SCANNER_OPTIONS);
        files.forEach(f -> args.add(f.toString()));
        long start = System.nanoTime();
        int code = KingsnakeCommand.commandLine(new ByteArrayOutputStream(), new PrintWriter(new StringWriter()))
                .execute(args.toArray(String[]::new));
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (code != KingsnakeCommand.EXIT_CLEAN && code != KingsnakeCommand.EXIT_MALICIOUS) {
            throw new IllegalStateException("kingsnake scan exited with " + code);
        }
        try {
            return new CliRun(byInput(Files.readAllLines(report)), millis);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The CLI's results and the wall time it took. */
    record CliRun(Map<String, ObjectNode> results, long millis) {
    }

    /** Runs the job with {@link #SCANNER_OPTIONS} added to {@code args}. */
    static RunSummary job(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(SCANNER_OPTIONS);
        return ScanJob.run(session(), all.toArray(String[]::new));
    }

    /** A stored result without the job's own fields. */
    static ObjectNode withoutJobFields(ObjectNode result) {
        ObjectNode o = result.deepCopy();
        o.remove("sha256");
        o.remove("rulesVersion");
        return o;
    }

    private static Map<String, ObjectNode> byInput(List<String> lines) {
        Map<String, ObjectNode> out = new HashMap<>();
        for (String line : lines) {
            ObjectNode o = comparable(line);
            if (out.put(o.get("input").asText(), o) != null) {
                throw new IllegalStateException("two results for " + o.get("input"));
            }
        }
        return out;
    }

    /** Parsed alike from both sides (so 3 written as a long and as an int compare equal), timing removed. */
    private static ObjectNode comparable(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            ObjectNode o = (ObjectNode) node;
            ((ObjectNode) o.get("stats")).remove("elapsedMillis");
            return o;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
