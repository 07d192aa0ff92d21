package dev.kingsnake.internal.decode;

import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.facts.PythonApis;
import dev.kingsnake.spi.python.Expr;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Where a decoded payload ends up, and which calls decode something. */
final class Sinks {
    /** What a sink does with its argument. */
    enum Kind {
        /** exec / eval / compile / execfile: runs Python source. */
        CODE,
        /** marshal.loads: the call itself yields a code object. */
        MARSHAL,
        /** pickle.loads and friends: runs whatever the pickle says. */
        PICKLE,
        /** __import__ / importlib.import_module with a computed name. */
        IMPORT,
        /** A process launcher: subprocess.*, os.system, os.popen, os.exec*, os.spawn*. */
        PROCESS,
        /** {@code something.write(data)}: a payload dropped to disk. */
        WRITE
    }

    private static final Set<String> CODE = PythonApis.SOURCE_RUNNERS;
    /** The pickle sinks given the data itself ({@code loads}), not a file to read it from. */
    private static final Set<String> PICKLE = PythonApis.PICKLE_SINKS.stream().filter(n -> n.endsWith(".loads"))
            .collect(java.util.stream.Collectors.toUnmodifiableSet());
    private static final Set<String> DECODER_SUFFIXES = Set.of("b64decode", "b32decode", "b16decode", "b85decode",
            "a85decode", "decodebytes", "decodestring", "a2b_base64", "unhexlify", "a2b_hex", "fromhex",
            "decompress", "decrypt", "decode", "join", "translate", "loads");

    private Sinks() {
    }

    static Optional<Kind> kind(PythonFile file, Expr.Call call, PayloadEvaluator ev) {
        if (call.callee() instanceof Expr.Attribute a && a.attr().equals("write") && call.args().size() == 1) {
            return Optional.of(Kind.WRITE);
        }
        String name = callee(file, call, ev);
        if (name.isEmpty()) {
            return Optional.empty();
        }
        if (CODE.contains(name)) {
            return Optional.of(Kind.CODE);
        }
        if (name.equals("marshal.loads")) {
            return Optional.of(Kind.MARSHAL);
        }
        if (PICKLE.contains(name)) {
            return Optional.of(Kind.PICKLE);
        }
        if (name.equals("__import__") || name.equals("importlib.import_module")) {
            return Optional.of(Kind.IMPORT);
        }
        if (name.startsWith("subprocess.") || name.equals("os.system") || name.equals("os.popen")
                || name.startsWith("os.exec") || name.startsWith("os.spawn") || name.equals("pty.spawn")
                || name.startsWith("commands.get")) {
            return Optional.of(Kind.PROCESS);
        }
        return Optional.empty();
    }

    /** The qualified name of the callee, through the evaluator's bindings when the model cannot tell. */
    private static String callee(PythonFile file, Expr.Call call, PayloadEvaluator ev) {
        Optional<String> q = file.calleeName(call);
        if (q.isPresent() && !(call.callee() instanceof Expr.Name n && n.id().startsWith("_"))) {
            String name = PayloadEvaluator.normalise(q.get());
            if (name.contains(".") || CODE.contains(name) || name.equals("__import__")) {
                return name;
            }
        }
        Optional<Value> v = ev.evaluate(call.callee(), call.line());
        ev.drainFailures();
        if (v.isPresent() && v.get() instanceof Value.Builtin b) {
            return PayloadEvaluator.normalise(b.name());
        }
        return q.map(PayloadEvaluator::normalise).orElse("");
    }

    /** The argument expressions a sink's payload is in. */
    static List<Expr> payloadArgs(Expr.Call call, Kind kind) {
        if (kind == Kind.MARSHAL) {
            return List.of(call);
        }
        if (kind == Kind.PROCESS) {
            List<Expr> out = new java.util.ArrayList<>(call.args());
            call.keyword("args").ifPresent(out::add);
            call.keyword("cmd").ifPresent(out::add);
            out.removeIf(e -> e instanceof Expr.Starred);
            return out;
        }
        Optional<Expr> first = call.arg(0).or(() -> call.keyword("source")).or(() -> call.keyword("object"));
        return first.map(List::of).orElse(List.of());
    }

    /**
     * A call that may decode something: a decoder by name ({@code b64decode}, {@code decompress},
     * {@code decrypt}, {@code ''.join}, ...) or any call given a long literal, directly or through a name
     * (lambdas and helper functions of obfuscators are called like that).
     */
    static boolean isDecodingCall(PythonFile file, Expr.Call call, Bindings bindings) {
        Expr callee = call.callee();
        String last = callee instanceof Expr.Attribute a ? a.attr() : callee instanceof Expr.Name n ? n.id() : "";
        if (DECODER_SUFFIXES.contains(last)) {
            return true;
        }
        for (Expr arg : call.args()) {
            if (arg instanceof Expr.Literal l && l.value().isStringLike()
                    && l.value().asText().length() >= Deobfuscator.MIN_LITERAL
                    || arg instanceof Expr.Name n && bindings.boundToLongLiteral(n.id())) {
                return true;
            }
        }
        return false;
    }

}
