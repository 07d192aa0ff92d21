package dev.kingsnake.rules;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.kingsnake.Scanner;
import dev.kingsnake.spi.Rule;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The layering the README and ARCHITECTURE.md describe, checked on the compiled main classes of core and
 * rules: the SPI and the rules never reach into {@code internal}, a rule never calls another rule (shared
 * questions are facts in {@code spi.facts} or helpers in the rule's package or {@code rules.shared}), a class
 * name means one class, and a rule's id names the package it lives in.
 */
class ArchitectureTest {

    /** Main classes only: the classes of test folders and test jars are left out. */
    private static final ImportOption MAIN_ONLY = location -> !location.contains("/test-classes/")
            && !location.contains("-tests.jar");
    private static final JavaClasses MAIN = new ClassFileImporter().withImportOption(MAIN_ONLY)
            .importPackages("dev.kingsnake");

    /** Rule id area (KS-AREA-...) to the package of rules that holds it, where the two are spelled differently. */
    private static final Map<String, String> AREA_PACKAGES = Map.of("NET", "network", "OBF", "obfuscation",
            "PERSIST", "persistence", "IMPORT", "imports", "CAP", "capability");

    /**
     * Class names still defined twice, each waiting for the change that removes the second one. The test fails
     * when an entry is no longer a duplicate, so the list only shrinks.
     */
    private static final Set<String> KNOWN_DUPLICATES = Set.of();

    @Test
    void theSpiDoesNotImportInternalClasses() {
        noClasses().that().resideInAPackage("dev.kingsnake.spi..")
                .should().dependOnClassesThat().resideInAPackage("dev.kingsnake.internal..")
                .check(MAIN);
    }

    @Test
    void rulesDoNotImportInternalClasses() {
        noClasses().that().resideInAPackage("dev.kingsnake.rules..")
                .should().dependOnClassesThat().resideInAPackage("dev.kingsnake.internal..")
                .check(MAIN);
    }

    @Test
    void noRuleReferencesAnotherRule() {
        classes().that().resideInAPackage("dev.kingsnake.rules..").and().implement(Rule.class)
                .and().doNotHaveModifier(JavaModifier.ABSTRACT)
                .should(new ArchCondition<>("reference no other concrete rule class") {
                    @Override
                    public void check(JavaClass rule, ConditionEvents events) {
                        rule.getDirectDependenciesFromSelf().forEach(d -> {
                            JavaClass target = d.getTargetClass();
                            if (isConcreteRule(target) && !outermost(target).equals(outermost(rule))) {
                                events.add(SimpleConditionEvent.violated(d, d.getDescription()));
                            }
                        });
                    }
                })
                .check(MAIN);
    }

    /**
     * A rule reads in one file plus its facts: it extends nothing, a shared base of {@code rules.shared}, or the
     * class it is nested in (one file holding a family of rules). A base class in an area package is one more file
     * to open when following a rule end to end (ARCHITECTURE.md).
     */
    @Test
    void ruleBaseClassesAreSharedOrInTheSameFile() {
        classes().that().resideInAPackage("dev.kingsnake.rules..").and().implement(Rule.class)
                .and().doNotHaveModifier(JavaModifier.ABSTRACT)
                .should(new ArchCondition<>("extend nothing, a rules.shared base or their enclosing class") {
                    @Override
                    public void check(JavaClass rule, ConditionEvents events) {
                        rule.getRawSuperclass().ifPresent(base -> {
                            boolean allowed = base.isEquivalentTo(Object.class)
                                    || base.getPackageName().equals("dev.kingsnake.rules.shared")
                                    || outermost(base).equals(outermost(rule));
                            if (!allowed) {
                                events.add(SimpleConditionEvent.violated(rule, rule.getName() + " extends "
                                        + base.getName()));
                            }
                        });
                    }
                })
                .check(MAIN);
    }

    private static boolean isConcreteRule(JavaClass c) {
        return c.isAssignableTo(Rule.class) && !c.getModifiers().contains(JavaModifier.ABSTRACT)
                && !c.isInterface() && c.getPackageName().startsWith("dev.kingsnake.rules");
    }

    private static String outermost(JavaClass c) {
        String name = c.getName();
        int dollar = name.indexOf('$');
        return dollar < 0 ? name : name.substring(0, dollar);
    }

    /** Per-file state lives in the file's fact memo for exactly one scan, never in a static weak cache. */
    @Test
    void noMainClassKeepsAWeakCache() {
        noClasses().should().dependOnClassesThat().areAssignableTo(java.util.WeakHashMap.class)
                .because("facts are memoised with PythonFile.fact(FactKey), which lives as long as the scan of a file")
                .check(MAIN);
    }

    /**
     * The capability inventory and the deobfuscator name library calls through the one catalogue
     * ({@code spi.facts.PythonApis}), not tables of their own.
     */
    @Test
    void libraryCallTablesLiveInTheCatalogue() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        Pattern qualifiedCallList = Pattern.compile("Set\\.of\\(\\s*\"(base64|zlib|subprocess|requests|socket|pickle)\\.");
        List<String> offenders = new ArrayList<>();
        for (String dir : List.of("rules/src/main/java/dev/kingsnake/rules/capability",
                "core/src/main/java/dev/kingsnake/internal/decode")) {
            try (Stream<Path> files = Files.walk(root.resolve(dir))) {
                for (Path p : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    if (qualifiedCallList.matcher(Files.readString(p)).find()) {
                        offenders.add(root.relativize(p).toString());
                    }
                }
            }
        }
        assertTrue(offenders.isEmpty(), "tables of library calls outside PythonApis: " + offenders);
    }

    /**
     * The CLI, the gate, the Spark job and the embedding examples use Kingsnake the way an embedder must: through
     * the public API only (the root package, {@code spi}, {@code spi.python}, {@code report}). This is the build
     * check that stands in for a {@code module-info} exporting those packages. The JMH benchmarks are left out on
     * purpose: they time the internal stages (unpacking, parsing) one by one.
     */
    @Test
    void embeddingCodeUsesThePublicApiOnly() throws IOException {
        Path samples = Path.of("").toAbsolutePath().getParent().resolve("samples");
        List<String> offenders = new ArrayList<>();
        int seen = 0;
        try (Stream<Path> files = Files.walk(samples)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String s = p.toString();
                if (s.endsWith(".java") && s.contains("/src/main/java/") && !s.contains("/target/")) {
                    seen++;
                    if (Files.readString(p).contains("dev.kingsnake.internal.")) {
                        offenders.add(samples.relativize(p).toString());
                    }
                }
            }
        }
        assertTrue(seen > 20, "found the main sources of samples under " + samples);
        assertTrue(offenders.isEmpty(), "embedding code importing internal classes: " + offenders);
    }

    @Test
    void noClassNameIsUsedTwiceInMainCode() throws IOException {
        Map<String, List<String>> byName = new TreeMap<>();
        Path root = Path.of("").toAbsolutePath().getParent();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/")
                            && !p.toString().contains("/target/") && !p.endsWith("package-info.java"))
                    .forEach(p -> byName.computeIfAbsent(p.getFileName().toString().replace(".java", ""),
                            k -> new ArrayList<>()).add(root.relativize(p).toString()));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        assertTrue(byName.size() > 100, "found the main sources under " + root);
        Map<String, List<String>> twice = new TreeMap<>(byName);
        twice.values().removeIf(paths -> paths.size() < 2);
        assertEquals(KNOWN_DUPLICATES, twice.keySet(), "class names defined more than once: " + twice);
    }

    /**
     * A report at a node whose evidence is that node's own source line goes through
     * {@code sink.report(file, node, message)}, which derives the location, the evidence and one finding per line:
     * no rule rebuilds them by hand.
     */
    @Test
    void rulesLetTheSinkDeriveEvidenceFromANode() throws IOException {
        Pattern handBuilt = Pattern.compile("report\\(Location\\.of\\((\\w+), ([\\w.()]+?)\\),"
                + "(?:(?!report\\().)*?,\\s*\\1\\.line\\(\\2\\.line\\(\\)\\)", Pattern.DOTALL);
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = handBuilt.matcher(Files.readString(p));
                while (m.find()) {
                    offenders.add(p.getFileName() + ": " + m.group().lines().findFirst().orElse(""));
                }
            }
        }
        assertTrue(offenders.isEmpty(), "use sink.report(file, node, message): " + offenders);
    }

    /**
     * Evidence and quoted text are cut in one place, {@code FindingSink.clip} (which {@code FindingSink.reportLine}
     * and the engine's 300-character bound use): no rule or fact cuts text and appends an ellipsis itself.
     */
    @Test
    void textIsCutByTheSinkOnly() throws IOException {
        // an ellipsis of its own, "\u2026" or " ..." / "..." (CapabilityRule cut its evidence at 200 with " ...")
        Pattern handCut = Pattern.compile("substring\\(0, [\\w.]+\\) \\+ \"(\\\\u2026|\u2026| ?\\.\\.\\.)\"");
        Path root = Path.of("").toAbsolutePath().getParent();
        List<String> offenders = new ArrayList<>();
        for (String dir : List.of("rules/src/main/java", "core/src/main/java/dev/kingsnake/spi")) {
            try (Stream<Path> files = Files.walk(root.resolve(dir))) {
                for (Path p : files.filter(f -> f.toString().endsWith(".java")
                        && !f.endsWith("FindingSink.java")).toList()) {
                    Matcher m = handCut.matcher(Files.readString(p));
                    while (m.find()) {
                        offenders.add(p.getFileName() + ": " + m.group());
                    }
                }
            }
        }
        assertTrue(offenders.isEmpty(), "cut text with FindingSink.clip or report with FindingSink.reportLine: "
                + offenders);
    }

    /**
     * Python's operators are evaluated by one walk: constant folding and the decoder both extend
     * {@code ExpressionInterpreter}, and only those walks apply {@code ConstOps}' operators to expressions' values;
     * the decoder leaves integer arithmetic to {@code ConstOps} instead of computing it a second time.
     */
    @Test
    void pythonOperatorsAreEvaluatedByTheOneInterpreter() {
        String constOps = "dev.kingsnake.internal.python.semantic.ConstOps";
        noClasses().that().areNotAssignableTo("dev.kingsnake.internal.python.semantic.ExpressionInterpreter")
                .and().doNotHaveFullyQualifiedName(constOps)
                .should().callMethodWhere(calls(constOps, Set.of("binary", "unary", "compare")))
                .check(MAIN);
        // the decoder's own package; the marshal reader reads CPython's serialised ints, it evaluates no Python
        noClasses().that().resideInAPackage("dev.kingsnake.internal.decode")
                .should().callMethodWhere(calls("java.math.BigInteger", Set.of("add", "subtract", "multiply",
                        "divide", "mod", "pow", "shiftLeft", "shiftRight", "and", "or", "xor", "not", "negate")))
                .check(MAIN);
    }

    private static DescribedPredicate<JavaMethodCall> calls(String owner, Set<String> methods) {
        return DescribedPredicate.describe(owner + "." + methods, call -> call.getTargetOwner().getFullName()
                .equals(owner) && methods.contains(call.getName()));
    }

    @Test
    void ruleIdsNameTheirPackage() {
        for (Rule rule : Scanner.loadRules()) {
            String area = rule.info().id().split("-")[1];
            String expected = AREA_PACKAGES.getOrDefault(area, area.toLowerCase(Locale.ROOT));
            String pkg = rule.getClass().getPackageName();
            assertEquals("dev.kingsnake.rules." + expected, pkg, rule.info().id() + " lives in " + pkg);
        }
    }
}
