package dev.kingsnake.rules.obfuscation;

import dev.kingsnake.Confidence;
import dev.kingsnake.Severity;
import dev.kingsnake.spi.FindingSink;
import dev.kingsnake.spi.Location;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.PythonFileRule;
import dev.kingsnake.spi.RuleContext;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.Tags;
import dev.kingsnake.spi.facts.CallFacts;
import dev.kingsnake.spi.facts.Capability;
import dev.kingsnake.spi.facts.EncodedText;
import dev.kingsnake.spi.python.Expr;

import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A URL, host, command or file path hidden in a base64/hex literal, or a whole executable embedded as
 * base64: the reader is not meant to see where the code connects or what it runs.
 */
public final class EncodedStringRule implements PythonFileRule {

    static final RuleInfo INFO = new RuleInfo("KS-OBF-ENCODED-STRING",
            "Hides a URL, host, shell command or file path in a base64/hex literal that the code decodes, or "
                    + "embeds an executable (PE/ELF/Mach-O) as base64",
            Severity.MEDIUM, Confidence.HIGH, Set.of(Tags.OBFUSCATION, Tags.NETWORK),
            "url = base64.b64decode('aHR0cDovLzIwMy4wLjExMy43OjUwMDAvcA==').decode()  # http://203.0.113.7:5000/p",
            "Only literals of a file that calls a base64/hex decoder are decoded, and only readable results that "
                    + "have the shape of a URL, host, command or path count. Projects do not encode their own "
                    + "endpoints; licence keys and test vectors decode to other shapes. High for a bare-IP URL, a "
                    + "command that downloads or opens a shell, or an embedded executable.");

    private static final Pattern URL = Pattern.compile("^(?:https?|ftp|wss?|tcp)://([^/:\\s?#]+)(:\\d+)?\\S*$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern IPV4 = Pattern.compile("^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(:\\d+)?$");
    private static final Pattern HOST = Pattern.compile(
            "^(?:[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?\\.)+(com|net|org|io|ru|xyz|top|app|dev|cloud|lol|me|info|biz|co"
                    + "|cc|tk|ml|ga|cf|gq|pw|su|cn|site|online|live|fun|store|shop|link|club|click|pro|to|sh|gg|ws"
                    + "|in|de|uk|us|fr|nl|tech|space|website|host|icu|vip|buzz)(:\\d+)?$");
    private static final Pattern NETWORK_COMMAND = Pattern.compile(
            "(?i)(^|[\\s;&|\"'(/\\\\])(curl|wget|powershell|pwsh|certutil|bitsadmin|mshta|nc|ncat|netcat|socat)"
                    + "(\\.exe)?\\s|\\|\\s*(sudo\\s+)?(ba|z|da)?sh\\b|/bin/(ba)?sh\\b|/dev/tcp/");
    /** A program word followed by arguments of which at least one is an option or a shell operator. */
    private static final Pattern COMMAND = Pattern.compile(
            "^[A-Za-z0-9_.\\\\/:-]+(\\.exe)?\\s+(.*\\s)?(--?[A-Za-z]|/[A-Za-z](\\s|$)|\\||&&|>|;).*$", Pattern.DOTALL);
    private static final Pattern PATH = Pattern.compile(
            "^(~[/\\\\]|%[a-z]+%|/(etc|home|root|usr|var|tmp|users)/|[a-z]:[\\\\/])|appdata|\\.config[/\\\\]",
            Pattern.CASE_INSENSITIVE);

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void check(PythonFile file, RuleContext ctx, FindingSink sink) {
        CallFacts facts = CallFacts.of(file);
        Set<Integer> lines = new HashSet<>();
        boolean anyDecoded = false;
        for (CallFacts.StringFact s : facts.strings()) {
            if (!facts.isDecoded(s)) {
                continue;
            }
            anyDecoded = true;
            String t = s.text().strip();
            Shape shape = shape(facts, t);
            if (shape == null || !lines.add(s.node().line())) {
                continue;
            }
            sink.reportLine(file, Location.of(file, s.node()), "decodes " + shape.what() + " from an encoded literal: "
                            + FindingSink.clip(t.replace('\n', ' '), 100), 160,
                    shape.strong() ? Severity.HIGH : Severity.MEDIUM, Confidence.HIGH);
        }
        if (anyDecoded || decodesBase64(facts)) {
            embeddedExecutables(file, facts, sink, lines);
        }
    }

    private record Shape(String what, boolean strong) {
    }

    private static Shape shape(CallFacts facts, String t) {
        Matcher u = URL.matcher(t);
        if (u.matches()) {
            return new Shape("a URL", publicIp(u.group(1)));
        }
        Matcher ip = IPV4.matcher(t);
        if (ip.matches()) {
            return publicIp(t.replaceAll(":\\d+$", "")) ? new Shape("an IP address", true) : null;
        }
        String lower = t.toLowerCase(Locale.ROOT);
        if (HOST.matcher(lower).matches()) {
            return new Shape("a host name", false);
        }
        Set<Capability> caps = facts.fileCaps();
        if (NETWORK_COMMAND.matcher(t).find() && (COMMAND.matcher(t).matches() || t.contains("|"))) {
            return new Shape("a shell command", true);
        }
        if (caps.contains(Capability.PROCESS) && COMMAND.matcher(t).matches() && !t.contains("  ")
                && t.split("\\s+").length <= 12) {
            return new Shape("a shell command", false);
        }
        if (PATH.matcher(t).find() && !t.contains(" ") && (caps.contains(Capability.NETWORK)
                || caps.contains(Capability.PROCESS) || caps.contains(Capability.FILE_WRITE))) {
            return new Shape("a file path", false);
        }
        return null;
    }

    private static boolean publicIp(String host) {
        Matcher m = IPV4.matcher(host);
        if (!m.matches()) {
            return false;
        }
        int[] o = new int[4];
        for (int i = 0; i < 4; i++) {
            o[i] = Integer.parseInt(m.group(i + 1));
            if (o[i] > 255) {
                return false;
            }
        }
        return !(o[0] == 0 || o[0] == 10 || o[0] == 127 || o[0] >= 224 || (o[0] == 169 && o[1] == 254)
                || (o[0] == 172 && o[1] >= 16 && o[1] <= 31) || (o[0] == 192 && o[1] == 168));
    }

    private static boolean decodesBase64(CallFacts facts) {
        for (CallFacts.CallFact c : facts.calls()) {
            String m = c.qualifiedName().isEmpty() ? c.method()
                    : c.qualifiedName().substring(c.qualifiedName().lastIndexOf('.') + 1);
            if (m.endsWith("b64decode") || "decodebytes".equals(m) || "a2b_base64".equals(m)) {
                return true;
            }
        }
        return false;
    }

    /** Base64 literals whose first bytes are a PE, ELF or Mach-O header. */
    private static void embeddedExecutables(PythonFile file, CallFacts facts, FindingSink sink, Set<Integer> lines) {
        for (CallFacts.StringFact s : facts.strings()) {
            if (facts.isDecoded(s) || !(s.node() instanceof Expr.Literal) || s.text().length() < 1024) {
                continue;
            }
            Optional<byte[]> head = EncodedText.base64Prefix(s.text(), 96);
            String kind = head.map(EncodedStringRule::executableKind).orElse(null);
            if (kind != null && lines.add(s.node().line())) {
                sink.report(Location.of(file, s.node()), "embeds " + kind + " as a base64 literal",
                        FindingSink.clip(s.text(), 60), Severity.HIGH, Confidence.HIGH);
            }
        }
    }

    static String executableKind(byte[] b) {
        if (b.length >= 64 && b[0] == 'M' && b[1] == 'Z') {
            return "a Windows executable (PE)";
        }
        if (b.length >= 16 && b[0] == 0x7f && b[1] == 'E' && b[2] == 'L' && b[3] == 'F') {
            return "a Linux executable (ELF)";
        }
        if (b.length >= 16 && (b[0] & 0xff) == 0xcf && (b[1] & 0xff) == 0xfa && (b[2] & 0xff) == 0xed
                && (b[3] & 0xff) == 0xfe) {
            return "a macOS executable (Mach-O)";
        }
        return null;
    }
}
