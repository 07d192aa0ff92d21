package dev.kingsnake.rules.pkg;

import dev.kingsnake.Reach;
import dev.kingsnake.Severity;
import dev.kingsnake.Confidence;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.Rule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.Tags;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The author or maintainer gives an address at a throw-away mail service. */
public final class DisposableEmailRule implements Rule {
    private static final RuleInfo INFO = new RuleInfo("KS-PKG-DISPOSABLE-EMAIL",
            "An author or maintainer e-mail address is at a disposable (throw-away) mail service.",
            Severity.MEDIUM, Confidence.MEDIUM, Set.of(Tags.METADATA, Tags.IDENTITY),
            "Author-email: dev@mailinator.com",
            "A small curated list of services whose inboxes anyone can read or that expire within hours (not"
                    + " privacy relays such as users.noreply.github.com or proton.me). Weak evidence alone.");
    /** Throw-away inbox services; curated by hand from their public sites, subdomains included. */
    static final Set<String> DOMAINS = Set.of("mailinator.com", "guerrillamail.com", "guerrillamail.net",
            "guerrillamail.org", "guerrillamailblock.com", "sharklasers.com", "grr.la", "10minutemail.com",
            "10minutemail.net", "temp-mail.org", "tempmail.com", "tempmail.net", "tempmailo.com", "tempm.com",
            "yopmail.com", "yopmail.net", "yopmail.fr", "trashmail.com", "trashmail.de", "trashmail.net",
            "getnada.com", "nada.email", "dispostable.com", "maildrop.cc", "mohmal.com", "emailondeck.com",
            "throwawaymail.com", "fakeinbox.com", "mintemail.com", "mailnesia.com", "spamgourmet.com", "tempr.email",
            "discard.email", "1secmail.com", "1secmail.net", "1secmail.org", "mailcatch.com", "moakt.com",
            "tmpmail.org", "tmpmail.net", "burnermail.io", "33mail.com", "mailpoof.com", "inboxkitten.com",
            "emailfake.com", "fakemail.net", "mytemp.email", "tempail.com", "spambox.us", "mail.tm",
            "cock.li", "byom.de", "dropmail.me", "minuteinbox.com", "tempinbox.com", "getairmail.com");
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@([A-Za-z0-9.-]+\\.[A-Za-z]{2,})");
    private static final Set<String> HEADERS = Set.of("author", "author-email", "maintainer", "maintainer-email");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(RuleContext ctx, FindingSink sink) {
        var meta = PackageMetadata.file(ctx);
        if (meta.isEmpty()) {
            return;
        }
        for (PackageMetadata.Header h : PackageMetadata.headers(ctx)) {
            if (!HEADERS.contains(h.name().toLowerCase(Locale.ROOT))) {
                continue;
            }
            Matcher m = EMAIL.matcher(h.value());
            while (m.find()) {
                String domain = m.group(1).toLowerCase(Locale.ROOT);
                if (disposable(domain)) {
                    sink.report(Location.of(meta.get(), h.line(), 1, Reach.UNKNOWN),
                            "The " + h.name() + " address is at the disposable mail service " + domain,
                            h.name() + ": " + m.group(), Severity.MEDIUM, Confidence.MEDIUM);
                    return;
                }
            }
        }
    }

    static boolean disposable(String domain) {
        for (String d = domain; d.contains("."); d = d.substring(d.indexOf('.') + 1)) {
            if (DOMAINS.contains(d)) {
                return true;
            }
        }
        return false;
    }
}
