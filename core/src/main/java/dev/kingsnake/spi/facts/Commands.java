package dev.kingsnake.spi.facts;

import dev.kingsnake.spi.FactKey;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.python.Const;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Nodes;
import dev.kingsnake.spi.python.Stmt;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Process-starting calls and what they run: the command text is constant-folded where possible, else
 * rebuilt from its literal fragments ({@code "curl " + url + " | sh"} → {@code "curl … | sh"}), so
 * that rules can grade by what is run rather than by the mere use of {@code subprocess}.
 */
public final class Commands {
    private Commands() {
    }

    /** Unknown part of a command. */
    public static final String UNKNOWN = "\u2026";

    /** Process-starting callables → index of the first argument that is part of the command (-1: all). */
    static final Map<String, Integer> SINKS = Map.ofEntries(
            Map.entry("os.system", 0), Map.entry("os.popen", 0), Map.entry("os.popen2", 0),
            Map.entry("os.popen3", 0), Map.entry("os.popen4", 0), Map.entry("commands.getoutput", 0),
            Map.entry("commands.getstatusoutput", 0), Map.entry("subprocess.run", 0),
            Map.entry("subprocess.call", 0), Map.entry("subprocess.check_call", 0),
            Map.entry("subprocess.check_output", 0), Map.entry("subprocess.Popen", 0),
            Map.entry("subprocess.getoutput", 0), Map.entry("subprocess.getstatusoutput", 0),
            Map.entry("os.execl", 0), Map.entry("os.execle", 0), Map.entry("os.execlp", 0),
            Map.entry("os.execlpe", 0), Map.entry("os.execv", 0), Map.entry("os.execve", 0),
            Map.entry("os.execvp", 0), Map.entry("os.execvpe", 0), Map.entry("os.spawnl", 1),
            Map.entry("os.spawnle", 1), Map.entry("os.spawnlp", 1), Map.entry("os.spawnlpe", 1),
            Map.entry("os.spawnv", 1), Map.entry("os.spawnve", 1), Map.entry("os.spawnvp", 1),
            Map.entry("os.spawnvpe", 1), Map.entry("os.posix_spawn", 0), Map.entry("os.posix_spawnp", 0),
            Map.entry("pty.spawn", 0), Map.entry("asyncio.create_subprocess_shell", 0),
            Map.entry("asyncio.create_subprocess_exec", 0), Map.entry("os.startfile", 0),
            Map.entry("win32api.ShellExecute", 1), Map.entry("ctypes.windll.shell32.ShellExecuteW", 1),
            Map.entry("ctypes.windll.shell32.ShellExecuteA", 1), Map.entry("win32process.CreateProcess", 0),
            Map.entry("sh.Command", 0), Map.entry("pexpect.spawn", 0), Map.entry("pexpect.run", 0));

    /** Tools whose constant invocation is ordinary build or version probing. */
    static final Set<String> BENIGN_TOOLS = Set.of(
            "gcc", "g++", "cc", "c++", "clang", "clang++", "cl", "nvcc", "ld", "ar", "as", "make", "gmake",
            "nmake", "cmake", "ninja", "meson", "pkg-config", "pkgconf", "git", "hg", "svn", "python", "python2",
            "python3", "swig", "cython", "rustc", "cargo", "go", "javac", "xcrun", "xcode-select", "uname",
            "sw_vers", "lsb_release", "ldconfig", "which", "where", "brew", "llvm-config", "nm", "otool",
            "install_name_tool", "patchelf", "strip", "pandoc", "sphinx-build", "protoc", "mpicc", "mpicxx",
            "sysctl", "getconf", "nproc", "gfortran", "f2py", "icc", "icpc", "icx", "dpkg-architecture",
            "conda", "qmake", "moc", "twine", "tox", "pytest", "npm", "yarn", "node", "javah", "ccache",
            "hipcc", "ifort", "dumpbin", "lipo", "codesign", "msbuild", "vswhere", "ranlib", "objdump",
            "readelf", "objcopy", "dsymutil", "file", "date", "echo", "tar", "unzip", "cp", "mv", "mkdir", "ls",
            "rm", "sed", "grep", "find", "cat", "true", "false", "bison", "flex", "yacc", "lex", "autoconf",
            "automake", "autoreconf", "configure", "./configure", "libtool", "pip", "pip3", "black", "flake8",
            "mypy", "isort", "doxygen", "latex", "pdflatex", "dot", "rpm", "dpkg", "java", "mvn", "gradle",
            "docker", "kubectl", "ffmpeg", "ffprobe", "nvidia-smi", "lscpu", "open", "xdg-open", "explorer");

    private static final int F = Pattern.CASE_INSENSITIVE | Pattern.DOTALL;
    public static final List<Pattern> DOWNLOAD_EXEC = List.of(
            Pattern.compile("\\b(curl|wget)\\b[^|]*\\|\\s*(sudo\\s+)?(ba|da|z|k|c)?sh\\b", F),
            Pattern.compile("\\b(curl|wget)\\b[^|]*\\|\\s*(sudo\\s+)?python[0-9.]*\\b", F),
            Pattern.compile("\\b(curl|wget)\\b.*(&&|;|\\|\\|)\\s*(sudo\\s+)?(chmod\\s+[+0-7]|\\./|(ba)?sh\\s|python|start\\s)", F),
            Pattern.compile("\\b(curl|wget)\\b.*https?://\\S+\\.(exe|elf|bin|sh|ps1|bat|vbs|scr|msi|dll)\\b", F),
            Pattern.compile("\\b(downloadstring|downloadfile|downloaddata|invoke-webrequest|invoke-restmethod|"
                    + "start-bitstransfer|net\\.webclient)\\b", F),
            Pattern.compile("\\b(iwr|irm)\\b.*\\b(iex|invoke-expression|start-process)\\b", F),
            Pattern.compile("\\bcertutil(\\.exe)?\\b.*[-/](urlcache|decode|decodehex|verifyctl)\\b", F),
            Pattern.compile("\\bbitsadmin(\\.exe)?\\b.*/(transfer|addfile)\\b", F),
            Pattern.compile("\\bmshta(\\.exe)?\\s+[\"']?(https?:|vbscript:|javascript:)", F),
            Pattern.compile("\\bregsvr32(\\.exe)?\\b.*/i:\\s*[\"']?https?:", F),
            Pattern.compile("\\brundll32(\\.exe)?\\b.*(javascript:|https?://|url\\.dll|shell32\\.dll,\\s*shellexec)", F),
            Pattern.compile("/dev/tcp/", F),
            Pattern.compile("\\b(python[0-9.]*|perl|ruby|php)\\b.*\\s-[ce]\\s.*socket.*connect.*(dup2|pty\\.spawn|/bin/(ba)?sh|cmd\\.exe)", F),
            Pattern.compile("\\b(nc|ncat|netcat)\\b.*\\s-[a-z]*e\\s", F));
    public static final List<Pattern> ENCODED = List.of(
            Pattern.compile("\\bpowershell(\\.exe)?\\b.*\\s[-/]e(c|n|nc|nco|ncod|ncode|ncoded|ncodedcommand)?\\s+[A-Za-z0-9+/=]{8,}", F),
            Pattern.compile("\\bpwsh(\\.exe)?\\b.*\\s[-/]e(c|n|nc|ncodedcommand)?\\s+[A-Za-z0-9+/=]{8,}", F),
            Pattern.compile("\\bbase64\\s+(-d|--decode|-di|-D)\\b.*\\|\\s*(sudo\\s+)?(ba|da|z|k)?sh\\b", F),
            Pattern.compile("\\bbase64\\s+(-d|--decode|-di|-D)\\b.*\\|\\s*python", F),
            Pattern.compile("\\bpython[0-9.]*(\\.exe)?\\s+-c\\s+.*(b64decode|decompress|exec\\(|marshal)", F),
            Pattern.compile("frombase64string", F));
    public static final List<Pattern> HIDDEN = List.of(
            Pattern.compile("\\s[-/]w(in|indow|indowstyle)?\\s+(hidden|1)\\b", F),
            Pattern.compile("\\s[-/](ep|exec|executionpolicy)\\s+bypass\\b", F),
            Pattern.compile("(^|[\\s&|;\"'])start\\s+(\"[^\"]*\"\\s+)?/b\\b", F),
            Pattern.compile("(^|[\\s&|;\"'])nohup\\s", F),
            Pattern.compile("(^|[\\s&|;\"'])setsid\\s", F),
            Pattern.compile("\\bdisown\\b", F),
            Pattern.compile("[^&]&\\s*$", F),
            Pattern.compile("(^|[\\s\"'\\\\/])pythonw(\\.exe)?(\\s|$|[\"'])", F),
            Pattern.compile("\\bwscript(\\.exe)?\\b.*\\.vbs", F),
            Pattern.compile("\\battrib(\\.exe)?\\s+.*\\+[sh]\\b", F));
    static final Pattern INTERACTIVE = Pattern.compile(
            "^\\s*(\\S*/)?(ba|da|z|k|c)?sh(\\.exe)?(\\s+-i)?\\s*$|^\\s*cmd(\\.exe)?\\s*$|\\s-i\\s*$|"
                    + "^\\s*(\\S*/)?(ba|da|z)?sh\\s+-i\\b|powershell(\\.exe)?\\s*$", F);
    /** sh/bash running a script of the source tree (autogen.sh, configure helpers). */
    static final Pattern IN_TREE_SCRIPT = Pattern.compile(
            "^\\s*(\\S*/)?(ba)?sh\\s+(\\./)?[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*\\.sh(\\s+[-\\w=./]*)*\\s*$");
    /**
     * A compiler whose name is found at run time, asked only what it knows ({@code [cc, '-xc', '-E', '-', '-v']},
     * {@code [cc, '--version']}, {@code [tool, '-help']}): setup.py scripts and platform layers probe include
     * paths, versions and features this way.
     */
    static final Pattern COMPILER_PROBE = Pattern.compile(
            "^\\s*\u2026\\s+((-x\\s*c(\\+\\+)?|-E|-v|-V|-|--?version|--?help|-h|-dumpversion|-dumpmachine|-print-search-dirs"
                    + "|-print-file-name=\\S+|-print-prog-name=\\S+)\\s*)+$");
    static final Pattern NETWORK_TOOL = Pattern.compile(
            "(^|[\\s;&|\"'(])(curl|wget|nc|ncat|netcat|socat|telnet|tftp|ftp|scp|powershell|pwsh|iwr|"
                    + "invoke-webrequest)(\\.exe)?(\\s|$)", F);

    /** True when shell text downloads something and runs it ({@code curl ... | sh}, {@code wget ... && chmod +x}). */
    public static boolean downloadsAndRuns(String text) {
        for (Pattern p : DOWNLOAD_EXEC) {
            if (p.matcher(text).find()) {
                return true;
            }
        }
        return false;
    }

    /** A leading environment setting of a shell command ({@code CC=gcc make}). */
    private static final Pattern ENV_SETTING = Pattern.compile("[A-Za-z_\u2026][A-Za-z0-9_\u2026]*=\\S*");
    /** Shell built-ins that only change the directory commands run in. */
    private static final Set<String> DIRECTORY_CHANGES = Set.of("cd", "pushd", "popd");

    /**
     * The programs a command line starts, lower-case, without directory, quotes or {@code .exe}; an unknown
     * program is {@link #UNKNOWN}. Run by a shell, that is the program of each command of the chain ({@code &&},
     * {@code ||}, {@code ;} outside quotes), leaving out commands that only change the directory and leading
     * {@code NAME=value} settings: {@code cd "…" && CC=gcc make all && ls -l …} → {@code [make, ls]}. Empty when
     * nothing but directory changes is known. An argument list starts its first word only.
     */
    public static List<String> programs(String text, boolean shell) {
        List<String> out = new ArrayList<>();
        for (String command : shell ? chain(text) : List.of(text)) {
            String[] words = command.strip().split("\\s+");
            int i = 0;
            while (shell && i < words.length && ENV_SETTING.matcher(words[i]).matches()) {
                i++;
            }
            if (i >= words.length || words[i].isEmpty()) {
                continue;
            }
            String program = programName(words[i]);
            if (!shell) {
                return List.of(program);
            }
            if (!DIRECTORY_CHANGES.contains(program)) {
                out.add(program);
            }
        }
        return out;
    }

    /** The commands of a shell chain: split at {@code &&}, {@code ||} and {@code ;} outside quotes. */
    private static List<String> chain(String text) {
        List<String> out = new ArrayList<>();
        char quote = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quote != 0) {
                quote = ch == quote ? 0 : quote;
            } else if (ch == '"' || ch == '\'') {
                quote = ch;
            } else if (ch == ';' || (ch == '&' || ch == '|') && i + 1 < text.length() && text.charAt(i + 1) == ch) {
                out.add(text.substring(start, i));
                i += ch == ';' ? 0 : 1;
                start = i + 1;
            }
        }
        out.add(text.substring(start));
        return out;
    }

    private static String programName(String word) {
        String first = word.replace("\"", "").replace("'", "").replace('\\', '/');
        first = first.substring(first.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        int unknown = first.indexOf(UNKNOWN.charAt(0));
        if (unknown == 0) {
            return UNKNOWN;
        }
        first = unknown > 0 ? first.substring(0, unknown) : first;
        if (first.endsWith(".exe")) {
            first = first.substring(0, first.length() - 4);
        }
        return first.matches("python[0-9.]*") ? "python" : first;
    }

    /** A process-starting call and the command it runs. */
    public record Command(Expr.Call call, String sink, String text, boolean constant, boolean shell,
                          Set<DataFlow.Taint> taint) {
        /**
         * The program the command starts, lower-case, without directory or {@code .exe}: the first word after any
         * leading {@code cd DIR &&} and {@code NAME=value} settings ({@code cd build && make} runs make).
         */
        public String tool() {
            List<String> ps = programs(text, shell);
            return ps.isEmpty() ? UNKNOWN : ps.get(0);
        }

        public boolean matches(List<Pattern> ps) {
            return find(ps) != null;
        }

        public String find(List<Pattern> ps) {
            for (Pattern p : ps) {
                var m = p.matcher(text);
                if (m.find()) {
                    return m.group().strip();
                }
            }
            return null;
        }

        /** A constant (or nearly constant) call of a build or version-probing tool, with nothing risky. */
        public boolean benign() {
            if (matches(DOWNLOAD_EXEC) || matches(ENCODED) || matches(HIDDEN) || interactive()
                    || networkTool()) {
                return false;
            }
            if (IN_TREE_SCRIPT.matcher(text).find() || COMPILER_PROBE.matcher(text).matches()) {
                return true;
            }
            List<String> ps = programs(text, shell);
            // every command of a chain must be a build tool: cd build && make && ./payload is not a build
            return !ps.isEmpty() && ps.stream().allMatch(BENIGN_TOOLS::contains);
        }

        public boolean interactive() {
            return "pty.spawn".equals(sink) ? true : INTERACTIVE.matcher(text).find();
        }

        /**
         * True when nothing of the command is known statically, or only the name of a program in a directory
         * computed at run time ({@code proj_dir / "bin" / "proj"}): which program that is, is not known either.
         */
        public boolean computed() {
            return text.replace(UNKNOWN, "").isBlank() || text.strip().startsWith(UNKNOWN + "/");
        }

        public boolean networkTool() {
            return NETWORK_TOOL.matcher(text).find();
        }

        public String evidence() {
            String t = text.replace('\n', ' ');
            return t.length() > 200 ? t.substring(0, 200) + UNKNOWN : t;
        }
    }

    /** The command started by {@code call}, or empty when the call does not start a process. */
    public static Optional<Command> of(DataFlow facts, Expr.Call call) {
        // six rules ask this of every call of a file
        return facts.perCall(facts.commands, call, Commands::compute);
    }

    /** {@link #of} without the memo. */
    static Optional<Command> compute(DataFlow facts, Expr.Call call) {
        String n = facts.name(call);
        Integer first = SINKS.get(n);
        if (first == null) {
            return throughWrapper(facts, call);
        }
        PythonFile f = facts.file();
        StringBuilder sb = new StringBuilder();
        boolean[] constant = {true};
        List<Expr> args = call.args();
        int from = Math.max(0, first);
        if (n.startsWith("os.exec") || n.startsWith("os.spawn") || n.startsWith("os.posix_spawn")) {
            from = from + 1; // skip the program path: the argv repeats it
            if (from >= args.size()) {
                from = Math.max(0, first);
            }
        }
        for (int i = from; i < args.size(); i++) {
            if (i > from) {
                sb.append(' ');
            }
            sb.append(text(facts, f, args.get(i), 0, constant));
            if (SINKS.get(n) == 0 && (n.startsWith("subprocess.") || n.startsWith("os.system")
                    || n.startsWith("os.popen") || n.startsWith("commands.") || n.equals("pty.spawn")
                    || n.equals("asyncio.create_subprocess_shell") || n.equals("os.startfile"))) {
                break;
            }
        }
        if (args.isEmpty()) {
            call.keyword("args").ifPresent(a -> sb.append(text(facts, f, a, 0, constant)));
        }
        boolean shell = shell(f, n, call);
        // where the command string itself comes from; a list whose items include a downloaded file's
        // path (installers unpacking what they fetched) is the dropper rules' business, not ours
        Set<DataFlow.Taint> taint = java.util.EnumSet.noneOf(DataFlow.Taint.class);
        if (from < args.size() && !(args.get(from) instanceof Expr.Sequence)
                && !(args.get(from) instanceof Expr.Name nm0 && facts.assignedValue(nm0.id())
                .map(v -> v instanceof Expr.Sequence).orElse(false))) {
            taint.addAll(facts.taintAtSink(args.get(from)));
        } else if (from < args.size()) {
            // an argv list: a program name that is decoded first is still a hidden command
            Expr list = args.get(from) instanceof Expr.Name nm1 ? facts.assignedValue(nm1.id()).orElse(args.get(from))
                    : args.get(from);
            if (list instanceof Expr.Sequence seq && !seq.elements().isEmpty()
                    && facts.taintAtSink(seq.elements().get(0)).contains(DataFlow.Taint.DECODE)) {
                taint.add(DataFlow.Taint.DECODE);
            }
        }
        return Optional.of(new Command(call, n, sb.toString(), constant[0], shell, taint));
    }

    private static boolean shell(PythonFile f, String n, Expr.Call call) {
        return n.equals("os.system") || n.startsWith("os.popen") || n.startsWith("commands.")
                || n.equals("subprocess.getoutput") || n.equals("subprocess.getstatusoutput")
                || n.equals("asyncio.create_subprocess_shell")
                || call.keyword("shell").flatMap(f::constant).map(c -> c instanceof Const.Bool b && b.value())
                .orElse(false);
    }

    /**
     * A call of a helper defined in the same file that passes one of its parameters straight to a
     * process call ({@code def run(cmd): subprocess.Popen(cmd, shell=True)}): the command is the
     * argument given at this call site. One level only; the helper's own process call is reported too.
     */
    private static Optional<Command> throughWrapper(DataFlow facts, Expr.Call call) {
        PythonFile f = facts.file();
        Optional<Stmt.FunctionDef> def = LocalFunctions.of(f).target(call);
        if (def.isEmpty() || call.args().stream().anyMatch(a -> a instanceof Expr.Starred)) {
            return Optional.empty();
        }
        boolean methodCall = call.callee() instanceof Expr.Attribute;
        Command[] found = {null};
        FunctionCommands.of(f).in(def.get(), facts).forEach(inner -> {
            if (found[0] != null || inner == call) {
                return;
            }
            String in = facts.name(inner);
            if (!Integer.valueOf(0).equals(SINKS.get(in)) || in.startsWith("os.exec") || in.startsWith("os.spawn")
                    || in.startsWith("os.posix_spawn") || inner.args().isEmpty()) {
                return;
            }
            Expr cmdArg = inner.args().get(0);
            List<Expr> parts = cmdArg instanceof Expr.Sequence s ? s.elements() : List.of(cmdArg);
            StringBuilder sb = new StringBuilder();
            boolean[] constant = {true};
            Expr passed = null;
            for (Expr part : parts) {
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                if (part instanceof Expr.Name nm) {
                    int idx = LocalFunctions.paramIndex(def.get(), nm.id(), methodCall);
                    Optional<Expr> outer = idx < 0 ? call.keyword(nm.id()) : call.arg(idx).or(() -> call.keyword(nm.id()));
                    if (outer.isPresent()) {
                        passed = outer.get();
                        sb.append(text(facts, f, passed, 0, constant));
                        continue;
                    }
                }
                if (f.constant(part).isEmpty()) {
                    return; // the command is not (only) what the caller passes
                }
                sb.append(text(facts, f, part, 0, constant));
            }
            if (passed == null) {
                return;
            }
            Set<DataFlow.Taint> taint = java.util.EnumSet.noneOf(DataFlow.Taint.class);
            if (!(cmdArg instanceof Expr.Sequence) && !(passed instanceof Expr.Sequence)) {
                taint.addAll(facts.taint(passed));
            }
            if (!constant[0] && taint.isEmpty()) {
                return; // a computed command adds nothing to what the helper's own call reports
            }
            found[0] = new Command(call, def.get().name() + "() \u2192 " + in, sb.toString(), constant[0],
                    shell(f, in, inner), taint);
        });
        return Optional.ofNullable(found[0]);
    }

    /**
     * Per local function, the calls inside it that run a command line (in walk order): found once per file, not
     * once per call of the function and rule asking (torch calls its helpers thousands of times).
     */
    private static final class FunctionCommands {
        private static final FactKey<FunctionCommands> KEY = FactKey.ofPython("command calls in local functions",
                f -> new FunctionCommands());
        private final Map<Stmt.FunctionDef, List<Expr.Call>> calls = new IdentityHashMap<>();

        static FunctionCommands of(PythonFile f) {
            return f.fact(KEY);
        }

        synchronized List<Expr.Call> in(Stmt.FunctionDef def, DataFlow facts) {
            return calls.computeIfAbsent(def, d -> {
                List<Expr.Call> found = new ArrayList<>();
                Nodes.walk(d, node -> {
                    if (node instanceof Expr.Call c && Integer.valueOf(0).equals(SINKS.get(facts.name(c)))) {
                        found.add(c);
                    }
                });
                return found.isEmpty() ? List.of() : found;
            });
        }
    }

    /** Constant text of an expression, with {@link #UNKNOWN} for the parts that are not constant. */
    public static String text(DataFlow facts, PythonFile f, Expr e, int depth, boolean[] constant) {
        Optional<Const> k = f.constant(e);
        if (k.isPresent()) {
            return constText(k.get());
        }
        if (depth > 4) {
            constant[0] = false;
            return UNKNOWN;
        }
        Optional<String> decoded = decodedConstant(facts, f, e);
        if (decoded.isPresent()) {
            constant[0] = false;
            return decoded.get();
        }
        if (e instanceof Expr.BinOp b && "+".equals(b.op())) {
            String l = text(facts, f, b.left(), depth + 1, constant);
            String r = text(facts, f, b.right(), depth + 1, constant);
            boolean list = b.left() instanceof Expr.Sequence || b.right() instanceof Expr.Sequence
                    || f.constant(b.left()).map(q -> q instanceof Const.Seq).orElse(false)
                    || f.constant(b.right()).map(q -> q instanceof Const.Seq).orElse(false);
            return list ? l + " " + r : l + r;
        }
        if (e instanceof Expr.BinOp b && "%".equals(b.op())) {
            String template = text(facts, f, b.left(), depth + 1, constant);
            List<String> values = new java.util.ArrayList<>();
            if (b.right() instanceof Expr.Sequence s) {
                for (Expr x : s.elements()) {
                    values.add(text(facts, f, x, depth + 1, constant));
                }
            } else {
                values.add(text(facts, f, b.right(), depth + 1, constant));
            }
            return substitute(PERCENT, template, values);
        }
        if (e instanceof Expr.FString fs) {
            StringBuilder sb = new StringBuilder();
            for (Expr p : fs.parts()) {
                sb.append(text(facts, f, p, depth + 1, constant));
            }
            return sb.toString();
        }
        if (e instanceof Expr.Sequence s) {
            StringBuilder sb = new StringBuilder();
            for (Expr p : s.elements()) {
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(text(facts, f, p, depth + 1, constant));
            }
            return sb.toString();
        }
        if (e instanceof Expr.Call c && c.callee() instanceof Expr.Attribute a && "format".equals(a.attr())) {
            String template = text(facts, f, a.value(), depth + 1, constant);
            List<String> values = new java.util.ArrayList<>();
            for (Expr arg : c.args()) {
                values.add(text(facts, f, arg, depth + 1, constant));
            }
            return substitute(BRACES, template, values);
        }
        if (e instanceof Expr.Call c && c.callee() instanceof Expr.Attribute a && "join".equals(a.attr())) {
            String sep = text(facts, f, a.value(), depth + 1, constant);
            StringBuilder sb = new StringBuilder();
            for (Expr arg : c.args()) {
                sb.append(text(facts, f, arg, depth + 1, constant).replace(" ", sep.isEmpty() ? " " : sep));
            }
            return sb.toString();
        }
        if (e instanceof Expr.BinOp b && "/".equals(b.op()) && f.constant(b.right()).filter(Const::isStringLike)
                .isPresent()) {
            // Path(bin_dir) / "cmake": a path whose last part is known
            return text(facts, f, b.left(), depth + 1, constant) + "/" + text(facts, f, b.right(), depth + 1, constant);
        }
        if (e instanceof Expr.Call c) {
            Optional<String> path = pathText(facts, f, c, depth, constant);
            if (path.isPresent()) {
                return path.get();
            }
        }
        if (e instanceof Expr.Attribute || e instanceof Expr.Name) {
            String q = f.qualifiedName(e).orElse("");
            if ("sys.executable".equals(q)) {
                constant[0] = false;
                return "python.exe";
            }
        }
        if (e instanceof Expr.Call c && c.callee() instanceof Expr.Attribute a && "replace".equals(a.attr())
                && c.args().size() == 2) {
            String recv = text(facts, f, a.value(), depth + 1, constant);
            Optional<Const> from = f.constant(c.args().get(0));
            Optional<Const> to = f.constant(c.args().get(1));
            if (from.isPresent() && to.isPresent() && !from.get().asText().isEmpty()) {
                return recv.replace(from.get().asText(), to.get().asText());
            }
            return recv;
        }
        if (e instanceof Expr.Name nm) {
            Optional<Expr> v = facts.assignedValue(nm.id());
            if (v.isPresent() && v.get() != e) {
                boolean[] inner = {true};
                StringBuilder t = new StringBuilder(text(facts, f, v.get(), depth + 1, inner));
                List<Expr> appended = facts.appendedValues(nm.id());
                for (int i = 0; i < appended.size() && i < MAX_APPENDED && t.length() < 4000; i++) {
                    t.append(text(facts, f, appended.get(i), depth + 1, inner));
                }
                constant[0] = false;
                return t.toString();
            }
        }
        constant[0] = false;
        return UNKNOWN;
    }

    private static final FactKey<Set<String>> BUILT_PROGRAMS = FactKey.ofPython("programs built from source",
            Commands::builtPrograms);

    /**
     * Programs the file builds from source with a language's package tool ({@code cargo install --bin
     * dedup_headers tools}, {@code go install example.org/cmd/gen@v1.2}): running one of them afterwards runs a
     * build tool the build compiled, not a file it downloaded.
     */
    public static Set<String> builtFromSource(PythonFile f) {
        return f.fact(BUILT_PROGRAMS);
    }

    private static Set<String> builtPrograms(PythonFile f) {
        DataFlow facts = DataFlow.of(f);
        Set<String> out = new java.util.HashSet<>();
        for (Expr.Call c : f.calls()) {
            if (!SINKS.containsKey(facts.name(c))) {
                continue;
            }
            of(facts, c).ifPresent(cmd -> {
                String[] w = cmd.text().strip().split("\\s+");
                String tool = cmd.tool();
                if (w.length < 3 || !"install".equals(w[1]) || !("cargo".equals(tool) || "go".equals(tool))) {
                    return;
                }
                List<String> named = new ArrayList<>();
                List<String> positional = new ArrayList<>();
                for (int i = 2; i < w.length; i++) {
                    if ("--bin".equals(w[i]) && i + 1 < w.length) {
                        named.add(w[++i]);
                    } else if (w[i].startsWith("-")) {
                        i += "--git".equals(w[i]) || "--path".equals(w[i]) || "--version".equals(w[i]) ? 1 : 0;
                    } else {
                        String p = w[i].replaceAll("@.*$", "");
                        positional.add(p.substring(p.lastIndexOf('/') + 1));
                    }
                }
                (named.isEmpty() ? positional : named).stream().filter(p -> !p.contains(UNKNOWN))
                        .map(p -> p.toLowerCase(Locale.ROOT)).forEach(out::add);
            });
        }
        return out.isEmpty() ? Set.of() : Set.copyOf(out);
    }

    /** Calls that look a program up on PATH by name: the program is that name. */
    private static final Set<String> PATH_LOOKUPS = Set.of("shutil.which", "distutils.spawn.find_executable");
    /** Calls and methods that return the same path in another form. */
    private static final Set<String> SAME_PATH = Set.of("str", "os.fspath", "os.path.abspath", "os.path.realpath",
            "os.path.normpath", "pathlib.Path", "Path");
    private static final Set<String> SAME_PATH_METHODS = Set.of("resolve", "absolute", "expanduser");

    /**
     * The text of a call that names a program or path: {@code shutil.which('objcopy')} is objcopy,
     * {@code os.path.join(d, 'cmake')} is {@code …/cmake}, {@code str(p)} and {@code p.resolve()} are p.
     */
    private static Optional<String> pathText(DataFlow facts, PythonFile f, Expr.Call c, int depth, boolean[] constant) {
        String n = facts.name(c);
        if (PATH_LOOKUPS.contains(n) && c.args().size() == 1) {
            constant[0] = false;
            return f.constant(c.args().get(0)).filter(Const::isStringLike).map(Const::asText);
        }
        if ("os.path.join".equals(n) && !c.args().isEmpty()) {
            List<String> parts = new ArrayList<>();
            for (Expr a : c.args()) {
                parts.add(text(facts, f, a, depth + 1, constant));
            }
            return Optional.of(String.join("/", parts));
        }
        if (SAME_PATH.contains(n) && c.args().size() == 1 && c.keywords().isEmpty()) {
            return Optional.of(text(facts, f, c.args().get(0), depth + 1, constant));
        }
        if (c.args().isEmpty() && c.callee() instanceof Expr.Attribute a && SAME_PATH_METHODS.contains(a.attr())) {
            return Optional.of(text(facts, f, a.value(), depth + 1, constant));
        }
        return Optional.empty();
    }

    /**
     * The text of a decoder call on a constant ({@code b64decode('Y3VybCAuLi4=')}, a local helper that
     * decodes, optionally followed by {@code .decode()}): what the command really is.
     */
    static Optional<String> decodedConstant(DataFlow facts, PythonFile f, Expr e) {
        Expr x = e;
        if (x instanceof Expr.Call outer && outer.callee() instanceof Expr.Attribute a && "decode".equals(a.attr())
                && a.value() instanceof Expr.Call) {
            x = a.value();
        }
        if (!(x instanceof Expr.Call c) || !facts.isDecoderCall(c) || c.arg(0).isEmpty()) {
            return Optional.empty();
        }
        Expr in = c.arg(0).get();
        if (in instanceof Expr.Call enc && enc.callee() instanceof Expr.Attribute ea && "encode".equals(ea.attr())) {
            in = ea.value();
        }
        return f.constant(in).filter(Const::isStringLike).flatMap(k -> EncodedText.decode(k.asText()));
    }

    /** Most {@code cmd += ...} pieces read into one command line. */
    private static final int MAX_APPENDED = 32;

    private static final Pattern PERCENT = Pattern.compile("%[-#0 +]*[0-9]*(\\.[0-9]+)?[sdrifxXc]");
    private static final Pattern BRACES = Pattern.compile("\\{[0-9]*(![rsa])?(:[^{}]*)?\\}");

    /** Fills placeholders in order; unknown template parts keep their text, missing values become … */
    static String substitute(Pattern placeholder, String template, List<String> values) {
        var m = placeholder.matcher(template);
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (m.find()) {
            String v = i < values.size() ? values.get(i) : UNKNOWN;
            String g = m.group();
            if (g.length() > 2 && g.charAt(0) == '{' && Character.isDigit(g.charAt(1))) {
                int idx = Character.digit(g.charAt(1), 10);
                v = idx < values.size() ? values.get(idx) : UNKNOWN;
            }
            m.appendReplacement(sb, java.util.regex.Matcher.quoteReplacement(v));
            i++;
        }
        m.appendTail(sb);
        if (i == 0 && !values.isEmpty()) {
            sb.append(' ').append(String.join(" ", values));
        }
        return sb.toString();
    }

    static String constText(Const c) {
        if (c instanceof Const.Seq s) {
            StringBuilder sb = new StringBuilder();
            for (Const e : s.elements()) {
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(constText(e));
            }
            return sb.toString();
        }
        if (c.isStringLike()) {
            String t = c.asText();
            return t.length() > 4000 ? t.substring(0, 4000) : t;
        }
        return c instanceof Const.Int i ? i.value().toString() : UNKNOWN;
    }
}
