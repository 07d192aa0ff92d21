package dev.kingsnake.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/**
 * Reads the list of archives to scan. Three forms, read where they lie (local, HDFS, S3A, ...):
 * <ul>
 *   <li>text: one location per line; blank lines and lines starting with {@code #} are skipped;</li>
 *   <li>CSV with a header, or Parquet: a {@code location} column, and optionally {@code size} (bytes) and
 *       {@code sha256} (hex), which spare the job a look at each file before it is scanned (PyPI's
 *       metadata has both for every release file).</li>
 * </ul>
 */
final class Manifest {
    static final String LOCATION = "location";
    static final String SIZE = "size";
    static final String SHA256 = "sha256";

    /** How the manifest file is written; {@code AUTO} goes by its name's ending. */
    enum Format {
        AUTO, TEXT, CSV, PARQUET;

        Format resolve(String manifest) {
            if (this != AUTO) {
                return this;
            }
            String name = manifest.toLowerCase(Locale.ROOT);
            return name.endsWith(".csv") ? CSV : name.endsWith(".parquet") ? PARQUET : TEXT;
        }
    }

    private Manifest() {
    }

    static JavaRDD<ArchiveRef> read(SparkSession spark, String manifest, Format format) {
        return switch (format.resolve(manifest)) {
            case TEXT -> lines(spark, manifest).map(ArchiveRef::of);
            case CSV -> columns(spark.read().option("header", true).csv(manifest), manifest);
            case PARQUET -> columns(spark.read().parquet(manifest), manifest);
            case AUTO -> throw new IllegalStateException("resolved above");
        };
    }

    /** The lines of a text file, stripped, without blank lines and {@code #} comments. */
    static JavaRDD<String> lines(SparkSession spark, String file) {
        return spark.read().textFile(file).javaRDD()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"));
    }

    private static JavaRDD<ArchiveRef> columns(Dataset<Row> table, String manifest) {
        List<String> names = Arrays.asList(table.columns());
        if (!names.contains(LOCATION)) {
            throw new IllegalArgumentException(manifest + " has no '" + LOCATION + "' column (it has " + names + ")");
        }
        Dataset<Row> refs = table.select(
                col(LOCATION).cast("string"),
                (names.contains(SIZE) ? col(SIZE) : lit(null)).cast("long"),
                (names.contains(SHA256) ? col(SHA256) : lit(null)).cast("string"));
        return refs.javaRDD()
                .filter(row -> !row.isNullAt(0) && !row.getString(0).isBlank())
                .map(row -> new ArchiveRef(row.getString(0).strip(),
                        row.isNullAt(1) ? ArchiveRef.UNKNOWN_SIZE : row.getLong(1),
                        row.isNullAt(2) ? ArchiveRef.UNKNOWN_SHA256 : row.getString(2).strip().toLowerCase(Locale.ROOT)));
    }
}
