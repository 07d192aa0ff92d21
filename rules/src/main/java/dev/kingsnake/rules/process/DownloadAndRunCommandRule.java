package dev.kingsnake.rules.process;

import dev.kingsnake.Confidence;
import dev.kingsnake.Reach;
import dev.kingsnake.Severity;
import dev.kingsnake.rules.shared.CallUses;
import dev.kingsnake.rules.shared.PrefilteredPatterns;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.PythonFileRule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.Tags;
import dev.kingsnake.spi.python.Const;
import dev.kingsnake.spi.facts.Activity;
import dev.kingsnake.spi.facts.CallFacts;
import dev.kingsnake.spi.facts.Capability;
import dev.kingsnake.spi.facts.Commands;
import dev.kingsnake.spi.facts.DataFlow;
import dev.kingsnake.spi.python.Expr;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A shell command that downloads and runs something (curl|sh, certutil, bitsadmin, mshta...). */
public final class DownloadAndRunCommandRule implements PythonFileRule {
    static final RuleInfo INFO = new RuleInfo("KS-PROCESS-DOWNLOAD-EXEC",
            "Starts a command that downloads and runs a program or script (curl|sh, wget -O- | bash, "
                    + "certutil -urlcache, bitsadmin /transfer, mshta/regsvr32/rundll32 with URLs, "
                    + "PowerShell DownloadString, /dev/tcp)",
            Severity.CRITICAL, Confidence.HIGH, Set.of(Tags.PROCESS, Tags.DOWNLOAD, Tags.STRONG),
            "os.system('curl -s https://example.invalid/i.sh | sh')",
            "Installer scripts of developer tools sometimes pipe curl into sh; inside a Python package "
                    + "this is rare. Matches only the command text that is really passed to a process call "
                    + "(constant-folded, or rebuilt from its literal pieces). Commands whose text comes from a "
                    + "network response are HIGH/MEDIUM. A toolchain vendor's own installer (curl https://sh.rustup.rs | sh, "
                    + "astral.sh, bootstrap.pypa.io, install.python-poetry.org ...) is MEDIUM/MEDIUM: what runs is the "
                    + "vendor's script; code-hosting and file-sharing sites are never treated so.");

    /**
     * Hosts that serve a well-known toolchain's own installer script, published for exactly this use
     * ({@code curl https://sh.rustup.rs | sh}): what runs is the vendor's installer, not the package's payload.
     * Code hosting and file-sharing sites are never listed: anyone can publish there.
     */
    private static final Set<String> TOOLCHAIN_INSTALLER_HOSTS = Set.of("sh.rustup.rs", "win.rustup.rs",
            "static.rust-lang.org", "astral.sh", "bootstrap.pypa.io", "install.python-poetry.org", "get.docker.com",
            "deb.nodesource.com", "rpm.nodesource.com", "get.sdkman.io", "pyenv.run", "dot.net",
            "sdk.cloud.google.com", "micro.mamba.pm", "pixi.sh");
    private static final Pattern URL_HOST = Pattern.compile("(?i)\\bhttps?://([a-z0-9.-]+)");

    /** Every URL in the command names a toolchain vendor's installer host (and there is at least one). */
    static boolean fromToolchainVendorsOnly(String command) {
        Matcher m = URL_HOST.matcher(command);
        boolean any = false;
        while (m.find()) {
            if (!TOOLCHAIN_INSTALLER_HOSTS.contains(m.group(1).toLowerCase(java.util.Locale.ROOT))) {
                return false;
            }
            any = true;
        }
        return any;
    }

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
        DataFlow facts = DataFlow.of(file);
        List<CallUses.Of<Commands.Command>> commands = CallUses.commands(file);
        List<Expr.Call> calls = file.calls();
        for (int i = 0, next = 0; i < calls.size(); i++) {
            Expr.Call c = calls.get(i);
            // the calls that have a command, in the same order: the next one is this call or a later one
            Optional<Commands.Command> command = next < commands.size() && commands.get(next).index() == i
                    ? Optional.of(commands.get(next++).value()) : Optional.empty();
            command.ifPresent(cmd -> {
                String m = cmd.find(Commands.DOWNLOAD_EXEC);
                if (m != null && fromToolchainVendorsOnly(m)) {
                    sink.report(Location.of(file, c), cmd.sink() + "() runs a toolchain vendor's official installer: "
                            + m, cmd.evidence(), Severity.MEDIUM, Confidence.MEDIUM);
                } else if (m != null) {
                    sink.report(Location.of(file, c), cmd.sink() + "() downloads and runs: " + m, cmd.evidence());
                } else if (cmd.taint().contains(DataFlow.Taint.FETCHED) && !cmd.benign()) {
                    // fetched from a URL; values from a socket the program holds (its own port, a peer's reply)
                    // are the remote-command rule's to judge
                    sink.report(file, c, cmd.sink() + "() runs a command or program fetched from the "
                            + "network", Severity.HIGH, Confidence.MEDIUM);
                }
            });
            command.filter(cmd -> CLONE_THEN_RUN.matcher(cmd.text()).find()).ifPresent(cmd ->
                    sink.report(Location.of(file, c), cmd.sink() + "() clones a repository and runs code from it",
                            cmd.evidence(), Severity.HIGH, Confidence.HIGH));
            writtenDownloadAndRun(file, c).ifPresent(m -> sink.report(file, c,
                    "writes a command that downloads and runs (" + m + ") into a file: a script or start-up file "
                            + "that runs it later", Severity.HIGH, Confidence.MEDIUM));
        }
        clonedThenRun(file, facts, sink);
    }

    /**
     * One command that clones a repository and then runs an interpreter, a script or an installer on what it
     * fetched ({@code git clone URL d && python d/run.py}, {@code ... ; cd d && pip install .}).
     */
    private static final Pattern CLONE_THEN_RUN = Pattern.compile("(?i)\\bgit\\s+clone\\b.*(&&|;|\\|\\|)\\s*"
            + "(.*(&&|;)\\s*)?(sudo\\s+)?((python[0-9.]*|pythonw|node|(ba)?sh)\\s|\\./|pip[0-9.]*\\s+install\\b)");
    private static final Set<String> INTERPRETERS = Set.of("python", "pythonw", "node", "sh", "bash", "pip",
            "pip3", "powershell", "pwsh");

    /**
     * {@code subprocess.run(["git", "clone", URL, dest])} and, later in the same function, a process started on
     * that destination: an interpreter given a path built from it, or a program inside it
     * ({@code [sys.executable, os.path.join(dest, "main.py")]}). Build scripts clone sources and hand them to
     * build tools (make, cmake, pip wheel); running the clone's own code is the second stage of a dropper.
     */
    private static void clonedThenRun(PythonFile file, DataFlow flow, FindingSink sink) {
        CallFacts facts = CallFacts.of(file);
        for (CallFacts.CallFact clone : facts.calls()) {
            Optional<Expr> dest = cloneDestination(facts, clone);
            if (dest.isEmpty()) {
                continue;
            }
            Optional<String> destText = facts.text(dest.get()).filter(t -> t.length() >= 3);
            boolean chdirIntoClone = false;
            for (CallFacts.CallFact cd : facts.calls()) {
                chdirIntoClone |= cd.scope() == clone.scope() && "os.chdir".equals(cd.qualifiedName())
                        && cd.call().line() >= clone.call().line() && !cd.call().args().isEmpty()
                        && refersTo(facts, cd.call().args().get(0), dest.get(), destText);
            }
            for (CallFacts.CallFact run : facts.calls()) {
                if (run == clone || run.scope() != clone.scope() || !run.is(Capability.PROCESS)
                        || run.call().args().isEmpty() || run.call().line() < clone.call().line()) {
                    continue;
                }
                Expr command = run.call().args().get(0);
                List<Expr> argv = command instanceof Expr.Sequence seq ? seq.elements() : List.of(command);
                if (argv.isEmpty()) {
                    continue;
                }
                boolean interpreter = facts.file().qualifiedName(argv.get(0)).map("sys.executable"::equals)
                        .orElse(false) || Commands.of(flow, run.call())
                        .map(cmd -> INTERPRETERS.contains(cmd.tool())).orElse(false);
                boolean onClone = false;
                // an interpreter's script anywhere in its arguments; any other program only as the program itself
                for (int i = 0; i < (interpreter ? argv.size() : 1); i++) {
                    String arg = facts.text(argv.get(i)).orElse("");
                    // after os.chdir(dest): a relative script given to the interpreter, or ./program
                    boolean inClone = chdirIntoClone && (i > 0 && RELATIVE_SCRIPT.matcher(arg).find()
                            || arg.startsWith("./"));
                    onClone |= inClone || refersTo(facts, argv.get(i), dest.get(), destText);
                }
                if (onClone) {
                    // while the package installs, a script of a repository it does not ship is its payload; a
                    // clone's setup.py run there is a dependency being built
                    boolean installing = Activity.reach(file, run.call()) == Reach.INSTALL_TIME
                            && facts.textsWithin(run.call()).stream().noneMatch(t -> t.endsWith("setup.py"));
                    sink.report(file, run.call(), "runs code from a repository it cloned ("
                            + facts.textsWithin(clone.call()).stream().filter(t -> t.contains("://") || t.contains("@"))
                            .findFirst().orElse("a repository") + ")" + (installing ? " while the package installs"
                            : ""), installing ? Severity.CRITICAL : Severity.HIGH, Confidence.HIGH);
                }
            }
        }
    }

    /** A script named relative to the working directory ({@code sylex.py}, {@code python x/run.py}). */
    private static final Pattern RELATIVE_SCRIPT = Pattern.compile("^(?![/~\\\\])[\\w./-]+\\.(py|pyw|sh|js)$");
    /** Library calls that clone a repository: URL first, destination second. */
    private static final Set<String> CLONE_CALLS = Set.of("git.Repo.clone_from", "pygit2.clone_repository",
            "dulwich.porcelain.clone");

    /** The destination of {@code git clone URL DEST} given as an argument list, or of a library clone call. */
    private static Optional<Expr> cloneDestination(CallFacts facts, CallFacts.CallFact c) {
        if (CLONE_CALLS.contains(c.qualifiedName())) {
            return c.call().arg(1);
        }
        if (!c.is(Capability.PROCESS) || c.call().args().isEmpty()
                || !(c.call().args().get(0) instanceof Expr.Sequence seq)) {
            return Optional.empty();
        }
        List<Expr> argv = seq.elements();
        int at = -1;
        for (int i = 0; i + 1 < argv.size(); i++) {
            if (facts.text(argv.get(i)).map(t -> t.endsWith("git")).orElse(false)
                    && facts.text(argv.get(i + 1)).map("clone"::equals).orElse(false)) {
                at = i + 2;
            }
        }
        if (at < 0) {
            return Optional.empty();
        }
        List<Expr> positional = new java.util.ArrayList<>();
        for (Expr a : argv.subList(at, argv.size())) {
            if (facts.text(a).map(t -> !t.startsWith("-")).orElse(true)) {
                positional.add(a);
            }
        }
        return positional.size() >= 2 ? Optional.of(positional.get(positional.size() - 1)) : Optional.empty();
    }

    /** The expression is, or is built from, the clone's destination (same variable, or its constant text). */
    private static boolean refersTo(CallFacts facts, Expr e, Expr dest, Optional<String> destText) {
        boolean[] found = {false};
        dev.kingsnake.spi.python.Nodes.walk(e, x -> {
            if (dest instanceof Expr.Name d && x instanceof Expr.Name n && n.id().equals(d.id())) {
                found[0] = true;
            }
        });
        if (found[0] || destText.isEmpty()) {
            return found[0];
        }
        String t = destText.get().replaceAll("/+$", "");
        return facts.textsWithin(e).stream().anyMatch(x -> x.equals(t) || x.startsWith(t + "/")
                || x.contains(" " + t + "/") || x.contains(" " + t + " ") || x.endsWith(" " + t))
                || facts.text(e).map(x -> x.startsWith(t + "/") || x.contains(" " + t + "/")).orElse(false);
    }

    /** The prefilters of {@link Commands#DOWNLOAD_EXEC}, in its order. */
    static final PrefilteredPatterns DOWNLOAD_EXEC = new PrefilteredPatterns(Commands.DOWNLOAD_EXEC);

    /** The download-and-run pattern in constant text handed to {@code write}/{@code writelines}. */
    private static Optional<String> writtenDownloadAndRun(PythonFile file, Expr.Call c) {
        if (!(c.callee() instanceof Expr.Attribute a) || !("write".equals(a.attr()) || "writelines".equals(a.attr()))
                || c.args().isEmpty()) {
            return Optional.empty();
        }
        Optional<Const> text = file.constant(c.args().get(0)).filter(Const::isStringLike);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        // every string a file writes is read: its literals first, in one pass, then only the regexes they allow
        String t = text.get().asText();
        long candidates = DOWNLOAD_EXEC.candidates(t, PrefilteredPatterns.normalize(t));
        for (int i = 0; i < Commands.DOWNLOAD_EXEC.size(); i++) {
            if ((candidates & 1L << i) == 0) {
                continue;
            }
            Matcher m = Commands.DOWNLOAD_EXEC.get(i).matcher(t);
            if (m.find()) {
                String hit = m.group();
                return Optional.of(FindingSink.clip(hit, 80));
            }
        }
        return Optional.empty();
    }
}
