package dev.kingsnake.rules.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.kingsnake.Confidence;
import dev.kingsnake.Severity;
import dev.kingsnake.spi.FileKind;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.Rule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.SourceFile;
import dev.kingsnake.spi.Tags;
import dev.kingsnake.spi.facts.Activity;
import dev.kingsnake.spi.facts.DataFlow;
import dev.kingsnake.spi.facts.ExecSinks;
import dev.kingsnake.spi.facts.SourceBuilds;
import dev.kingsnake.spi.python.Expr;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * pyproject.toml names an in-tree build backend ({@code backend-path} + {@code build-backend}); the
 * backend module runs on every build or install, so network, processes, out-of-tree writes or exec of
 * fetched/decoded data inside it are install-time behaviour.
 */
public final class InTreeBuildBackendRule implements Rule {
    static final RuleInfo INFO = new RuleInfo("KS-INSTALL-BUILD-BACKEND",
            "An in-tree build backend (pyproject backend-path) talks to the network, starts processes, "
                    + "writes outside the build tree or runs fetched/decoded code",
            Severity.HIGH, Confidence.MEDIUM, Set.of(Tags.NETWORK, Tags.PROCESS),
            "[build-system]\nbuild-backend = \"backend\"\nbackend-path = [\".\"]\n"
                    + "# backend.py: urllib.request.urlopen('https://example.invalid/x')",
            "Build tools bootstrap themselves this way (setuptools, flit_core); only behaviour inside the "
                    + "backend module is reported, not the in-tree backend itself, and constant build-tool "
                    + "commands are not counted.");

    private static final TomlMapper TOML = new TomlMapper();

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(RuleContext ctx, FindingSink sink) {
        for (SourceFile f : ctx.files()) {
            if (f.kind() != FileKind.PYPROJECT || !f.decodeChain().isEmpty()) {
                continue;
            }
            JsonNode bs;
            try {
                bs = TOML.readTree(f.text()).path("build-system");
            } catch (Exception e) { // malformed TOML is somebody else's finding
                continue;
            }
            String backend = bs.path("build-backend").asText("");
            JsonNode paths = bs.path("backend-path");
            if (backend.isEmpty() || !paths.isArray() || paths.isEmpty()) {
                continue;
            }
            String dir = f.path().contains("/") ? f.path().substring(0, f.path().lastIndexOf('/') + 1) : "";
            String mod = backend.split(":", 2)[0].strip().replace('.', '/');
            List<String> candidates = new ArrayList<>();
            for (JsonNode p : paths) {
                String base = p.asText("").strip().replace('\\', '/');
                while (base.startsWith("./")) {
                    base = base.substring(2);
                }
                if (base.equals(".")) {
                    base = "";
                }
                String prefix = dir + (base.isEmpty() || base.endsWith("/") ? base : base + "/");
                candidates.add(prefix + mod + ".py");
                candidates.add(prefix + mod + "/__init__.py");
            }
            for (PythonFile pf : ctx.pythonFiles()) {
                if (candidates.contains(pf.entryPath())) {
                    inspect(pf, backend, sink);
                }
            }
        }
    }

    private static void inspect(PythonFile pf, String backend, FindingSink sink) {
        DataFlow facts = DataFlow.of(pf);
        for (Expr.Call c : pf.calls()) {
            String what = null;
            if (SourceBuilds.fetchesSourceArchive(facts, c)) {
                sink.report(pf, c, "in-tree build backend '" + backend + "' downloads a versioned source archive"
                        + " into the build tree and starts build tools only", Severity.LOW, Confidence.MEDIUM);
                continue;
            } else if (SourceBuilds.urlFromEnvironment(facts, c)) {
                sink.report(pf, c, "in-tree build backend '" + backend + "' downloads from a URL the build's"
                        + " environment sets", Severity.MEDIUM, Confidence.MEDIUM);
                continue;
            } else if (Activity.network(facts, c)) {
                what = "network access (" + facts.name(c) + ")";
            } else if (Activity.process(facts, c).isPresent()) {
                what = "process start (" + Activity.process(facts, c).get().tool() + ")";
            } else if (Activity.writeOutside(facts, c).isPresent()) {
                what = "file write outside the build tree";
            } else {
                var use = ExecSinks.of(facts, c);
                if (use.isPresent() && (use.get().taint().contains(DataFlow.Taint.NETWORK)
                        || use.get().taint().contains(DataFlow.Taint.DECODE))) {
                    what = "exec of fetched/decoded data";
                }
            }
            if (what != null) {
                sink.report(pf, c, "in-tree build backend '" + backend + "' does " + what,
                        Severity.HIGH, Confidence.MEDIUM);
            }
        }
    }
}
