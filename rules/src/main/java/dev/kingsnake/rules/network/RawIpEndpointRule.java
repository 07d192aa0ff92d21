package dev.kingsnake.rules.network;

import dev.kingsnake.Confidence;
import dev.kingsnake.Severity;
import dev.kingsnake.rules.shared.PublicAddresses;
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
import dev.kingsnake.spi.python.Nodes;

import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** URLs (or socket addresses) that use a bare public IPv4 address instead of a host name. */
public final class RawIpEndpointRule implements PythonFileRule {

    private static final RuleInfo INFO = new RuleInfo("KS-NET-RAW-IP",
            "Contacts a bare public IP address (http://203.0.113.7/... or socket.connect(('203.0.113.7', 4444))); "
                    + "high when data is posted to it, critical when files are uploaded to it",
            Severity.MEDIUM, Confidence.HIGH, Set.of(Tags.NETWORK),
            "urllib.request.urlopen('http://203.0.113.7:8080/stage2')",
            "Private, loopback, link-local and benchmark ranges are ignored (documentation ranges are not, so fixtures can use them); public DNS resolvers (8.8.8.8, "
                    + "1.1.1.1) without a URL scheme are not URLs, and a socket connected to one only to read its own "
                    + "address back (getsockname) or to check connectivity (nothing sent) is not reported. Only reported where the function (medium/high) or "
                    + "file (medium/medium) uses the network.");

    private static final Pattern URL_IP = Pattern.compile(
            "^(?:(?:https?|ftp|tcp|udp|wss?)://)(?:[^/@\\s]*@)?(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(?::\\d+)?(?:[/?#]|$)");
    /**
     * Public DNS resolvers: a datagram socket "connected" to one of them and asked for {@code getsockname()}
     * is the usual way to learn the machine's own outgoing address, and a connection opened and closed again is
     * the usual connectivity check; neither sends anything.
     */
    private static final Set<String> PUBLIC_RESOLVERS = Set.of("8.8.8.8", "8.8.4.4", "1.1.1.1", "1.0.0.1",
            "9.9.9.9", "208.67.222.222", "4.2.2.2");

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
        Set<Integer> connectTargets = new HashSet<>();
        Set<Integer> localAddressScopes = new HashSet<>();
        for (CallFacts.CallFact c : facts.calls()) {
            if (c.is(Capability.CONNECT) || c.is(Capability.SOCKET)) {
                connectTargets.add(c.call().line());
            }
            if ("getsockname".equals(c.method())) {
                localAddressScopes.add(c.scope());
            }
        }
        // URLs that are the target of a call sending data out (POST, upload, socket send)
        Set<Node> sendTargets = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Node> uploadTargets = Collections.newSetFromMap(new IdentityHashMap<>());
        for (CallFacts.CallFact c : facts.calls()) {
            if (c.is(Capability.SEND)) {
                boolean upload = c.call().keyword("files").isPresent();
                c.call().arg(0).or(() -> c.call().keyword("url")).ifPresent(a -> {
                    addTarget(file, a, sendTargets);
                    if (upload) {
                        addTarget(file, a, uploadTargets);
                    }
                });
            }
        }
        for (CallFacts.StringFact s : facts.strings()) {
            String t = s.text().strip();
            Matcher m = URL_IP.matcher(t);
            boolean hit = m.find() && PublicAddresses.isPublic(m);
            if (!hit) {
                Matcher b = PublicAddresses.IPV4.matcher(t);
                hit = connectTargets.contains(s.node().line()) && b.find() && PublicAddresses.isPublic(b)
                        && !(PUBLIC_RESOLVERS.contains(t) && (localAddressScopes.contains(s.scope())
                        || !facts.scopeHas(s.scope(), Capability.SEND)));
            }
            if (!hit) {
                continue;
            }
            if (uploadTargets.contains(s.node())) {
                sink.report(file, s.node(), "uploads files to a bare public IP address", Severity.CRITICAL,
                        Confidence.MEDIUM);
                continue;
            }
            if (sendTargets.contains(s.node())) {
                sink.report(file, s.node(), "sends data to a bare public IP address", Severity.HIGH, Confidence.HIGH);
                continue;
            }
            boolean scoped = facts.scopeHas(s.scope(), Capability.NETWORK);
            sink.report(file, s.node(), "contacts a bare public IP address",
                    Severity.MEDIUM, scoped ? Confidence.HIGH : Confidence.MEDIUM);
        }
    }

    /** The nodes of a call's URL argument, and of the value a name there was assigned (a module-level constant). */
    private static void addTarget(PythonFile file, Expr url, Set<Node> into) {
        Nodes.walk(url, into::add);
        if (url instanceof Expr.Name n) {
            DataFlow.of(file).assignedValue(n.id()).ifPresent(v -> Nodes.walk(v, into::add));
        }
    }
}
