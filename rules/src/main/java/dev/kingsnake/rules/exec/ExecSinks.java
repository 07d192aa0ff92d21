package dev.kingsnake.rules.exec;

import dev.kingsnake.spi.python.Expr;

import java.util.Optional;
import java.util.Set;

/** Calls that turn data into running code, and where their input comes from. */
public final class ExecSinks {
    private ExecSinks() {
    }

    /** Sinks that run source or code objects. */
    static final Set<String> CODE = Set.of("exec", "eval", "compile", "execfile", "marshal.loads",
            "types.FunctionType", "types.CodeType", "runpy.run_path", "code.InteractiveInterpreter.runsource");
    /** Sinks that run code only when the data is a crafted pickle. */
    static final Set<String> PICKLE = Set.of("pickle.loads", "cPickle.loads", "_pickle.loads", "dill.loads",
            "cloudpickle.loads", "pickle.load", "cPickle.load", "dill.load", "joblib.load");

    /** One use of a code sink. */
    public record Use(Expr.Call call, String sink, Expr input, Set<CodeFacts.Taint> taint) {
        public boolean pickle() {
            return PICKLE.contains(sink);
        }
    }

    /** Calls that run a function given as {@code target=} with the positional arguments in {@code args=}. */
    private static final Set<String> THREAD_STARTERS = Set.of("threading.Thread", "multiprocessing.Process",
            "threading.Timer");
    /** Methods that run their first argument (a function) on the remaining ones. */
    private static final Set<String> SUBMITTERS = Set.of("submit", "apply_async", "run_in_executor");

    public static Optional<Use> of(CodeFacts facts, Expr.Call c) {
        String n = facts.name(c);
        if (!CODE.contains(n) && !PICKLE.contains(n)) {
            return indirect(facts, c, n);
        }
        Optional<Expr> in = c.arg(0);
        if (in.isEmpty()) {
            in = c.keyword("source").or(() -> c.keyword("data")).or(() -> c.keyword("code"));
        }
        if (in.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Use(c, n, in.get(), facts.taintAtSink(in.get())));
    }

    /**
     * A code sink handed to another call that runs it: {@code threading.Thread(target=exec, args=(code,))},
     * {@code executor.submit(exec, code)}. The use is reported at that call, with the argument the sink gets.
     */
    private static Optional<Use> indirect(CodeFacts facts, Expr.Call c, String n) {
        Optional<Expr> fn;
        Optional<Expr> in;
        if (THREAD_STARTERS.contains(n)) {
            fn = c.keyword(n.equals("threading.Timer") ? "function" : "target");
            if (fn.isEmpty() && n.equals("threading.Timer")) {
                fn = c.arg(1);
            }
            in = c.keyword("args").filter(a -> a instanceof Expr.Sequence).map(a -> ((Expr.Sequence) a).elements())
                    .filter(l -> !l.isEmpty()).map(l -> l.get(0));
        } else if (SUBMITTERS.contains(CodeFacts.method(c))) {
            String method = CodeFacts.method(c);
            boolean executor = method.equals("run_in_executor");
            fn = c.arg(executor ? 1 : 0);
            in = c.arg(executor ? 2 : 1);
            if (in.isPresent() && method.equals("apply_async") && in.get() instanceof Expr.Sequence s) {
                in = s.elements().isEmpty() ? Optional.empty() : Optional.of(s.elements().get(0));
            }
        } else {
            return Optional.empty();
        }
        if (fn.isEmpty() || in.isEmpty()) {
            return Optional.empty();
        }
        String sink = CodeFacts.normalise(facts.file().qualifiedName(fn.get()).orElse(""));
        if (!CODE.contains(sink) && !PICKLE.contains(sink)) {
            return Optional.empty();
        }
        return Optional.of(new Use(c, sink, in.get(), facts.taintAtSink(in.get())));
    }

    static String snippet(String line) {
        String t = line.strip();
        return t.length() > 160 ? t.substring(0, 160) + "\u2026" : t;
    }
}
