package dev.kingsnake;

import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.Tags;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CapabilitySummaryTest {
    private static Finding finding(String rule, Reach reach) {
        return new Finding(rule, Severity.INFO, Confidence.HIGH, "pkg/x.py", 1, 1, "", "", reach, List.of());
    }

    @Test
    void countsPerIdWithTheEarliestReach() {
        List<CapabilitySummary> s = CapabilitySummary.of(List.of(
                finding("KS-CAP-PROCESS", Reach.CALLED), finding("KS-CAP-PROCESS", Reach.INSTALL_TIME),
                finding("KS-CAP-DECODE", Reach.UNKNOWN), finding("KS-EXEC-DYNAMIC-CODE", Reach.INSTALL_TIME)));
        assertEquals(List.of(new CapabilitySummary("KS-CAP-DECODE", 1, Reach.UNKNOWN),
                new CapabilitySummary("KS-CAP-PROCESS", 2, Reach.INSTALL_TIME)), s);
    }

    @Test
    void onlyInfoRulesNamedKsCapMayBeCapabilities() {
        assertThrows(IllegalArgumentException.class, () -> new RuleInfo("KS-CAP-X", "x", Severity.LOW,
                Confidence.HIGH, Set.of(Tags.CAPABILITY), "", ""));
        assertThrows(IllegalArgumentException.class, () -> new RuleInfo("KS-CAP-X", "x", Severity.INFO,
                Confidence.HIGH, Set.of(Tags.PROCESS), "", ""));
        assertThrows(IllegalArgumentException.class, () -> new RuleInfo("KS-X", "x", Severity.INFO,
                Confidence.HIGH, Set.of(Tags.CAPABILITY), "", ""));
        new RuleInfo("KS-CAP-X", "x", Severity.INFO, Confidence.HIGH, Set.of(Tags.CAPABILITY), "", "");
    }
}
