package dev.kingsnake.rules.miner;

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

/** Cryptocurrency miners: stratum pool URLs, miner binaries and their command-line flags, pool hosts. */
public final class MinerRule extends IndicatorRule {

    private static final RuleInfo INFO = new RuleInfo("KS-MINER-STRATUM",
            "Runs a cryptocurrency miner: stratum pool URLs, xmrig/cpuminer-style binaries and flags "
                    + "(--donate-level, -o pool -u wallet), mining-pool hosts",
            Severity.HIGH, Confidence.HIGH, Set.of(Tags.MINER),
            "subprocess.Popen(['./xmrig', '-o', 'stratum+tcp://pool.example.invalid:3333', '-u', wallet, '--donate-level', '1'])",
            "Mining dashboards and pool clients name pools and miners legitimately (and emoji tables name the "
                    + "t-rex); stratum URLs and --donate-level are always reported, miner names, pool hosts and algorithm "
                    + "flags only next to process or network code.");

    private static final List<Indicator> INDICATORS = List.of(
            Indicator.strong("stratum pool URL", "stratum\\d?\\+(tcp|ssl|tls)://"),
            Indicator.strong("miner donate-level flag", "--donate-level"),
            Indicator.weak("miner binary", "\\b(xmrig|xmr-stak|cpuminer|ccminer|nbminer|lolminer|phoenixminer"
                    + "|srbminer|teamredminer|bzminer|ethminer|minerd)(\\.exe)?\\b"),
            Indicator.weak("mining pool host", "(supportxmr\\.com|minexmr\\.com|nanopool\\.org|moneroocean\\.stream"
                    + "|hashvault\\.pro|2miners\\.com|f2pool\\.com|ethermine\\.org|herominers\\.com|c3pool\\.com"
                    + "|unmineable\\.com|nicehash\\.com|zpool\\.ca|miningpoolhub\\.com|prohashing\\.com|xmrpool\\.eu"
                    + "|viabtc\\.com|antpool\\.com|kryptex\\.network)"),
            Indicator.weak("mining algorithm flag", "(^|\\s)(-a|--algo)[ =](rx/0|randomx|cryptonight|kawpow|ethash|"
                    + "autolykos2?|etchash)\\b|--coin[ =](monero|xmr)"));

    public MinerRule() {
        super(INFO, INDICATORS, EnumSet.of(Capability.PROCESS, Capability.NETWORK, Capability.DOWNLOAD_TO_FILE), false,
                "cryptocurrency miner");
    }
}
