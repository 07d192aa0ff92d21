package dev.kingsnake.rules.exfil;

import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.python.Const;
import dev.kingsnake.spi.python.Expr;

import java.util.Optional;
import java.util.regex.Pattern;

/** Shapes of cryptocurrency addresses that someone is paid at (not burn or placeholder addresses). */
final class WalletAddresses {
    private static final Pattern ADDRESS = Pattern.compile(
            "0x[0-9a-fA-F]{40}"                                    // Ethereum and EVM chains
                    + "|bc1[02-9ac-hj-np-z]{38,58}|[13][1-9A-HJ-NP-Za-km-z]{25,33}"  // Bitcoin
                    + "|[1-9A-HJ-NP-Za-km-z]{47,48}"                 // Substrate SS58 (Polkadot, Bittensor ...)
                    + "|T[1-9A-HJ-NP-Za-km-z]{33}"                   // Tron
                    + "|[1-9A-HJ-NP-Za-km-z]{32,44}"                 // Solana
                    + "|[48][0-9AB][1-9A-HJ-NP-Za-km-z]{93}");       // Monero
    /** Fewer distinct characters than this is a placeholder or burn address, not a payee. */
    private static final int MIN_DISTINCT = 12;

    private WalletAddresses() {
    }

    /**
     * An Ethereum/EVM, Bitcoin, Substrate (SS58), Tron, Solana or Monero address with enough distinct characters to
     * be a real payee; base58 shapes must mix digits, upper and lower case, as addresses do and identifiers rarely do.
     */
    static boolean isAddress(String s) {
        return ADDRESS.matcher(s).matches() && s.chars().distinct().count() >= MIN_DISTINCT
                && (s.startsWith("0x") || s.startsWith("bc1") || mixed(s));
    }

    /** The wallet address an expression folds to (a string constant, stripped), if it is one. */
    static Optional<String> constant(PythonFile file, Expr e) {
        return file.constant(e).filter(c -> c instanceof Const.Str).map(c -> c.asText().strip())
                .filter(WalletAddresses::isAddress);
    }

    private static boolean mixed(String s) {
        return s.chars().anyMatch(Character::isUpperCase) && s.chars().anyMatch(Character::isLowerCase)
                && s.chars().anyMatch(Character::isDigit);
    }
}
