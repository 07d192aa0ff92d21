package dev.kingsnake.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kingsnake.Limits;
import dev.kingsnake.ScanResult;
import dev.kingsnake.Scanner;
import dev.kingsnake.Verdict;

import java.io.ByteArrayInputStream;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing (Jazzer) of the whole scan: archive readers, the Python front end and the decoders.
 * Under {@code mvn verify} this runs the inputs kept in {@code src/test/resources/dev/kingsnake/fuzz/
 * ScannerFuzzTestInputs/...} once each (regression mode); {@code JAZZER_FUZZ=1 mvn -pl core test
 * -Dtest=ScannerFuzzTest} fuzzes for real. Whatever the bytes, a scan returns a result within its limits and
 * an ERROR verdict always says why.
 */
class ScannerFuzzTest {
    private static final Limits LIMITS = Limits.builder().maxTotalBytes(8L << 20).maxEntryBytes(4L << 20)
            .packageTimeout(Duration.ofSeconds(20)).build();
    private static final Scanner SCANNER = Scanner.builder().limits(LIMITS).build();
    private static final String[] NAMES = {"fuzz-1.0.tar.gz", "fuzz-1.0-py3-none-any.whl", "fuzz-1.0.zip",
        "fuzz.py", "fuzz-1.0.tar.bz2", "fuzz-1.0.egg"};

    @FuzzTest(maxDuration = "30s")
    void aScanAlwaysReturnsAResultWithinItsLimits(FuzzedDataProvider data) {
        String name = NAMES[data.consumeInt(0, NAMES.length - 1)];
        byte[] bytes = data.consumeRemainingAsBytes();
        ScanResult r = SCANNER.scan(name, new ByteArrayInputStream(bytes));
        assertNotNull(r);
        assertTrue(r.stats().uncompressedBytes() <= LIMITS.maxTotalBytes(), r::toString);
        if (r.verdict() == Verdict.ERROR) {
            assertTrue(!r.diagnostics().isEmpty(), "an ERROR verdict says why");
        }
    }
}
