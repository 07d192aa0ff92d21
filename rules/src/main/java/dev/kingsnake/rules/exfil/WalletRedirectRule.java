package dev.kingsnake.rules.exfil;

import dev.kingsnake.Confidence;
import dev.kingsnake.Severity;
import dev.kingsnake.rules.shared.FileNodes;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.PythonFileRule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.Tags;
import dev.kingsnake.spi.python.Const;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Node;
import dev.kingsnake.spi.python.Nodes;
import dev.kingsnake.spi.python.Stmt;

import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A function that is handed a destination (recipient, dest, to ...) but sends to a hard-coded wallet address: the
 * shape of trojan copies of wallet tools and SDKs whose only change is the payee. The caller's address is still
 * validated and shown; the transfer goes elsewhere.
 */
public final class WalletRedirectRule implements PythonFileRule {
    static final RuleInfo INFO = new RuleInfo("KS-EXFIL-WALLET-REDIRECT",
            "A function takes a destination address (dest, destination, recipient, to ...) but puts a hard-coded"
                    + " cryptocurrency address (Ethereum, Bitcoin, Substrate/SS58, Tron, Solana, Monero) where the"
                    + " destination goes: funds are redirected to someone else.",
            Severity.CRITICAL, Confidence.HIGH, Set.of(Tags.EXFILTRATION, Tags.STRONG),
            "def transfer(wallet, destination, amount):\n    call = compose('transfer', {'dest': '5Ab…(48 chars)'})",
            "Only a constant inside the function body is judged: an address as a parameter's default value is a"
                    + " donation or test default the caller can override. Burn and placeholder addresses (0x000…,"
                    + " 0x…dEaD, strings of few distinct characters) are not addresses anyone is paid at. Only"
                    + " destination-like names count: a dict key or keyword (dest, to, recipient, receiver, payee,"
                    + " to_address ...) or an assignment to such a name, including the parameter itself.");

    private static final Set<String> DESTINATIONS = Set.of("dest", "destination", "recipient", "receiver", "to",
            "toaddress", "toaddr", "destaddress", "destaddr", "destinationaddress", "recipientaddress",
            "receiveraddress", "payee", "payto", "targetaddress", "towallet", "destwallet", "recipientwallet");
    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
        for (Stmt.FunctionDef def : FileNodes.of(file).functions()) {
            Set<String> params = new HashSet<>();
            for (Stmt.Param p : def.params()) {
                if (DESTINATIONS.contains(squash(p.name()))) {
                    params.add(p.name());
                }
            }
            if (params.isEmpty()) {
                continue;
            }
            for (Stmt s : def.body()) {
                Nodes.walk(s, m -> destinationValue(file, m, params).ifPresent(v -> {
                    Optional<String> address = address(file, v);
                    if (address.isPresent()) {
                        sink.report(file, v, "'" + def.name() + "' is given a destination ("
                                        + String.join(", ", params) + ") but sends to the hard-coded address "
                                        + address.get(),
                                INFO.severity(), INFO.confidence());
                    }
                }));
            }
        }
    }

    /** The value put where a destination goes: {@code {'dest': v}}, {@code f(to=v)}, {@code recipient = v}. */
    private static Optional<Expr> destinationValue(PythonFile file, Node n, Set<String> params) {
        if (n instanceof Expr.DictItem item && item.key().isPresent()) {
            String key = file.constant(item.key().get()).filter(c -> c instanceof Const.Str).map(Const::asText)
                    .orElse("");
            return DESTINATIONS.contains(squash(key)) ? Optional.of(item.value()) : Optional.empty();
        }
        if (n instanceof Expr.Keyword k && k.name() != null && DESTINATIONS.contains(squash(k.name()))) {
            return Optional.of(k.value());
        }
        if (n instanceof Stmt.Assign a && a.value().isPresent() && a.augOp().isEmpty()) {
            for (Expr t : a.targets()) {
                if (t instanceof Expr.Name name && (params.contains(name.id())
                        || DESTINATIONS.contains(squash(name.id())))) {
                    return a.value();
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> address(PythonFile file, Expr v) {
        return v instanceof Expr.Literal ? WalletAddresses.constant(file, v) : Optional.empty();
    }

    private static String squash(String name) {
        return name.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
    }
}
