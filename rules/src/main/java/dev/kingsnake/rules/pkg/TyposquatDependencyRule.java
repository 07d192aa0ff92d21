package dev.kingsnake.rules.pkg;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kingsnake.Confidence;
import dev.kingsnake.Reach;
import dev.kingsnake.Severity;
import dev.kingsnake.spi.FileKind;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.Rule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.SourceFile;
import dev.kingsnake.spi.Tags;
import dev.kingsnake.spi.python.Const;
import dev.kingsnake.spi.python.Expr;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A declared dependency imitates a popular package's name: installing this package installs the impostor. The
 * shape of trojan copies of real projects (an SDK republished under its own name with one requirement swapped for a
 * look-alike that carries the payload), where the package's own code is clean.
 */
public final class TyposquatDependencyRule implements Rule {
    static final RuleInfo INFO = new RuleInfo("KS-PKG-TYPOSQUAT-DEPENDENCY",
            "A declared dependency (setup.py install_requires, pyproject dependencies, egg-info requires.txt,"
                    + " Requires-Dist) is a slip away from a top-" + TyposquatMatcher.TARGETS + " PyPI package's name"
                    + " but is not itself a popular package: installing this package installs the look-alike.",
            Severity.CRITICAL, Confidence.HIGH, Set.of(Tags.DEPENDENCY, Tags.STRONG),
            "name='requests-cache-plus', install_requires=['reqeusts>=2']   # imitates requests, its own family",
            "Judged with the typosquat rule's matcher, so the same exemptions hold: any name in the popular list"
                    + " (15,000 names), whole-token plugin names (pytest-foo), plurals and trailing version digits are"
                    + " not typos. CRITICAL only when the imitated package belongs to the package's own family (its"
                    + " name or another dependency shares a distinctive word with it: an SDK copy that swaps its core"
                    + " dependency for a look-alike): that author knows the real name. A near name from an unrelated"
                    + " project is MEDIUM with one step less confidence: real projects depend on small packages"
                    + " named close to popular ones (h5netcdf on pyfive ~ pyhive, imagecodecs on zopflipy ~ zopfli).");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"|'([^']*)'");
    private static final Pattern REQUIREMENT = Pattern.compile("^\\s*([A-Za-z0-9][A-Za-z0-9._-]*)");
    /** Dependencies judged per package; real packages declare a few dozen, a hostile one could list millions. */
    static final int MAX_DEPENDENCIES = 1_000;
    /** Words too common in package names to tie a dependency to the package's family. */
    private static final Set<String> FILLER = Set.of("python", "core", "client", "tools", "tool", "utils", "util",
            "common", "plugin", "plugins", "extension", "extensions", "extra", "extras", "types", "stubs", "test",
            "tests", "testing", "lib", "libs", "library", "binary", "base", "wrapper", "async", "server", "data",
            "helpers", "cli", "api", "sdk", "django", "flask", "pytest", "sphinx", "jupyter", "google", "azure",
            "aws", "mypy", "backports", "opentelemetry", "instrumentation");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(RuleContext ctx, FindingSink sink) {
        Judge judge = new Judge(PopularPackages.of(ctx).typosquats(),
                PackageNames.normalise(ctx.packageInfo().name()), sink);
        for (SetupCall.Found setup : SetupCall.find(ctx)) {
            setup.call().keyword("install_requires").ifPresent(e -> fromSetupPy(setup.file(), e, judge));
        }
        for (SourceFile f : ArchiveLayout.realFiles(ctx)) {
            if (f.kind() == FileKind.PYPROJECT && ArchiveLayout.topLevel(f.path())) {
                fromPyproject(f, judge);
            }
        }
        for (SourceFile f : ArchiveLayout.realFiles(ctx)) {
            if (f.path().endsWith(".egg-info/requires.txt")) {
                fromRequiresTxt(f, judge);
            }
        }
        PackageMetadata.file(ctx).ifPresent(meta -> {
            for (PackageMetadata.Header h : PackageMetadata.headers(ctx)) {
                if (h.name().equalsIgnoreCase("Requires-Dist")) {
                    judge.requirement(meta, h.line(), h.value());
                }
            }
        });
        judge.report();
    }

    /** {@code install_requires=[...]}, constant strings (names bound once at module level fold too). */
    private static void fromSetupPy(PythonFile f, Expr value, Judge judge) {
        List<Expr> items = value instanceof Expr.Sequence seq ? seq.elements() : List.of(value);
        for (Expr item : items) {
            Optional<Const> c = f.constant(item);
            if (c.isEmpty()) {
                continue;
            }
            if (c.get() instanceof Const.Seq s) {
                for (Const e : s.elements()) {
                    judge.requirement(f, item.line(), e.asText());
                }
            } else {
                for (String line : c.get().asText().split("\n")) {
                    judge.requirement(f, item.line(), line);
                }
            }
        }
    }

    private static void fromPyproject(SourceFile f, Judge judge) {
        JsonNode deps = PackageMetadata.pyprojectTable(f).path("dependencies");
        if (deps.isEmpty()) {
            return;
        }
        // the line of each quoted string, found in one pass: deps are located without a search per dependency
        Map<String, Integer> quotedAt = new HashMap<>();
        String[] lines = f.text().split("\r\n|\n|\r", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher q = QUOTED.matcher(lines[i]);
            while (q.find()) {
                quotedAt.putIfAbsent(q.group(1) != null ? q.group(1) : q.group(2), i + 1);
            }
        }
        int judged = 0;
        for (JsonNode d : deps) {
            if (++judged > MAX_DEPENDENCIES) {
                return;
            }
            String spec = d.asText();
            judge.requirement(f, quotedAt.getOrDefault(spec, 0), spec);
        }
    }

    /** One requirement per line; {@code [extra]} section headers and comments skipped. */
    private static void fromRequiresTxt(SourceFile f, Judge judge) {
        String[] lines = f.text().split("\r\n|\n|\r", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            if (!l.startsWith("[") && !l.startsWith("#")) {
                judge.requirement(f, i + 1, l);
            }
        }
    }

    /** The PEP 508 name at the start of a requirement, normalised; empty for options, URLs and blank lines. */
    static Optional<String> name(String requirement) {
        String r = requirement.strip();
        if (r.isEmpty() || r.startsWith("-") || r.startsWith("#") || r.contains("://") && !r.contains("@")) {
            return Optional.empty();
        }
        Matcher m = REQUIREMENT.matcher(r);
        return m.find() ? Optional.of(PackageNames.normalise(m.group(1))) : Optional.empty();
    }

    /**
     * Collects each dependency name once, at the first place it is declared, then judges them together: whether
     * a look-alike belongs to the package's own family needs all the names.
     */
    private static final class Judge {
        private final TyposquatMatcher matcher;
        private final String own;
        private final FindingSink sink;
        /** Each dependency name, in declaration order, with where and how it was first written. */
        private final Map<String, Declared> declared = new LinkedHashMap<>();

        private record Declared(Location at, String requirement) {
        }

        Judge(TyposquatMatcher matcher, String own, FindingSink sink) {
            this.matcher = matcher;
            this.own = own;
            this.sink = sink;
        }

        void requirement(SourceFile f, int line, String requirement) {
            if (declared.size() >= MAX_DEPENDENCIES) {
                return;
            }
            name(requirement).filter(dep -> !dep.equals(own) && !declared.containsKey(dep)).ifPresent(dep -> {
                declared.put(dep, new Declared(Location.of(f, line, line == 0 ? 0 : 1, Reach.INSTALL_TIME),
                        requirement.strip()));
            });
        }

        void report() {
            for (Map.Entry<String, Declared> e : declared.entrySet()) {
                String dep = e.getKey();
                Declared d = e.getValue();
                matcher.match(dep).ifPresent(m -> {
                    Set<String> family = new HashSet<>(words(own));
                    declared.keySet().stream().filter(o -> !o.equals(dep)).forEach(o -> family.addAll(words(o)));
                    family.retainAll(words(m.target()));
                    String what = "Depends on '" + dep + "', which imitates the popular package '" + m.target()
                            + "' (rank " + m.rank() + "): " + m.how();
                    if (!family.isEmpty()) {
                        sink.report(d.at(), what + "; the package names '" + family.iterator().next()
                                        + "' itself, so it belongs to the family it misspells: installing it installs"
                                        + " the look-alike", d.requirement(), Severity.CRITICAL, m.confidence());
                    } else {
                        sink.report(d.at(), what + " (an unrelated project with a close name, or a typo)",
                                d.requirement(), Severity.MEDIUM,
                                m.confidence() == Confidence.HIGH ? Confidence.MEDIUM : Confidence.LOW);
                    }
                });
            }
        }
    }

    /** A name's distinctive words: four letters or more, without python/sdk/core/client-style filler. */
    static Set<String> words(String normalised) {
        Set<String> out = new HashSet<>();
        for (String w : normalised.split("-")) {
            String root = w.replaceAll("\\d+$", "");
            if (root.length() >= 4 && !FILLER.contains(root)) {
                out.add(root);
            }
        }
        return out;
    }
}
