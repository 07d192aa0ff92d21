package dev.kingsnake.rules.shared;

import dev.kingsnake.Reach;
import dev.kingsnake.spi.facts.CallFacts;
import dev.kingsnake.spi.facts.Capability;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Node;
import dev.kingsnake.spi.python.Nodes;
import dev.kingsnake.spi.python.Stmt;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Functions that download a file, save it outside temporary directories, mark it executable (installing a tool
 * for the user's platform) and hand the saved path back to their caller ({@code return path}), run only when
 * called (not at install or import time) and starting no process and running no code themselves: how an
 * application fetches a helper tool (a media converter, a packaging tool) into its cache or data directory for the
 * user who asked for it. What a caller then does with the path is judged at the caller: running the path a
 * downloading helper returned stays CRITICAL ({@code KS-PERSIST-DROPPER}). A Windows dropper that saves
 * {@code downloaded_program.exe} into {@code %LOCALAPPDATA%\Temp} and returns it has no chmod and a temporary
 * directory: it is not one.
 */
public final class ToolFetchers {
    private static final Set<String> OPENERS = Set.of("open", "io.open", "codecs.open", "builtins.open");

    /** A temporary directory named in a string: where droppers put what they will run. */
    private static final java.util.regex.Pattern TEMPORARY = java.util.regex.Pattern.compile(
            "(?i)(^|[^a-z])(te?mp|appdata)([^a-z]|$)");

    private ToolFetchers() {
    }

    /** The call (a save or a chmod) sits in a function of that shape. */
    public static boolean inToolFetcher(CallFacts facts, CallFacts.CallFact c) {
        int scope = c.scope();
        if (scope == 0 || facts.scopeHas(scope, Capability.PROCESS) || facts.scopeHas(scope, Capability.EXEC)) {
            return false;
        }
        Reach reach = facts.file().reach(c.call());
        if (reach == Reach.INSTALL_TIME || reach == Reach.IMPORT_TIME) {
            return false;
        }
        Set<Integer> linked = facts.reachable(scope);
        for (CallFacts.StringFact t : facts.strings()) {
            if ((t.scope() == scope || linked.contains(t.scope())) && TEMPORARY.matcher(t.text()).find()) {
                return false;
            }
        }
        Set<String> saved = new HashSet<>();
        boolean marksExecutable = false;
        for (CallFacts.CallFact w : facts.calls()) {
            if ((w.scope() == scope || linked.contains(w.scope())) && w.qualifiedName().startsWith("tempfile.")) {
                return false;
            }
            if (w.scope() != scope) {
                continue;
            }
            marksExecutable |= w.is(Capability.CHMOD) || "chmod".equals(w.method());
            Optional<Expr> target = w.is(Capability.DOWNLOAD_TO_FILE) ? w.call().arg(1)
                    : w.is(Capability.FILE_WRITE) && OPENERS.contains(w.qualifiedName()) ? w.call().arg(0)
                    : Optional.empty();
            target.filter(Expr.Name.class::isInstance).map(t -> ((Expr.Name) t).id()).ifPresent(saved::add);
        }
        return marksExecutable && !saved.isEmpty() && enclosingFunction(facts, c.call())
                .map(def -> returnsOneOf(def, saved)).orElse(false);
    }

    /** The innermost function definition holding the call. */
    private static Optional<Stmt.FunctionDef> enclosingFunction(CallFacts facts, Expr.Call call) {
        Stmt.FunctionDef best = null;
        int bestSize = Integer.MAX_VALUE;
        for (Node n : facts.file().nodes()) {
            if (n instanceof Stmt.FunctionDef def) {
                boolean[] holds = {false};
                int[] size = {0};
                Nodes.walk(def, x -> {
                    holds[0] |= x == call;
                    size[0]++;
                });
                if (holds[0] && size[0] < bestSize) {
                    best = def;
                    bestSize = size[0];
                }
            }
        }
        return Optional.ofNullable(best);
    }

    private static boolean returnsOneOf(Stmt.FunctionDef def, Set<String> names) {
        boolean[] found = {false};
        List<Stmt> body = def.body();
        for (Stmt st : body) {
            Nodes.walk(st, x -> found[0] |= x instanceof Stmt.Return r && r.value().isPresent()
                    && r.value().get() instanceof Expr.Name v && names.contains(v.id()));
        }
        return found[0];
    }
}
