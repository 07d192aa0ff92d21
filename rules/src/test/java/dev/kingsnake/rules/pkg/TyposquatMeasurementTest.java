package dev.kingsnake.rules.pkg;

import dev.kingsnake.Confidence;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Measures the typosquat matcher on real names and prints the numbers the README quotes: the popular list itself
 * (as shipped, and leave-one-out: every popular name judged as if it were unknown) and the malicious corpus.
 */
class TyposquatMeasurementTest {
    private static final PopularPackages POPULAR = PopularPackages.bundled();

    @Test
    void popularPackagesDoNotFlagEachOther() {
        TyposquatMatcher m = POPULAR.typosquats();
        List<String> flagged = POPULAR.names().stream().filter(n -> m.match(n).isPresent()).toList();
        System.out.printf("typosquat, popular list as shipped: %d of %d names flagged%n", flagged.size(),
                POPULAR.names().size());
        assertEquals(List.of(), flagged);
    }

    /** The proxy for unknown honest packages: each popular name judged as if it were not in the list. */
    @Test
    void leaveOneOutFlagsUnderOnePercentAtHighConfidence() {
        TyposquatMatcher m = POPULAR.typosquats();
        int high = 0;
        int medium = 0;
        List<String> examples = new ArrayList<>();
        for (String n : POPULAR.names()) {
            Optional<TyposquatMatcher.Match> r = m.match(n, true);
            if (r.isEmpty()) {
                continue;
            }
            if (r.get().confidence() == Confidence.HIGH) {
                high++;
                if (examples.size() < 25) {
                    examples.add(n + "~" + r.get().target());
                }
            } else {
                medium++;
            }
        }
        int total = POPULAR.names().size();
        System.out.printf("typosquat, leave-one-out over the popular list: %d of %d (%.2f%%) at HIGH confidence"
                + " (SUSPICIOUS alone), %d (%.2f%%) at MEDIUM (below SUSPICIOUS alone); e.g. %s%n", high, total,
                100.0 * high / total, medium, 100.0 * medium / total, examples);
        assertTrue(high <= total / 100, "more than 1% of popular names would be flagged if unknown: " + high);
    }

    @Test
    void maliciousCorpusNames() throws IOException {
        Path corpus = Path.of("..", "..", "shared", "corpus", "malicious-dev");
        Assumptions.assumeTrue(Files.isDirectory(corpus), "no ../shared/corpus/malicious-dev");
        TyposquatMatcher m = POPULAR.typosquats();
        List<String> names;
        try (Stream<Path> s = Files.list(corpus)) {
            names = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        List<String> hits = new ArrayList<>();
        int high = 0;
        for (String n : names) {
            Optional<TyposquatMatcher.Match> r = m.match(n);
            if (r.isPresent()) {
                hits.add(n + "~" + r.get().target());
                high += r.get().confidence() == Confidence.HIGH ? 1 : 0;
            }
        }
        System.out.printf("typosquat, malicious-dev names: %d of %d flagged (%d HIGH): %s%n", hits.size(),
                names.size(), high, hits);
        assertTrue(hits.size() > 0);
    }
}
