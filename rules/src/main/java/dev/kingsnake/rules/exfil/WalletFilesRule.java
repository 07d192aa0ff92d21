package dev.kingsnake.rules.exfil;

import dev.kingsnake.Confidence;
import dev.kingsnake.Severity;
import dev.kingsnake.rules.shared.Indicator;
import dev.kingsnake.rules.shared.IndicatorRule;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.Tags;
import dev.kingsnake.spi.facts.Capability;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Cryptocurrency wallet files and wallet browser-extension storage. */
public final class WalletFilesRule extends IndicatorRule {

    private static final RuleInfo INFO = new RuleInfo("KS-EXFIL-WALLET",
            "Reads cryptocurrency wallet files or wallet browser-extension storage (Exodus, Electrum, wallet.dat, "
                    + "MetaMask and other extension ids)",
            Severity.HIGH, Confidence.HIGH, Set.of(Tags.CREDENTIALS),
            "shutil.copytree(appdata + '/Exodus/exodus.wallet', out)",
            "Wallet software and wallet-recovery tools open their own files; the extension ids and desktop wallet "
                    + "directories are always reported, a bare wallet.dat or keystore name only next to code that sends "
                    + "or copies data.");

    private static final List<Indicator> INDICATORS = List.of(
            Indicator.strong("Exodus wallet", "exodus/exodus\\.wallet|(^|/)exodus\\.wallet"),
            Indicator.strong("Electrum wallets", "electrum(-ltc)?/wallets"),
            Indicator.strong("Atomic wallet", "atomic/local storage"),
            Indicator.strong("Armory/Coinomi/Guarda/Jaxx wallet", "(armory|coinomi/coinomi/wallets|guarda/local storage"
                    + "|com\\.liberty\\.jaxx)"),
            Indicator.strong("wallet browser extension",
                    "nkbihfbeogaeaoehlefnkodbefgpgknn|ejbalbakoplchlghecdalmeeeajnimhm|bfnaelmomeimhlpmgjnjophhpkkoljpa"
                            + "|hnfanknocfeofbddgcijnmhnfnkdnaad|fhbohimaelbohpjbbldcngcnapndodjp"
                            + "|ibnejdfjmmkpcnlpebklmnkoeoihofec|egjidjbpglichdcondbcbdnbeeppgdph"
                            + "|aholpfdialjgjfhomihkjbmgjidlcdno|acmacodkjbdgmoleebolmdjonilkdbch"),
            Indicator.weak("wallet.dat", "(^|/)wallet\\.dat$"),
            Indicator.weak("Ethereum keystore", "ethereum/keystore"),
            Indicator.weak("Bitcoin/Litecoin/Monero wallet directory", "(bitcoin|litecoin|dogecoin|monero)/wallets?"));

    public WalletFilesRule() {
        super(INFO, INDICATORS, EnumSet.of(Capability.SEND, Capability.FILE_WRITE), true,
                "names a cryptocurrency wallet store");
    }
}
