package dev.kingsnake.cli;

import dev.kingsnake.Confidence;
import dev.kingsnake.Reach;
import dev.kingsnake.Severity;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.Rule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.SourceFile;

import java.util.Set;

/** Test-only rules, registered through the test class path's META-INF/services (never in the jar). */
final class TestRules {
    private TestRules() {
    }

    /** Flags each line containing {@value #MARKER}, CRITICAL/HIGH: alone it makes a package MALICIOUS at 5.0. */
    public static final class Marker implements Rule {
        static final String MARKER = "KINGSNAKE-TEST-MARKER";

        @Override
        public RuleInfo info() {
            return new RuleInfo("KS-TEST-MARKER", "Test-only marker rule", Severity.CRITICAL, Confidence.HIGH,
                    Set.of(), "", "");
        }

        @Override
        public void check(RuleContext ctx, FindingSink sink) {
            for (SourceFile f : ctx.files()) {
                String[] lines = f.text().split("\n", -1);
                for (int i = 0; i < lines.length; i++) {
                    int col = lines[i].indexOf(MARKER);
                    if (col >= 0) {
                        sink.report(Location.of(f, i + 1, col + 1, Reach.UNKNOWN), "test marker", lines[i].trim());
                    }
                }
            }
        }
    }

    /** Reports the limits the engine runs with, as evidence, for files containing {@value #PROBE}. */
    public static final class LimitsProbe implements Rule {
        static final String PROBE = "KINGSNAKE-TEST-LIMITS-PROBE";

        @Override
        public RuleInfo info() {
            return new RuleInfo("KS-TEST-LIMITS-PROBE", "Test-only limits probe", Severity.INFO, Confidence.LOW,
                    Set.of(), "", "");
        }

        @Override
        public void check(RuleContext ctx, FindingSink sink) {
            for (SourceFile f : ctx.files()) {
                if (f.text().contains(PROBE)) {
                    sink.report(Location.file(f, Reach.UNKNOWN), "limits", "maxEntries=" + ctx.limits().maxEntries()
                            + ", packageTimeout=" + ctx.limits().packageTimeout());
                }
            }
        }
    }
}
