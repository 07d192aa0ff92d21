package dev.kingsnake.spark;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The Spark schema of a result: the fields of the CLI's JSON Lines record
 * ({@link dev.kingsnake.report.ResultJson}, findings and diagnostics nested) plus {@code sha256} and
 * {@code rulesVersion}. A test holds it to ResultJson's field names, so a field added there fails the
 * build here until it is added too.
 */
final class ResultSchema {
    static final StructType FINDING = struct(
            field("rule", DataTypes.StringType),
            field("severity", DataTypes.StringType),
            field("confidence", DataTypes.StringType),
            field("file", DataTypes.StringType),
            field("line", DataTypes.IntegerType),
            field("column", DataTypes.IntegerType),
            field("message", DataTypes.StringType),
            field("evidence", DataTypes.StringType),
            field("reach", DataTypes.StringType),
            field("decodeChain", DataTypes.createArrayType(DataTypes.StringType, false)));

    static final StructType DIAGNOSTIC = struct(
            field("code", DataTypes.StringType),
            field("file", DataTypes.StringType),
            field("message", DataTypes.StringType));

    static final StructType STATS = struct(
            field("files", DataTypes.IntegerType),
            field("pythonFiles", DataTypes.IntegerType),
            field("pythonBytes", DataTypes.LongType),
            field("compressedBytes", DataTypes.LongType),
            field("uncompressedBytes", DataTypes.LongType),
            field("elapsedMillis", DataTypes.LongType));

    static final StructType CAPABILITY = struct(
            field("id", DataTypes.StringType),
            field("count", DataTypes.IntegerType),
            field("reach", DataTypes.StringType));

    static final StructType RESULT = struct(
            field("input", DataTypes.StringType),
            field("name", DataTypes.StringType),
            field("version", DataTypes.StringType),
            field("kind", DataTypes.StringType),
            field("verdict", DataTypes.StringType),
            field("score", DataTypes.DoubleType),
            field("partial", DataTypes.BooleanType),
            field("findings", DataTypes.createArrayType(FINDING, false)),
            field("diagnostics", DataTypes.createArrayType(DIAGNOSTIC, false)),
            field("stats", STATS),
            field("capabilities", DataTypes.createArrayType(CAPABILITY, false)),
            field("sha256", DataTypes.StringType),
            field("rulesVersion", DataTypes.StringType));

    /** What the incremental rescan reads back from earlier output. */
    static final StructType DONE = struct(
            field("sha256", DataTypes.StringType),
            field("rulesVersion", DataTypes.StringType));

    private ResultSchema() {
    }

    private static StructField field(String name, DataType type) {
        return DataTypes.createStructField(name, type, true);
    }

    private static StructType struct(StructField... fields) {
        return DataTypes.createStructType(fields);
    }
}
