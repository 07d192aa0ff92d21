package dev.kingsnake.spi.facts;

import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.python.Expr;

import java.util.Optional;
import java.util.Set;

/** Calls that turn data into running code, and where their input comes from. */
public final class ExecSinks {
    private ExecSinks() {
    }

    /** One use of a code sink. */
    public record Use(Expr.Call call, String sink, Expr input, Set<DataFlow.Taint> taint) {
        public boolean pickle() {
            return PythonApis.PICKLE_SINKS.contains(sink);
        }
    }

    public static Optional<Use> of(DataFlow facts, Expr.Call c) {
        // three rules ask this of every call of a file
        return facts.perCall(facts.execSinks, c, ExecSinks::compute);
    }

    /** {@link #of} without the memo. */
    static Optional<Use> compute(DataFlow facts, Expr.Call c) {
        String n = facts.name(c);
        if (!PythonApis.CODE_SINKS.contains(n) && !PythonApis.PICKLE_SINKS.contains(n)) {
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
    private static Optional<Use> indirect(DataFlow facts, Expr.Call c, String n) {
        Optional<Expr> fn;
        Optional<Expr> in;
        if (PythonApis.THREAD_STARTERS.contains(n)) {
            fn = c.keyword(n.equals("threading.Timer") ? "function" : "target");
            if (fn.isEmpty() && n.equals("threading.Timer")) {
                fn = c.arg(1);
            }
            in = c.keyword("args").filter(a -> a instanceof Expr.Sequence).map(a -> ((Expr.Sequence) a).elements())
                    .filter(l -> !l.isEmpty()).map(l -> l.get(0));
        } else if (PythonApis.SUBMITTERS.contains(DataFlow.method(c))) {
            String method = DataFlow.method(c);
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
        String sink = DataFlow.normalise(facts.file().qualifiedName(fn.get()).orElse(""));
        if (!PythonApis.CODE_SINKS.contains(sink) && !PythonApis.PICKLE_SINKS.contains(sink)) {
            return Optional.empty();
        }
        return Optional.of(new Use(c, sink, in.get(), facts.taintAtSink(in.get())));
    }

    public static String snippet(String line) {
        return FindingSink.clip(line.strip(), 160);
    }
}
