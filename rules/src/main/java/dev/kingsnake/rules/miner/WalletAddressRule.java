package dev.kingsnake.rules.miner;

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

import java.util.Set;
import java.util.regex.Pattern;

/** Hard-coded cryptocurrency addresses in code that mines, runs processes or sends data. */
public final class WalletAddressRule implements PythonFileRule {

    private static final RuleInfo INFO = new RuleInfo("KS-MINER-WALLET",
            "Hard-codes a cryptocurrency payout address (Monero 4.../8..., Bitcoin bc1/1/3) in code that runs "
                    + "processes, mines or sends data",
            Severity.MEDIUM, Confidence.MEDIUM, Set.of(Tags.MINER),
            "WALLET = '4' + 94 base58 characters (a Monero address); subprocess.Popen([miner, '-u', WALLET])",
            "Wallet and payment libraries carry sample or donation addresses; Bitcoin shapes are only reported in "
                    + "files that also run processes or send data, and only as whole strings.");

    private static final Pattern MONERO = Pattern.compile("(?<![1-9A-HJ-NP-Za-km-z])[48][0-9AB][1-9A-HJ-NP-Za-km-z]{93}"
            + "(?![1-9A-HJ-NP-Za-km-z])");
    private static final Pattern BITCOIN = Pattern.compile("^(bc1[02-9ac-hj-np-z]{38,58}|[13][1-9A-HJ-NP-Za-km-z]{25,33})$");
    private static final int MONERO_LENGTH = 95;
    private static final int BITCOIN_MIN = 26;
    private static final int BITCOIN_MAX = 61;

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
        CallFacts facts = CallFacts.of(file);
        Set<Capability> fc = facts.fileCaps();
        boolean active = fc.contains(Capability.PROCESS) || fc.contains(Capability.SEND)
                || fc.contains(Capability.CLIPBOARD_WRITE);
        for (CallFacts.StringFact s : facts.strings()) {
            String t = s.text().strip();
            // a Monero address is 95 characters long, a Bitcoin one 26 to 61: most strings are neither
            String what = t.length() >= MONERO_LENGTH && MONERO.matcher(t).find() ? "a Monero address"
                    : active && t.length() >= BITCOIN_MIN && t.length() <= BITCOIN_MAX && BITCOIN.matcher(t).matches()
                    && mixedCase(t) ? "a Bitcoin address" : null;
            if (what != null) {
                sink.report(file, s.node(), "hard-codes " + what,
                        Severity.MEDIUM, active ? Confidence.MEDIUM : Confidence.LOW);
            }
        }
    }

    /** Legacy base58 addresses mix digits, upper and lower case; bech32 is all lower case with digits. */
    private static boolean mixedCase(String t) {
        if (t.startsWith("bc1")) {
            return t.chars().anyMatch(Character::isDigit);
        }
        return t.chars().anyMatch(Character::isUpperCase) && t.chars().anyMatch(Character::isLowerCase)
                && t.chars().anyMatch(Character::isDigit);
    }
}
