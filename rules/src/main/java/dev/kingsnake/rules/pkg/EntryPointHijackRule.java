package dev.kingsnake.rules.pkg;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kingsnake.Reach;
import dev.kingsnake.spi.FileKind;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.python.Const;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.Rule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.SourceFile;
import dev.kingsnake.spi.Tags;
import dev.kingsnake.Confidence;
import dev.kingsnake.Severity;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A console or GUI script named like a common system or developer command: installing the package puts a
 * {@code pip}, {@code git} or {@code sudo} of its own first on the PATH of the environment.
 */
public final class EntryPointHijackRule implements Rule {
    private static final RuleInfo INFO = new RuleInfo("KS-PKG-ENTRY-POINT-HIJACK",
            "A console_scripts/gui_scripts entry point (entry_points.txt, pyproject [project.scripts], setup.cfg,"
                    + " setup.py entry_points=)"
                    + " takes the name of a common command such as pip, python, git, ls, sudo, ssh or curl.",
            Severity.HIGH, Confidence.MEDIUM, Set.of(Tags.METADATA, Tags.IDENTITY),
            "[console_scripts]\npip = evil.cli:main",
            "The command's own project may ship it (pip ships pip and pip3.12, awscli ships aws, azure-cli az):"
                    + " a package whose name is the command or its known owner is not flagged. Commands are"
                    + " compared case-insensitively without .exe and version suffixes (pip3.12 -> pip).");
    /** Commands a package must not shadow, with the projects that legitimately ship them. */
    private static final Map<String, Set<String>> COMMANDS = Map.ofEntries(
            Map.entry("pip", Set.of("pip")), Map.entry("pip3", Set.of("pip")),
            Map.entry("python", Set.of()), Map.entry("python3", Set.of()), Map.entry("py", Set.of()),
            Map.entry("git", Set.of()), Map.entry("ls", Set.of()), Map.entry("cd", Set.of()),
            Map.entry("cat", Set.of()), Map.entry("cp", Set.of()), Map.entry("mv", Set.of()), Map.entry("rm", Set.of()),
            Map.entry("chmod", Set.of()), Map.entry("chown", Set.of()), Map.entry("sudo", Set.of()),
            Map.entry("su", Set.of()), Map.entry("ssh", Set.of()), Map.entry("scp", Set.of()),
            Map.entry("ssh-keygen", Set.of()), Map.entry("curl", Set.of()), Map.entry("wget", Set.of()),
            Map.entry("bash", Set.of()), Map.entry("sh", Set.of()), Map.entry("zsh", Set.of()),
            Map.entry("node", Set.of()), Map.entry("npm", Set.of()), Map.entry("npx", Set.of()),
            Map.entry("docker", Set.of()), Map.entry("kubectl", Set.of()), Map.entry("aws", Set.of("awscli")),
            Map.entry("gcloud", Set.of()), Map.entry("az", Set.of("azure-cli")), Map.entry("gpg", Set.of()),
            Map.entry("openssl", Set.of()), Map.entry("passwd", Set.of()), Map.entry("crontab", Set.of()),
            Map.entry("systemctl", Set.of()), Map.entry("apt", Set.of()), Map.entry("apt-get", Set.of()),
            Map.entry("yum", Set.of()), Map.entry("brew", Set.of()), Map.entry("powershell", Set.of()),
            Map.entry("cmd", Set.of()), Map.entry("whoami", Set.of()), Map.entry("ps", Set.of()),
            Map.entry("grep", Set.of()), Map.entry("find", Set.of()), Map.entry("tar", Set.of()),
            Map.entry("make", Set.of()), Map.entry("gcc", Set.of()), Map.entry("nc", Set.of()),
            Map.entry("netcat", Set.of()), Map.entry("conda", Set.of("conda")), Map.entry("java", Set.of()),
            Map.entry("go", Set.of()), Map.entry("vim", Set.of()), Map.entry("env", Set.of()),
            Map.entry("which", Set.of()));
    private static final Pattern VERSION_SUFFIX = Pattern.compile("^(pip|python)[0-9.]*$");
    private static final Pattern SECTION = Pattern.compile("^\\s*\\[([^\\]]+)]\\s*$");
    private static final Pattern ENTRY = Pattern.compile("^\\s*([^=#;\\s][^=]*?)\\s*=\\s*(\\S.*)$");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(RuleContext ctx, FindingSink sink) {
        String pkg = PackageNames.normalise(ctx.packageInfo().name());
        for (SourceFile f : ArchiveLayout.realFiles(ctx)) {
            if (f.kind() == FileKind.ENTRY_POINTS) {
                scanIni(f, pkg, sink, false);
            } else if (f.kind() == FileKind.SETUP_CFG) {
                scanIni(f, pkg, sink, true);
            } else if (f.kind() == FileKind.PYPROJECT) {
                scanPyproject(f, pkg, sink);
            }
        }
        for (SetupCall.Found setup : SetupCall.find(ctx)) {
            setup.call().keyword("entry_points").ifPresent(ep -> scanSetupPy(setup.file(), ep, pkg, sink));
        }
    }

    /** setup(entry_points={"console_scripts": ["pip = evil:main", ...]}) with constant strings. */
    private static void scanSetupPy(PythonFile f, Expr entryPoints, String pkg, FindingSink sink) {
        if (!(entryPoints instanceof Expr.Dict dict)) {
            return;
        }
        for (Expr.DictItem item : dict.items()) {
            String group = item.key().flatMap(f::constant).map(Const::asText).orElse("").strip();
            if (!scripts(group)) {
                continue;
            }
            List<Expr> specs = item.value() instanceof Expr.Sequence seq ? seq.elements() : List.of(item.value());
            for (Expr spec : specs) {
                String text = f.constant(spec).map(Const::asText).orElse("");
                for (String line : text.split("\n")) {
                    int eq = line.indexOf('=');
                    if (eq > 0) {
                        check(f, spec.line(), line.substring(0, eq).strip(), pkg, sink, line);
                    }
                }
            }
        }
    }

    /** entry_points.txt sections, or setup.cfg's [options.entry_points] with indented values. */
    private static void scanIni(SourceFile f, String pkg, FindingSink sink, boolean setupCfg) {
        String[] lines = f.text().split("\r\n|\n|\r", -1);
        String section = "";
        String cfgGroup = "";
        for (int i = 0; i < lines.length; i++) {
            Matcher s = SECTION.matcher(lines[i]);
            if (s.matches()) {
                section = s.group(1).strip().toLowerCase(Locale.ROOT);
                cfgGroup = "";
                continue;
            }
            Matcher e = ENTRY.matcher(lines[i]);
            if (setupCfg) {
                if (!section.equals("options.entry_points")) {
                    continue;
                }
                boolean indented = !lines[i].isEmpty() && Character.isWhitespace(lines[i].charAt(0));
                if (!indented && e.matches()) {
                    cfgGroup = e.group(1).strip().toLowerCase(Locale.ROOT);
                    if (scripts(cfgGroup) && !e.group(2).isBlank() && e.group(2).contains("=")) {
                        check(f, i + 1, e.group(2).split("=")[0].strip(), pkg, sink, lines[i]);
                    }
                    continue;
                }
                String line = lines[i].strip();
                int eq = line.indexOf('=');
                if (indented && scripts(cfgGroup) && eq > 0) {
                    check(f, i + 1, line.substring(0, eq).strip(), pkg, sink, lines[i]);
                }
            } else if (scripts(section) && e.matches()) {
                check(f, i + 1, e.group(1), pkg, sink, lines[i]);
            }
        }
    }

    private static void scanPyproject(SourceFile f, String pkg, FindingSink sink) {
        JsonNode project = PackageMetadata.pyprojectTable(f);
        for (String table : new String[] {"scripts", "gui-scripts"}) {
            for (Iterator<String> it = project.path(table).fieldNames(); it.hasNext(); ) {
                String name = it.next();
                check(f, lineOf(f.text(), name), name, pkg, sink, name + " = " + project.path(table).path(name).asText());
            }
        }
    }

    private static void check(SourceFile f, int line, String script, String pkg, FindingSink sink, String evidence) {
        String command = command(script);
        Set<String> owners = COMMANDS.get(command);
        if (owners == null || owners.contains(pkg) || pkg.equals(command)) {
            return;
        }
        sink.report(Location.of(f, line, 1, Reach.UNKNOWN), "The package installs a '" + script
                + "' command that shadows the common command '" + command + "'", evidence.strip(),
                Severity.HIGH, Confidence.MEDIUM);
    }

    /** Lower case, without .exe, and pip3.12/python3.11 folded to pip3/python3. */
    static String command(String script) {
        String c = script.strip().toLowerCase(Locale.ROOT);
        if (c.endsWith(".exe")) {
            c = c.substring(0, c.length() - 4);
        }
        if (VERSION_SUFFIX.matcher(c).matches()) {
            String base = c.startsWith("pip") ? "pip" : "python";
            String rest = c.substring(base.length());
            return rest.startsWith("3") ? base + "3" : rest.startsWith("2") ? base : base + rest;
        }
        return c;
    }

    private static boolean scripts(String group) {
        return group.equals("console_scripts") || group.equals("gui_scripts");
    }

    private static int lineOf(String text, String key) {
        String[] lines = text.split("\r\n|\n|\r", -1);
        Pattern p = Pattern.compile("^\\s*\"?" + Pattern.quote(key) + "\"?\\s*=");
        for (int i = 0; i < lines.length; i++) {
            if (p.matcher(lines[i]).find()) {
                return i + 1;
            }
        }
        return 0;
    }
}
