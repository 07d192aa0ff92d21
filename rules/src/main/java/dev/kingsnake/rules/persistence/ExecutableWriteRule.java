package dev.kingsnake.rules.persistence;

import dev.kingsnake.Confidence;
import dev.kingsnake.Severity;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.PythonFileRule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.Tags;
import dev.kingsnake.spi.facts.CallFacts;
import dev.kingsnake.spi.facts.Capability;
import dev.kingsnake.spi.python.Expr;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Writes Windows executables or scripts (.exe, .vbs, .bat, .ps1 ...) to disk. */
public final class ExecutableWriteRule implements PythonFileRule {

    private static final RuleInfo INFO = new RuleInfo("KS-PERSIST-EXE-WRITE",
            "Writes or copies a Windows executable or script file (.exe, .dll, .scr, .bat, .cmd, .vbs, .ps1, .hta)",
            Severity.MEDIUM, Confidence.MEDIUM, Set.of(Tags.FILE_WRITE),
            "with open(os.path.join(os.getenv('TEMP'), 'svc.vbs'), 'w') as f: f.write(script)",
            "Packaging and launcher tools write .bat/.cmd shims and copy .exe/.dll files; alone this is medium "
                    + "weight; high when the same function also starts a process.");

    private static final Pattern EXECUTABLE_TARGET = Pattern.compile(
            "(?i)\\.(exe|dll|scr|bat|cmd|vbs|vbe|ps1|hta|pif|lnk)$");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
        CallFacts facts = CallFacts.of(file);
        if (!facts.fileCaps().contains(Capability.FILE_WRITE)) {
            return;
        }
        for (CallFacts.CallFact c : facts.calls()) {
            if (!c.is(Capability.FILE_WRITE)) {
                continue;
            }
            int targetIndex = c.qualifiedName().startsWith("shutil.") ? 1 : 0;
            Optional<Expr> target = c.call().arg(targetIndex);
            if (c.call().callee() instanceof Expr.Attribute a && ("write_bytes".equals(a.attr())
                    || "write_text".equals(a.attr()))) {
                target = Optional.of(a.value());
            }
            // path = os.path.join(tempfile.gettempdir(), name + '.exe'); open(path, 'wb')
            target = target.map(t -> facts.valueOf(c.scope(), t));
            if (target.isEmpty() || !namesExecutable(facts, target.get())) {
                continue;
            }
            boolean runs = facts.scopeHas(c.scope(), Capability.PROCESS);
            sink.report(file, c.call(), "writes an executable or script file"
                            + (runs ? " and starts a process" : ""),
                    runs ? Severity.HIGH : Severity.MEDIUM, runs ? Confidence.HIGH : Confidence.MEDIUM);
        }
    }

    private static boolean namesExecutable(CallFacts facts, Expr target) {
        Optional<String> t = facts.text(target);
        if (t.isPresent() && EXECUTABLE_TARGET.matcher(t.get().strip()).find()) {
            return true;
        }
        for (String s : facts.textsWithin(target)) {
            if (EXECUTABLE_TARGET.matcher(s.strip()).find()) {
                return true;
            }
        }
        return false;
    }
}
