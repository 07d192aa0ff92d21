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

    public static Optional<Use> of(CodeFacts facts, Expr.Call c) {
        String n = facts.name(c);
        if (!CODE.contains(n) && !PICKLE.contains(n)) {
            return Optional.empty();
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

    static String snippet(String line) {
        String t = line.strip();
        return t.length() > 160 ? t.substring(0, 160) + "\u2026" : t;
    }
}
