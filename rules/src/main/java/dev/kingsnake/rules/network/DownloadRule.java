package dev.kingsnake.rules.network;

import dev.kingsnake.Confidence;
import dev.kingsnake.Reach;
import dev.kingsnake.Severity;
import dev.kingsnake.rules.shared.ToolFetchers;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.PythonFileRule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.Tags;
import dev.kingsnake.spi.facts.CallFacts;
import dev.kingsnake.spi.facts.Capability;
import dev.kingsnake.spi.python.Expr;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Downloads into a file; strong when what is saved is a Windows executable or script. */
public final class DownloadRule implements PythonFileRule {

    private static final RuleInfo INFO = new RuleInfo("KS-NET-DOWNLOAD-EXE",
            "Downloads a file to disk (urlretrieve, a response written to a file); high when the saved file is an "
                    + "executable or script (.exe, .dll, .scr, .bat, .vbs, .ps1, .msi, .hta)",
            Severity.HIGH, Confidence.HIGH, Set.of(Tags.DOWNLOAD, Tags.FILE_WRITE),
            "urllib.request.urlretrieve('https://cdn.example.invalid/u.exe', os.path.join(tempfile.gettempdir(), 'u.exe'))",
            "Data and model downloads are common and only reported at low weight (they do not count in behaviour "
                    + "combinations); native tool installers that fetch an .exe are reported high and need another "
                    + "behaviour to reach a verdict.");

    static final Pattern EXECUTABLE_NAME = Pattern.compile(
            "(?i)\\.(exe|dll|scr|bat|cmd|vbs|vbe|ps1|psm1|msi|hta|pif|lnk|jar|com)([\"'\\s]|$)");

    /** A Python source file name: what the interpreter will import or run. */
    private static final Pattern PYTHON_SOURCE_NAME = Pattern.compile("(?i)\\.pyw?$");

    private static boolean passesExecutableName(CallFacts facts, CallFacts.CallFact c) {
        for (Expr a : c.call().args()) {
            java.util.List<Expr> values = new java.util.ArrayList<>(java.util.List.of(a));
            if (a instanceof Expr.Name n) {
                values.addAll(facts.assignedIn(c.scope(), n.id()));
            }
            for (Expr v : values) {
                if (facts.text(v).map(t -> EXECUTABLE_NAME.matcher(t).find()).orElse(false)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static final java.util.Set<String> OPENERS = Set.of("open", "io.open", "codecs.open", "builtins.open");

    /**
     * {@code open("../libs/manuf.py", "w")} after {@code open("../libs/manuf.py")} read it: a maintainer's
     * generator script that rewrites a module of its own source tree (a relative path, so it only means something
     * when run from the tree) with data it fetched. A second stage is written fresh, where it will be found.
     */
    private static boolean regeneratesOwnModule(CallFacts facts, CallFacts.CallFact write) {
        if (!OPENERS.contains(write.qualifiedName())) {
            return false;
        }
        Optional<String> path = facts.text(write.call(), 0, "file");
        if (path.isEmpty() || !PYTHON_SOURCE_NAME.matcher(path.get()).find() || ABSOLUTE.matcher(path.get()).find()) {
            return false;
        }
        for (CallFacts.CallFact r : facts.calls()) {
            if (r != write && OPENERS.contains(r.qualifiedName()) && path.equals(facts.text(r.call(), 0, "file"))
                    && facts.text(r.call(), 1, "mode").map(m -> !m.matches(".*[wax+].*")).orElse(true)) {
                return true;
            }
        }
        return false;
    }

    /** A path that does not depend on the working directory: root, home, drive or variable. */
    private static final Pattern ABSOLUTE = Pattern.compile("^([/\\\\~$%{]|[A-Za-z]:)");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
        CallFacts facts = CallFacts.of(file);
        Set<Capability> fc = facts.fileCaps();
        if (!fc.contains(Capability.FETCH)) {
            return;
        }
        Set<Integer> exeScopes = new HashSet<>();
        for (CallFacts.StringFact s : facts.strings()) {
            if (EXECUTABLE_NAME.matcher(s.text()).find()) {
                exeScopes.add(s.scope());
            }
        }
        Set<Integer> pyScopes = new HashSet<>();
        for (CallFacts.StringFact s : facts.strings()) {
            if (PYTHON_SOURCE_NAME.matcher(s.text()).find()) {
                pyScopes.add(s.scope());
            }
        }
        // an executable's name handed to a local helper counts: download(url, "x.exe") saves an executable
        Set<Integer> exeReach = new HashSet<>(exeScopes);
        for (CallFacts.CallFact c : facts.calls()) {
            int callee = facts.calleeScope(c.call());
            if (callee >= 0 && passesExecutableName(facts, c)) {
                exeReach.addAll(facts.reachable(callee));
            }
        }
        for (CallFacts.CallFact c : facts.calls()) {
            boolean saves = c.is(Capability.DOWNLOAD_TO_FILE)
                    || (c.is(Capability.FILE_WRITE) && facts.scopeHas(c.scope(), Capability.FETCH));
            if (!saves) {
                continue;
            }
            Reach reach = file.reach(c.call());
            if (exeReach.contains(c.scope()) && ToolFetchers.inToolFetcher(facts, c)) {
                // an application fetching a tool for the user who called it; running it is judged at the caller
                sink.report(file, c.call(), "downloads an executable and hands its path to the caller",
                        Severity.LOW, Confidence.MEDIUM);
            } else if (exeReach.contains(c.scope())) {
                sink.report(file, c.call(), "downloads an executable or script to disk");
            } else if (pyScopes.contains(c.scope()) && (reach == Reach.INSTALL_TIME || reach == Reach.IMPORT_TIME)
                    && !regeneratesOwnModule(facts, c)) {
                // fetching Python source while being installed or imported: a second stage, not a data file
                sink.report(file, c.call(), "downloads Python code to disk while the package is "
                        + (reach == Reach.INSTALL_TIME ? "installed" : "imported"));
            } else {
                sink.report(file, c.call(), "downloads a file to disk",
                        Severity.LOW, Confidence.MEDIUM);
            }
        }
    }
}
