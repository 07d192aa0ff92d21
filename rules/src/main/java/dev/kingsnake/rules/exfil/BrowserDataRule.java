package dev.kingsnake.rules.exfil;

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

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Browser credential stores: saved passwords, cookies, the key that decrypts them. */
public final class BrowserDataRule extends IndicatorRule {

    private static final RuleInfo INFO = new RuleInfo("KS-EXFIL-BROWSER-DATA",
            "Reads browser password/cookie stores or their decryption key (Chromium 'Login Data', 'Local State', "
                    + "Firefox logins.json/key4.db)",
            Severity.HIGH, Confidence.HIGH, Set.of(Tags.CREDENTIALS),
            "db = os.path.join(local, 'Google', 'Chrome', 'User Data', 'Default', 'Login Data')",
            "Cookie-import libraries (browser_cookie3 and the like) and browser automation read these on purpose; "
                    + "expect findings there. Profile directories and the os_crypt/encrypted_key names "
                    + "(also used by crypto libraries) are only reported next to code that sends or copies data, or "
                    + "together with another browser store; the password/cookie databases always are, at half weight where the file sends nothing.");

    private static final List<Indicator> INDICATORS = List.of(
            Indicator.strong("Chromium saved passwords", "(^|/)login data( for account)?$|/login data\\b"),
            Indicator.weak("Chromium os_crypt section", "^os_crypt$"),
            Indicator.weak("Chromium encrypted_key", "^encrypted_key$"),
            Indicator.strong("Chromium autofill/cards", "(^|/)web data$"),
            Indicator.strong("Firefox saved passwords", "(^|/)(logins\\.json|key[34]\\.db|signons\\.sqlite)$"),
            Indicator.strong("Firefox cookies", "(^|/)cookies\\.sqlite$"),
            Indicator.weak("Chromium cookies", "(user data/[^/]+|default|profile [0-9]+)/(network/)?cookies$"),
            Indicator.weak("Chromium Local State", "(^|/)local state$"),
            Indicator.weak("browser profile directory",
                    "google/chrome( sxs| beta)?/user data|bravesoftware/brave-browser|microsoft/edge/user data"
                            + "|opera software/opera|yandex/yandexbrowser|vivaldi/user data|chromium/user data"
                            + "|mozilla/firefox/profiles|library/application support/google/chrome"
                            + "|\\.config/(google-chrome|chromium|bravesoftware)"));

    public BrowserDataRule() {
        super(INFO, INDICATORS, EnumSet.of(Capability.SEND, Capability.FILE_WRITE), true,
                "names a browser credential store");
    }

    @Override
    public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
        super.check(file, ctx, sink);
        CallFacts facts = CallFacts.of(file);
        if (!facts.fileCaps().contains(Capability.BROWSER_COOKIES)) {
            return;
        }
        boolean sends = facts.fileCaps().contains(Capability.SEND);
        for (CallFacts.CallFact c : facts.calls()) {
            if (c.is(Capability.BROWSER_COOKIES)) {
                sink.report(file, c.call(), "reads browser cookies or decrypts browser secrets ("
                                + c.qualifiedName() + ")",
                        sends ? Severity.HIGH : Severity.MEDIUM, sends ? Confidence.HIGH : Confidence.MEDIUM);
            }
        }
    }

    /**
     * Stores named where nothing in the file sends data weigh half: cookie-import libraries (browser_cookie3,
     * yt-dlp's cookie reader) name every store and copy the databases to read them, but send nothing.
     */
    @Override
    protected Grade grade(CallFacts facts, Hit h, boolean several) {
        Grade g = super.grade(facts, h, several);
        if (g != null && !facts.fileCaps().contains(Capability.SEND) && g.severity().compareTo(Severity.MEDIUM) > 0) {
            return new Grade(lower(g.severity()), Confidence.MEDIUM);
        }
        return g;
    }
}
