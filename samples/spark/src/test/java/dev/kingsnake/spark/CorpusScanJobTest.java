package dev.kingsnake.spark;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kingsnake.Inputs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The job in local[2] over a manifest of the development corpus (../shared/corpus; skipped where it is
 * absent): one result per archive, equal field for field to the CLI's on the same files, and nothing
 * rescanned on a second run. A spread subset keeps CI short: {@code -Dkingsnake.spark.corpusFiles=0} takes
 * every archive, {@code -Dkingsnake.corpus=DIR} points elsewhere.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CorpusScanJobTest {
    private static final Path CORPUS = Path.of(System.getProperty("kingsnake.corpus", "../../../shared/corpus"));
    private static final int FILES = Integer.getInteger("kingsnake.spark.corpusFiles", 120);

    @TempDir
    static Path dir;

    private List<Path> archives;
    private Path manifest;
    private Path output;
    private RunSummary first;

    @BeforeAll
    void listArchives() throws IOException {
        assumeTrue(Files.isDirectory(CORPUS.resolve("malicious-dev")), "no shared corpus at " + CORPUS.toAbsolutePath());
        List<Path> all = new ArrayList<>();
        for (String set : List.of("malicious-dev", "benign-dev")) {
            Inputs.expand(CORPUS.resolve(set).toAbsolutePath().normalize(), all::add);
        }
        int step = FILES <= 0 ? 1 : Math.max(1, all.size() / FILES);
        archives = new ArrayList<>();
        for (int i = 0; i < all.size() && (FILES <= 0 || archives.size() < FILES); i += step) {
            archives.add(all.get(i));
        }
        manifest = dir.resolve("manifest.txt");
        List<String> lines = new ArrayList<>(List.of("# development corpus, every " + step + "th archive"));
        archives.forEach(a -> lines.add(a.toString()));
        Files.write(manifest, lines);
        output = dir.resolve("out");
    }

    @Test
    @Order(1)
    void resultsMatchTheCliFieldForField() throws Exception {
        LocalSpark.CliRun cli = LocalSpark.cli(archives, dir.resolve("cli.jsonl"));
        int builtBefore = WarmScanner.built();
        first = LocalSpark.job("--manifest", manifest.toString(), "--output", output.toString());
        assertTrue(WarmScanner.built() - builtBefore <= 1, "one scanner per configuration, reused by every task");
        assertTrue(first.tasks() > 1, "the archives are spread over several tasks: " + first.tasks());

        Map<String, ObjectNode> job = LocalSpark.jobResults(output, ScanJob.OutputFormat.PARQUET);
        assertEquals(archives.size(), first.scanned());
        assertEquals(archives.size(), job.size());
        assertEquals(cli.results().keySet(), job.keySet());
        for (Path archive : archives) {
            String input = archive.toString();
            ObjectNode stored = job.get(input);
            assertEquals(sha256(archive), stored.get("sha256").asText(), input);
            assertEquals(first.rulesVersion(), stored.get("rulesVersion").asText(), input);
            assertEquals(cli.results().get(input), LocalSpark.withoutJobFields(stored), input);
        }
        reportThroughput(cli, first);
    }

    @Test
    @Order(2)
    void aSecondRunSkipsWhatIsAlreadyThere() {
        assumeTrue(first != null, "needs the first run");
        RunSummary again = LocalSpark.job("--manifest", manifest.toString(),
                "--output", output.toString());
        assertEquals(0, again.scanned());
        assertEquals(archives.size(), again.skipped());
        assertEquals(first.rulesVersion(), again.rulesVersion());
        assertEquals(archives.size(), LocalSpark.jobResults(output, ScanJob.OutputFormat.PARQUET).size());
    }

    /** Measured, printed and kept in target/, never asserted: the machine is shared. */
    private void reportThroughput(LocalSpark.CliRun cli, RunSummary job) throws IOException {
        long bytes = 0;
        for (Path a : archives) {
            bytes += Files.size(a);
        }
        double cliMbps = bytes / 1e6 / (cli.millis() / 1000.0);
        String report = String.format(Locale.ROOT,
                "%d archives, %.1f MB: CLI --jobs 2 %.1f s (%.2f MB/s), Spark local[2] %.1f s (%.2f MB/s, %d tasks) = %.0f%% of the CLI%n",
                archives.size(), bytes / 1e6, cli.millis() / 1000.0, cliMbps, job.elapsedMillis() / 1000.0,
                job.megabytesPerSecond(), job.tasks(), 100 * job.megabytesPerSecond() / cliMbps);
        System.out.print("spark throughput: " + report);
        System.out.print(job.text());
        Files.writeString(Path.of("target/spark-throughput.txt"), report + job.text());
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
