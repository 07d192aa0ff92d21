package dev.kingsnake.rules.capability;

import dev.kingsnake.Reach;
import dev.kingsnake.spi.FileKind;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.PythonFileRule;
import dev.kingsnake.spi.Rule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.SourceFile;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reports one {@link CapabilityKind}: once per function (module level is one) and file, at its first place, with
 * the number of further places in the message. Each kind is registered as its own rule (the nested classes), so
 * that it has its own id, fixture and row in the rule table.
 */
public abstract class CapabilityRule implements PythonFileRule {
    private static final int MAX_EVIDENCE = 200;

    private final CapabilityKind kind;

    CapabilityRule(CapabilityKind kind) {
        this.kind = kind;
    }

    @Override
    public RuleInfo info() {
        return kind.info();
    }

    @Override
    public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
        report(kind, file, sink);
    }

    private static void report(CapabilityKind kind, PythonFile file, FindingSink sink) {
        Map<String, List<CapabilityInventory.Hit>> byScope = new LinkedHashMap<>();
        for (CapabilityInventory.Hit h : CapabilityInventory.of(file).hits(kind)) {
            byScope.computeIfAbsent(h.scope(), k -> new java.util.ArrayList<>()).add(h);
        }
        for (List<CapabilityInventory.Hit> hits : byScope.values()) {
            CapabilityInventory.Hit first = hits.get(0);
            String more = hits.size() == 1 ? ""
                    : " (and " + (hits.size() - 1) + " more " + (first.scope().isEmpty() ? "at module level"
                    : "in this function") + ")";
            sink.report(Location.of(file, first.line(), first.column(), first.reach()), first.what() + more,
                    evidence(file.line(first.line())));
        }
    }

    static String evidence(String line) {
        String s = line.strip();
        return FindingSink.clip(s, MAX_EVIDENCE);
    }

    public static final class Process extends CapabilityRule {
        public Process() {
            super(CapabilityKind.PROCESS);
        }
    }

    public static final class NetworkClient extends CapabilityRule {
        public NetworkClient() {
            super(CapabilityKind.NETWORK_CLIENT);
        }
    }

    public static final class NetworkServer extends CapabilityRule {
        public NetworkServer() {
            super(CapabilityKind.NETWORK_SERVER);
        }
    }

    public static final class FileWrite extends CapabilityRule {
        public FileWrite() {
            super(CapabilityKind.FILE_WRITE);
        }
    }

    public static final class Environment extends CapabilityRule {
        public Environment() {
            super(CapabilityKind.ENVIRONMENT);
        }
    }

    public static final class CredentialStore extends CapabilityRule {
        public CredentialStore() {
            super(CapabilityKind.CREDENTIAL_STORE);
        }
    }

    public static final class Clipboard extends CapabilityRule {
        public Clipboard() {
            super(CapabilityKind.CLIPBOARD);
        }
    }

    public static final class ScreenCapture extends CapabilityRule {
        public ScreenCapture() {
            super(CapabilityKind.SCREEN_CAPTURE);
        }
    }

    public static final class KeyboardHook extends CapabilityRule {
        public KeyboardHook() {
            super(CapabilityKind.KEYBOARD_HOOK);
        }
    }

    public static final class DynamicCode extends CapabilityRule {
        public DynamicCode() {
            super(CapabilityKind.DYNAMIC_CODE);
        }
    }

    public static final class Decode extends CapabilityRule {
        public Decode() {
            super(CapabilityKind.DECODE);
        }
    }

    public static final class NativeCode extends CapabilityRule {
        public NativeCode() {
            super(CapabilityKind.NATIVE_CODE);
        }
    }

    public static final class LoaderHijack extends CapabilityRule {
        public LoaderHijack() {
            super(CapabilityKind.LOADER_HIJACK);
        }
    }

    public static final class Link extends CapabilityRule {
        public Link() {
            super(CapabilityKind.LINK);
        }
    }

    public static final class Steganography extends CapabilityRule {
        public Steganography() {
            super(CapabilityKind.STEGANOGRAPHY);
        }
    }

    public static final class UnicodeTrick extends CapabilityRule {
        public UnicodeTrick() {
            super(CapabilityKind.UNICODE);
        }
    }

    /**
     * Install hooks in code, plus the two that are not Python: .pth import lines and in-tree build backends. A
     * package rule, not a per-file one, since it reads the package's other files.
     */
    public static final class InstallHook implements Rule {
        @Override
        public RuleInfo info() {
            return CapabilityKind.INSTALL_HOOK.info();
        }

        @Override
        public void check(RuleContext ctx, FindingSink sink) {
            for (PythonFile file : ctx.pythonFiles()) {
                report(CapabilityKind.INSTALL_HOOK, file, sink);
            }
            for (SourceFile f : ctx.files()) {
                if (f.kind() == FileKind.PTH) {
                    firstLine(f, "import", Reach.IMPORT_TIME, ".pth import line runs at every interpreter start",
                            sink);
                } else if (f.kind() == FileKind.PYPROJECT) {
                    firstLine(f, "backend-path", Reach.INSTALL_TIME, "in-tree build backend (backend-path)", sink);
                }
            }
        }

        private static void firstLine(SourceFile f, String start, Reach reach, String message, FindingSink sink) {
            String[] lines = f.text().split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                String l = lines[i].strip();
                if (l.startsWith(start) && (l.length() == start.length()
                        || !Character.isLetterOrDigit(l.charAt(start.length())))) {
                    sink.report(Location.of(f, i + 1, 1, reach), message, evidence(lines[i]));
                    return;
                }
            }
        }
    }
}
