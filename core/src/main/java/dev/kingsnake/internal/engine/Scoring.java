package dev.kingsnake.internal.engine;

import dev.kingsnake.Confidence;
import dev.kingsnake.Finding;
import dev.kingsnake.Reach;
import dev.kingsnake.Severity;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.Tags;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns findings into a 0–10 score. Each rule contributes once (its strongest finding, plus a little
 * for repeats); install/import-time reach raises a finding's weight, code under tests/ or docs/ lowers it;
 * behaviours that only make sense together (decode + execute, credentials + network, download + run)
 * add a combination bonus. See README "Scoring".
 */
public final class Scoring {

    public double score(List<Finding> findings, Map<String, RuleInfo> rules) {
        Map<String, Double> perRule = new HashMap<>();
        Map<String, Integer> counts = new HashMap<>();
        Set<String> tags = new HashSet<>();
        for (Finding f : findings) {
            double w = weight(f);
            perRule.merge(f.ruleId(), w, Math::max);
            counts.merge(f.ruleId(), 1, Integer::sum);
            RuleInfo info = rules.get(f.ruleId());
            if (info != null && w >= 0.5) {
                tags.addAll(info.tags());
            }
        }
        double sum = 0;
        for (Map.Entry<String, Double> e : perRule.entrySet()) {
            int n = counts.get(e.getKey());
            sum += e.getValue() * (1 + Math.min(0.5, 0.1 * (n - 1)));
        }
        sum += combinationBonus(tags);
        return Math.min(10.0, Math.round(sum * 100.0) / 100.0);
    }

    static double weight(Finding f) {
        double base = switch (f.severity()) {
            case CRITICAL -> 6.0;
            case HIGH -> 3.5;
            case MEDIUM -> 1.5;
            case LOW -> 0.5;
            case INFO -> 0.0;
        };
        double conf = switch (f.confidence()) {
            case HIGH -> 1.0;
            case MEDIUM -> 0.7;
            case LOW -> 0.4;
        };
        double reach = f.reach() == Reach.INSTALL_TIME || f.reach() == Reach.IMPORT_TIME ? 1.4 : 1.0;
        double place = isTestOrDocs(f.file()) ? 0.3 : 1.0;
        return base * conf * reach * place;
    }

    static double combinationBonus(Set<String> tags) {
        double bonus = 0;
        if (tags.contains(Tags.DECODE) && tags.contains(Tags.EXECUTE)) {
            bonus += 2.5;
        }
        if (tags.contains(Tags.CREDENTIALS) && (tags.contains(Tags.NETWORK) || tags.contains(Tags.EXFILTRATION))) {
            bonus += 3.0;
        }
        if (tags.contains(Tags.DOWNLOAD) && (tags.contains(Tags.EXECUTE) || tags.contains(Tags.PROCESS)
                || tags.contains(Tags.FILE_WRITE))) {
            bonus += 2.5;
        }
        if (tags.contains(Tags.FINGERPRINT) && (tags.contains(Tags.NETWORK) || tags.contains(Tags.EXFILTRATION))) {
            bonus += 1.5;
        }
        if (tags.contains(Tags.PERSISTENCE) && (tags.contains(Tags.DOWNLOAD) || tags.contains(Tags.PROCESS))) {
            bonus += 2.0;
        }
        if (tags.contains(Tags.OBFUSCATION) && (tags.contains(Tags.EXECUTE) || tags.contains(Tags.NETWORK))) {
            bonus += 1.5;
        }
        return bonus;
    }

    static boolean isTestOrDocs(String path) {
        String p = "/" + path.toLowerCase(Locale.ROOT);
        return p.contains("/tests/") || p.contains("/test/") || p.contains("/testing/") || p.contains("/docs/")
                || p.contains("/doc/") || p.contains("/examples/") || p.matches(".*/test_[^/]*\\.py(#.*)?$");
    }

    /** Ordering of findings in results: most serious first. */
    static int compare(Finding a, Finding b) {
        int c = b.severity().compareTo(a.severity());
        if (c != 0) {
            return c;
        }
        c = b.confidence().compareTo(a.confidence());
        if (c != 0) {
            return c;
        }
        c = a.file().compareTo(b.file());
        return c != 0 ? c : Integer.compare(a.line(), b.line());
    }

}
