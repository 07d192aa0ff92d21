package dev.kingsnake.rules.shared;

import java.util.List;

/**
 * Services that malware uses to receive stolen data or stage payloads: chat webhooks and bots, request catchers
 * and OAST callback domains, IP loggers (strong: evidence on their own), and the base APIs of webhooks and bots,
 * paste, file-drop and tunnel services (weak: they need company). Read by KS-NET-EXFIL-ENDPOINT in Python code
 * and by KS-PKG-NATIVE-LINK in the links native binaries carry.
 */
public final class DropEndpoints {
    public static final List<Indicator> INDICATORS = List.of(
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

    private DropEndpoints() {
    }
}
