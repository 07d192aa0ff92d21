package dev.kingsnake.rules.persistence;

import dev.kingsnake.Confidence;
import dev.kingsnake.Severity;
import dev.kingsnake.rules.shared.Indicator;
import dev.kingsnake.rules.shared.IndicatorRule;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.Tags;
import dev.kingsnake.spi.facts.CallFacts;
import dev.kingsnake.spi.facts.Capability;
import dev.kingsnake.spi.facts.Commands;
import dev.kingsnake.spi.python.Expr;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Autostart locations written or registered: startup folders, Run keys, scheduled tasks, cron, systemd, shell rc. */
public final class AutostartRule extends IndicatorRule {

    private static final RuleInfo INFO = new RuleInfo("KS-PERSIST-AUTOSTART",
            "Installs itself to run at logon/boot: Windows Startup folder, Run/RunOnce keys, schtasks, cron, systemd "
                    + "units, shell profiles (~/.bashrc), launchd agents, browser shortcuts rewritten to load an extension",
            Severity.HIGH, Confidence.HIGH, Set.of(Tags.PERSISTENCE),
            "winreg.SetValueEx(winreg.OpenKey(HKCU, r'Software\\\\Microsoft\\\\Windows\\\\CurrentVersion\\\\Run', 0, "
                    + "winreg.KEY_SET_VALUE), 'upd', 0, winreg.REG_SZ, exe)",
            "Tools that add themselves to PATH or install shell completion edit ~/.bashrc-style files, and service "
                    + "installers write systemd units; only locations named in a function that writes files, the "
                    + "registry or starts processes are reported (file-level company gives medium), shell profiles "
                    + "never above medium, and cron above medium only with a job line (a schedule and its command) in "
                    + "the same function: a scheduler front end writes the jobs its user gives.");

    private static final Indicator SHELL_PROFILE = Indicator.weak("shell profile",
            "(^|[~/}])\\.(bashrc|bash_profile|zshrc|zprofile|profile|bash_login)$");

    /**
     * A shell alias definition ({@code alias neofetch='python ~/.x/.n.py'}): written into a profile it hijacks
     * a command the user types. Only counted in a file that also names a shell profile.
     */
    private static final Indicator ALIAS = Indicator.weak("command alias written to a shell profile",
            "^\\s*alias\\s+[\\w.{}-]+=");

    private static final Indicator CRON = Indicator.weak("cron", "crontab|(^|/)etc/cron|/var/spool/cron|@reboot");

    /**
     * A cron job's schedule ({@code @reboot}, {@code * * * * *}) followed by its command: the entry a persistence
     * routine installs is written into its code; a scheduler front end (a configuration-management module)
     * writes the jobs its user gives.
     */
    private static final java.util.regex.Pattern CRON_JOB = java.util.regex.Pattern.compile(
            "(?i)(^|[\\s'\"(;])(@(reboot|yearly|annually|monthly|weekly|daily|midnight|hourly)\\b"
                    + "|([0-9*/,-]+\\s+){4}[0-9*/,-]+\\s+\\S)");

    private static final List<Indicator> INDICATORS = List.of(
            Indicator.weak("Windows Startup folder", "start menu/programs/startup|shell:(common )?startup"),
            Indicator.weak("Run/RunOnce registry key",
                    "currentversion/(run|runonce|runservices|runonceex|policies/explorer/run)(/|$)"),
            Indicator.weak("Winlogon shell/userinit", "currentversion/winlogon"),
            Indicator.weak("scheduled task", "schtasks(\\.exe)?\\b.*/create|^schtasks(\\.exe)?$|register-scheduledtask"),
            CRON,
            Indicator.weak("systemd unit", "/etc/systemd/system|\\.config/systemd/user|systemctl\\s+(--user\\s+)?enable"),
            Indicator.weak("init script", "/etc/rc\\.local|/etc/init\\.d/|/etc/profile\\.d/"),
            SHELL_PROFILE,
            ALIAS,
            Indicator.weak("XDG autostart", "\\.config/autostart"),
            Indicator.weak("browser started with a side-loaded extension", "--load-extension"),
            Indicator.weak("launchd agent", "library/(launchagents|launchdaemons)|launchctl\\s+(load|bootstrap)"));

    public AutostartRule() {
        super(INFO, INDICATORS, EnumSet.of(Capability.FILE_WRITE, Capability.PROCESS, Capability.REGISTRY_WRITE), false,
                "installs an autostart entry");
    }

    private static final Set<String> PATH_JOINS = Set.of("os.path.join", "posixpath.join", "ntpath.join");
    /** Autostart folders spelled as separate path components: 'Start Menu', 'Programs', 'Startup'. */
    private static final java.util.regex.Pattern JOINED_AUTOSTART = java.util.regex.Pattern.compile(
            "start menu/programs/startup|library/(launchagents|launchdaemons)|\\.config/(autostart|systemd/user)");

    /**
     * The indicators match single strings; a location assembled by {@code os.path.join} from separate components
     * ({@code os.path.join(appdata, 'Microsoft', 'Windows', 'Start Menu', 'Programs', 'Startup')}) is read here.
     */
    @Override
    public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
        super.check(file, ctx, sink);
        CallFacts facts = CallFacts.of(file);
        for (CallFacts.CallFact c : facts.calls()) {
            if (c.call().args().size() < 3 || !PATH_JOINS.contains(c.qualifiedName())
                    || !hasAny(facts.scope(c.scope()), companions())) {
                continue;
            }
            StringBuilder joined = new StringBuilder();
            boolean onePieceMatches = false;
            for (Expr a : c.call().args()) {
                String piece = facts.text(a).orElse("{}").replace('\\', '/').toLowerCase(java.util.Locale.ROOT);
                onePieceMatches |= JOINED_AUTOSTART.matcher(piece).find();
                joined.append(piece).append('/');
            }
            java.util.regex.Matcher m = JOINED_AUTOSTART.matcher(joined);
            if (!onePieceMatches && m.find()) {
                sink.report(file, c.call(), "installs an autostart entry (" + m.group() + ", joined from parts)",
                        Severity.HIGH, Confidence.HIGH);
            }
        }
    }

    /**
     * Shell text that reads a profile ({@code . ~/.bashrc}, {@code source ~/.zshrc}, {@code [ -e ~/.bashrc ] && ...}):
     * an rc file for a sub-shell that loads the user's own profile first, not a write into it. Appending to a
     * profile ({@code echo ... >> ~/.bashrc}) still counts.
     */
    private static final java.util.regex.Pattern SOURCES_PROFILE = java.util.regex.Pattern.compile(
            "(^|[;&|]\\s*|\\s)(\\.|source)\\s+\\S*\\.(bashrc|bash_profile|zshrc|zprofile|profile|bash_login)\\s*$");

    private static final Set<String> TEMP_DIRS = Set.of("tempfile.TemporaryDirectory", "tempfile.mkdtemp",
            "tempfile.gettempdir");

    /**
     * A profile's file name joined to a temporary directory ({@code os.path.join(tmpdir.name, '.zshrc')} with
     * {@code tmpdir = tempfile.TemporaryDirectory()}): the rc file of a sub-shell started with {@code ZDOTDIR}
     * pointing there, gone when the directory is; not the user's profile.
     */
    private static boolean inTemporaryDirectory(CallFacts facts, CallFacts.StringFact s) {
        for (CallFacts.CallFact c : facts.calls()) {
            if (!"os.path.join".equals(c.qualifiedName()) || c.call().args().size() < 2
                    || c.call().args().stream().noneMatch(a -> a == s.node())) {
                continue;
            }
            Expr dir = c.call().args().get(0);
            if (dir instanceof Expr.Attribute a && "name".equals(a.attr())) {
                dir = a.value();
            }
            Expr value = facts.valueOf(c.scope(), dir);
            if (value instanceof Expr.Call made && facts.file().calleeName(made).filter(TEMP_DIRS::contains).isPresent()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The file holds a shell command that downloads and runs something ({@code wget ... && chmod +x ... && ...}):
     * a profile written next to it gets a payload launcher that runs at every login, not a PATH entry.
     */
    private static boolean downloadAndRunInFile(CallFacts facts) {
        return facts.strings().stream().anyMatch(s -> s.text().length() < 20_000
                && Commands.downloadsAndRuns(s.text()));
    }

    /** A cron job line among the strings of the function that names cron, or a download-and-run command in the file. */
    private static boolean jobInScope(CallFacts facts, CallFacts.StringFact cron) {
        return downloadAndRunInFile(facts) || facts.strings().stream()
                .anyMatch(s -> s.scope() == cron.scope() && s.text().length() < 20_000 && CRON_JOB.matcher(s.text()).find());
    }

    /**
     * Shell-completion and PATH installers edit shell profiles too: never more than medium, unless the file
     * also holds a download-and-run command.
     */
    @Override
    protected Grade grade(CallFacts facts, Hit h, boolean several) {
        if (h.indicator() == SHELL_PROFILE && (SOURCES_PROFILE.matcher(h.string().text()).find()
                && !h.string().text().contains(">") || inTemporaryDirectory(facts, h.string()))) {
            return null;
        }
        if (h.indicator() == ALIAS && (!several || facts.strings().stream().noneMatch(SHELL_PROFILE::matches))) {
            return null;
        }
        Grade g = super.grade(facts, h, several);
        if (g != null && h.indicator() == CRON && g.severity() == Severity.HIGH && !jobInScope(facts, h.string())) {
            return new Grade(Severity.MEDIUM, Confidence.LOW);
        }
        if (g != null && h.indicator() == SHELL_PROFILE && !downloadAndRunInFile(facts)) {
            return new Grade(Severity.MEDIUM, g.confidence() == Confidence.HIGH ? Confidence.MEDIUM : Confidence.LOW);
        }
        return g;
    }
}
