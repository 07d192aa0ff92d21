package dev.kingsnake.internal.engine;

import dev.kingsnake.Confidence;
import dev.kingsnake.Finding;
import dev.kingsnake.Severity;
import dev.kingsnake.Reach;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.Tags;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OtherProjectsTest {

    @Test
    void aDirectoryWithItsOwnProjectFileBelowAnInstallableRootIsAnotherProject() {
        Set<String> other = OtherProjects.of(List.of("repo-1.0/pyproject.toml", "repo-1.0/tooling/setup.py",
                "repo-1.0/tooling/src/repotooling/__init__.py", "repo-1.0/tooling/src/repotooling/installers.py",
                "repo-1.0/repo/__init__.py"));
        assertEquals(Set.of("repo-1.0/tooling/"), other);
        assertTrue(OtherProjects.contains(other, "repo-1.0/tooling/src/repotooling/installers.py"));
        assertFalse(OtherProjects.contains(other, "repo-1.0/repo/__init__.py"));
    }

    @Test
    void aProjectFileInsideAPackageOrBelowARootWithoutOneChangesNothing() {
        assertEquals(Set.of(), OtherProjects.of(List.of("evil-1.0/setup.py", "evil-1.0/evil/__init__.py",
                "evil-1.0/evil/pyproject.toml", "evil-1.0/evil/sub/setup.py")),
                "a payload's package does not become another project by holding a pyproject.toml");
        assertEquals(Set.of(), OtherProjects.of(List.of("mono-1.0/README.md", "mono-1.0/a/setup.py",
                "mono-1.0/a/a/__init__.py")), "without a root project nothing says which one is installed");
    }

    @Test
    void scoringWeighsAnotherProjectsFindingsAsCodeNotShipped() {
        Map<String, RuleInfo> rules = Map.of("KS-T", new RuleInfo("KS-T", "t", Severity.CRITICAL, Confidence.HIGH,
                Set.of(Tags.DOWNLOAD), "x", "y"));
        List<Finding> f = List.of(new Finding("KS-T", Severity.CRITICAL, Confidence.HIGH,
                "r-1.0/tooling/src/rt/installers.py", 3, 1, "m", "e", Reach.CALLED, List.of()));
        Scoring scoring = new Scoring();
        assertEquals(6.0, scoring.score(f, rules, Set.of(), 0, Set.of()), 1e-9);
        assertEquals(6.0 * 0.3, scoring.score(f, rules, Set.of(), 0, Set.of("r-1.0/tooling/")), 1e-9);
    }
}
