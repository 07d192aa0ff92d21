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

/** Session tokens of chat and gaming apps: Discord's leveldb and token shapes, Telegram tdata, game sessions. */
public final class AppTokensRule extends IndicatorRule {

    private static final RuleInfo INFO = new RuleInfo("KS-EXFIL-APP-TOKENS",
            "Harvests app session tokens: Discord token stores and token regexes, Telegram Desktop tdata and "
                    + "client .session files, game-platform session cookies and launcher account files",
            Severity.HIGH, Confidence.HIGH, Set.of(Tags.CREDENTIALS),
            "for f in os.listdir(roaming + '\\\\discord\\\\Local Storage\\\\leveldb'): re.findall(r'[\\w-]{24}\\.[\\w-]{6}\\.[\\w-]{27}', ...)",
            "Discord bot frameworks handle their own bot token but never read the desktop client's leveldb or scan "
                    + "files with token regexes; the generic 'Local Storage/leveldb' path is only reported next to code "
                    + "that sends data.");

    private static final List<Indicator> INDICATORS = List.of(
            // older clients kept the token in "Local Storage/https_discordapp.com_0.localstorage", newer in leveldb
            Indicator.strong("Discord client token store", "discord(canary|ptb|development)?/local storage(/|$)"),
            Indicator.strongExact("Discord token regex",
                    "(?i)\\[[^\\]]{1,24}\\]\\{2[3-6](,\\d*)?\\}\\\\?\\.\\[[^\\]]{1,24}\\]\\{6(,\\d*)?\\}"
                            + "|\\{6(,\\d*)?\\}\\\\?\\.\\[[^\\]]{1,24}\\]\\{(27|38)(,\\d*)?\\}"
                            + "|mfa\\\\?\\.\\[[^\\]]{1,24}\\]\\{84\\}|dqw4w9wgxcq:"),
            Indicator.strong("Telegram Desktop session", "telegram desktop/tdata"),
            Indicator.weak("Telegram session directory", "(^|/)tdata/?$"),
            Indicator.strong("Roblox session cookie", "\\.roblosecurity"),
            Indicator.strong("Steam login files", "steam/(config/loginusers\\.vdf|ssfn)"),
            Indicator.weak("Telegram client session file", "^\\.session$|/[\\w-]+\\.session$"),
            Indicator.weak("Minecraft launcher accounts", "(^|/)launcher_accounts(_microsoft_store)?\\.json$"),
            Indicator.weak("Minecraft mod-client accounts", "(^|/)microsoft_accounts\\.json$|(^|/)\\.lunarclient(/|$)"),
            Indicator.weak("Chromium Local Storage", "local storage/leveldb"),
            Indicator.weak("Discord client directory", "/discord(canary|ptb)?/?$"),
            Indicator.weak("Discord user API", "discord(app)?\\.com/api/v\\d+/users/@me"));

    public AppTokensRule() {
        super(INFO, INDICATORS, EnumSet.of(Capability.SEND), true, "names an app session-token store");
    }
}
