package dev.kingsnake.rules.pkg;

import dev.kingsnake.Confidence;
import dev.kingsnake.Reach;
import dev.kingsnake.Severity;
import dev.kingsnake.rules.shared.DropEndpoints;
import dev.kingsnake.rules.shared.Indicator;
import dev.kingsnake.rules.shared.PublicAddresses;
import dev.kingsnake.spi.FileKind;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.Rule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.SourceFile;
import dev.kingsnake.spi.Tags;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A payload compiled into native code still names the server it talks to. The links a native binary carries as
 * text ({@link SourceFile#embeddedLinks()}) are read: a concrete data-drop endpoint (a webhook with its token, a
 * bot token, a request catcher) is reported in any binary; where the package has no business shipping native
 * code at all (see KS-PKG-NATIVE-BINARY), so is a server a build would never name: a bare public IP address, a
 * port other than the web's own, or a paste, file-drop or tunnel service.
 */
public final class NativeLinkRule implements Rule {
    private static final RuleInfo INFO = new RuleInfo("KS-PKG-NATIVE-LINK",
            "A native binary names a data-drop server: a webhook or bot token or request catcher in any binary; in a"
                    + " package that claims to be pure Python, also a bare public IP address, a port other than 80/443"
                    + " or a paste, file-drop or tunnel service",
            Severity.HIGH, Confidence.HIGH, Set.of(Tags.BINARY, Tags.NETWORK, Tags.EXFILTRATION),
            "tool/_core.cpython-311-x86_64-linux-gnu.so in tool-1.0-py3-none-any.whl carrying"
                    + " 'http://collect.example.invalid:1337/c'",
            "Only the first maxNativeScanBytes (16 MiB) of each binary are searched, as they stream through."
                    + " Platform wheels are expected to carry native code, and native libraries name all kinds of"
                    + " servers (documentation, update and metadata services): there, only a concrete data-drop"
                    + " endpoint is reported. Loopback, private and link-local addresses are never reported.");

    /** scheme://[user@]host[:port][/...] */
    private static final Pattern LINK = Pattern.compile(
            "^([a-z][a-z0-9+.-]*)://(?:[^/@\\s]*@)?(\\[[^\\]]*\\]|[^/:?#\\s]+)(?::(\\d{1,5}))?(?:[/?#].*)?$");
    private static final Set<String> WEB_PORTS = Set.of("80", "443", "8080", "8443");
    private static final Set<String> WEB_SCHEMES = Set.of("http", "https", "ws", "wss", "tcp", "udp", "ftp");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(RuleContext ctx, FindingSink sink) {
        List<SourceFile> files = ArchiveLayout.realFiles(ctx);
        Optional<String> unexpected = ArchiveLayout.nativeUnexpected(ctx, files);
        for (SourceFile f : files) {
            if (f.kind() != FileKind.NATIVE_BINARY) {
                continue;
            }
            for (String link : f.embeddedLinks()) {
                Optional<String> why = dropEndpoint(link)
                        .or(() -> unexpected.isPresent() ? unusualServer(link) : Optional.empty());
                if (why.isPresent()) {
                    String where = unexpected.map(u -> ", although " + u).orElse("");
                    sink.report(Location.file(f, Reach.UNKNOWN), "Native binary " + f.path() + " ("
                                    + ArchiveLayout.nativeFormat(f.bytes()) + ") names " + why.get() + where,
                            link, Severity.HIGH, Confidence.HIGH);
                    break;
                }
            }
        }
    }

    private static Optional<String> dropEndpoint(String link) {
        String lower = link.toLowerCase(Locale.ROOT);
        for (Indicator i : DropEndpoints.INDICATORS) {
            if (i.strong() && i.matches(link, lower)) {
                return Optional.of("a " + i.label());
            }
        }
        return Optional.empty();
    }

    /** A server no build names: a bare public IP, an unusual port, or a paste, file-drop or tunnel service. */
    private static Optional<String> unusualServer(String link) {
        String lower = link.toLowerCase(Locale.ROOT);
        Matcher m = LINK.matcher(lower);
        if (!m.matches() || !WEB_SCHEMES.contains(m.group(1))) {
            return Optional.empty();
        }
        String host = m.group(2);
        Matcher ip = PublicAddresses.IPV4.matcher(host);
        if (ip.matches()) {
            return PublicAddresses.isPublic(ip) ? Optional.of("a bare public IP address (" + host + ")")
                    : Optional.empty();
        }
        if (host.equals("localhost") || host.startsWith("[") || !host.contains(".")) {
            return Optional.empty();
        }
        String port = m.group(3);
        if (port != null && !WEB_PORTS.contains(port)) {
            return Optional.of("a server on port " + port + " (" + host + ")");
        }
        for (Indicator i : DropEndpoints.INDICATORS) {
            if (!i.strong() && i.matches(link, lower)) {
                return Optional.of("a " + i.label());
            }
        }
        return Optional.empty();
    }
}
