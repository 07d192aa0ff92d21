package dev.kingsnake.rules;

import dev.kingsnake.Confidence;
import dev.kingsnake.DiagnosticCode;
import dev.kingsnake.Finding;
import dev.kingsnake.Reach;
import dev.kingsnake.ScanResult;
import dev.kingsnake.Scanner;
import dev.kingsnake.Severity;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.Rule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.SourceFile;
import dev.kingsnake.spi.Tags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A throwaway rule proves ServiceLoader discovery and that one failing rule costs only its own findings. */
class RuleIsolationTest {

    /** Reports every file at line 0. Public with a no-arg constructor, as ServiceLoader needs. */
    public static final class EveryFileRule implements Rule {
        static final RuleInfo INFO = new RuleInfo("KS-TEST-EVERY-FILE", "Reports every file.", Severity.LOW,
                Confidence.LOW, Set.of(Tags.METADATA), "any file", "all of them");

        @Override
        public RuleInfo info() {
            return INFO;
        }

        @Override
        public void check(RuleContext ctx, FindingSink sink) {
            for (SourceFile f : ctx.files()) {
                sink.report(Location.file(f, Reach.UNKNOWN), "a file", f.path());
            }
        }
    }

    /** Throws on every package. */
    public static final class ThrowingRule implements Rule {
        static final RuleInfo INFO = new RuleInfo("KS-TEST-THROWS", "Always throws.", Severity.CRITICAL,
                Confidence.HIGH, Set.of(Tags.STRONG), "anything", "everything");

        @Override
        public RuleInfo info() {
            return INFO;
        }

        @Override
        public void check(RuleContext ctx, FindingSink sink) {
            sink.report(Location.file(ctx.files().get(0), Reach.UNKNOWN), "lost", "lost");
            throw new IllegalStateException("boom");
        }
    }

    @Test
    void serviceLoaderDiscoversARuleFromItsServicesFile(@TempDir Path dir) throws Exception {
        Path services = dir.resolve("META-INF/services/" + Rule.class.getName());
        Files.createDirectories(services.getParent());
        Files.writeString(services, "# a comment\n" + EveryFileRule.class.getName() + "\n", StandardCharsets.UTF_8);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()},
                RuleIsolationTest.class.getClassLoader())) {
            List<String> ids = new ArrayList<>();
            ServiceLoader.load(Rule.class, loader).forEach(r -> ids.add(r.info().id()));
            assertTrue(ids.contains(EveryFileRule.INFO.id()), ids.toString());
        }
        // and it is not registered for everyone else: only the real rules are
        assertTrue(Scanner.loadRules().stream().noneMatch(r -> r instanceof EveryFileRule));
    }

    @Test
    void aFailingRuleBecomesRuleFailedAndTheOthersStillReport() {
        Scanner scanner = Scanner.builder().rules(List.of(new ThrowingRule(), new EveryFileRule())).build();
        byte[] source = "print('hello')\n".getBytes(StandardCharsets.UTF_8);
        ScanResult r = scanner.scan("hello.py", new ByteArrayInputStream(source));

        assertEquals(1, r.diagnostics().stream().filter(d -> d.code() == DiagnosticCode.RULE_FAILED
                && d.message().contains(ThrowingRule.INFO.id()) && d.message().contains("boom")).count(),
                r.diagnostics().toString());
        List<String> rules = r.findings().stream().map(Finding::ruleId).toList();
        assertEquals(List.of(EveryFileRule.INFO.id()), rules, "the failing rule's findings are dropped, the other's kept");
    }
}
