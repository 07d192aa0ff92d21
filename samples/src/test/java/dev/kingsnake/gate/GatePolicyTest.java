package dev.kingsnake.gate;

import dev.kingsnake.Verdict;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The policy as data: read from TOML, decisions without any I/O. */
class GatePolicyTest {
    private static final Instant NOW = Instant.parse("2026-01-10T00:00:00Z");
    private static final String SHA = "ab".repeat(32);

    private static GatePolicy.Candidate candidate(String name, String version, Instant uploaded) {
        return new GatePolicy.Candidate(name, Optional.of(version), Optional.of(SHA), Optional.ofNullable(uploaded));
    }

    private static ScanRecord record(Verdict verdict, boolean partial) {
        return new ScanRecord(SHA, "test", verdict, verdict == Verdict.MALICIOUS ? 9.0 : 3.0, partial,
                List.of(new ScanRecord.Evidence("KS-IMPORT-PTH-CODE", "evil.pth", 1, "import os")), NOW, 5);
    }

    @Test
    void readsEveryKeyAndKeepsDefaultsForTheRest() {
        GatePolicy p = GatePolicy.parse("""
                min-age = "3d"
                suspicious = "refuse"
                allow = ["Big_Package", "sha256:%s"]
                deny = ["evil-lib==1.0"]
                appeal = "mail security@example.invalid"
                """.formatted(SHA));
        assertEquals(Duration.ofDays(3), p.minAge());
        assertEquals(GatePolicy.Action.REFUSE, p.suspicious());
        assertEquals(GatePolicy.Action.REFUSE, p.partial(), "fail closed unless told otherwise");
        assertEquals(GatePolicy.Action.REFUSE, p.error());
        assertEquals(List.of(new PackageSelector.Project("big-package"), new PackageSelector.File(SHA)), p.allow());
        assertEquals(List.of(new PackageSelector.Release("evil-lib", "1.0")), p.deny());
        assertEquals("mail security@example.invalid", p.appeal());
        assertEquals(GatePolicy.defaults(), GatePolicy.parse(""));
    }

    @Test
    void reportsEveryProblemAtOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GatePolicy.parse("""
                min-age = "soon"
                suspicous = "serve"
                error = "maybe"
                deny = ["not a name!"]
                """));
        assertTrue(e.getMessage().contains("min-age 'soon'"), e.getMessage());
        assertTrue(e.getMessage().contains("unknown key 'suspicous'"), e.getMessage());
        assertTrue(e.getMessage().contains("error must be"), e.getMessage());
        assertTrue(e.getMessage().contains("deny entry 'not a name!'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GatePolicy.parse("min-age = ["));
    }

    @Test
    void denyWinsOverAllowAndAllowSkipsTheScan() {
        GatePolicy p = GatePolicy.parse("allow = [\"demo\"]\ndeny = [\"sha256:" + SHA + "\"]\n");
        assertInstanceOf(GatePolicy.Decision.Refuse.class, p.beforeScan(candidate("Demo", "1.0", null), NOW));
        GatePolicy allowOnly = GatePolicy.parse("allow = [\"demo\"]\n");
        assertInstanceOf(GatePolicy.Decision.Serve.class, allowOnly.beforeScan(candidate("DEMO", "1.0", null), NOW));
        assertInstanceOf(GatePolicy.Decision.Scan.class, allowOnly.beforeScan(candidate("other", "1.0", null), NOW));
    }

    @Test
    void cooldownHidesYoungAndUndatedFiles() {
        GatePolicy p = GatePolicy.defaults().withMinAge(Duration.ofDays(3));
        GatePolicy.Decision young = p.beforeScan(candidate("demo", "2.0", NOW.minus(Duration.ofHours(5))), NOW);
        assertEquals("uploaded 5h ago, younger than the gate's cooldown of 3d",
                ((GatePolicy.Decision.Refuse) young).reason());
        assertInstanceOf(GatePolicy.Decision.Scan.class,
                p.beforeScan(candidate("demo", "1.0", NOW.minus(Duration.ofDays(4))), NOW));
        assertInstanceOf(GatePolicy.Decision.Refuse.class, p.beforeScan(candidate("demo", "1.0", null), NOW));
        GatePolicy lenient = GatePolicy.parse("min-age = \"3d\"\nunknown-upload-time = \"serve\"\n");
        assertInstanceOf(GatePolicy.Decision.Scan.class, lenient.beforeScan(candidate("demo", "1.0", null), NOW));
    }

    @Test
    void verdictsDecideByPolicy() {
        GatePolicy p = GatePolicy.defaults();
        GatePolicy.Decision bad = p.afterScan(record(Verdict.MALICIOUS, false));
        assertEquals("MALICIOUS (score 9.0): KS-IMPORT-PTH-CODE at evil.pth:1", ((GatePolicy.Decision.Refuse) bad).reason());
        GatePolicy.Decision suspicious = p.afterScan(record(Verdict.SUSPICIOUS, false));
        assertTrue(((GatePolicy.Decision.Serve) suspicious).warning().orElseThrow().startsWith("SUSPICIOUS"));
        assertInstanceOf(GatePolicy.Decision.Refuse.class, p.afterScan(record(Verdict.BENIGN, true)));
        assertInstanceOf(GatePolicy.Decision.Refuse.class, p.afterScan(record(Verdict.ERROR, false)));
        assertEquals(new GatePolicy.Decision.Serve(Optional.empty(), "benign"), p.afterScan(record(Verdict.BENIGN, false)));
        GatePolicy open = GatePolicy.parse("partial = \"serve\"\nerror = \"serve\"\nsuspicious = \"refuse\"\n");
        assertInstanceOf(GatePolicy.Decision.Serve.class, open.afterScan(record(Verdict.BENIGN, true)));
        assertInstanceOf(GatePolicy.Decision.Serve.class, open.afterScan(record(Verdict.ERROR, false)));
        assertInstanceOf(GatePolicy.Decision.Refuse.class, open.afterScan(record(Verdict.SUSPICIOUS, false)));
    }

    @Test
    void pagesLeaveOutWhatWouldBeRefused() {
        GatePolicy p = GatePolicy.defaults();
        GatePolicy.Candidate c = candidate("demo", "1.1", null);
        assertTrue(p.listed(c, Optional.empty(), NOW), "not scanned yet: listed, judged when requested");
        assertFalse(p.listed(c, Optional.of(record(Verdict.MALICIOUS, false)), NOW));
        assertTrue(p.listed(c, Optional.of(record(Verdict.SUSPICIOUS, false)), NOW));
        assertFalse(GatePolicy.parse("deny = [\"demo\"]").listed(c, Optional.empty(), NOW));
    }
}
