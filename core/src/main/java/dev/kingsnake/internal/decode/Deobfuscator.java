package dev.kingsnake.internal.decode;

import dev.kingsnake.Diagnostic;
import dev.kingsnake.DiagnosticCode;
import dev.kingsnake.Limits;
import dev.kingsnake.Reach;
import dev.kingsnake.internal.python.PythonParser;
import dev.kingsnake.internal.decode.marshal.CodeListing;
import dev.kingsnake.internal.decode.marshal.MarshalReader;
import dev.kingsnake.internal.decode.marshal.Pyc;
import dev.kingsnake.internal.decode.marshal.PyObject;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.SourceFile;
import dev.kingsnake.spi.python.Const;
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
 * every decoding call, lambda and helper function the {@link PayloadEvaluator} understands;</li>
 * <li>decoding calls outside any sink ({@code payload = base64.b64decode('...')}): kept when they decode
 * a literal of at least {@value #MIN_LITERAL} characters into Python, text or a known binary.</li>
 * </ol>
 * Each result is one {@link DecodedLayer}; the engine parses Python layers and peels them again.
 */
public final class Deobfuscator {
    /** Shortest literal whose decoding is kept when no sink consumes it. */
    static final int MIN_LITERAL = 40;
    /** Shortest literal decoded blindly (without seeing its decoding code). */
    static final int BLIND_MIN_LITERAL = 200;
    /**
     * A literal written inside the argument of exec/eval/compile ({@code exec(''.join(table[c] for c in '...'))})
     * is what the code run is built from: a one-line payload under a letter substitution is tried from this
     * length (a reverse shell fits in 200 characters).
     */
    static final int SINK_BLIND_MIN_LITERAL = 64;
    /** Code-object wrappers walked through below one marshal payload. */
    private static final int MAX_WRAPPER_ROUNDS = 500;
    /** Shortest {@code python -c} program taken as a layer. */
    private static final int INLINE_MIN = 16;
    private static final java.util.regex.Pattern PYTHON =
            java.util.regex.Pattern.compile("(?i)(.*[/\\\\])?python[0-9.]*w?(\\.exe)?");
    /** Most payloads guessed in the constants of one code object tree. */
    private static final int MAX_CONSTANT_PAYLOADS = 16;

    private final Limits limits;
    /** Parses strings handed to {@code eval} during decoding, under the scan's own limits. */
    private final PythonParser expressions;

    public Deobfuscator(Limits limits) {
        this.limits = limits;
        this.expressions = new PythonParser(limits);
    }

    /**
     * The payloads found directly in {@code file} (one layer deep; the engine parses Python payloads
     * and calls this again on them, up to {@link Limits#maxDecodeLayers()}). Layer chains include the
     * chain of {@code file} itself, and the origin of a layer found in a layer is the outermost literal.
     */
    public Result peel(PythonFile file, DecodeBudget budget) {
        return peel(file, List.of(), budget);
    }

    /**
     * Peels a decoded layer whose code was exec'd by {@code enclosing} (innermost first): names the layer
     * does not bind resolve in those files, as exec'd code sees its caller's globals.
     */
    public Result peel(PythonFile file, List<PythonFile> enclosing, DecodeBudget budget) {
        return peel(file, enclosing, PackageModules.NONE, budget);
    }

    /** As {@link #peel(PythonFile, List, DecodeBudget)}, reading names imported from the package's modules. */
    public Result peel(PythonFile file, List<PythonFile> enclosing, PackageModules modules, DecodeBudget budget) {
        Bindings outer = null;
        for (int i = enclosing.size() - 1; i >= 0; i--) {
            outer = new Bindings(enclosing.get(i), outer);
        }
        Run run = new Run(file, new Bindings(file, outer), expressions, EvaluationBounds.payloads(limits), modules,
                new OutputBound(limits.maxDecodedBytesPerLayer(), budget), limits.maxDecodeLayers());
        try {
            run.sinks();
            run.decoders();
            run.blindLiterals();
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
            listing = cut(listing, limits.maxDecodedBytesPerLayer());
            if (!budget.take(listing.length)) {
                return new Result(List.of(), List.of(new Diagnostic(DiagnosticCode.LIMIT_EXCEEDED, file.path(),
                        "package decode budget exhausted")));
            }
            List<String> chain = List.of("pyc " + r.format().versions());
            Location at = Location.file(file, file.origin().reach());
            List<DecodedLayer> layers = new ArrayList<>();
            layers.add(new DecodedLayer(listing, chain, at, false));
            List<Diagnostic> cutOffs = new ArrayList<>();
            for (BlindDecoder.Outcome o : constantPayloads(r.object(), new OutputBound(limits.maxDecodedBytesPerLayer(),
                    budget), e -> cutOffs.add(new Diagnostic(DiagnosticCode.LIMIT_EXCEEDED, file.path(),
                    "bytecode constant not decoded: " + e.getMessage())))) {
                List<String> inner = new ArrayList<>(chain);
                inner.addAll(o.steps());
                byte[] content = o.code().map(code -> CodeListing.of(code).getBytes(StandardCharsets.UTF_8))
                        .orElse(o.content());
                layers.add(new DecodedLayer(cut(content, limits.maxDecodedBytesPerLayer()), inner, at,
                        o.code().isEmpty()));
            }
            return new Result(layers, cutOffs.stream().distinct().toList());
        } catch (DecodeException e) {
            return new Result(List.of(), List.of(new Diagnostic(e.isLimit() ? DiagnosticCode.LIMIT_EXCEEDED
                    : DiagnosticCode.DECODE_INCOMPLETE, file.path(), "bytecode not read: " + e.getMessage())));
        }
    }

    /**
     * A layer never holds more than the per-layer bound, even where a step widened its input after claiming it
     * (invalid UTF-8 decoded to U+FFFD, the listing of a code object): it keeps its first bytes.
     */
    private static byte[] cut(byte[] content, long max) {
        return content.length > max ? java.util.Arrays.copyOf(content, (int) max) : content;
    }

    /** Payloads hidden in the string constants of a code object tree (a loader's encoded second stage). */
    static List<BlindDecoder.Outcome> constantPayloads(PyObject root, OutputBound bound,
                                                       java.util.function.Consumer<DecodeException> cutOff) {
        List<BlindDecoder.Outcome> out = new ArrayList<>();
        java.util.Deque<PyObject> work = new java.util.ArrayDeque<>();
        work.add(root);
        int visited = 0;
        while (!work.isEmpty() && out.size() < MAX_CONSTANT_PAYLOADS && visited++ < 100_000) {
            PyObject o = work.poll();
            if (o instanceof PyObject.Code c) {
                work.addAll(c.code().constants());
            } else if (o instanceof PyObject.Seq s) {
                work.addAll(s.items());
            } else if (o instanceof PyObject.Str || o instanceof PyObject.Bytes) {
                byte[] raw = o instanceof PyObject.Str s ? s.value().getBytes(StandardCharsets.ISO_8859_1)
                        : ((PyObject.Bytes) o).value();
                if (raw.length >= MIN_LITERAL) {
                    try {
                        BlindDecoder.peel(raw, bound).ifPresent(out::add);
                    } catch (DecodeException e) {
                        cutOff.accept(e);
                    }
                }
            }
        }
        return out;
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
        private final PayloadEvaluator ev;
        private final List<DecodedLayer> layers = new ArrayList<>();
        private final Set<Diagnostic> diagnostics = new LinkedHashSet<>();
        private final Set<Node> covered = Collections.newSetFromMap(new IdentityHashMap<>());
        private final Set<Node> origins = Collections.newSetFromMap(new IdentityHashMap<>());
        private final OutputBound bound;
        private final Bindings bindings;
        private final int maxLayers;
        private boolean hasCodeSink;
        /** String literals inside the arguments of calls that run code: what a sink's argument is built from. */
        private final Set<Node> sinkLiterals = Collections.newSetFromMap(new IdentityHashMap<>());

        Run(PythonFile file, Bindings bindings, PythonParser expressions, EvaluationBounds evaluation,
            PackageModules modules, OutputBound bound, int maxLayers) {
            this.maxLayers = maxLayers;
            this.file = file;
            this.bound = bound;
            this.bindings = bindings;
            this.ev = new PayloadEvaluator(file, bindings, expressions, bound, evaluation, modules, 0);
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
                hasCodeSink |= kind.get() == Sinks.Kind.CODE || kind.get() == Sinks.Kind.MARSHAL;
                int before = layers.size();
                List<Expr> args = Sinks.payloadArgs(call, kind.get());
                if (kind.get() == Sinks.Kind.CODE) {
                    for (Expr arg : args) {
                        Nodes.walk(arg, n -> {
                            if (n instanceof Expr.Literal) {
                                sinkLiterals.add(n);
                            }
                        });
                    }
                }
                for (Expr arg : args) {
                    // a value kept as runs (a huge padding before the code) is read as the sink reads code
                    Optional<Value> v = ev.evaluate(arg, call.line()).map(ev::forSink);
                    report(ev.drainFailures(), call.line(), true);
                    v.ifPresent(value -> sinkLayer(value, kind.get(), call));
                }
                if (layers.size() > before) {
                    // otherwise the decoding calls inside (a URL built for a download, say) are tried alone
                    cover(call);
                }
            }
        }

        void decoders() {
            for (Expr.Call call : file.calls()) {
                if (covered.contains(call) || !Sinks.isDecodingCall(file, call, bindings)) {
                    continue;
                }
                cover(call);
                Optional<Value> v = ev.evaluate(call, call.line()).map(ev::forSink);
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
                Optional<Value.Str> inline = inlinePython(s.items());
                if (inline.isPresent()) {
                    Value.Str code = inline.get();
                    if (!alreadyPeeled(code.trace()) && !code.trace().origin().isEmpty()) {
                        add(code.value().getBytes(StandardCharsets.UTF_8), code.trace().then("python -c"), call);
                    }
                    return;
                }
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
            if (kind == Sinks.Kind.PICKLE && PickleCalls.looksLikePickle(content)) {
                // what loading the pickle calls, read from its opcodes: the layer is that, as Python
                Optional<String> calls = PickleCalls.read(content).flatMap(PickleCalls::asPython);
                if (calls.isPresent()) {
                    addLayer(calls.get().getBytes(StandardCharsets.UTF_8), t.then("pickle"), call, true);
                    return;
                }
            }
            if (t.chain().isEmpty()) {
                // A plain string handed to exec/eval/compile, or written to a file, is code the parser saw only
                // as a literal.
                if (kind != Sinks.Kind.CODE && kind != Sinks.Kind.WRITE || t.origin().isEmpty() || content.length < 16
                        || !PayloadText.looksLikePython(content)) {
                    return;
                }
                if (ev.foldsEval(call, v)) {
                    // eval('codecs.decode(x, k)'): an expression the evaluator already follows, not a payload
                    return;
                }
                addLayer(content, t.then("string"), call, true); // Python, as just tested
                return;
            }
            add(content, t, call);
        }

        /**
         * The program of {@code [sys.executable | "python3", "-c", "<program>"]}: Python source handed to a new
         * interpreter, which the parser saw only as a string (a post-install script, a detached second stage).
         */
        private static Optional<Value.Str> inlinePython(List<Value> argv) {
            if (argv.size() < 3 || argv.get(0) instanceof Value.Str first && !PYTHON.matcher(first.value()).matches()) {
                return Optional.empty();
            }
            for (int i = 1; i + 1 < argv.size(); i++) {
                if (argv.get(i) instanceof Value.Str flag && flag.value().equals("-c")) {
                    if (argv.get(i + 1) instanceof Value.Str code && code.value().strip().length() >= INLINE_MIN
                            && PayloadText.looksLikePython(code.value().getBytes(StandardCharsets.UTF_8))) {
                        return Optional.of(code);
                    }
                    return Optional.empty();
                }
            }
            return Optional.empty();
        }

        private boolean alreadyPeeled(Value.Trace t) {
            return t.origin().isPresent() && origins.contains(t.origin().get());
        }

        private void addCode(Value.Code c, Expr.Call call) {
            List<String> chain = new ArrayList<>(c.trace().chain());
            chain.set(chain.size() - 1, "marshal " + c.format());
            addCodeTree(c.object(), new Value.Trace(chain, c.trace().origin(), c.trace().originSize()), call);
        }

        /**
         * A code object's listing, then the payloads hidden in its constants, as deep as they go. Wrappers
         * that only hold the next round (pyobfuscate nests the same loader dozens of times) are walked
         * through without a layer each, and repeated rounds are written once with a count.
         */
        private void addCodeTree(PyObject code, Value.Trace t, Expr.Call call) {
            addLayer(CodeListing.of(code).getBytes(StandardCharsets.UTF_8), t, call, false);
            record Pending(PyObject code, Value.Trace trace, boolean listed) {
            }
            java.util.Deque<Pending> work = new java.util.ArrayDeque<>();
            work.add(new Pending(code, t, true));
            int rounds = 0;
            while (!work.isEmpty()) {
                if (++rounds > MAX_WRAPPER_ROUNDS) {
                    diagnostic(DiagnosticCode.LIMIT_EXCEEDED, call == null ? 0 : call.line(),
                            "more than " + MAX_WRAPPER_ROUNDS + " nested code-object wrappers");
                    return;
                }
                Pending p = work.poll();
                List<BlindDecoder.Outcome> inner = constantPayloads(p.code(), bound, e -> diagnostic(
                        DiagnosticCode.LIMIT_EXCEEDED, call == null ? 0 : call.line(),
                        "payload in a code object constant not decoded: " + e.getMessage()));
                if (inner.size() == 1 && inner.get(0).code().isPresent()) {
                    // a wrapper that only holds the next round: walked through without a layer of its own
                    work.addFirst(new Pending(inner.get(0).code().get(), withSteps(p.trace(), inner.get(0).steps()),
                            false));
                    continue;
                }
                if (!p.listed()) {
                    addLayer(CodeListing.of(p.code()).getBytes(StandardCharsets.UTF_8), p.trace(), call, false);
                }
                for (BlindDecoder.Outcome o : inner) {
                    Value.Trace it = withSteps(p.trace(), o.steps());
                    if (o.code().isPresent()) {
                        // several payloads in one code object: each is listed and peeled in turn
                        work.add(new Pending(o.code().get(), it, false));
                    } else {
                        addLayer(o.content(), it, call, true);
                    }
                }
            }
        }

        /** Appends decoding steps, folding a repeat of the previous round into a count ({@code ×3}). */
        private static Value.Trace withSteps(Value.Trace t, List<String> steps) {
            List<String> chain = new ArrayList<>(t.chain());
            int n = steps.size();
            boolean counted = !chain.isEmpty() && chain.get(chain.size() - 1).startsWith("×");
            int end = counted ? chain.size() - 1 : chain.size();
            if (end >= n && chain.subList(end - n, end).equals(steps)) {
                int times = counted ? Integer.parseInt(chain.get(chain.size() - 1).substring(1)) + 1 : 2;
                chain.subList(end, chain.size()).clear();
                chain.add("×" + times);
            } else {
                chain.addAll(steps);
            }
            return new Value.Trace(chain, t.origin(), t.originSize());
        }

        /** Literals no decoding call consumed, in a file that runs code it builds: guessed layer by layer. */
        void blindLiterals() {
            if (!hasCodeSink) {
                return;
            }
            file.nodes().forEach(n -> {
                if (n instanceof Expr.Literal lit && lit.value().isStringLike() && !origins.contains(lit)
                        && lit.value().asText().length() >= (sinkLiterals.contains(lit) ? SINK_BLIND_MIN_LITERAL
                        : BLIND_MIN_LITERAL)) {
                    byte[] raw = lit.value() instanceof Const.Bytes b ? b.value()
                            : lit.value().asText().getBytes(StandardCharsets.ISO_8859_1);
                    Optional<BlindDecoder.Outcome> peeled;
                    try {
                        peeled = BlindDecoder.peel(raw, bound);
                    } catch (DecodeException e) {
                        diagnostic(DiagnosticCode.LIMIT_EXCEEDED, lit.line(), "literal not decoded: " + e.getMessage());
                        return;
                    }
                    peeled.ifPresent(o -> {
                        Value.Trace t = Value.Trace.of(lit, raw.length);
                        for (String step : o.steps()) {
                            t = t.then(step);
                        }
                        byte[] content = o.code().map(code -> CodeListing.of(code).getBytes(StandardCharsets.UTF_8))
                                .orElse(o.content());
                        addLayer(content, t, null, o.code().isEmpty());
                    });
                }
            });
        }

        private void add(byte[] content, Value.Trace t, Expr.Call call) {
            addLayer(content, t, call, PayloadText.looksLikePython(content));
        }

        private void addLayer(byte[] content, Value.Trace t, Expr.Call call, boolean python) {
            t.origin().ifPresent(origins::add);
            // A layer of a layer continues its file's chain; the same round again is counted, not repeated.
            List<String> chain = withSteps(new Value.Trace(file.decodeChain(), Optional.empty(), 0), t.chain()).chain();
            String last = chain.isEmpty() ? "" : chain.get(chain.size() - 1);
            if (last.startsWith("×") && Integer.parseInt(last.substring(1)) > MAX_WRAPPER_ROUNDS) {
                diagnostic(DiagnosticCode.LIMIT_EXCEEDED, call == null ? 0 : call.line(),
                        "more than " + MAX_WRAPPER_ROUNDS + " rounds of the same decoding");
                return;
            }
            Location origin;
            if (!file.decodeChain().isEmpty()) {
                origin = file.origin();
            } else {
                Node at = t.origin().orElse(call);
                origin = at == null ? Location.file(file, file.origin().reach())
                        : Location.of(file, at.line(), at.column(), runsAt(at, call));
            }
            if (content.length > bound.perStep()) {
                diagnostic(DiagnosticCode.LIMIT_EXCEEDED, call == null ? 0 : call.line(),
                        "decoded layer cut at " + bound.perStep() + " bytes");
                content = cut(content, bound.perStep());
            }
            layers.add(new DecodedLayer(content, chain, origin, python));
        }

        /**
         * When the payload runs: the reach of the code that runs it when that is earlier than the literal's own
         * (a module-level constant exec'd by an install command runs at install time, not at import time).
         */
        private Reach runsAt(Node literal, Expr.Call runner) {
            Reach own = file.reach(literal);
            if (runner == null) {
                return own;
            }
            Reach run = file.reach(runner);
            return run.ordinal() < own.ordinal() ? run : own;
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
