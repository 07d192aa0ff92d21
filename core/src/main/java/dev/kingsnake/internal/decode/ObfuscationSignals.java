package dev.kingsnake.internal.decode;

import dev.kingsnake.Limits;
import dev.kingsnake.internal.python.PythonParser;
import dev.kingsnake.spi.ObfuscationSignal;
import dev.kingsnake.spi.ObfuscationSignal.Kind;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.facts.SourceChars;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Nodes;
import dev.kingsnake.spi.python.Stmt;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises the output of public Python obfuscators, whether or not the payload can be decoded. Each
 * signal names the technique (not a sample): a runtime marker a tool leaves, or a code shape only such tools
 * produce. Pure function of the file's model and text; rules reach it through
 * {@link PythonFile#obfuscationSignals()}.
 */
public final class ObfuscationSignals {
    static final Pattern DECLARED = Pattern.compile(
            "(?im)^\\s*#.*\\bobfuscated (?:with|by)\\b.*$|^\\s*(__obfuscator__|__\\w*Obfuscator\\w*__)\\s*=");
    static final Pattern CONFUSABLE = Pattern.compile(
            "^(?:[Il1]{6,}|[O0o]{6,}|_{4,}|[IJLjli1]{8,}|[MNWmnw]{8,}|[XWxw]{8,}|[OoD0Q]{8,}|[S2s5Z]{8,}|[vVwWuU]{8,})$");
    private static final Set<String> DECODER_MODULES = Set.of("zlib", "base64", "marshal", "lzma", "bz2", "gzip",
            "codecs", "binascii");
    private static final Set<String> HIDDEN = Set.of("exec", "eval", "compile", "__import__", "getattr",
            "__builtins__", "builtins", "globals", "system", "popen");
    /** Distinct look-alike names before they count as renaming (each one is already an unnatural name). */
    private static final int CONFUSABLE_MIN = 5;
    private static final Pattern EXEC_ANNOTATION = Pattern.compile("\\)\\s*->\\s*exec\\s*:");

    private ObfuscationSignals() {
    }

    /**
     * @param expressions parses the strings given to {@code eval}, with the limits of the scan
     * @param limits      the scan's limits, whose analysis bounds bound the look-ups of computed names
     */
    public static List<ObfuscationSignal> detect(PythonFile file, PythonParser expressions, Limits limits) {
        List<ObfuscationSignal> out = new ArrayList<>();
        String text = file.text();
        TextMarks marks = TextMarks.of(SourceChars.of(file));
        if (marks.pyarmor()) {
            out.add(new ObfuscationSignal(Kind.PYARMOR, lineOf(text, firstOf(text, "__pyarmor__", "pyarmor_runtime",
                    "__armor_enter__", "PYARMOR")), "PyArmor runtime"));
        }
        Matcher m = marks.obfuscator() ? DECLARED.matcher(text) : null;
        if (m != null && m.find()) {
            out.add(new ObfuscationSignal(Kind.DECLARED_OBFUSCATOR, lineOf(text, m.start()), m.group().strip()));
        }
        Set<String> confusable = new HashSet<>();
        // every match of EXEC_ANNOTATION holds both; reading a def line splits the whole file into lines
        boolean mayAnnotateExec = marks.arrow() && marks.exec();
        int[] firstConfusable = {0};
        boolean[] hidden = {false};
        PayloadEvaluator[] ev = {null};
        file.nodes().forEach(n -> {
            if (n instanceof Stmt.Assign a && a.value().isPresent() && a.value().get() instanceof Expr.Lambda l
                    && importsDecoder(l.body())) {
                out.add(new ObfuscationSignal(Kind.DECODER_LAMBDA, a.line(), "lambda calling __import__ of a decoder module"));
            }
            String name = n instanceof Expr.Name nm ? nm.id() : n instanceof Stmt.FunctionDef f ? f.name()
                    : n instanceof Stmt.Param p ? p.name() : null;
            if (name != null && mayBeConfusable(name) && confusable(name) && confusable.add(name)
                    && confusable.size() == CONFUSABLE_MIN) {
                firstConfusable[0] = n.line();
            }
            if (!hidden[0] && n instanceof Expr.Subscript sub && hidesBuiltinByKey(file, sub)) {
                hidden[0] = true;
                out.add(new ObfuscationSignal(Kind.HIDDEN_BUILTINS, sub.line(), "builtin looked up by an escaped key"));
            }
            if (!hidden[0] && n instanceof Expr.Call c && hidesBuiltin(file, c, expressions, limits, ev)) {
                hidden[0] = true;
                out.add(new ObfuscationSignal(Kind.HIDDEN_BUILTINS, c.line(), "builtin looked up by a computed name"));
            }
            if (n instanceof Stmt.ClassDef cd && mayAnnotateExec && annotatedExec(file, cd)) {
                out.add(new ObfuscationSignal(Kind.EXEC_ANNOTATED_CLASS, cd.line(), "class " + cd.name()
                        + " with methods annotated -> exec"));
            }
        });
        if (confusable.size() >= CONFUSABLE_MIN) {
            out.add(new ObfuscationSignal(Kind.CONFUSABLE_NAMES, firstConfusable[0], confusable.size()
                    + " look-alike identifiers"));
        }
        return out;
    }

    /** The character classes of {@link #CONFUSABLE}'s alternatives, and the shortest run of each. */
    private static final String[] CONFUSABLE_CLASSES = {"Il1", "O0o", "_", "IJLjli1", "MNWmnw", "XWxw", "OoD0Q",
        "S2s5Z", "vVwWuU"};
    private static final int[] CONFUSABLE_MIN_RUN = {6, 6, 4, 8, 8, 8, 8, 8, 8};

    /**
     * {@code CONFUSABLE.matcher(name).matches()} without the regex (run on every name of a file): the whole name
     * is a run, long enough, of one class's characters.
     */
    static boolean confusable(String name) {
        int n = name.length();
        classes:
        for (int k = 0; k < CONFUSABLE_CLASSES.length; k++) {
            if (n < CONFUSABLE_MIN_RUN[k]) {
                continue;
            }
            String cls = CONFUSABLE_CLASSES[k];
            for (int i = 0; i < n; i++) {
                if (cls.indexOf(name.charAt(i)) < 0) {
                    continue classes;
                }
            }
            return true;
        }
        return false;
    }

    /** Every {@link #CONFUSABLE} name has four or more characters and starts with one of its classes' letters. */
    static boolean mayBeConfusable(String name) {
        return name.length() >= 4 && "Il1O0o_JLjiMNWmnwXxDQS2s5ZvVuU".indexOf(name.charAt(0)) >= 0;
    }

    /**
     * What the signals that read the text look for first, found in one pass that looks closer only at the
     * characters the literals start with: a PyArmor runtime name, 'obfuscat' in some ASCII case (every match of
     * {@link #DECLARED} holds it; most files hold none), and {@code ->} and {@code exec} (every match of
     * {@link #EXEC_ANNOTATION} holds both).
     */
    record TextMarks(boolean pyarmor, boolean obfuscator, boolean arrow, boolean exec) {
        static TextMarks of(SourceChars text) {
            boolean pyarmor = false;
            boolean obfuscator = false;
            boolean arrow = false;
            boolean exec = false;
            // '_', 'p', 'e' and 'o' are common: a mark already found, or a next character that no literal has
            // there, settles it without a call
            for (int i = 0, n = text.length() - 1; i <= n; i++) {
                switch (text.charAt(i)) {
                    case '_' -> pyarmor = pyarmor || i < n && text.charAt(i + 1) == '_'
                            && (text.startsWith("__pyarmor__", i) || text.startsWith("__armor_enter__", i));
                    case 'p' -> pyarmor = pyarmor || i < n && text.charAt(i + 1) == 'y'
                            && text.startsWith("pyarmor_runtime", i);
                    case 'P' -> pyarmor = pyarmor || text.startsWith("PYARMOR", i);
                    case '-' -> arrow = arrow || i < n && text.charAt(i + 1) == '>';
                    case 'e' -> exec = exec || i < n && text.charAt(i + 1) == 'x' && text.startsWith("exec", i);
                    // a character other than b/B that compares equal to 'b' ignoring case would be above U+007F
                    case 'o', 'O' -> obfuscator = obfuscator || i < n && ((text.charAt(i + 1) | 0x20) == 'b'
                            || text.charAt(i + 1) > 0x7f) && text.text().regionMatches(true, i, "obfuscat", 0, 8);
                    default -> {
                    }
                }
            }
            return new TextMarks(pyarmor, obfuscator, arrow, exec);
        }
    }

    private static boolean importsDecoder(Expr body) {
        boolean[] found = {false};
        Nodes.walk(body, n -> {
            if (n instanceof Expr.Call c && c.callee() instanceof Expr.Name nm && nm.id().equals("__import__")
                    && c.arg(0).orElse(null) instanceof Expr.Literal lit && DECODER_MODULES.contains(lit.value().asText())) {
                found[0] = true;
            }
        });
        return found[0];
    }

    /** {@code getattr(x, <computed>)} / {@code eval(<computed>)} where the computed string is a builtin's name. */
    private static boolean hidesBuiltin(PythonFile file, Expr.Call c, PythonParser expressions, Limits limits,
                                        PayloadEvaluator[] shared) {
        String callee = c.callee() instanceof Expr.Name nm ? nm.id() : "";
        int index = callee.equals("getattr") ? 1 : callee.equals("eval") || callee.equals("__import__") ? 0 : -1;
        if (index < 0 || index >= c.args().size()) {
            return false;
        }
        Expr arg = c.args().get(index);
        if (arg instanceof Expr.Literal lit) {
            // a plain literal is only hiding something when its source spelling is escaped
            return HIDDEN.contains(lit.value().asText()) && spelledEscaped(file, lit);
        }
        if (shared[0] == null) {
            // one evaluator (and one pass over the bindings) per file; its step budget bounds all lookups together
            shared[0] = new PayloadEvaluator(file, new Bindings(file, null), expressions, OutputBound.of(1 << 16),
                    EvaluationBounds.signals(limits));
        }
        PayloadEvaluator ev = shared[0];
        return ev.evaluate(arg, c.line()).filter(v -> v instanceof Value.Str s && HIDDEN.contains(s.value()))
                .isPresent();
    }

    /** {@code globals()['\\x65\\x76\\x61\\x6c']}: a builtin taken from a namespace dict under an escaped key. */
    private static boolean hidesBuiltinByKey(PythonFile file, Expr.Subscript sub) {
        if (!(sub.index() instanceof Expr.Literal lit) || !HIDDEN.contains(lit.value().asText())) {
            return false;
        }
        String ns = sub.value() instanceof Expr.Call c && c.callee() instanceof Expr.Name nm ? nm.id()
                : sub.value() instanceof Expr.Name nm2 ? nm2.id() : "";
        if (!ns.equals("globals") && !ns.equals("vars") && !ns.equals("locals") && !ns.equals("__builtins__")) {
            return false;
        }
        return spelledEscaped(file, lit);
    }

    /** The literal's line spells characters as hex or octal escapes ({@code '\\x65\\x76\\x61\\x6c'}). */
    private static boolean spelledEscaped(PythonFile file, Expr.Literal lit) {
        String src = file.line(lit.line());
        return src.contains("\\x") || src.contains("\\1");
    }

    /** Methods whose header says {@code -> exec} (the model keeps no annotations, so read the def line). */
    private static boolean annotatedExec(PythonFile file, Stmt.ClassDef cd) {
        int n = 0;
        for (Stmt s : cd.body()) {
            if (s instanceof Stmt.FunctionDef f && EXEC_ANNOTATION.matcher(file.line(f.line())).find()) {
                n++;
            }
        }
        return n >= 2;
    }

    private static int firstOf(String text, String... needles) {
        int best = Integer.MAX_VALUE;
        for (String n : needles) {
            int i = text.indexOf(n);
            if (i >= 0) {
                best = Math.min(best, i);
            }
        }
        return best == Integer.MAX_VALUE ? 0 : best;
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
