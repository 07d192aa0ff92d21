package dev.kingsnake.rules;

import dev.kingsnake.Scanner;
import dev.kingsnake.spi.Rule;
import dev.kingsnake.spi.RuleInfo;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The rule catalogue is whole: every rule registered, found, documented, with a fixture and a README row. */
class RuleCatalogueTest {
    private static final String SERVICES = "META-INF/services/" + Rule.class.getName();
    private static final Pattern ID = Pattern.compile("KS(-[A-Z0-9]+){2,}");

    private static List<String> ruleClasses;
    private static List<String> registered;

    @BeforeAll
    static void readRulesModule() throws Exception {
        URI location = RuleCatalogue.class.getProtectionDomain().getCodeSource().getLocation().toURI();
        Path base = Path.of(location);
        if (Files.isDirectory(base)) {
            read(base);
        } else {
            try (FileSystem jar = FileSystems.newFileSystem(base)) {
                read(jar.getPath("/"));
            }
        }
    }

    private static void read(Path root) throws Exception {
        List<String> classes = new ArrayList<>();
        Path pkg = root.resolve("dev/kingsnake/rules");
        try (Stream<Path> s = Files.walk(pkg)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String rel = root.relativize(p).toString().replace('\\', '/');
                if (!rel.endsWith(".class") || rel.matches(".*\\$\\d.*")) { // anonymous classes; nested rules count
                    continue;
                }
                Class<?> c = Class.forName(rel.substring(0, rel.length() - 6).replace('/', '.'), false,
                        RuleCatalogue.class.getClassLoader());
                if (Rule.class.isAssignableFrom(c) && !c.isInterface() && !Modifier.isAbstract(c.getModifiers())) {
                    classes.add(c.getName());
                }
            }
        }
        classes.sort(null);
        ruleClasses = classes;
        Path services = root.resolve(SERVICES);
        registered = Files.exists(services)
                ? Files.readAllLines(services, StandardCharsets.UTF_8).stream().map(String::strip)
                        .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList()
                : List.of();
    }

    @Test
    void everyRuleClassIsRegistered() {
        assertEquals(ruleClasses, new ArrayList<>(new TreeSet<>(registered)),
                "rules/src/main/resources/" + SERVICES + " must list exactly the Rule classes of the rules module");
    }

    @Test
    void servicesFileIsSortedOnePerLineWithoutDuplicates() {
        List<String> sorted = new ArrayList<>(registered);
        sorted.sort(null);
        assertEquals(sorted, registered, SERVICES + " must be sorted (one class per line) so that merges stay clean");
        assertEquals(new TreeSet<>(registered).size(), registered.size(), SERVICES + " lists a class twice");
    }

    @Test
    void serviceLoaderFindsEveryRule() {
        Set<String> loaded = Scanner.loadRules().stream().map(r -> r.getClass().getName()).collect(Collectors.toSet());
        for (String c : ruleClasses) {
            assertTrue(loaded.contains(c), "ServiceLoader did not find " + c);
        }
    }

    @Test
    void idsAreUniqueAndWellFormed() {
        Map<String, String> byId = new HashMap<>();
        for (Rule r : Scanner.loadRules()) {
            String id = r.info().id();
            assertTrue(ID.matcher(id).matches(), id + " (" + r.getClass().getName() + ") is not KS-AREA-NAME");
            String other = byId.put(id, r.getClass().getName());
            if (other != null) {
                fail("rule id " + id + " is used by " + other + " and " + r.getClass().getName());
            }
        }
    }

    @Test
    void everyRuleIsDocumented() {
        for (RuleInfo info : RuleCatalogue.registered()) {
            assertFalse(info.summary().isBlank(), info.id() + " has no summary");
            assertFalse(info.summary().contains("\n"), info.id() + ": the summary is one line");
            assertFalse(info.example().isBlank(), info.id() + " has no example");
            assertFalse(info.falsePositives().isBlank(), info.id() + " has no false-positive notes");
            assertFalse(info.tags().isEmpty(), info.id() + " has no behaviour tags");
        }
    }

    @Test
    void everyRuleHasAFixture() {
        Set<String> fixtures = Fixture.directories().stream().map(p -> p.getFileName().toString())
                .collect(Collectors.toSet());
        List<String> without = RuleCatalogue.registered().stream().map(RuleInfo::id)
                .filter(id -> !fixtures.contains(id)).toList();
        assertEquals(List.of(), without, "rules without a fixture directory rules/src/test/resources/fixtures/<RULE-ID>/");
    }

    @Test
    void markdownTableHasOneRowPerRule() {
        List<RuleInfo> rules = RuleCatalogue.registered();
        String table = RuleCatalogue.markdownTable(rules);
        assertEquals(rules.size() + 2, table.split("\n").length);
        for (RuleInfo r : rules) {
            assertTrue(table.contains("| `" + r.id() + "` |"), r.id());
        }
        for (String row : table.split("\n")) {
            assertEquals(7, row.chars().filter(ch -> ch == '|').count(), "a cell leaks a pipe: " + row);
        }
    }

    /** The README's rule table equals the generated one; -Dkingsnake.updateReadme=true rewrites it. */
    @Test
    void readmeRuleTableIsGenerated() throws IOException {
        Path readme = Path.of("..", "README.md");
        Assumptions.assumeTrue(Files.exists(readme), "no README.md next to the rules module");
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        int begin = text.indexOf(RuleCatalogue.BEGIN);
        int end = text.indexOf(RuleCatalogue.END);
        if (begin < 0 || end < begin) {
            fail("README.md has no rule table section. Add the two lines\n" + RuleCatalogue.BEGIN + "\n"
                    + RuleCatalogue.END + "\nwhere the rule table belongs, then run\n  mvn -B -ntp -pl rules -am"
                    + " verify -Dtest=RuleCatalogueTest -Dsurefire.failIfNoSpecifiedTests=false"
                    + " -Dkingsnake.updateReadme=true");
        }
        String want = "\n" + RuleCatalogue.markdownTable(RuleCatalogue.registered());
        String have = text.substring(begin + RuleCatalogue.BEGIN.length(), end);
        if (!want.equals(have.replace("\r\n", "\n"))) {
            if (Boolean.getBoolean("kingsnake.updateReadme")) {
                Files.writeString(readme, text.substring(0, begin + RuleCatalogue.BEGIN.length()) + want
                        + text.substring(end), StandardCharsets.UTF_8);
                return;
            }
            assertEquals(want, have, "README.md rule table is stale; rerun this test with"
                    + " -Dkingsnake.updateReadme=true to regenerate the section between the markers");
        }
    }
}
