package dev.kingsnake.rules.install;

import dev.kingsnake.Confidence;
import dev.kingsnake.Reach;
import dev.kingsnake.Severity;
import dev.kingsnake.spi.facts.DataFlow;
import dev.kingsnake.spi.facts.Commands;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.PythonFileRule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.Tags;
import dev.kingsnake.spi.python.Expr;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Code that, while the package is installed or imported, brings another package to life: a hidden child
 * interpreter whose whole program is an import ({@code python -c "from other import payload"}), or {@code pip
 * install} of a URL, a git repository or from another index. The package itself stays clean; its payload arrives
 * or runs through the dependency, out of sight of anyone reading this package.
 */
public final class DependencyActivationRule implements PythonFileRule {

    private static final RuleInfo INFO = new RuleInfo("KS-INSTALL-ACTIVATE-DEPENDENCY",
            "Activates another package while installing or importing: a child interpreter whose program is only an "
                    + "import (python -c \"from other import x\"), or pip install of a URL, git repository or another "
                    + "index (CRITICAL when that host imitates PyPI's)",
            Severity.HIGH, Confidence.HIGH, Set.of(Tags.PROCESS, Tags.DOWNLOAD),
            "subprocess.Popen([sys.executable, '-c', 'from helperpkg import cache'])   # in pkg/__init__.py",
            "Only install- and import-time code is judged. Build scripts that probe whether a module imports run "
                    + "python -c \"import x\" too; modules of the package itself and the standard library's are not "
                    + "reported. pip installs of plain requirement names are the dependency rules' business.");

    /** {@code python -c CODE}: the interpreter and its program text. */
    private static final Pattern PYTHON_C = Pattern.compile(
            "(?i)\\bpython[0-9.]*(\\.exe)?\\s+(-[a-zA-Z]+\\s+)*-c\\s+[\"']?(.+)$", Pattern.DOTALL);
    /** An import statement: the module it names. */
    private static final Pattern IMPORT = Pattern.compile("^\\s*(?:from\\s+([\\w.]+)\\s+import\\b.*|import\\s+([\\w.]+).*)$");
    /** Statements a program that only imports may also hold. */
    private static final Pattern QUIET = Pattern.compile("^\\s*(warnings\\.\\w+\\(.*\\)|pass|)\\s*[\"']?\\s*$");
    private static final Set<String> STDLIB_PROBES = Set.of("sys", "os", "warnings", "site", "sysconfig", "platform",
            "ctypes", "ssl", "sqlite3", "tkinter", "venv", "ensurepip", "pip", "setuptools", "wheel", "distutils");

    /** pip install of something fetched from a URL, a VCS or another index. */
    private static final Pattern PIP_REMOTE = Pattern.compile(
            "(?i)\\bpip[0-9.]*(\\.exe)?\\s+install\\b[^|;&]*?(\\s(-i|--index-url|--extra-index-url|-f|--find-links)[\\s=]+"
                    + "|\\s)(git\\+\\S+|https?://([^/\\s\"']+)\\S*)");
    private static final Pattern OFFICIAL_INDEX = Pattern.compile(
            "(?i)^(pypi\\.org|test\\.pypi\\.org|files\\.pythonhosted\\.org|pypi\\.python\\.org|download\\.pytorch\\.org)$");
    private static final Pattern PYPI_LOOKALIKE = Pattern.compile("(?i)(pypi|pythonhost|pyhosted|python-?host)");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
        DataFlow facts = DataFlow.of(file);
        Set<Integer> lines = new java.util.HashSet<>();
        for (Expr.Call call : file.calls()) {
            Reach reach = file.reach(call);
            if (reach != Reach.INSTALL_TIME && reach != Reach.IMPORT_TIME) {
                continue;
            }
            Commands.of(facts, call).ifPresent(cmd -> {
                String text = cmd.text().replace("python.exe", "python");
                String why = importOnlyProgram(text, ctx);
                Severity severity = Severity.HIGH;
                if (why == null) {
                    Matcher pip = PIP_REMOTE.matcher(text);
                    if (pip.find()) {
                        String host = pip.group(5) == null ? "" : pip.group(5).toLowerCase(Locale.ROOT);
                        boolean lookalike = !host.isEmpty() && !OFFICIAL_INDEX.matcher(host).matches()
                                && PYPI_LOOKALIKE.matcher(host).find();
                        why = "runs pip install of " + abbreviated(pip.group(4))
                                + (lookalike ? " from " + host + ", a host that imitates PyPI's" : "");
                        severity = lookalike ? Severity.CRITICAL : Severity.HIGH;
                    }
                }
                if (why != null && lines.add(call.line())) {
                    sink.report(Location.of(file, call), why + " at " + (reach == Reach.INSTALL_TIME ? "install" : "import")
                            + " time", cmd.evidence(), severity, Confidence.HIGH);
                }
            });
        }
    }

    /** "starts a child interpreter that only imports X" when the program is nothing but imports of another package. */
    private static String importOnlyProgram(String command, RuleContext ctx) {
        Matcher m = PYTHON_C.matcher(command);
        if (!m.find()) {
            return null;
        }
        String foreign = null;
        for (String statement : m.group(3).split("[;\\n]")) {
            Matcher imp = IMPORT.matcher(statement);
            if (imp.matches()) {
                String module = (imp.group(1) != null ? imp.group(1) : imp.group(2)).split("\\.")[0];
                if (!STDLIB_PROBES.contains(module) && !ownModule(ctx, module)) {
                    foreign = module;
                }
            } else if (!QUIET.matcher(statement).matches()) {
                return null; // a real program, not an activation: the decoded layer is judged by the other rules
            }
        }
        return foreign == null ? null : "starts a child interpreter that only imports '" + foreign + "'";
    }

    /** True when the package ships a module or package of that name (probing its own extension is a build step). */
    private static boolean ownModule(RuleContext ctx, String module) {
        for (var f : ctx.files()) {
            String p = "/" + f.path();
            if (p.contains("/" + module + "/") || p.endsWith("/" + module + ".py") || p.contains("/" + module + ".")) {
                return true;
            }
        }
        return false;
    }

    private static String abbreviated(String s) {
        return FindingSink.clip(s, 100);
    }
}
