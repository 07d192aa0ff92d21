package dev.kingsnake.rules.shared;

import dev.kingsnake.spi.FactKey;
import dev.kingsnake.spi.facts.CallFacts;
import dev.kingsnake.spi.python.Const;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Node;
import dev.kingsnake.spi.python.Stmt;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Whether code names where its network traffic goes. A collection server, a stager's URL or a mail drop is
 * written into the malicious code (plainly, in a module constant, or encoded and decoded by the scanner); a
 * notifier, a preload feature or a job runner sends to or fetches from wherever its configuration or caller
 * points it. Looked for: a URL, an IP address, a mail address or a bare host name among the string constants
 * (decoded ones included) of the function, of the functions of the file it calls or that lead to it, and among the folded
 * values of the arguments of their calls (module constants such as {@code C2 = "https://..."} handed to a
 * request or to a local helper that makes it).
 */
public final class FixedEndpoints {

    /** A URL with a host, an IPv4 address, or a mail address with a domain. */
    private static final Pattern ENDPOINT = Pattern.compile(
            "(?i)\\b[a-z][a-z0-9+.-]*://[a-z0-9\\[]|\\b\\d{1,3}(\\.\\d{1,3}){3}\\b"
                    + "|[a-z0-9._%+-]+@[a-z0-9-]+(\\.[a-z0-9-]+)*\\.[a-z]{2,}\\b");
    /**
     * A host name: dotted labels ending in an alphabetic top-level domain, the whole string or a piece of a URL
     * assembled around it ({@code "http://" + data + ".collect.example.invalid/?h="}).
     */
    private static final Pattern HOST_NAME = Pattern.compile("(?i)(^|[^a-z0-9-])([a-z0-9-]+\\.)+[a-z]{2,}\\.?(:\\d+)?(/|$)");

    /** How deep into an argument expression parts are looked at. */
    private static final int MAX_DEPTH = 4;

    /** Per file: whether each function (by scope) or one linked to it names a destination. */
    private static final FactKey<Map<Integer, Boolean>> NAMED_BY_SCOPE =
            FactKey.ofPython("fixed endpoints by function", file -> new ConcurrentHashMap<>());

    /**
     * Per file: whether each string constant is an endpoint. The search of each function reads the strings of every
     * function linked to it, so the same strings come up once per function.
     */
    private static final FactKey<Map<String, Boolean>> ENDPOINT_STRINGS =
            FactKey.ofPython("endpoint strings", file -> new ConcurrentHashMap<>());

    private FixedEndpoints() {
    }

    /**
     * True when {@code scope}, a function of the file it calls, or one that leads to it names a network
     * destination.
     */
    public static boolean named(CallFacts facts, int scope) {
        // asked for every candidate call of a function (givenByCaller): answered once per function and file
        return facts.file().fact(NAMED_BY_SCOPE).computeIfAbsent(scope, s -> search(facts, s));
    }

    private static boolean search(CallFacts facts, int scope) {
        Set<Integer> scopes = LinkedScopes.of(facts, scope);
        Map<String, Boolean> endpoints = facts.file().fact(ENDPOINT_STRINGS);
        for (CallFacts.StringFact s : facts.strings()) {
            if (scopes.contains(s.scope()) && endpoints.computeIfAbsent(s.text(), FixedEndpoints::endpoint)) {
                return true;
            }
        }
        for (CallFacts.CallFact c : facts.calls()) {
            if (!scopes.contains(c.scope())) {
                continue;
            }
            List<Expr> values = new ArrayList<>(c.call().args());
            c.call().keywords().forEach(k -> values.add(k.value()));
            for (Expr a : values) {
                if (namesConstantEndpoint(facts, c.scope(), a, 0)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The value or one of its parts ({@code "https://{}/c".format(COLLECTOR, name)}) is a constant endpoint. */
    private static boolean namesConstantEndpoint(CallFacts facts, int scope, Expr e, int depth) {
        if (constantText(facts, scope, e).filter(FixedEndpoints::endpoint).isPresent()) {
            return true;
        }
        if (depth >= MAX_DEPTH) {
            return false;
        }
        for (Node n : e.children()) {
            if (n instanceof Expr child && namesConstantEndpoint(facts, scope, child, depth + 1)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The call takes where it goes from its function's caller: an argument is a parameter of the enclosing function
     * (or an item or attribute of one: {@code config['to']}, {@code urlopen(url)}), and no linked function names
     * a destination. A destination that is decoded, computed from constants or read from a response is not given
     * by a caller, nor is anything at module level.
     */
    public static boolean givenByCaller(CallFacts facts, CallFacts.CallFact c) {
        Optional<Stmt.FunctionDef> def = facts.file().enclosingFunction(c.call());
        if (def.isEmpty() || named(facts, c.scope())) {
            return false;
        }
        Set<String> params = new HashSet<>();
        def.get().params().forEach(p -> params.add(p.name()));
        params.remove("self");
        params.remove("cls");
        List<Expr> values = new ArrayList<>(c.call().args());
        c.call().keywords().forEach(k -> values.add(k.value()));
        for (Expr a : values) {
            if (fromParameter(facts, c.scope(), a, params, 0)) {
                return true;
            }
        }
        return false;
    }

    private static boolean fromParameter(CallFacts facts, int scope, Expr e, Set<String> params, int depth) {
        if (depth > MAX_DEPTH) {
            return false;
        }
        if (e instanceof Expr.Name n) {
            if (params.contains(n.id())) {
                return true;
            }
            Expr v = facts.valueOf(scope, e);
            return v != e && fromParameter(facts, scope, v, params, depth + 1);
        }
        if (e instanceof Expr.Subscript s) {
            return fromParameter(facts, scope, s.value(), params, depth + 1);
        }
        if (e instanceof Expr.Attribute a) {
            return fromParameter(facts, scope, a.value(), params, depth + 1);
        }
        return false;
    }

    private static Optional<String> constantText(CallFacts facts, int scope, Expr a) {
        return facts.file().constant(facts.valueOf(scope, a)).filter(Const::isStringLike).map(Const::asText);
    }

    static boolean endpoint(String text) {
        // every match of either pattern holds "://", a '.' or an '@' (the mail address holds both)
        if (text.length() >= 20_000 || text.indexOf('.') < 0 && text.indexOf('@') < 0 && !text.contains("://")) {
            return false;
        }
        return ENDPOINT.matcher(text).find() || HOST_NAME.matcher(text.strip()).find();
    }
}
