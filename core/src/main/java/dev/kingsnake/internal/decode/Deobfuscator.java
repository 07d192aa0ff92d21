package dev.kingsnake.internal.decode;

import dev.kingsnake.Diagnostic;
import dev.kingsnake.DiagnosticCode;
import dev.kingsnake.Limits;
import dev.kingsnake.internal.decode.marshal.CodeListing;
import dev.kingsnake.internal.decode.marshal.MarshalReader;
import dev.kingsnake.internal.decode.marshal.Pyc;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.SourceFile;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Node;
import dev.kingsnake.spi.python.Nodes;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Peels encoded payloads off a Python file without running anything. Two passes over the file's calls:
 * <ol>
 * <li>sinks ({@code exec}, {@code eval}, {@code compile}, {@code marshal.loads}, {@code pickle.loads},
 * {@code __import__}, process launchers, {@code open(...).write}): their arguments are evaluated through
 * every decoding call, lambda and helper function the {@link Evaluator} understands;</li>
 * <li>decoding calls outside any sink ({@code payload = base64.b64decode('...')}): kept when they decode
 * a literal of at least {@value #MIN_LITERAL} characters into Python, text or a known binary.</li>
 * </ol>
 * Each result is one {@link DecodedLayer}; the engine parses Python layers and peels them again.
 */
public final class Deobfuscator {
    /** Shortest literal whose decoding is kept when no sink consumes it. */
    static final int MIN_LITERAL = 40;
    /** Evaluation steps one file may use (each step is one expression node or statement). */
    private static final long MAX_STEPS_PER_FILE = 3_000_000;

    private final Limits limits;

    public Deobfuscator(Limits limits) {
        this.limits = limits;
    }

    /**
     * The payloads found directly in {@code file} (one layer deep; the engine parses Python payloads
     * and calls this again on them, up to {@link Limits#maxDecodeLayers()}). Layer chains include the
     * chain of {@code file} itself, and the origin of a layer found in a layer is the outermost literal.
     */
    public Result peel(PythonFile file, DecodeBudget budget) {
        Run run = new Run(file, new OutputBound(limits.maxDecodedBytesPerLayer(), budget));
        try {
            run.sinks();
            run.decoders();
        } catch (StackOverflowError e) {
            run.diagnostic(DiagnosticCode.LIMIT_EXCEEDED, 0, "decoding stopped: expression too deep");
        }
        return new Result(run.layers, new ArrayList<>(run.diagnostics));
    }

    /** A {@code .pyc} file inside the package: its code objects as a listing layer. */
    public Result peelBytecode(SourceFile file, DecodeBudget budget) {
        try {
            MarshalReader.Read r = Pyc.read(file.bytes());
            byte[] listing = CodeListing.of(r.object()).getBytes(StandardCharsets.UTF_8);
            if (!budget.take(listing.length)) {
                return new Result(List.of(), List.of(new Diagnostic(DiagnosticCode.LIMIT_EXCEEDED, file.path(),
                        "package decode budget exhausted")));
            }
            List<String> chain = List.of("pyc " + r.format().versions());
            return new Result(List.of(new DecodedLayer(listing, chain, Location.file(file, file.origin().reach()),
                    false)), List.of());
        } catch (DecodeException e) {
            return new Result(List.of(), List.of(new Diagnostic(e.isLimit() ? DiagnosticCode.LIMIT_EXCEEDED
                    : DiagnosticCode.DECODE_INCOMPLETE, file.path(), "bytecode not read: " + e.getMessage())));
        }
    }

    public record Result(List<DecodedLayer> layers, List<Diagnostic> diagnostics) {
        public Result {
            layers = List.copyOf(layers);
            diagnostics = List.copyOf(diagnostics);
        }
    }

    /** One file's peeling. */
    private static final class Run {
        private final PythonFile file;
        private final Evaluator ev;
        private final List<DecodedLayer> layers = new ArrayList<>();
        private final Set<Diagnostic> diagnostics = new LinkedHashSet<>();
        private final Set<Node> covered = Collections.newSetFromMap(new IdentityHashMap<>());
        private final Set<Node> origins = Collections.newSetFromMap(new IdentityHashMap<>());

        Run(PythonFile file, OutputBound bound) {
            this.file = file;
            this.ev = new Evaluator(file, new Bindings(file.module()), bound, MAX_STEPS_PER_FILE);
        }

        void sinks() {
            for (Expr.Call call : file.calls()) {
                if (covered.contains(call)) {
                    continue;
                }
                Optional<Sinks.Kind> kind = Sinks.kind(file, call, ev);
                if (kind.isEmpty()) {
                    continue;
                }
                cover(call);
                List<Expr> args = Sinks.payloadArgs(call, kind.get());
                for (Expr arg : args) {
                    Optional<Value> v = ev.evaluate(arg, call.line());
                    report(ev.drainFailures(), call.line(), true);
                    v.ifPresent(value -> sinkLayer(value, kind.get(), call));
                }
            }
        }

        void decoders() {
            for (Expr.Call call : file.calls()) {
                if (covered.contains(call) || !Sinks.isDecodingCall(file, call)) {
                    continue;
                }
                cover(call);
                Optional<Value> v = ev.evaluate(call, call.line());
                report(ev.drainFailures(), call.line(), false);
                if (v.isPresent() && v.get() instanceof Value.Data d && !d.trace().chain().isEmpty()
                        && d.trace().originSize() >= MIN_LITERAL && !alreadyPeeled(d.trace())) {
                    byte[] content = d.bytes();
                    if (PayloadText.isPrintable(content) || NativeFormats.isKnownBinary(content)) {
                        add(content, d.trace(), call);
                    }
                } else if (v.isPresent() && v.get() instanceof Value.Code c && !alreadyPeeled(c.trace())) {
                    addCode(c, call);
                }
            }
        }

        private void sinkLayer(Value v, Sinks.Kind kind, Expr.Call call) {
            if (v instanceof Value.Code c) {
                if (!alreadyPeeled(c.trace())) {
                    addCode(c, call);
                }
                return;
            }
            if (v instanceof Value.Seq s && kind == Sinks.Kind.PROCESS) {
                StringBuilder sb = new StringBuilder();
                Value.Trace t = Value.Trace.NONE;
                for (Value item : s.items()) {
                    if (!(item instanceof Value.Str str)) {
                        return;
                    }
                    sb.append(sb.length() == 0 ? "" : " ").append(str.value());
                    t = t.merge(str.trace());
                }
                v = new Value.Str(sb.toString(), t);
            }
            if (!(v instanceof Value.Data d) || alreadyPeeled(d.trace())) {
                return;
            }
            byte[] content = d.bytes();
            Value.Trace t = d.trace();
            if (t.chain().isEmpty()) {
                // A plain string handed to exec/eval/compile is code the parser saw only as a literal.
                if (kind != Sinks.Kind.CODE || t.origin().isEmpty() || content.length < 16
                        || !PayloadText.looksLikePython(content)) {
                    return;
                }
                t = t.then("string");
            }
            add(content, t, call);
        }

        private boolean alreadyPeeled(Value.Trace t) {
            return t.origin().isPresent() && origins.contains(t.origin().get());
        }

        private void addCode(Value.Code c, Expr.Call call) {
            byte[] listing = CodeListing.of(c.object()).getBytes(StandardCharsets.UTF_8);
            List<String> chain = new ArrayList<>(c.trace().chain());
            chain.set(chain.size() - 1, "marshal " + c.format());
            addLayer(listing, new Value.Trace(chain, c.trace().origin(), c.trace().originSize()), call, false);
        }

        private void add(byte[] content, Value.Trace t, Expr.Call call) {
            addLayer(content, t, call, PayloadText.looksLikePython(content));
        }

        private void addLayer(byte[] content, Value.Trace t, Expr.Call call, boolean python) {
            t.origin().ifPresent(origins::add);
            List<String> chain = new ArrayList<>(file.decodeChain());
            chain.addAll(t.chain());
            Location origin;
            if (!file.decodeChain().isEmpty()) {
                origin = file.origin();
            } else {
                Node at = t.origin().orElse(call);
                origin = Location.of(file, at);
            }
            layers.add(new DecodedLayer(content, chain, origin, python));
        }

        private void cover(Expr.Call call) {
            Nodes.walk(call, covered::add);
        }

        private void report(List<DecodeException> failures, int line, boolean sink) {
            for (DecodeException e : failures) {
                if (e.isLimit()) {
                    diagnostic(DiagnosticCode.LIMIT_EXCEEDED, line, e.getMessage());
                } else if (sink) {
                    diagnostic(DiagnosticCode.DECODE_INCOMPLETE, line, e.getMessage());
                }
            }
        }

        void diagnostic(DiagnosticCode code, int line, String message) {
            diagnostics.add(new Diagnostic(code, file.path(), (line > 0 ? "line " + line + ": " : "") + message));
        }
    }
}
