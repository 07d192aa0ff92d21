package dev.kingsnake.rules.exfil;

import dev.kingsnake.Confidence;
import dev.kingsnake.Severity;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.PythonFileRule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.Tags;
import dev.kingsnake.spi.facts.CallFacts;
import dev.kingsnake.spi.facts.Capability;
import dev.kingsnake.spi.python.Expr;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A file stealer sweeps the user's files: it walks the whole home directory (or a drive) and sends what it
 * collects. Programs walk a project tree, a cache or a configuration directory; walking all of {@code ~} in a
 * file that uploads is what document and wallet stealers do.
 */
public final class FileSweepRule implements PythonFileRule {

    private static final RuleInfo INFO = new RuleInfo("KS-EXFIL-FILE-SWEEP",
            "Sweeps the user's files where data is sent out: walks the whole home directory or a drive root"
                    + " (os.walk, Path.rglob, recursive glob) in a file that posts or uploads data",
            Severity.HIGH, Confidence.HIGH, Set.of(Tags.CREDENTIALS, Tags.EXFILTRATION),
            "for root, dirs, files in os.walk(os.path.expanduser('~')): ...; requests.post(url, files={'f': archive})",
            "Walking a project tree, a cache or a configuration directory below home is not reported, only a walk"
                    + " that starts at the home directory itself (expanduser('~'), Path.home(), $HOME, %USERPROFILE%)"
                    + " or at a drive root, and only in a file that sends data out (POST, upload, mail, socket"
                    + " send); the walk alone (disk-usage and search tools) is not.");

    private static final Set<String> WALKS = Set.of("os.walk", "os.fwalk");
    private static final Set<String> GLOBS = Set.of("glob.glob", "glob.iglob");
    private static final Set<String> HOME_VARIABLES = Set.of("HOME", "USERPROFILE");
    private static final Pattern HOME_TEXT = Pattern.compile("~[/\\\\]?");
    private static final Pattern DRIVE_ROOT = Pattern.compile("/|[A-Za-z]:[/\\\\]{0,2}");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
        CallFacts facts = CallFacts.of(file);
        if (!facts.fileCaps().contains(Capability.SEND)) {
            return;
        }
        for (CallFacts.CallFact c : facts.calls()) {
            Optional<Expr> root = sweptRoot(c);
            if (root.isPresent() && isHomeOrDrive(facts, c.scope(), root.get(), 0)) {
                sink.report(file, c.call(), "walks the whole home directory or a drive in a file that sends data out");
            }
        }
    }

    /** The directory a recursive walk starts at, when the call is one. */
    private static Optional<Expr> sweptRoot(CallFacts.CallFact c) {
        Expr.Call call = c.call();
        if (WALKS.contains(c.qualifiedName())) {
            return call.arg(0).or(() -> call.keyword("top"));
        }
        if ("rglob".equals(c.method()) && call.callee() instanceof Expr.Attribute a) {
            return Optional.of(a.value());
        }
        if (GLOBS.contains(c.qualifiedName()) && call.keyword("recursive").isPresent()
                && call.arg(0).orElse(null) instanceof Expr.Call join
                && join.callee() instanceof Expr.Attribute ja && ja.attr().equals("join")) {
            return join.arg(0);
        }
        return Optional.empty();
    }

    private static boolean isHomeOrDrive(CallFacts facts, int scope, Expr e, int depth) {
        if (depth > 3) {
            return false;
        }
        Expr v = facts.valueOf(scope, e);
        if (v instanceof Expr.Call call) {
            String name = facts.file().calleeName(call).orElse("");
            if (name.equals("os.path.expanduser")) {
                return call.arg(0).flatMap(facts::text).map(t -> HOME_TEXT.matcher(t).matches()).orElse(false);
            }
            if (name.equals("pathlib.Path.home") || name.equals("pathlib.Path") && call.args().size() == 1) {
                return name.endsWith("home") || isHomeOrDrive(facts, scope, call.args().get(0), depth + 1);
            }
            if (name.equals("os.getenv") || name.equals("os.environ.get")) {
                return call.arg(0).flatMap(facts::text).map(HOME_VARIABLES::contains).orElse(false);
            }
            return false;
        }
        if (v instanceof Expr.Subscript s && facts.file().qualifiedName(s.value()).map("os.environ"::equals)
                .orElse(false)) {
            return facts.text(s.index()).map(HOME_VARIABLES::contains).orElse(false);
        }
        return facts.text(v).map(t -> DRIVE_ROOT.matcher(t).matches()).orElse(false);
    }
}
