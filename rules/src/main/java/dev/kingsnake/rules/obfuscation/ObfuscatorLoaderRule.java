package dev.kingsnake.rules.obfuscation;

import dev.kingsnake.Confidence;
import dev.kingsnake.Severity;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.ObfuscationSignal;
import dev.kingsnake.spi.ObfuscationSignal.Kind;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.PythonFileRule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.Tags;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The loader of a public Python obfuscator, recognised by shape even when its payload cannot be decoded:
 * pyobfuscate-style {@code _ = lambda __: __import__('zlib').decompress(...)} decoders, Kramer-style classes
 * whose methods are annotated {@code -> exec}, and Hyperion-like files that both rename identifiers to
 * confusable shapes and fetch builtins ({@code exec}, {@code __import__}) by computed names. These tools exist to
 * run hidden code; protectors that also ship in legitimate packages (PyArmor) are left to
 * KS-OBF-OBFUSCATOR-MARKER at MEDIUM.
 */
public final class ObfuscatorLoaderRule implements PythonFileRule {
    static final RuleInfo INFO = new RuleInfo("KS-OBF-OBFUSCATOR-LOADER",
            "Loader of a public code obfuscator: pyobfuscate-style decoder lambdas, Kramer-style '-> exec' "
                    + "classes, or confusable renaming together with builtins fetched by computed names "
                    + "(Hyperion-like)",
            Severity.HIGH, Confidence.HIGH, Set.of(Tags.OBFUSCATION, Tags.EXECUTE),
            "_ = lambda __ : __import__('zlib').decompress(__import__('base64').b64decode(__[::-1]))",
            "These shapes come from tools whose output runs hidden code; one finding per file. PyArmor "
                    + "runtime markers are not reported here (commercial packages ship them).");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
        List<ObfuscationSignal> signals = file.obfuscationSignals();
        if (signals.isEmpty()) {
            return;
        }
        Map<Kind, ObfuscationSignal> first = new EnumMap<>(Kind.class);
        for (ObfuscationSignal s : signals) {
            first.putIfAbsent(s.kind(), s);
        }
        ObfuscationSignal hit;
        String what;
        if (first.containsKey(Kind.DECODER_LAMBDA)) {
            hit = first.get(Kind.DECODER_LAMBDA);
            what = "pyobfuscate-style decoder lambda";
        } else if (first.containsKey(Kind.EXEC_ANNOTATED_CLASS)) {
            hit = first.get(Kind.EXEC_ANNOTATED_CLASS);
            what = "Kramer-style loader class";
        } else if (first.containsKey(Kind.HIDDEN_BUILTINS) && first.containsKey(Kind.CONFUSABLE_NAMES)) {
            hit = first.get(Kind.HIDDEN_BUILTINS);
            what = "confusable renaming with builtins fetched by computed names ("
                    + first.get(Kind.CONFUSABLE_NAMES).evidence() + ")";
        } else {
            return;
        }
        int line = Math.max(1, hit.line());
        sink.reportLine(file, Obf.at(file, line, 1), "obfuscator loader: " + what + ": " + hit.evidence(), 120);
    }
}
