package dev.kingsnake.internal.engine;

import dev.kingsnake.Confidence;
import dev.kingsnake.Finding;
import dev.kingsnake.Reach;
import dev.kingsnake.Severity;
import dev.kingsnake.Limits;
import dev.kingsnake.internal.python.ParseOutcome;
import dev.kingsnake.internal.python.PythonParser;
import dev.kingsnake.internal.python.semantic.SemanticModel;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.Tags;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A test module that the package's own code imports runs when the package is used: it weighs as shipped. */
class ImportedTestsTest {

    private static final PythonParser PARSER = new PythonParser(Limits.defaults());

    private static PythonFile file(String path, String src) {
        byte[] bytes = src.getBytes(StandardCharsets.UTF_8);
        ParseOutcome out = PARSER.parse(path, bytes);
        return new SemanticModel(path, bytes, out.text(), out.module(), false, List.of(), Optional.empty());
    }

    @Test
    void testModulesImportedByShippedCodeArePromoted() {
        List<PythonFile> files = List.of(
                file("widget-1.0/widget/__init__.py", "from .tests import helper_test\nimport widget.tests.other\n"),
                file("widget-1.0/widget/tests/__init__.py", ""),
                file("widget-1.0/widget/tests/helper_test.py", "import os\n"),
                file("widget-1.0/widget/tests/other.py", "from . import deep_test\n"),
                file("widget-1.0/widget/tests/deep_test.py", "x = 1\n"),
                file("widget-1.0/widget/tests/unused_test.py", "x = 2\n"),
                file("widget-1.0/docs/conf.py", "x = 3\n"));
        Set<String> promoted = ImportedTests.of(files);
        assertEquals(Set.of("widget-1.0/widget/tests/__init__.py", "widget-1.0/widget/tests/helper_test.py",
                "widget-1.0/widget/tests/other.py", "widget-1.0/widget/tests/deep_test.py"), promoted);
    }

    @Test
    void importsOfOtherDistributionsDoNotReachCopiesInTestData() {
        // pip's tests/data holds copies of setuptools and virtualenv; pip's own `import setuptools` is not them
        List<PythonFile> files = List.of(
                file("pip-1.0/src/pip/__init__.py", "import setuptools\nfrom virtualenv import create\n"),
                file("pip-1.0/tests/data/src/setuptools/__init__.py", "x = 1\n"),
                file("pip-1.0/tests/data/virtualenv-1.10.tar.gz!/virtualenv-1.10/virtualenv.py", "x = 2\n"));
        assertTrue(ImportedTests.of(files).isEmpty());
    }

    @Test
    void aTestImportingAnotherTestPromotesNothing() {
        List<PythonFile> files = List.of(
                file("widget-1.0/widget/__init__.py", "x = 1\n"),
                file("widget-1.0/tests/test_a.py", "from .test_b import helper\n"),
                file("widget-1.0/tests/test_b.py", "def helper(): pass\n"));
        assertTrue(ImportedTests.of(files).isEmpty());
    }

    @Test
    void aFindingInAnImportedTestWeighsAsShipped() {
        Map<String, RuleInfo> rules = Map.of("KS-T", new RuleInfo("KS-T", "t", Severity.HIGH, Confidence.HIGH,
                Set.of(Tags.PERSISTENCE), "x", "y"));
        List<Finding> f = List.of(new Finding("KS-T", Severity.HIGH, Confidence.HIGH, "widget/tests/helper_test.py", 3,
                1, "m", "e", Reach.IMPORT_TIME, List.of()));
        Scoring scoring = new Scoring();
        double asTest = scoring.score(f, rules);
        double asShipped = scoring.score(f, rules, Set.of("widget/tests/helper_test.py"), 0);
        assertTrue(asShipped > asTest * 2, asTest + " vs " + asShipped);
    }
}
