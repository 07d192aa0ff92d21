package dev.kingsnake.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kingsnake.Confidence;
import dev.kingsnake.Diagnostic;
import dev.kingsnake.DiagnosticCode;
import dev.kingsnake.Finding;
import dev.kingsnake.PackageKind;
import dev.kingsnake.Reach;
import dev.kingsnake.ScanResult;
import dev.kingsnake.ScanStats;
import dev.kingsnake.Severity;
import dev.kingsnake.Verdict;
import dev.kingsnake.report.ResultJson;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Parquet schema has exactly the CLI's JSON fields (plus the job's two), at every level. */
class ResultSchemaTest {
    @Test
    void schemaHasTheFieldsOfResultJson() {
        Finding finding = new Finding("KS-CAP-TEST", Severity.HIGH, Confidence.HIGH, "pkg/setup.py", 3, 1,
                "message", "evidence", Reach.INSTALL_TIME, List.of("base64"));
        ScanResult result = new ScanResult("pkg-1.0.tar.gz", "pkg", "1.0", PackageKind.SDIST, Verdict.MALICIOUS, 7.5,
                List.of(finding), List.of(Diagnostic.of(DiagnosticCode.PARSE_ERROR, "bad")),
                new ScanStats(1, 1, 10, 20, 30, 5));
        ObjectNode json = ResultJson.toJson(result);
        json.put("sha256", "00");
        json.put("rulesVersion", "v");
        assertEquals(names(json), paths(ResultSchema.RESULT, ""));
    }

    private static List<String> names(JsonNode node) {
        List<String> out = new ArrayList<>();
        collect(node, "", out);
        return out;
    }

    private static void collect(JsonNode node, String prefix, List<String> out) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            JsonNode child = node.get(name);
            out.add(prefix + name);
            JsonNode element = child.isArray() && !child.isEmpty() ? child.get(0) : child;
            if (element.isObject()) {
                collect(element, prefix + name + ".", out);
            }
        }
    }

    private static List<String> paths(StructType struct, String prefix) {
        List<String> out = new ArrayList<>();
        for (StructField f : struct.fields()) {
            out.add(prefix + f.name());
            DataType t = f.dataType() instanceof ArrayType a ? a.elementType() : f.dataType();
            if (t instanceof StructType s) {
                out.addAll(paths(s, prefix + f.name() + "."));
            }
        }
        return out;
    }
}
