package dev.kingsnake.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What one run of the job did, printed at the end and written as {@code summary.json} beside the results.
 *
 * @param rulesVersion      the rules version the results carry
 * @param listed            archives named by the manifest
 * @param skipped           of those, archives whose digest already had a result for this rules version
 * @param scanned           archives scanned in this run
 * @param verdicts          scanned archives by verdict
 * @param topRules          the rules that fired in the most packages, most first
 * @param compressedBytes   archive bytes scanned
 * @param uncompressedBytes bytes after decompression
 * @param elapsedMillis     wall time from reading the manifest to the last result written
 * @param cores             task slots of the cluster (Spark's default parallelism)
 * @param tasks             scan tasks (size bins)
 */
public record RunSummary(String rulesVersion, long listed, long skipped, long scanned, Map<String, Long> verdicts,
                         List<RuleCount> topRules, long compressedBytes, long uncompressedBytes, long elapsedMillis,
                         int cores, int tasks) {
    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final double MB = 1_000_000.0;

    /** How often a rule fired: in how many packages, and how many findings in all. */
    public record RuleCount(String rule, long packages, long findings) {
        public RuleCount {
            Objects.requireNonNull(rule, "rule");
        }
    }

    public RunSummary {
        Objects.requireNonNull(rulesVersion, "rulesVersion");
        verdicts = Map.copyOf(verdicts);
        topRules = List.copyOf(topRules);
    }

    /** Scanned archives with this verdict. */
    public long count(String verdict) {
        return verdicts.getOrDefault(verdict, 0L);
    }

    /** Compressed archive megabytes (10^6 bytes) scanned per second of wall time. */
    public double megabytesPerSecond() {
        return elapsedMillis == 0 ? 0 : compressedBytes / MB / (elapsedMillis / 1000.0);
    }

    public double megabytesPerSecondPerCore() {
        return megabytesPerSecond() / Math.max(1, cores);
    }

    public String json() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("rulesVersion", rulesVersion);
        o.put("listed", listed);
        o.put("skipped", skipped);
        o.put("scanned", scanned);
        o.put("verdicts", new TreeMap<>(verdicts));
        o.put("topRules", topRules);
        o.put("compressedBytes", compressedBytes);
        o.put("uncompressedBytes", uncompressedBytes);
        o.put("elapsedMillis", elapsedMillis);
        o.put("cores", cores);
        o.put("tasks", tasks);
        o.put("megabytesPerSecond", megabytesPerSecond());
        o.put("megabytesPerSecondPerCore", megabytesPerSecondPerCore());
        try {
            return JSON.writeValueAsString(o) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String text() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "kingsnake-spark: %d archives listed, %d already scanned with %s, %d scanned%n",
                listed, skipped, rulesVersion, scanned));
        s.append("verdicts:");
        new TreeMap<>(verdicts).forEach((v, n) -> s.append(' ').append(v).append('=').append(n));
        s.append(System.lineSeparator());
        s.append(String.format(Locale.ROOT, "bytes: %.1f MB compressed, %.1f MB uncompressed%n",
                compressedBytes / MB, uncompressedBytes / MB));
        s.append(String.format(Locale.ROOT, "time: %.1f s on %d cores in %d tasks: %.2f MB/s, %.2f MB/s per core%n",
                elapsedMillis / 1000.0, cores, tasks, megabytesPerSecond(), megabytesPerSecondPerCore()));
        if (!topRules.isEmpty()) {
            s.append("top rules (packages, findings):").append(System.lineSeparator());
            for (RuleCount r : topRules) {
                s.append(String.format(Locale.ROOT, "  %-36s %8d %9d%n", r.rule(), r.packages(), r.findings()));
            }
        }
        return s.toString();
    }
}
