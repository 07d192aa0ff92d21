package dev.kingsnake.eval;

import dev.kingsnake.Verdict;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EvaluationTest {

    private static Evaluation.Sample mal(String input, String campaign, double score) {
        return new Evaluation.Sample(input, campaign, true, score, Verdict.BENIGN, List.of(), List.of(), 0, 0);
    }

    private static Evaluation.Sample ben(String input, double score, Verdict verdict) {
        return new Evaluation.Sample(input, "", false, score, verdict, List.of(), List.of(), 0, 0);
    }

    @Test
    void campaignRecallIsAMacroAverageSoBigCampaignsDoNotDominate() {
        Evaluation e = new Evaluation();
        for (int i = 0; i < 20; i++) {
            e.add(mal("big" + i, "big", 9.0));
        }
        e.add(mal("small", "small", 1.0));
        Evaluation.Figures f = e.at(5.0);
        assertEquals(20, f.recall().hits());
        assertEquals(21, f.recall().total());
        assertEquals(0.5, f.campaignRecall(), 1e-9);
        assertEquals(2, f.campaigns());
    }

    @Test
    void falsePositivesPrecisionAndSuspiciousBandFollowTheThreshold() {
        Evaluation e = new Evaluation();
        e.add(mal("m1", "c", 6.0));
        e.add(mal("m2", "c", 4.0));
        e.add(ben("b1", 7.0, Verdict.MALICIOUS));
        e.add(ben("b2", 3.0, Verdict.SUSPICIOUS));
        e.add(ben("b3", 0.0, Verdict.BENIGN));
        e.add(ben("b4", 9.0, Verdict.ERROR));
        Evaluation.Figures f = e.at(5.0);
        assertEquals(new Evaluation.Rate(1, 2), f.recall());
        assertEquals(new Evaluation.Rate(1, 4), f.falsePositiveRate());
        assertEquals(new Evaluation.Rate(1, 2), f.precision());
        assertEquals(1, f.benignSuspicious());
        assertEquals(1, f.benignErrors());
        assertEquals(List.of("b1"), e.falsePositives(5.0).stream().map(Evaluation.Sample::input).toList());
        assertEquals(List.of("m2"), e.missed(5.0).get("c").stream().map(Evaluation.Sample::input).toList());

        List<Evaluation.Figures> sweep = e.sweep(List.of(8.0, 3.5));
        assertEquals(3.5, sweep.get(0).threshold());
        assertEquals(new Evaluation.Rate(2, 2), sweep.get(0).recall());
        assertEquals(new Evaluation.Rate(0, 2), sweep.get(1).recall());
        assertEquals(new Evaluation.Rate(0, 4), sweep.get(1).falsePositiveRate());
    }

    @Test
    void labelsMapPathsRelativeToTheMaliciousDirectoryAndUnlabelledPackagesStandAlone(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException {
        Path mal = Files.createDirectories(dir.resolve("mal"));
        Path tsv = dir.resolve("labels.tsv");
        Files.writeString(tsv, "path\tcampaign\na/1.0/a-1.0.tar.gz\tc1\nb/b.whl\tc1\n");
        Labels labels = Labels.read(tsv, mal);
        assertEquals(2, labels.size());
        assertEquals("c1", labels.campaign(mal.resolve("a/1.0/a-1.0.tar.gz")));
        assertEquals("c1", labels.campaign(dir.resolve("mal/./b/b.whl")));
        assertEquals("unlabelled:x.zip", labels.campaign(mal.resolve("x.zip")));
    }
}
