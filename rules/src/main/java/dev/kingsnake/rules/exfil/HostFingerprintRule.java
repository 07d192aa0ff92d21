package dev.kingsnake.rules.exfil;

import dev.kingsnake.Confidence;
import dev.kingsnake.Severity;
import dev.kingsnake.rules.shared.Indicator;
import dev.kingsnake.rules.shared.IndicatorSet;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.PythonFileRule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.Tags;
import dev.kingsnake.spi.facts.CallFacts;
import dev.kingsnake.spi.facts.Capability;
import dev.kingsnake.spi.python.Const;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Nodes;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Host and user facts (user name, host name, MAC, public IP) gathered next to network code. */
public final class HostFingerprintRule implements PythonFileRule {

    private static final RuleInfo INFO = new RuleInfo("KS-EXFIL-FINGERPRINT",
            "Fingerprints the host next to network code: user/host names, MAC address, public-IP lookup services",
            Severity.MEDIUM, Confidence.HIGH, Set.of(Tags.FINGERPRINT),
            "info = f'{getpass.getuser()}@{socket.gethostname()}'; requests.get('https://api.ipify.example.invalid')",
            "Logging, telemetry and cluster code read the host name all the time; a fingerprinting call is only "
                    + "reported when the same function talks to the network (medium) or the file sends data (low). "
                    + "Public-IP lookup services are reported whenever the file uses the network.");

    private static final IndicatorSet IP_LOOKUP = new IndicatorSet(List.of(Indicator.strong("public IP lookup service",
            "(api[46]?\\.ipify\\.org|ipinfo\\.io|ifconfig\\.(me|co)|icanhazip\\.com|checkip\\.amazonaws\\.com"
                    + "|checkip\\.dyndns\\.org|ip-api\\.com|ipapi\\.co|ipwho\\.is|api\\.myip\\.com|ident\\.me"
                    + "|ipecho\\.net|wtfismyip\\.com|myexternalip\\.com|httpbin\\.org/ip|geolocation-db\\.com"
                    + "|api\\.ipgeolocation\\.io|ip\\.seeip\\.org|freegeoip\\.app|extreme-ip-lookup\\.com)")));

    /** Environment variables that hold the Windows host, domain or user name. */
    private static final Set<String> HOST_VARIABLES = Set.of("COMPUTERNAME", "USERDOMAIN", "LOGONSERVER", "USERNAME");

    private static final Set<String> UNAME = Set.of("os.uname", "platform.uname");
    /** Fields of {@code uname()} that name the platform, not the host or its user. */
    private static final Set<String> PLATFORM_FIELDS = Set.of("sysname", "system", "release", "version",
            "machine", "processor");

    /**
     * {@code uname()} calls that only read the platform ({@code os.uname()[4]}, {@code os.uname().machine}):
     * architecture and kernel checks, not the host name.
     */
    private static Set<Expr.Call> platformChecks(PythonFile file) {
        Set<Expr.Call> out = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        file.nodes().forEach(n -> {
            if (n instanceof Expr.Attribute a && a.value() instanceof Expr.Call c && PLATFORM_FIELDS.contains(a.attr())) {
                out.add(c);
            } else if (n instanceof Expr.Subscript s && s.value() instanceof Expr.Call c) {
                Optional<Const> i = file.constant(s.index());
                if (i.isPresent() && i.get() instanceof Const.Int k && !k.value().equals(java.math.BigInteger.ONE)) {
                    out.add(c);
                }
            }
        });
        return out;
    }

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
        CallFacts facts = CallFacts.of(file);
        boolean fileNet = facts.fileCaps().contains(Capability.NETWORK);
        boolean fileSend = facts.fileCaps().contains(Capability.SEND);
        Set<Expr.Call> platformChecks = null;
        for (CallFacts.CallFact c : facts.calls()) {
            if (!c.is(Capability.FINGERPRINT)) {
                continue;
            }
            if (UNAME.contains(c.qualifiedName())) {
                if (platformChecks == null) {
                    platformChecks = platformChecks(file);
                }
                if (platformChecks.contains(c.call())) {
                    continue;
                }
            }
            String what = c.qualifiedName().isEmpty() ? c.method() : c.qualifiedName();
            if (facts.scopeHas(c.scope(), Capability.FETCH) || facts.scopeHas(c.scope(), Capability.SEND)
                    || facts.scopeHas(c.scope(), Capability.CONNECT)) {
                sink.report(file, c.call(), "collects host facts (" + what + ") next to network code");
            } else if (fileSend) {
                sink.report(file, c.call(), "collects host facts (" + what + ") in a file that sends data",
                        Severity.LOW, Confidence.HIGH);
            }
        }
        if (!fileNet) {
            return;
        }
        for (CallFacts.StringFact s : facts.strings()) {
            // os.environ['COMPUTERNAME'] is the host name without a call: Windows keeps it in the environment
            if (HOST_VARIABLES.contains(s.text()) && (facts.scopeHas(s.scope(), Capability.FETCH)
                    || facts.scopeHas(s.scope(), Capability.SEND))) {
                sink.report(file, s.node(), "reads the host or user name from the environment ("
                        + s.text() + ") next to network code");
            }
        }
        for (int i : IP_LOOKUP.candidates(facts)) {
            Optional<Indicator> hit = IP_LOOKUP.first(facts.strings().get(i));
            if (hit.isPresent()) {
                sink.report(file, facts.strings().get(i).node(), "looks up the machine's public IP address");
            }
        }
    }
}
