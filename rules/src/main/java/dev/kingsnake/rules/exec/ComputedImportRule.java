package dev.kingsnake.rules.exec;

import dev.kingsnake.Confidence;
import dev.kingsnake.Severity;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.PythonFileRule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.Tags;
import dev.kingsnake.spi.facts.DataFlow;
import dev.kingsnake.spi.facts.ExecSinks;
import dev.kingsnake.spi.python.Const;
import dev.kingsnake.spi.python.Expr;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code __import__}/{@code importlib.import_module}/{@code getattr} whose name is computed (folded
 * from pieces, decoded, reversed) rather than written: a way to hide which module or function is used.
 */
public final class ComputedImportRule implements PythonFileRule {
    static final RuleInfo INFO = new RuleInfo("KS-EXEC-COMPUTED-IMPORT",
            "Hides a module or builtin name: __import__/import_module/getattr with a name computed from "
                    + "pieces, decoded or reversed",
            Severity.MEDIUM, Confidence.HIGH, Set.of(Tags.OBFUSCATION),
            "__import__('o' + 's').system(cmd); getattr(builtins, 'ex' + 'ec')(code)",
            "Plugin loaders import names held in variables or built from a package prefix: only computed "
                    + "names of system/network/codec modules (os, subprocess, socket, base64, ...) or names "
                    + "that are decoded are reported, and getattr only when the recovered name is a "
                    + "code/process/network primitive.");

    static final Set<String> IMPORTERS = Set.of("__import__", "importlib.import_module", "importlib.__import__");
    /** Modules whose use malware hides; computed names of other modules are plugin loading. */
    static final Set<String> SENSITIVE_MODULES = Set.of("os", "subprocess", "socket", "base64", "zlib", "marshal",
            "builtins", "__builtin__", "ctypes", "urllib", "urllib2", "urllib3", "requests", "httpx", "http", "pty",
            "shutil", "sys", "codecs", "binascii", "pickle", "lzma", "bz2", "gzip", "platform", "getpass",
            "webbrowser", "winreg", "_winreg", "importlib", "runpy", "cryptography", "Crypto", "telnetlib",
            "ftplib", "smtplib", "tempfile", "commands", "posix", "nt");
    static final Set<String> DANGEROUS_ATTRS = Set.of("exec", "eval", "compile", "__import__", "system", "popen",
            "Popen", "call", "run", "check_output", "spawn", "b64decode", "decompress", "loads", "urlopen",
            "get", "post", "execfile", "getattr", "startfile", "remove", "rmtree", "write");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    /**
     * The name is assembled where it is used ({@code 'ex' + 'ec'}, {@code ''.join(chr(c) for c in [...])},
     * {@code 'cexe'[::-1]}), directly or in the one assignment of the variable handed over; not a loop variable
     * or parameter that happens to take such a value ({@code for meth in ('get', 'post'): getattr(h, meth)}).
     */
    private static boolean builtInPlace(DataFlow facts, Expr e, int depth) {
        if (e instanceof Expr.Name n) {
            return depth == 0 && facts.assignedValue(n.id()).map(v -> builtInPlace(facts, v, depth + 1)).orElse(false)
                    && facts.assigns().stream().filter(a -> a.targets().stream()
                    .anyMatch(t -> t instanceof Expr.Name tn && tn.id().equals(n.id()))).count() == 1;
        }
        return e instanceof Expr.BinOp || e instanceof Expr.Call || e instanceof Expr.Subscript
                || e instanceof Expr.FString;
    }

    /** One computed name found in the file, reported once the whole file is seen. */
    private record Hidden(Expr.Call call, String message, String name, boolean weak) {
    }

    @Override
    public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
        DataFlow facts = DataFlow.of(file);
        List<Hidden> found = new ArrayList<>();
        for (Expr.Call c : file.calls()) {
            String n = facts.name(c);
            if (IMPORTERS.contains(n)) {
                Optional<Expr> arg = c.arg(0).or(() -> c.keyword("name"));
                if (arg.isEmpty() || DataFlow.isLiteral(arg.get())) {
                    continue;
                }
                Optional<Const> k = file.constant(arg.get());
                boolean decoded = facts.taint(arg.get()).contains(DataFlow.Taint.DECODE);
                boolean sensitive = k.isPresent() && k.get().isStringLike()
                        && SENSITIVE_MODULES.contains(k.get().asText().split("\\.", 2)[0]);
                if (sensitive || decoded) {
                    String name = k.map(Const::asText).orElse("?");
                    found.add(new Hidden(c, n + "() of a computed module name '" + name + "'", name, false));
                }
            } else if ("getattr".equals(n) && c.args().size() >= 2) {
                Expr attr = c.args().get(1);
                if (DataFlow.isLiteral(attr)) {
                    continue;
                }
                Optional<Const> k = file.constant(attr);
                if (k.isPresent() && DANGEROUS_ATTRS.contains(k.get().asText()) && builtInPlace(facts, attr, 0)) {
                    found.add(new Hidden(c, "getattr() with a computed name '" + k.get().asText() + "'",
                            k.get().asText(), false));
                } else if (k.isEmpty() && facts.taint(attr).contains(DataFlow.Taint.DECODE)) {
                    found.add(new Hidden(c, "getattr() with a decoded name", "?", true));
                }
            }
        }
        // One hidden name can be a compatibility shim; a file hiding several different primitives (getattr and
        // __import__, os and exec ...) is built to keep a reader from seeing what it runs.
        long distinct = found.stream().filter(h -> !h.weak()).map(Hidden::name).distinct().count();
        for (Hidden h : found) {
            String ev = ExecSinks.snippet(file.line(h.call().line()));
            if (h.weak()) {
                sink.report(Location.of(file, h.call()), h.message(), ev, Severity.MEDIUM, Confidence.MEDIUM);
            } else if (distinct >= 2) {
                sink.report(Location.of(file, h.call()), h.message() + " (" + distinct
                        + " different names hidden in this file)", ev, Severity.HIGH, Confidence.HIGH);
            } else {
                sink.report(Location.of(file, h.call()), h.message(), ev);
            }
        }
    }
}
