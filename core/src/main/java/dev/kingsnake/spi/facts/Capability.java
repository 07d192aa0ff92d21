package dev.kingsnake.spi.facts;

import dev.kingsnake.spi.python.Expr;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** What a call can do, as far as the rules of this family care. A call may have several. */
public enum Capability {
    /** Any network use. */
    NETWORK,
    /** Fetches something from the network (GET, urlopen, connection objects). */
    FETCH,
    /** Sends data out: POST/PUT, mail, FTP upload, webhooks, socket send, curl --data. */
    SEND,
    /** Downloads straight into a file (urlretrieve, wget.download). */
    DOWNLOAD_TO_FILE,
    /** Creates a socket. */
    SOCKET,
    /** Connects a socket to a (host, port). */
    CONNECT,
    /** Receives from a socket. */
    RECV,
    /** Listens for connections (bind/listen/accept). */
    LISTEN,
    /** Name resolution (data can leave in the hostname). */
    DNS,
    /** os.dup2: rebinds standard streams. */
    DUP2,
    /** Starts a process or shell. */
    PROCESS,
    /** Runs Python from data: exec/eval/compile. */
    EXEC,
    /** Opens a file for writing, copies or writes bytes. */
    FILE_WRITE,
    /** Makes a file executable. */
    CHMOD,
    /** Collects facts about the user or host. */
    FINGERPRINT,
    /** Reads the clipboard. */
    CLIPBOARD_READ,
    /** Replaces the clipboard. */
    CLIPBOARD_WRITE,
    /** Takes a screenshot. */
    SCREENSHOT,
    /** Hooks the keyboard. */
    KEYLOG,
    /** Writes the Windows registry. */
    REGISTRY_WRITE,
    /** The whole environment as one value (os.environ copied, serialised or iterated). */
    ENV_ALL,
    /** Reads an environment variable whose name looks like a secret. */
    ENV_SECRET,
    /** Reads browser cookies or passwords through a cookie-extraction library. */
    BROWSER_COOKIES,
    /** Creates a chat bot (Telegram, Discord): a remote-control channel. */
    CHAT_BOT;

    /** The capabilities of a library callable by qualified name, or null when it has none. */
    static Set<Capability> byName(String qualifiedName) {
        return PythonApis.capabilities(qualifiedName);
    }

    private static final Set<String> FINGERPRINT_ENV = Set.of("USERNAME", "COMPUTERNAME", "USER", "HOSTNAME",
            "USERDOMAIN", "LOGNAME", "USERPROFILE");
    private static final Pattern SECRET_ENV = Pattern.compile(
            "(?i)^(AWS_(SECRET_ACCESS_KEY|ACCESS_KEY_ID|SESSION_TOKEN)|.*(_TOKEN|_SECRET|_API_KEY|_APIKEY|PASSWORD|"
                    + "_PASSWD|PRIVATE_KEY|_CREDENTIALS?)|GH_TOKEN|GITHUB_TOKEN|NPM_TOKEN|PYPI_TOKEN|TWINE_PASSWORD)$");
    private static final Pattern CURL_SEND = Pattern.compile(
            "(?i)\\b(curl|wget)\\b.*(\\s-d\\s|\\s-d['\"]|--data|\\s-F\\s|--form|-X\\s*POST|--upload-file|\\s-T\\s|--post-)");
    private static final Pattern SHELL_WORDS = Pattern.compile(
            "(?i)(^|[/\\\\\\s'\"])(sh|bash|zsh|dash|cmd(\\.exe)?|powershell(\\.exe)?|pwsh)($|[\\s'\"])");

    /** A command text that uploads or posts data with curl/wget ({@code -F}, {@code -d}, {@code --data} ...). */
    static boolean uploadsWithTool(List<String> texts) {
        for (String t : texts) {
            if (CURL_SEND.matcher(t).find()) {
                return true;
            }
        }
        return false;
    }

    /** The capabilities a call of this qualified name has by its name alone; empty when unknown. */
    static Set<Capability> named(String qn) {
        return Optional.ofNullable(PythonApis.capabilities(qn)).orElse(Set.of());
    }

    static EnumSet<Capability> classify(CallFacts facts, Expr.Call c, String qn, String method) {
        EnumSet<Capability> caps = EnumSet.noneOf(Capability.class);
        Set<Capability> known = PythonApis.capabilities(qn);
        if (known != null) {
            caps.addAll(known);
        }
        switch (qn) {
            case "open", "io.open", "codecs.open", "builtins.open" -> {
                String mode = facts.text(c, 1, "mode").orElse("r");
                if (mode.matches(".*[wax+].*")) {
                    caps.add(FILE_WRITE);
                }
            }
            case "urllib.request.Request", "urllib2.Request", "urllib.request.urlopen", "urllib2.urlopen" -> {
                if (c.arg(1).isPresent() || c.keyword("data").isPresent()) {
                    caps.add(SEND);
                }
            }
            case "os.getenv", "os.environ.get", "os.getenvb", "os.environ.pop" -> {
                facts.text(c, 0, "key").ifPresent(name -> envName(caps, name));
            }
            default -> {
            }
        }
        if (PythonApis.ENV_WHOLE.contains(qn) || readsProcEnviron(facts, c, qn)) {
            caps.add(ENV_ALL);
        }
        if (PythonApis.ENV_SERIALISERS.contains(qn) && c.arg(0).isPresent()
                && facts.file().qualifiedName(c.arg(0).get()).map("os.environ"::equals).orElse(false)) {
            caps.add(ENV_ALL);
        }
        if (caps.contains(PROCESS)) {
            for (String t : facts.textsWithin(c)) {
                if (CURL_SEND.matcher(t).find()) {
                    caps.add(SEND);
                    caps.add(NETWORK);
                }
            }
            dnsTool(caps, facts, c);
        }
        if (known == null && c.callee() instanceof Expr.Attribute) {
            byMethod(caps, facts, c, method);
        }
        return caps;
    }

    private static final Pattern PROC_ENVIRON = Pattern.compile("^/?proc/(self|\\d+|\\{})/environ$");

    /**
     * {@code open('/proc/self/environ')}, {@code open(Path('/', 'proc', 'self', 'environ'))}: a process's whole
     * environment read as a file.
     */
    private static boolean readsProcEnviron(CallFacts facts, Expr.Call c, String qn) {
        if (qn.endsWith("Path")) {
            return PROC_ENVIRON.matcher(joinedPath(facts, c)).find();
        }
        if (!qn.equals("open") && !qn.equals("io.open") && !qn.equals("builtins.open") || c.arg(0).isEmpty()) {
            return false;
        }
        Expr p = c.arg(0).get();
        if (p instanceof Expr.Call inner && inner.callee() instanceof Expr.Attribute a && a.attr().equals("absolute")
                && a.value() instanceof Expr.Call base) {
            p = base; // Path(...).absolute()
        }
        String text = p instanceof Expr.Call pathCall && facts.file().calleeName(pathCall).orElse("").endsWith("Path")
                ? joinedPath(facts, pathCall) : facts.text(p).orElse("");
        return PROC_ENVIRON.matcher(text.strip()).find();
    }

    /** The path a {@code Path('/', 'proc', 'self', 'environ')} call builds, unknown parts as {@code {}}. */
    private static String joinedPath(CallFacts facts, Expr.Call pathCall) {
        StringBuilder sb = new StringBuilder();
        for (Expr part : pathCall.args()) {
            sb.append('/').append(facts.text(part).orElse("{}"));
        }
        return sb.toString().replaceAll("/+", "/");
    }

    /**
     * A DNS lookup tool run as a process ({@code dig}, {@code nslookup}, {@code host}, {@code ping}...)
     * on a name assembled from values under a fixed domain: data leaves in the query.
     */
    private static void dnsTool(EnumSet<Capability> caps, CallFacts facts, Expr.Call c) {
        List<Expr> parts = commandParts(c);
        if (parts.isEmpty()) {
            return;
        }
        String head = facts.text(parts.get(0)).orElse("").strip();
        if (!DNS_TOOL.matcher(head).find()) {
            return;
        }
        for (Expr p : parts) {
            if (!(p instanceof Expr.Literal) && Destinations.dataUnderFixedDomain(facts, p)) {
                caps.addAll(EnumSet.of(NETWORK, DNS, SEND));
                return;
            }
        }
    }

    /** The pieces of a process call's command: the items of a list argument, or the single string. */
    static List<Expr> commandParts(Expr.Call c) {
        Optional<Expr> a = c.arg(0).or(() -> c.keyword("args"));
        if (a.isEmpty()) {
            return List.of();
        }
        return a.get() instanceof Expr.Sequence s ? s.elements() : List.of(a.get());
    }

    private static final Pattern DNS_TOOL = Pattern.compile(
            "(?i)^(\\S*[/\\\\])?(dig|nslookup|host|ping|ping6|drill|kdig|resolvectl|getent)(\\.exe)?(\\s|$)");

    private static void envName(EnumSet<Capability> caps, String name) {
        String n = name.toUpperCase(Locale.ROOT);
        if (FINGERPRINT_ENV.contains(n)) {
            caps.add(FINGERPRINT);
        } else if (SECRET_ENV.matcher(n).matches()) {
            caps.add(ENV_SECRET);
        }
    }

    /** Calls on objects the resolver cannot type (a socket in a variable, a session): judged by method shape. */
    private static void byMethod(EnumSet<Capability> caps, CallFacts facts, Expr.Call c, String method) {
        switch (method) {
            case "sendall", "sendto" -> caps.addAll(EnumSet.of(NETWORK, SEND));
            case "send" -> {
                if (facts.fileCaps().contains(SOCKET) || c.keyword("content").isPresent()
                        || c.keyword("embed").isPresent()) {
                    caps.addAll(EnumSet.of(NETWORK, SEND));
                }
            }
            case "sendmail", "send_message", "storbinary", "storlines", "send_document", "sendDocument",
                 "upload_file" -> caps.addAll(EnumSet.of(NETWORK, SEND));
            case "post", "put" -> {
                if (c.keyword("json").isPresent() || c.keyword("data").isPresent()
                        || c.keyword("files").isPresent() || firstArgIsUrl(facts, c)) {
                    caps.addAll(EnumSet.of(NETWORK, SEND));
                }
            }
            case "urlopen", "urlretrieve" -> {
                caps.addAll(EnumSet.of(NETWORK, FETCH));
                if ("urlretrieve".equals(method)) {
                    caps.add(DOWNLOAD_TO_FILE);
                }
            }
            case "connect", "connect_ex" -> {
                if (c.arg(0).map(a -> a instanceof Expr.Sequence).orElse(false)) {
                    caps.addAll(EnumSet.of(NETWORK, CONNECT));
                }
            }
            case "recv", "recvfrom", "recv_into" -> caps.addAll(EnumSet.of(NETWORK, RECV));
            case "bind" -> {
                if (c.arg(0).map(a -> a instanceof Expr.Sequence).orElse(false)) {
                    caps.addAll(EnumSet.of(NETWORK, LISTEN));
                }
            }
            case "listen", "accept" -> {
                if (facts.fileCaps().contains(SOCKET)) {
                    caps.addAll(EnumSet.of(NETWORK, LISTEN));
                }
            }
            case "write_bytes", "write_text" -> caps.add(FILE_WRITE);
            case "clipboard_get" -> caps.add(CLIPBOARD_READ);
            case "SetWindowsHookExA", "SetWindowsHookExW", "GetAsyncKeyState" -> caps.add(KEYLOG);
            case "request" -> {
                if (facts.text(c, 0, "method").map(m -> m.equalsIgnoreCase("POST") || m.equalsIgnoreCase("PUT"))
                        .orElse(false)) {
                    caps.addAll(EnumSet.of(NETWORK, SEND));
                }
            }
            default -> {
            }
        }
    }

    private static boolean firstArgIsUrl(CallFacts facts, Expr.Call c) {
        Optional<String> t = facts.text(c, 0, "url");
        return t.map(s -> s.startsWith("http://") || s.startsWith("https://") || s.startsWith("{}")).orElse(false);
    }

    /** True when a process call's constant arguments name an interactive shell. */
    public static boolean namesShell(CallFacts facts, Expr.Call c) {
        for (String t : facts.textsWithin(c)) {
            if (SHELL_WORDS.matcher(t).find()) {
                return true;
            }
        }
        return false;
    }

    /** Reads of environment variables by name through subscript ({@code os.environ["X"]}). */
    static boolean isSecretEnvName(String name) {
        return SECRET_ENV.matcher(name.toUpperCase(Locale.ROOT)).matches();
    }
}
