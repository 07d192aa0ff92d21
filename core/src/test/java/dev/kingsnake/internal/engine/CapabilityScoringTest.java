package dev.kingsnake.internal.engine;

import dev.kingsnake.Confidence;
import dev.kingsnake.Finding;
import dev.kingsnake.Reach;
import dev.kingsnake.Severity;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.Tags;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Capabilities inform, behaviours accuse: adding capability findings never moves a score. */
class CapabilityScoringTest {
    private static final RuleInfo NET = new RuleInfo("KS-INSTALL-NETWORK", "n", Severity.HIGH, Confidence.MEDIUM,
            Set.of(Tags.NETWORK), "", "");
    private static final RuleInfo DECODE = new RuleInfo("KS-OBF-X", "d", Severity.MEDIUM, Confidence.HIGH,
            Set.of(Tags.DECODE), "", "");
    private static final RuleInfo CAP = new RuleInfo("KS-CAP-PROCESS", "p", Severity.INFO, Confidence.HIGH,
            Set.of(Tags.CAPABILITY), "", "");

    private static Finding f(RuleInfo r, Severity s, String file, Reach reach) {
        return new Finding(r.id(), s, r.confidence(), file, 3, 1, "m", "e", reach, List.of());
    }

    @Test
    void capabilitiesAddNothingAnywhere() {
        Map<String, RuleInfo> infos = Map.of(NET.id(), NET, DECODE.id(), DECODE, CAP.id(), CAP);
        List<Finding> base = List.of(f(NET, Severity.HIGH, "pkg-1.0/setup.py", Reach.INSTALL_TIME),
                f(DECODE, Severity.MEDIUM, "pkg-1.0/pkg/a.py", Reach.CALLED));
        Scoring scoring = new Scoring();
        for (int files : new int[] {1, 60}) {
            double without = scoring.score(base, infos, Set.of(), files);
            List<Finding> with = new ArrayList<>(base);
            for (int i = 0; i < 40; i++) {
                with.add(f(CAP, Severity.INFO, "pkg-1.0/pkg/m" + i + ".py", Reach.INSTALL_TIME));
                with.add(f(CAP, Severity.INFO, "pkg-1.0/tests/t" + i + ".py", Reach.IMPORT_TIME));
            }
            assertEquals(without, scoring.score(with, infos, Set.of(), files));
            assertEquals(0.0, scoring.score(with.subList(2, with.size()), infos, Set.of(), files));
        }
    }
}
