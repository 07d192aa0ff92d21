package dev.kingsnake.rules.process;

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
import dev.kingsnake.spi.facts.Commands;
import dev.kingsnake.spi.facts.DataFlow;
import dev.kingsnake.spi.python.Expr;

import java.util.Set;

/** A command whose real content is encoded: powershell -EncodedCommand, echo ...|base64 -d|sh, python -c exec(b64). */
public final class EncodedCommandRule implements PythonFileRule {
    static final RuleInfo INFO = new RuleInfo("KS-PROCESS-ENCODED-COMMAND",
            "Starts a command whose content is encoded (powershell -EncodedCommand, base64 -d | sh, "
                    + "python -c with b64decode/exec, a command string decoded in Python first)",
            Severity.HIGH, Confidence.HIGH,
            Set.of(Tags.PROCESS, Tags.DECODE, Tags.OBFUSCATION, Tags.STRONG),
            "os.system('echo ZWNobyBoaQ== | base64 -d | sh')",
            "Legitimate tools have no reason to hide the commands they run from the reader. Workers that decode "
                    + "commands their parent process pipes to standard input (build tools) are LOW/MEDIUM.");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    private static final java.util.regex.Pattern DECODING =
            java.util.regex.Pattern.compile("b64decode|decompress|marshal|fromhex|unhexlify|frombase64string");

    @Override
    public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
        CallUses.commands(file).forEach(use -> {
            Expr.Call c = use.call();
            Commands.Command cmd = use.value();
            String m = cmd.find(Commands.ENCODED);
            if (m != null && cmd.text().contains("stdin.read") && !DECODING.matcher(cmd.text()).find()) {
                // python -c "script = sys.stdin.read(); exec(script)": a runner for code its parent pipes in
                sink.report(Location.of(file, c), cmd.sink() + "() starts an interpreter that runs code piped "
                        + "to its standard input", cmd.evidence(), Severity.LOW, Confidence.MEDIUM);
            } else if (m != null) {
                sink.report(Location.of(file, c), cmd.sink() + "() runs an encoded command: "
                        + (m.length() > 80 ? m.substring(0, 80) + Commands.UNKNOWN : m), cmd.evidence());
            } else if (cmd.taint().contains(DataFlow.Taint.DECODE) && cmd.taint().contains(DataFlow.Taint.STDIN)) {
                // a worker decoding the commands its parent pipes in (waf's processor, test runners): IPC
                sink.report(file, c, cmd.sink() + "() runs a command decoded from standard input",
                        Severity.LOW, Confidence.MEDIUM);
            } else if (cmd.taint().contains(DataFlow.Taint.DECODE)) {
                sink.report(file, c, cmd.sink() + "() runs a command that is decoded first");
            }
        });
    }
}
