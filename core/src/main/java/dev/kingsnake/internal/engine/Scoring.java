package dev.kingsnake.internal.engine;

import dev.kingsnake.Confidence;
import dev.kingsnake.Finding;
import dev.kingsnake.Reach;
import dev.kingsnake.Severity;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.SourceFile;
import dev.kingsnake.spi.Tags;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Turns findings into a 0–10 score (see README "Scoring").
 * <ol>
 *   <li>Each finding weighs severity × confidence × reach (install/import time ×1.4) × place (tests, docs,
 *       examples, demos, benchmarks ×0.3); all findings in such non-shipped code together add at most
 *       {@link #NON_SHIPPED_CAP}.</li>
 *   <li>Each rule contributes once: its heaviest finding, plus 10% per further finding, at most +50%.</li>
 *   <li>Behaviours that only make sense together (decode + execute, credentials + network, download + run,
 *       persistence + payload ...) add a bonus, but only when two <em>different</em> rules carry the two tags
 *       and each of those findings weighs at least {@link #TAG_GATE} outside tests/docs: a weak hint or test
 *       code never combines, and one rule with two tags does not count twice.</li>
 *   <li>Package-level findings (rules tagged {@link Tags#METADATA}: name, metadata, archive integrity) add at
 *       most {@link #METADATA_CAP}, which is below the default MALICIOUS threshold: who a package pretends to
 *       be makes it suspicious; only what its code does makes it malicious.</li>
 *   <li>A false identity ({@link Tags#IDENTITY}) together with install-time action adds
 *       {@link #IDENTITY_INSTALL_BONUS}; a package that says nothing about itself ({@link Tags#ANONYMOUS}) and
 *       talks to the network while it installs adds {@link #ANONYMOUS_NETWORK_BONUS}.</li>
 * </ol>
 */
public final class Scoring {

    /** A finding's weight must reach this for its rule's tags to take part in combinations. */
    static final double TAG_GATE = 0.5;
    /** Most that metadata-only rules add together; below the default MALICIOUS threshold of 5.0. */
    static final double METADATA_CAP = 3.0;
    /**
     * Most that findings in code that is not shipped for use (tests, docs, examples, demos, benchmarks) add
     * together: below SUSPICIOUS on their own. Real projects' test suites and demos legitimately spawn shells,
     * read key files and talk to servers; measured on real sdists, they were the main source of false alarms.
     */
    static final double NON_SHIPPED_CAP = 2.0;
    /**
     * Tests, docs, examples, samples, demos, benchmarks at any depth, and directories named as a kind of tests
     * ({@code manual tests/}, {@code integration_tests/}, {@code unittests/}; not {@code api-test/}, a package
     * name); hidden directories ({@code .github/},
     * {@code .ci/}, {@code .agents/}: not importable, never installed); and the maintainers' tooling directories at
     * the top of an sdist ({@code name-1.0/tools/}, {@code dev/}, {@code devscripts/}, {@code ci/}, {@code maint/},
     * {@code misc/}, {@code admin/}, {@code winbuild/}), which setup.py does not install; and everything inside an
     * archive nested in the package ({@code embed/pip-26.0-py3-none-any.whl!/...}: data to the package, which
     * installing it does not run; the code that would unpack or install it is judged where it stands).
     */
    private static final Pattern NON_SHIPPED = Pattern.compile(
            "(^|.*/)(tests?|unittests?|testing|docs?|examples?|samples?|demos?|benchmarks?|[^/]*[ _]tests)/.*"
                    + "|(^|.*/)\\.[^/]+/.*"
                    + "|(^|.*/)(test_[^/]*|[^/]*_test|conftest)\\.py(#.*)?"
                    + "|[^/]+-[0-9][^/]*/(tools|dev|devscripts|ci|maint|misc|admin|winbuild)/.*"
                    + "|.*!/.*");

    /**
     * Bonus when a package that misrepresents who it is ({@link Tags#IDENTITY}: typosquat, dependency-confusion
     * version, throw-away address ...) also acts at install time (network, process, execution, download, file
     * writes): the dependency-confusion and typosquatting attack in one package. Real projects with install-time
     * work have no such identity findings; identity alone stays below MALICIOUS ({@link #METADATA_CAP}).
     */
    static final double IDENTITY_INSTALL_BONUS = 1.5;
    /**
     * Bonus when a package that says nothing about itself ({@link Tags#ANONYMOUS}: no description, author or home
     * page) talks to the network while it installs: the shape of dependency-confusion probes and throw-away test
     * uploads. Projects that download during their build describe themselves.
     */
    static final double ANONYMOUS_NETWORK_BONUS = 1.5;
    private static final Set<String> INSTALL_ACTIONS = Set.of(Tags.NETWORK, Tags.PROCESS, Tags.EXECUTE,
            Tags.DOWNLOAD, Tags.FILE_WRITE);

    /** Per-rule keys of findings in non-shipped code, kept apart from the same rule's shipped findings. */
    private static final String NON_SHIPPED_KEY = "non-shipped:";

    private record Combo(String a, Set<String> b, double bonus) {
    }

    /** Source → sink pairs and their bonuses. */
    private static final List<Combo> COMBOS = List.of(
            new Combo(Tags.DECODE, Set.of(Tags.EXECUTE), 2.5),
            new Combo(Tags.CREDENTIALS, Set.of(Tags.NETWORK, Tags.EXFILTRATION), 3.0),
            new Combo(Tags.DOWNLOAD, Set.of(Tags.EXECUTE, Tags.PROCESS, Tags.FILE_WRITE), 2.5),
            new Combo(Tags.FINGERPRINT, Set.of(Tags.NETWORK, Tags.EXFILTRATION), 1.5),
            new Combo(Tags.PERSISTENCE, Set.of(Tags.DOWNLOAD, Tags.PROCESS, Tags.EXECUTE, Tags.BACKDOOR), 2.0),
            new Combo(Tags.OBFUSCATION, Set.of(Tags.EXECUTE, Tags.NETWORK), 1.5),
            new Combo(Tags.MINER, Set.of(Tags.PROCESS, Tags.DOWNLOAD, Tags.NETWORK), 2.0));

    /**
     * Packages with at least this many Python files are large code bases: there a score is that of the worst
     * file plus {@link #SPREAD_WEIGHT} of what the other files add (see {@link #score(List, Map, Set, int)}).
     */
    static final int LARGE_PACKAGE_FILES = 50;
    /** How much the files other than the worst one add to a large package's score. */
    static final double SPREAD_WEIGHT = 0.3;

    public double score(List<Finding> findings, Map<String, RuleInfo> rules) {
        return score(findings, rules, Set.of(), 0);
    }

    /**
     * @param importedTests files under test directories that shipped code imports ({@link ImportedTests}): they
     *                      run when the package is used, so they weigh as shipped code
     * @param pythonFiles   the package's Python files (decoded layers not counted). In a large code base
     *                      ({@value #LARGE_PACKAGE_FILES} files or more) weak findings scattered over unrelated
     *                      modules (a CLI that spawns a shell here, an SSH client that reads ~/.ssh there) are the
     *                      texture of the project, not one behaviour: the code part of the score is the worst
     *                      file's own score (its rules and combinations) plus {@value #SPREAD_WEIGHT} of what the
     *                      other files add (rules the worst file does not have); combinations count only within a
     *                      file. A payload injected into a copy of a large project sits in one file and keeps its
     *                      full weight.
     */
    public double score(List<Finding> findings, Map<String, RuleInfo> rules, Set<String> importedTests,
                        int pythonFiles) {
        return score(findings, rules, importedTests, pythonFiles, Set.of());
    }

    /**
     * @param otherProjects directories of an sdist that hold a project of their own ({@link OtherProjects}):
     *                      installing the package does not install or run them, so they weigh as code not
     *                      shipped for use
     */
    public double score(List<Finding> findings, Map<String, RuleInfo> rules, Set<String> importedTests,
                        int pythonFiles, Set<String> otherProjects) {
        // asked several times for every finding, of the few paths that have findings: answered once per path
        Map<String, Boolean> notShippedByPath = new HashMap<>();
        Predicate<String> notShipped = path -> notShippedByPath.computeIfAbsent(path,
                p -> (isTestOrDocs(p) || OtherProjects.contains(otherProjects, p))
                        && !importedTests.contains(SourceFile.entryPath(p)));
        Map<String, Double> metaOrTests = new HashMap<>();
        Map<String, Integer> metaOrTestsCounts = new HashMap<>();
        List<Finding> code = new ArrayList<>();
        boolean identity = false;
        boolean installAction = false;
        boolean anonymous = false;
        boolean installNetwork = false;
        for (Finding f : findings) {
            double w = weight(f, notShipped);
            RuleInfo ri = rules.get(f.ruleId());
            boolean shipped = !notShipped.test(f.file());
            anonymous |= ri != null && isMetadata(ri) && ri.tags().contains(Tags.ANONYMOUS);
            if (ri != null && w >= TAG_GATE && shipped) {
                identity |= isMetadata(ri) && ri.tags().contains(Tags.IDENTITY);
                installAction |= !isMetadata(ri) && f.reach() == Reach.INSTALL_TIME
                        && ri.tags().stream().anyMatch(INSTALL_ACTIONS::contains);
                installNetwork |= !isMetadata(ri) && f.reach() == Reach.INSTALL_TIME
                        && ri.tags().contains(Tags.NETWORK);
            }
            if (shipped && !isMetadata(ri)) {
                code.add(f);
            } else {
                String key = shipped ? f.ruleId() : NON_SHIPPED_KEY + f.ruleId();
                metaOrTests.merge(key, w, Math::max);
                metaOrTestsCounts.merge(key, 1, Integer::sum);
            }
        }
        double metadata = 0;
        double nonShipped = 0;
        for (Map.Entry<String, Double> e : metaOrTests.entrySet()) {
            double contribution = withRepeats(e.getValue(), metaOrTestsCounts.get(e.getKey()));
            if (e.getKey().startsWith(NON_SHIPPED_KEY)) {
                nonShipped += contribution;
            } else {
                metadata += contribution;
            }
        }
        double codeScore = pythonFiles >= LARGE_PACKAGE_FILES ? spreadScore(code, rules, notShipped)
                : codeScore(code, rules, notShipped);
        double sum = codeScore + (identity && installAction ? IDENTITY_INSTALL_BONUS : 0)
                + (anonymous && installNetwork ? ANONYMOUS_NETWORK_BONUS : 0)
                + Math.min(METADATA_CAP, metadata)
                + Math.min(NON_SHIPPED_CAP, nonShipped);
        return Math.min(10.0, Math.round(sum * 100.0) / 100.0);
    }

    /** Each rule's heaviest finding plus 10% per repeat (at most +50%), plus the combinations completed. */
    private static double codeScore(List<Finding> code, Map<String, RuleInfo> rules,
                                    Predicate<String> notShipped) {
        return ruleSum(code, notShipped) + combinationBonus(rulesByTag(code, rules, notShipped));
    }

    private static double ruleSum(List<Finding> code, Predicate<String> notShipped) {
        Map<String, Double> perRule = new HashMap<>();
        Map<String, Integer> counts = new HashMap<>();
        for (Finding f : code) {
            perRule.merge(f.ruleId(), weight(f, notShipped), Math::max);
            counts.merge(f.ruleId(), 1, Integer::sum);
        }
        double sum = 0;
        for (Map.Entry<String, Double> e : perRule.entrySet()) {
            sum += withRepeats(e.getValue(), counts.get(e.getKey()));
        }
        return sum;
    }

    private static double withRepeats(double heaviest, int n) {
        return heaviest * (1 + Math.min(0.5, 0.1 * (n - 1)));
    }

    private static Map<String, Set<String>> rulesByTag(List<Finding> code, Map<String, RuleInfo> rules,
                                                       Predicate<String> notShipped) {
        Map<String, Set<String>> rulesByTag = new HashMap<>();
        for (Finding f : code) {
            RuleInfo info = rules.get(f.ruleId());
            if (info != null && weight(f, notShipped) >= TAG_GATE) {
                for (String t : info.tags()) {
                    rulesByTag.computeIfAbsent(t, k -> new HashSet<>()).add(f.ruleId());
                }
            }
        }
        return rulesByTag;
    }

    /** A large package's code score: its worst file, plus {@link #SPREAD_WEIGHT} of what the rest adds. */
    private static double spreadScore(List<Finding> code, Map<String, RuleInfo> rules,
                                      Predicate<String> notShipped) {
        Map<String, List<Finding>> byFile = new java.util.TreeMap<>();
        for (Finding f : code) {
            byFile.computeIfAbsent(SourceFile.entryPath(f.file()), k -> new ArrayList<>()).add(f);
        }
        String worst = null;
        double best = 0;
        for (Map.Entry<String, List<Finding>> e : byFile.entrySet()) {
            double s = codeScore(e.getValue(), rules, notShipped);
            if (s > best) {
                best = s;
                worst = e.getKey();
            }
        }
        if (worst == null) {
            return 0;
        }
        List<Finding> inWorst = byFile.get(worst);
        Set<String> worstRules = new HashSet<>();
        inWorst.forEach(f -> worstRules.add(f.ruleId()));
        List<Finding> others = new ArrayList<>();
        for (Finding f : code) {
            if (!SourceFile.entryPath(f.file()).equals(worst) && !worstRules.contains(f.ruleId())) {
                others.add(f);
            }
        }
        return best + SPREAD_WEIGHT * ruleSum(others, notShipped);
    }

    static boolean isMetadata(RuleInfo info) {
        return info != null && info.tags().contains(Tags.METADATA);
    }

    static double weight(Finding f) {
        return weight(f, Scoring::isTestOrDocs);
    }

    static double weight(Finding f, Predicate<String> nonShipped) {
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
        double place = nonShipped.test(f.file()) ? 0.3 : 1.0;
        return base * conf * reach * place;
    }

    /** Sum of the bonuses of every combination that two different rules complete. */
    static double combinationBonus(Map<String, Set<String>> rulesByTag) {
        double bonus = 0;
        for (Combo c : COMBOS) {
            Set<String> sources = rulesByTag.getOrDefault(c.a(), Set.of());
            if (sources.isEmpty()) {
                continue;
            }
            boolean done = false;
            for (String sinkTag : c.b()) {
                for (String sinkRule : rulesByTag.getOrDefault(sinkTag, Set.of())) {
                    if (sources.size() > 1 || !sources.contains(sinkRule)) {
                        done = true;
                    }
                }
            }
            if (done) {
                bonus += c.bonus();
            }
        }
        return bonus;
    }

    /** Tests, docs, examples, demos, benchmarks, hidden and tooling directories: code not shipped for use. */
    static boolean isTestOrDocs(String path) {
        return NON_SHIPPED.matcher(path.toLowerCase(Locale.ROOT)).matches();
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
