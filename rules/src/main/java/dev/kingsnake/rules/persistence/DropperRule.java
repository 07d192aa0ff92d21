package dev.kingsnake.rules.persistence;

import dev.kingsnake.Confidence;
import dev.kingsnake.Severity;
import dev.kingsnake.rules.shared.DigestChecks;
import dev.kingsnake.rules.shared.FixedEndpoints;
import dev.kingsnake.rules.shared.ToolFetchers;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.PythonFileRule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.Tags;
import dev.kingsnake.spi.facts.CallFacts;
import dev.kingsnake.spi.facts.Capability;
import dev.kingsnake.spi.facts.Commands;
import dev.kingsnake.spi.facts.DataFlow;
import dev.kingsnake.spi.python.Const;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Stmt;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Download, save and run (or make executable) in one function: a dropper. */
public final class DropperRule implements PythonFileRule {

    private static final RuleInfo INFO = new RuleInfo("KS-PERSIST-DROPPER",
            "Downloads a file, saves it and runs it or makes it executable (chmod +x, os.chmod 0o755, os.startfile)",
            Severity.HIGH, Confidence.HIGH, Set.of(Tags.DOWNLOAD, Tags.FILE_WRITE, Tags.PROCESS),
            "data = urlopen('https://cdn.example.invalid/p').read(); open(p, 'wb').write(data); os.chmod(p, 0o755); subprocess.Popen([p])",
            "Build scripts that fetch and unpack sources run constant build tools (tar, make, cmake, unzip, git, "
                    + "pip) or inspect binaries (nm, objdump, readelf); those process calls are not counted. Binary-tool installers (drivers, CLIs) that download "
                    + "and chmod a file match at medium weight when the run happens elsewhere in the file; helpers of the "
                    + "same file count as one function (HIGH/MEDIUM) only when one caller hands the same path or "
                    + "variable to the downloading helper and to the helper that runs a computed program. Running "
                    + "the value a downloading helper returned (path = fetch(); Popen([sys.executable, path])) is "
                    + "CRITICAL when the helper returns the path it wrote, else HIGH. Methods of an HTTP client "
                    + "object (session = requests.Session() in the function or at module level) fetch and send "
                    + "like requests.get/post. LOW/MEDIUM when a function linked by calls compares a computed digest "
                    + "with a pinned one (toolchain fetchers of build scripts), or when a linked download takes its "
                    + "URL from its caller and no linked function names a URL, host or address (download utilities); "
                    + "running the downloaded file itself, or the path a downloading helper returns, is never lowered.");

    private static final Set<String> BUILD_TOOLS = Set.of("tar", "make", "cmake", "unzip", "gzip", "git", "pip",
            "pip3", "python", "python3", "sys.executable", "gcc", "cc", "g++", "configure", "./configure", "ninja",
            "meson", "cargo", "npm", "yarn", "patch", "7z", "bzip2", "xz", "unxz", "sh", "bash",
            // binary inspection tools read the downloaded file; they do not run it
            "nm", "objdump", "readelf", "otool", "strings", "file");
    private static final Set<String> INTERPRETERS = Set.of("python", "python3", "python2", "pythonw", "py", "sh",
            "bash", "zsh", "node", "powershell", "pwsh", "cscript", "wscript", "perl", "ruby");
    private static final Set<String> OPENERS = Set.of("open", "io.open", "codecs.open", "builtins.open");
    private static final Pattern CHMOD_EXEC = Pattern.compile("(?i)chmod\\s+(\\+x|[+ugoa]*\\+[rw]*x|[0-7]?[157][0-7]{2})");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
        CallFacts facts = CallFacts.of(file);
        Set<Capability> fc = facts.fileCaps();
        if (!(fc.contains(Capability.FETCH) || fc.contains(Capability.DOWNLOAD_TO_FILE))
                || !(fc.contains(Capability.PROCESS) || fc.contains(Capability.CHMOD))) {
            return;
        }
        Set<Integer> dropScopes = new HashSet<>();
        for (CallFacts.CallFact c : facts.calls()) {
            Set<Capability> s = facts.scope(c.scope());
            if (s.contains(Capability.DOWNLOAD_TO_FILE)
                    || (s.contains(Capability.FETCH) && s.contains(Capability.FILE_WRITE))) {
                dropScopes.add(c.scope());
            }
        }
        Map<Integer, Set<String>> written = new HashMap<>();
        for (CallFacts.CallFact c : facts.calls()) {
            if (dropScopes.contains(c.scope())) {
                writtenPath(facts, c).ifPresent(k -> written.computeIfAbsent(c.scope(), x -> new HashSet<>()).add(k));
            }
        }
        if (dropScopes.isEmpty()) {
            return;
        }
        Set<Integer> orchestrated = orchestrated(facts, dropScopes);
        // facts of the file, the same for every call below
        boolean toolFetchersOnly = onlyToolFetchers(facts, dropScopes);
        boolean pinnedOnly = onlyPinnedDownloads(facts, dropScopes);
        for (CallFacts.CallFact c : facts.calls()) {
            Optional<String> helper = runsHelperDownload(facts, c, dropScopes);
            if (helper.isPresent()) {
                boolean savedPath = returnsWrittenPath(file, helper.get(), written.values());
                sink.report(file, c.call(), savedPath
                                ? "runs the file whose path the helper " + helper.get() + "() returns after"
                                + " downloading and saving it"
                                : "runs what the helper " + helper.get() + "() returns, and that helper downloads"
                                + " and saves a file", savedPath ? Severity.CRITICAL : Severity.HIGH, Confidence.HIGH);
                continue;
            }
            boolean runsWritten = dropScopes.contains(c.scope()) && c.is(Capability.PROCESS)
                    && interpreterRuns(facts, c, written.getOrDefault(c.scope(), Set.of()));
            if (!(runsWritten || runsOrMarksExecutable(facts, c))) {
                continue;
            }
            if (dropScopes.contains(c.scope()) && runsWrittenFile(facts, c, written.getOrDefault(c.scope(), Set.of()))) {
                sink.report(file, c.call(), "downloads a file, saves it and runs that very file",
                        Severity.CRITICAL, Confidence.HIGH);
            } else if (dropScopes.contains(c.scope()) && runsWritten) {
                // an interpreter given the saved file (bash saved.sh, pythonw saved.py): runs the download itself,
                // as much as starting it would; HIGH only when the URL is its caller's or the digest is pinned
                boolean named = !DigestChecks.pinned(facts, c.scope()) && !fetchGivenByCaller(facts, c.scope());
                sink.report(file, c.call(), named
                                ? "downloads a script from a server it names, saves it and runs it with an interpreter"
                                : "downloads a file, saves it and runs it or makes it executable",
                        named ? Severity.CRITICAL : Severity.HIGH, Confidence.HIGH);
            } else if (dropScopes.contains(c.scope())) {
                report(file, facts, c, sink, "downloads a file, saves it and runs it or makes it executable",
                        Severity.HIGH, Confidence.HIGH);
            } else if (orchestrated.contains(c.scope()) && computedProgram(facts, c) && !pinnedOnly) {
                report(file, facts, c, sink, "runs or marks executable a file that helper functions "
                        + "called from the same place download and save", Severity.HIGH, Confidence.MEDIUM);
            } else if (toolFetchersOnly) {
                sink.report(file, c.call(), "runs or marks executable a file in a module whose downloads are "
                        + "handed to their callers", Severity.LOW, Confidence.MEDIUM);
            } else if (pinnedOnly) {
                sink.report(file, c.call(), "runs or marks executable a file in a module whose every download "
                        + "is checked against a pinned digest", Severity.LOW, Confidence.MEDIUM);
            } else {
                report(file, facts, c, sink,
                        "runs or marks executable a file in a module that downloads and saves files",
                        Severity.MEDIUM, Confidence.MEDIUM);
            }
        }
    }

    /**
     * Every function of the file that downloads and saves is a tool fetcher ({@link ToolFetchers}): a process
     * elsewhere in the file runs a path its own caller chose, not one of this file's downloads.
     */
    private static boolean onlyToolFetchers(CallFacts facts, Set<Integer> dropScopes) {
        Set<Integer> fetchers = new HashSet<>();
        for (CallFacts.CallFact c : facts.calls()) {
            if (dropScopes.contains(c.scope()) && (c.is(Capability.DOWNLOAD_TO_FILE) || c.is(Capability.FILE_WRITE))
                    && ToolFetchers.inToolFetcher(facts, c)) {
                fetchers.add(c.scope());
            }
        }
        return fetchers.equals(dropScopes);
    }

    /**
     * Every function of the file that downloads and saves compares a computed digest, itself or in a function
     * that calls it ({@code download_file(url, dest); verify_checksum(sha_file, dest)}): a build script fetching
     * verified artifacts. A process elsewhere in the file is then not running an unchecked download.
     */
    private static boolean onlyPinnedDownloads(CallFacts facts, Set<Integer> dropScopes) {
        for (int d : dropScopes) {
            boolean pinned = DigestChecks.pinned(facts, d);
            for (int caller = 0; !pinned && caller < facts.scopeCount(); caller++) {
                pinned = caller != d && facts.reachable(caller).contains(d) && DigestChecks.pinned(facts, caller);
            }
            if (!pinned) {
                return false;
            }
        }
        return true;
    }

    /** A download in a function linked to this one takes its URL from its caller. */
    private static boolean fetchGivenByCaller(CallFacts facts, int scope) {
        Set<Integer> linked = facts.reachable(scope);
        for (CallFacts.CallFact f : facts.calls()) {
            if ((f.is(Capability.FETCH) || f.is(Capability.DOWNLOAD_TO_FILE) || f.is(Capability.PROCESS))
                    && (f.scope() == scope || linked.contains(f.scope())) && FixedEndpoints.givenByCaller(facts, f)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Toolchain fetchers of build scripts pin the digest of what they download, and download utilities fetch
     * whatever URL their user gives: both are LOW/MEDIUM, below the weight that takes part in combinations. A dropper names its server and checks nothing. Running
     * the very file downloaded, or the path a downloading helper returns, is never lowered.
     */
    private static void report(PythonFile file, CallFacts facts, CallFacts.CallFact c, FindingSink sink, String message,
                               Severity severity, Confidence confidence) {
        if (DigestChecks.pinned(facts, c.scope())) {
            sink.report(file, c.call(), message + ", after checking a pinned digest", Severity.LOW, Confidence.MEDIUM);
        } else if (c.is(Capability.CHMOD) && ToolFetchers.inToolFetcher(facts, c)) {
            sink.report(file, c.call(), message + ", in a function that hands the saved file to its caller",
                    Severity.LOW, Confidence.MEDIUM);
        } else if (fetchGivenByCaller(facts, c.scope())) {
            sink.report(file, c.call(), message + ", from a URL its caller or configuration gives", Severity.LOW,
                    Confidence.MEDIUM);
        } else {
            sink.report(file, c.call(), message, severity, confidence);
        }
    }

    /**
     * {@code path = fetch(); subprocess.Popen([sys.executable, path])}, where {@code fetch} is a function of this
     * file that downloads and saves a file (itself or through the helpers it calls): the program, or the script an
     * interpreter is started on, is the value the downloading helper returned. Returns the helper's name.
     */
    private static Optional<String> runsHelperDownload(CallFacts facts, CallFacts.CallFact c, Set<Integer> dropScopes) {
        if (!c.is(Capability.PROCESS) || dropScopes.contains(c.scope()) || c.call().args().isEmpty()) {
            return Optional.empty();
        }
        Expr a0 = c.call().args().get(0);
        List<Expr> argv = a0 instanceof Expr.Sequence seq ? seq.elements() : List.of(a0);
        for (int i = 0; i < argv.size() && i < 2; i++) {
            if (i == 1 && !isInterpreter(facts, argv.get(0)) || !(argv.get(i) instanceof Expr.Name n)) {
                continue;
            }
            List<Expr> values = facts.assignedIn(c.scope(), n.id());
            if (values.size() == 1 && values.get(0) instanceof Expr.Call made) {
                int helper = facts.calleeScope(made);
                if (helper >= 0 && !java.util.Collections.disjoint(facts.reachable(helper), dropScopes)
                        && made.callee() instanceof Expr.Name name) {
                    return Optional.of(name.id());
                }
            }
        }
        return Optional.empty();
    }

    /** The file's function {@code name} returns a variable that a download-and-save scope wrote to. */
    private static boolean returnsWrittenPath(PythonFile file, String name, java.util.Collection<Set<String>> written) {
        Set<String> paths = new HashSet<>();
        written.forEach(paths::addAll);
        boolean[] found = {false};
        file.nodes().forEach(n -> {
            if (n instanceof Stmt.FunctionDef def && def.name().equals(name)) {
                for (Stmt st : def.body()) {
                    dev.kingsnake.spi.python.Nodes.walk(st, x -> found[0] |= x instanceof Stmt.Return r
                            && r.value().isPresent() && r.value().get() instanceof Expr.Name v
                            && paths.contains("name:" + v.id()));
                }
            }
        });
        return found[0];
    }

    /**
     * Scopes that run as part of the same call tree as a download-and-save: {@code main()} calling
     * {@code download(url, path)} and then {@code run(path)} makes {@code run}'s body part of a dropper.
     */
    private static Set<Integer> orchestrated(CallFacts facts, Set<Integer> dropScopes) {
        Set<Integer> out = new HashSet<>();
        java.util.Map<Integer, List<CallFacts.CallFact>> localCalls = new java.util.HashMap<>();
        for (CallFacts.CallFact c : facts.calls()) {
            if (facts.calleeScope(c.call()) >= 0) {
                localCalls.computeIfAbsent(c.scope(), k -> new java.util.ArrayList<>()).add(c);
            }
        }
        for (List<CallFacts.CallFact> calls : localCalls.values()) {
            for (CallFacts.CallFact fetch : calls) {
                int d = facts.calleeScope(fetch.call());
                if (java.util.Collections.disjoint(facts.reachable(d), dropScopes)) {
                    continue;
                }
                for (CallFacts.CallFact run : calls) {
                    int r = facts.calleeScope(run.call());
                    if (r != d && sharesArgument(facts, fetch.call(), run.call())) {
                        out.addAll(facts.reachable(r));
                    }
                }
            }
        }
        return out;
    }

    /** The same variable or the same constant text handed to both calls (the saved file's path). */
    private static boolean sharesArgument(CallFacts facts, Expr.Call a, Expr.Call b) {
        for (Expr x : a.args()) {
            for (Expr y : b.args()) {
                if (x instanceof Expr.Name nx && y instanceof Expr.Name ny && nx.id().equals(ny.id())) {
                    return true;
                }
                Optional<String> tx = facts.text(x);
                if (tx.isPresent() && tx.get().length() >= 3 && tx.equals(facts.text(y))) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The path a call writes, as a key comparable with a later command's arguments: the constant text or the
     * variable name of open()'s first argument (write mode) or of urlretrieve()'s second.
     */
    private static Optional<String> writtenPath(CallFacts facts, CallFacts.CallFact c) {
        Optional<Expr> target = c.is(Capability.DOWNLOAD_TO_FILE) ? c.call().arg(1)
                : c.is(Capability.FILE_WRITE) && OPENERS.contains(c.qualifiedName()) ? c.call().arg(0)
                : Optional.empty();
        return target.flatMap(t -> pathKey(facts, t));
    }

    private static Optional<String> pathKey(CallFacts facts, Expr e) {
        if (e instanceof Expr.Name n) {
            return Optional.of("name:" + n.id());
        }
        return facts.file().constant(e).filter(Const::isStringLike).map(k -> "text:" + k.asText().strip());
    }

    /**
     * An interpreter (python, sys.executable, sh, bash ...) started on the very file this function has just
     * downloaded and written: {@code [sys.executable, 'x.py']} or {@code "python x.py"} after
     * {@code open('x.py', 'wb').write(response.content)}. Build scripts run interpreters on their own files,
     * never on the file they fetched.
     */
    private static boolean interpreterRuns(CallFacts facts, CallFacts.CallFact c, Set<String> written) {
        if (written.isEmpty() || c.call().args().isEmpty()) {
            return false;
        }
        Expr a0 = c.call().args().get(0);
        if (a0 instanceof Expr.Sequence seq && seq.elements().size() >= 2) {
            if (!isInterpreter(facts, seq.elements().get(0))) {
                return false;
            }
            for (Expr arg : seq.elements().subList(1, seq.elements().size())) {
                if (pathKey(facts, arg).map(written::contains).orElse(false)) {
                    return true;
                }
            }
            return false;
        }
        Optional<String> t = facts.file().constant(a0).filter(Const::isStringLike).map(Const::asText);
        if (t.isEmpty()) {
            return false;
        }
        String[] words = t.get().strip().split("\\s+");
        if (words.length < 2 || !INTERPRETERS.contains(baseName(words[0]))) {
            return false;
        }
        for (int i = 1; i < words.length; i++) {
            if (written.contains("text:" + words[i].replaceAll("^['\"]|['\"]$", ""))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The program a process call starts (or {@code os.startfile} opens) is the file this function has just
     * written with downloaded data: {@code subprocess.run([path])} after {@code open(path, 'wb').write(r.content)}.
     * Build scripts run the tools they fetched through a build tool, never the fetched file itself.
     */
    private static boolean runsWrittenFile(CallFacts facts, CallFacts.CallFact c, Set<String> written) {
        if (written.isEmpty() || !c.is(Capability.PROCESS) || c.call().args().isEmpty()) {
            return false;
        }
        Expr a0 = c.call().args().get(0);
        Expr head = a0 instanceof Expr.Sequence seq && !seq.elements().isEmpty() ? seq.elements().get(0) : a0;
        return pathKey(facts, head).map(written::contains).orElse(false);
    }

    private static boolean isInterpreter(CallFacts facts, Expr head) {
        if (facts.file().qualifiedName(head).map("sys.executable"::equals).orElse(false)) {
            return true;
        }
        return facts.text(head).map(t -> INTERPRETERS.contains(baseName(t.strip()))).orElse(false);
    }

    private static String baseName(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        return w.substring(Math.max(w.lastIndexOf('/'), w.lastIndexOf('\\')) + 1).replaceAll("\\.exe$", "");
    }

    private static boolean runsOrMarksExecutable(CallFacts facts, CallFacts.CallFact c) {
        if (c.is(Capability.CHMOD)) {
            return c.call().arg(1).map(m -> mayAddExecuteBit(facts, m)).orElse(false);
        }
        if (!c.is(Capability.PROCESS)) {
            return false;
        }
        List<String> texts = facts.textsWithin(c.call());
        for (String t : texts) {
            if (CHMOD_EXEC.matcher(t).find()) {
                return true;
            }
        }
        if (c.call().args().isEmpty() || buildsInDirectory(facts, c)) {
            return false;
        }
        Expr head = programOf(facts, c.scope(), c.call().args().get(0));
        if (head instanceof Expr.Call found && LOOKED_UP_TOOLS.contains(facts.file().calleeName(found).orElse(""))) {
            return false; // a tool found on PATH (shutil.which('sftp')), not a file the code wrote
        }
        Optional<String> t = facts.text(head);
        if (t.isPresent() && !t.get().startsWith("{}")) {
            String[] words = t.get().strip().split("\\s+");
            String program = words[0].toLowerCase(Locale.ROOT);
            if (DOWNLOAD_TOOLS.contains(program) && !SHELL_CHAIN.matcher(t.get()).find()
                    && texts.stream().noneMatch(x -> SHELL_CHAIN.matcher(x).find())) {
                return false; // wget URL -O file is the download itself; running its result needs a second command
            }
            return !words[0].isEmpty() && !BUILD_TOOLS.contains(program);
        }
        return head instanceof Expr.Name || head instanceof Expr.FString || head instanceof Expr.BinOp
                || head instanceof Expr.Subscript || isPathOf(facts, head);
    }

    /** Commands that only show what a build made. */
    private static final Set<String> LISTINGS = Set.of("echo", "ls", "cat", "true");

    /**
     * A shell command that changes into a directory and runs build tools there ({@code cd mupdf && python
     * ./scripts/build.py all && ls -l build}): building an unpacked source tree, not running a saved file.
     */
    private static boolean buildsInDirectory(CallFacts facts, CallFacts.CallFact c) {
        Optional<Commands.Command> cmd = Commands.of(DataFlow.of(facts.file()), c.call());
        if (cmd.isEmpty() || !cmd.get().shell() || !cmd.get().text().strip().matches("(?s)(cd|pushd)\\s.*")) {
            return false;
        }
        List<String> programs = Commands.programs(cmd.get().text(), true);
        return !programs.isEmpty()
                && programs.stream().allMatch(p -> BUILD_TOOLS.contains(p) || LISTINGS.contains(p));
    }

    /** Programs that only fetch a URL into a file. */
    private static final Set<String> DOWNLOAD_TOOLS = Set.of("wget", "curl", "aria2c");
    /** Shell text that runs a second command after the first. */
    private static final Pattern SHELL_CHAIN = Pattern.compile("&&|\\|\\||[;|`]|\\$\\(");

    /**
     * Permission bits of a {@code stat} constant: the mode of {@code os.chmod(p, stat.S_IWUSR)} (making a file
     * writable before deleting it, as copy utilities do) is known to add no execute bit.
     */
    private static final Map<String, Integer> STAT_BITS = Map.ofEntries(
            Map.entry("stat.S_IRUSR", 0400), Map.entry("stat.S_IWUSR", 0200), Map.entry("stat.S_IXUSR", 0100),
            Map.entry("stat.S_IRWXU", 0700), Map.entry("stat.S_IRGRP", 040), Map.entry("stat.S_IWGRP", 020),
            Map.entry("stat.S_IXGRP", 010), Map.entry("stat.S_IRWXG", 070), Map.entry("stat.S_IROTH", 04),
            Map.entry("stat.S_IWOTH", 02), Map.entry("stat.S_IXOTH", 01), Map.entry("stat.S_IRWXO", 07),
            Map.entry("stat.S_IREAD", 0400), Map.entry("stat.S_IWRITE", 0200), Map.entry("stat.S_IEXEC", 0100));

    /** A chmod mode that sets an execute bit, or one not known (a variable, a computed mode). */
    private static boolean mayAddExecuteBit(CallFacts facts, Expr mode) {
        Optional<Const> k = facts.file().constant(mode);
        if (k.isPresent()) {
            return !(k.get() instanceof Const.Int i) || (i.value().intValue() & 0111) != 0;
        }
        if (mode instanceof Expr.BinOp b && "|".equals(b.op())) {
            return mayAddExecuteBit(facts, b.left()) || mayAddExecuteBit(facts, b.right());
        }
        Integer bits = facts.file().qualifiedName(mode).map(STAT_BITS::get).orElse(null);
        return bits == null || (bits & 0111) != 0;
    }

    private static final Set<String> LOOKED_UP_TOOLS = Set.of("shutil.which", "distutils.spawn.find_executable",
            "which");

    /**
     * The program a command starts: the first element of a list, following a variable to its one assignment in
     * the same function ({@code command = [sftp, ...]; subprocess.run(command)}), at most a few steps.
     */
    private static Expr programOf(CallFacts facts, int scope, Expr command) {
        Expr e = command;
        for (int i = 0; i < 4; i++) {
            Expr next = e instanceof Expr.Sequence seq && !seq.elements().isEmpty() ? seq.elements().get(0)
                    : facts.valueOf(scope, e);
            if (next == e) {
                break;
            }
            e = next;
        }
        return e;
    }

    /** The program run is a path computed at run time (not a named tool). */
    private static boolean computedProgram(CallFacts facts, CallFacts.CallFact c) {
        if (c.is(Capability.CHMOD)) {
            return true;
        }
        if (c.call().args().isEmpty()) {
            return false;
        }
        Expr a0 = c.call().args().get(0);
        Expr head = a0 instanceof Expr.Sequence seq && !seq.elements().isEmpty() ? seq.elements().get(0) : a0;
        return facts.file().constant(head).isEmpty() && (head instanceof Expr.Name || isPathOf(facts, head));
    }

    /** {@code os.path.abspath(p)}, {@code os.path.join(d, name)}, {@code Path(p)}: a path computed from values. */
    private static boolean isPathOf(CallFacts facts, Expr e) {
        if (!(e instanceof Expr.Call c) || facts.file().constant(e).isPresent()) {
            return false;
        }
        String qn = facts.file().calleeName(c).orElse("");
        return qn.startsWith("os.path.") || qn.equals("pathlib.Path") || qn.equals("str");
    }
}
