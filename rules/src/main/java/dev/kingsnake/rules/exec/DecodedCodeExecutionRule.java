package dev.kingsnake.rules.exec;

import dev.kingsnake.Confidence;
import dev.kingsnake.Severity;
import dev.kingsnake.rules.shared.CallUses;
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

import java.util.Set;

/** exec/eval/compile/marshal of decoded, decompressed, decrypted or reversed data. */
public final class DecodedCodeExecutionRule implements PythonFileRule {
    static final RuleInfo INFO = new RuleInfo("KS-EXEC-DECODED-CODE",
            "Runs code that is first decoded, decompressed, decrypted or reversed (exec of base64/zlib/"
                    + "marshal/Fernet/chr-join/[::-1] data)",
            Severity.HIGH, Confidence.HIGH,
            Set.of(Tags.EXECUTE, Tags.DECODE, Tags.OBFUSCATION, Tags.STRONG),
            "exec(base64.b64decode('cHJpbnQoMSk='))",
            "Benign packages rarely hide source code they run. pickle.loads of decoded data (session/cache "
                    + "tokens, signed caches) is reported at LOW/LOW only; text decodes such as .decode('utf-8') do "
                    + "not count as decoding. Workers that decode and run what their parent process pipes to "
                    + "standard input (build tools, SSH tunnels) are LOW/MEDIUM.");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
        CallUses.codeSinks(file).forEach(use -> {
            Expr.Call c = use.call();
            ExecSinks.Use u = use.value();
            // the line is read only for a report: reading any line splits the whole file into lines
            java.util.function.Supplier<String> ev = () -> ExecSinks.snippet(file.line(c.line()));
            if ("marshal.loads".equals(u.sink()) && file.constant(u.input()).isPresent()
                    && file.constant(u.input()).get() instanceof Const.Bytes) {
                sink.report(Location.of(file, c), "marshal.loads() of embedded bytecode", ev.get());
                return;
            }
            if (!u.taint().contains(DataFlow.Taint.DECODE) || u.taint().contains(DataFlow.Taint.NETWORK)) {
                return;
            }
            if (u.pickle()) {
                sink.report(Location.of(file, c), u.sink() + "() unpickles decoded data", ev.get(),
                        Severity.LOW, Confidence.LOW);
            } else if (u.taint().contains(DataFlow.Taint.STDIN)) {
                // a worker running code its parent pipes in (build tools, SSH tunnels, freezers): IPC
                sink.report(Location.of(file, c), u.sink() + "() runs decoded data read from standard input", ev.get(),
                        Severity.LOW, Confidence.MEDIUM);
            } else {
                sink.report(Location.of(file, c), u.sink() + "() runs decoded/decompressed data", ev.get());
            }
        });
    }
}
