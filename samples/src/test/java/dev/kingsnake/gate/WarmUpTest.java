package dev.kingsnake.gate;

import dev.kingsnake.PackageKind;
import dev.kingsnake.ScanResult;
import dev.kingsnake.Scanner;
import dev.kingsnake.Verdict;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gate's warm-up: a synthetic wheel the scanner reads whole, every module its own, stopped on request. */
class WarmUpTest {
    @Test
    void theSyntheticWheelIsScannedWholeAsAWheelOfDistinctModules() {
        List<ScanResult> results = WarmUp.run(Scanner.builder().build(), 1, () -> false);
        assertEquals(1, results.size());
        ScanResult r = results.get(0);
        assertEquals(PackageKind.WHEEL, r.kind());
        assertEquals("kingsnake-warmup", r.name());
        assertNotEquals(Verdict.ERROR, r.verdict());
        assertNotEquals(Verdict.MALICIOUS, r.verdict());
        // whole: no parse error, no limit, no rule failure (a warm-up that fails early warms nothing)
        assertEquals(List.of(), r.diagnostics(), "diagnostics");
        assertEquals(WarmUp.MODULES + 1, r.stats().pythonFiles());
        assertTrue(r.stats().pythonBytes() > 500_000, "at least half a megabyte of Python: " + r.stats().pythonBytes());
        // every module differs from every other: none is taken from the per-file result cache instead of analysed
        Set<String> modules = new HashSet<>();
        for (int i = 0; i < WarmUp.MODULES; i++) {
            modules.add(WarmUp.module(i));
        }
        assertEquals(WarmUp.MODULES, modules.size());
    }

    @Test
    void eachRoundsWheelHoldsModulesNoOtherRoundHas() throws Exception {
        // the per-file result cache keys a file by its content: a module seen in an earlier round would be taken
        // from it instead of analysed, and warm nothing
        Set<String> seen = new HashSet<>();
        int modules = 0;
        for (int round = 0; round < WarmUp.ROUNDS; round++) {
            try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(WarmUp.wheel(WarmUp.MODULES,
                    round)))) {
                for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                    if (e.getName().matches("kingsnake_warmup/m\\d+\\.py")) {
                        modules++;
                        assertTrue(seen.add(new String(zip.readAllBytes(), StandardCharsets.UTF_8)),
                                "round " + round + " repeats " + e.getName());
                    }
                }
            }
        }
        assertEquals(WarmUp.ROUNDS * WarmUp.MODULES, modules);
    }

    @Test
    void stopsBetweenScansWhenAsked() {
        Scanner scanner = Scanner.builder().build();
        assertEquals(0, WarmUp.run(scanner, 3, () -> true).size());
        AtomicInteger asked = new AtomicInteger();
        // asked before each scan: false, then true
        assertEquals(1, WarmUp.run(scanner, 3, () -> asked.getAndIncrement() > 0).size());
    }
}
