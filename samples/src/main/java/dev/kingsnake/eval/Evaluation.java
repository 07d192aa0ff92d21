package dev.kingsnake.eval;

import dev.kingsnake.Finding;
import dev.kingsnake.ScanResult;
import dev.kingsnake.Verdict;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Recall, false-positive rate and precision of a set of scan results, at one threshold or swept over many.
 * Scores do not depend on the threshold, so one scan serves every threshold: a package counts as flagged at
 * threshold {@code t} when its score is at least {@code t} (and it was readable).
 *
 * <p>Per-campaign recall is the macro average over campaigns of each campaign's recall, so a campaign of
 * twenty near-copies weighs as much as a campaign of one.
 */
public final class Evaluation {

    /** What one scan contributes: enough to recount at any threshold, small enough to keep thousands. */
    public record Sample(String input, String campaign, boolean malicious, double score, Verdict verdict,
                         List<String> topFindings, List<String> diagnostics, long compressedBytes,
                         long uncompressedBytes) {
        public Sample {
            topFindings = List.copyOf(topFindings);
            diagnostics = List.copyOf(diagnostics);
        }

        boolean flaggedAt(double threshold) {
            return verdict != Verdict.ERROR && score >= threshold;
        }
    }

    /** A ratio with its counts, e.g. recall 950/1000. */
    public record Rate(long hits, long total) {
        public double value() {
            return total == 0 ? 0.0 : (double) hits / total;
        }

        @Override
        public String toString() {
            return total == 0 ? "n/a (0/0)" : String.format("%.2f%% (%d/%d)", 100 * value(), hits, total);
        }
    }

    /** The figures at one threshold. */
    public record Figures(double threshold, Rate recall, double campaignRecall, int campaigns, Rate falsePositiveRate,
                          Rate precision, long maliciousErrors, long benignErrors, long benignSuspicious) {
    }

    private final List<Sample> samples = new ArrayList<>();

    public static Sample sample(ScanResult r, String campaign, boolean malicious, int topFindings) {
        List<String> top = new ArrayList<>();
        for (Finding f : r.findings()) {
            if (top.size() == topFindings) {
                break;
            }
            top.add(f.ruleId() + " " + f.file() + ":" + f.line() + " " + f.message());
        }
        List<String> diags = r.diagnostics().stream().map(d -> d.code() + " " + d.file() + " " + d.message())
                .limit(5).toList();
        return new Sample(r.input(), campaign, malicious, r.score(), r.verdict(), top, diags,
                r.stats().compressedBytes(), r.stats().uncompressedBytes());
    }

    public synchronized void add(Sample s) {
        samples.add(s);
    }

    public synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    public Figures at(double threshold) {
        return at(threshold, s -> true);
    }

    /**
     * The figures at one threshold over the samples {@code counted} accepts: e.g. only the malicious packages
     * that hold harmful code (see {@link NoHarmList}). A campaign none of whose packages is counted drops out.
     */
    public synchronized Figures at(double threshold, Predicate<Sample> counted) {
        long malTotal = 0;
        long malHit = 0;
        long malErr = 0;
        long benTotal = 0;
        long benHit = 0;
        long benErr = 0;
        long benSusp = 0;
        Map<String, long[]> campaigns = new TreeMap<>();
        for (Sample s : samples) {
            if (!counted.test(s)) {
                continue;
            }
            boolean flagged = s.flaggedAt(threshold);
            if (s.malicious()) {
                malTotal++;
                malHit += flagged ? 1 : 0;
                malErr += s.verdict() == Verdict.ERROR ? 1 : 0;
                long[] c = campaigns.computeIfAbsent(s.campaign(), k -> new long[2]);
                c[0] += flagged ? 1 : 0;
                c[1]++;
            } else {
                benTotal++;
                benHit += flagged ? 1 : 0;
                benErr += s.verdict() == Verdict.ERROR ? 1 : 0;
                benSusp += !flagged && s.verdict() != Verdict.ERROR && s.score() >= threshold / 2 ? 1 : 0;
            }
        }
        double macro = campaigns.values().stream().mapToDouble(c -> (double) c[0] / c[1]).average().orElse(0);
        return new Figures(threshold, new Rate(malHit, malTotal), macro, campaigns.size(), new Rate(benHit, benTotal),
                new Rate(malHit, malHit + benHit), malErr, benErr, benSusp);
    }

    /** Figures at each threshold, ascending. */
    public List<Figures> sweep(List<Double> thresholds) {
        List<Figures> out = new ArrayList<>();
        for (double t : thresholds.stream().sorted().toList()) {
            out.add(at(t));
        }
        return out;
    }

    /** Malicious packages not flagged at the threshold, grouped by campaign (campaigns sorted). */
    public synchronized Map<String, List<Sample>> missed(double threshold) {
        Map<String, List<Sample>> out = new TreeMap<>();
        for (Sample s : samples) {
            if (s.malicious() && !s.flaggedAt(threshold)) {
                out.computeIfAbsent(s.campaign(), k -> new ArrayList<>()).add(s);
            }
        }
        out.values().forEach(l -> l.sort((a, b) -> a.input().compareTo(b.input())));
        return out;
    }

    /** Benign packages flagged at the threshold, highest score first. */
    public synchronized List<Sample> falsePositives(double threshold) {
        List<Sample> out = new ArrayList<>();
        for (Sample s : samples) {
            if (!s.malicious() && s.flaggedAt(threshold)) {
                out.add(s);
            }
        }
        out.sort((a, b) -> Double.compare(b.score(), a.score()));
        return out;
    }

    /** Packages per rule that fired, for the "which rules carry recall" table. */
    public synchronized Map<String, Integer> ruleCounts(boolean malicious) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Sample s : samples) {
            if (s.malicious() == malicious) {
                s.topFindings().stream().map(f -> f.substring(0, f.indexOf(' '))).distinct()
                        .forEach(r -> out.merge(r, 1, Integer::sum));
            }
        }
        List<Map.Entry<String, Integer>> sorted = new ArrayList<>(out.entrySet());
        sorted.sort(Collections.reverseOrder(Map.Entry.comparingByValue()));
        Map<String, Integer> result = new LinkedHashMap<>();
        sorted.forEach(e -> result.put(e.getKey(), e.getValue()));
        return result;
    }
}
