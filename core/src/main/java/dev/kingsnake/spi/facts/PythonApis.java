package dev.kingsnake.spi.facts;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one catalogue of Python library APIs Kingsnake knows by name: which calls fetch, send, run, decode, read
 * and write. Facts ({@link DataFlow}, {@link CallFacts}, {@link Capability}, {@link Activity}, {@link ExecSinks})
 * and rules read these tables instead of keeping their own lists; names are qualified as
 * {@link dev.kingsnake.spi.PythonFile#qualifiedName} resolves them ({@code base64.b64decode}, builtins bare).
 * The sets differ on purpose where a question differs (every decoder, or only the base64/hex ones), and each
 * says which question it answers.
 */
public final class PythonApis {
    private PythonApis() {
    }

    // Network: calls that fetch, receive or talk to a server.

    /** Calls that fetch data from the network. */
    public static final Set<String> NETWORK_CALLS = Set.of(
            "requests.get", "requests.post", "requests.put", "requests.request", "requests.head",
            "requests.patch", "requests.Session", "requests.session", "requests.api.get", "requests.api.post",
            "urllib.request.urlopen", "urllib.request.urlretrieve", "urllib.request.Request",
            "urllib.urlopen", "urllib.urlretrieve", "urllib2.urlopen", "urllib2.Request",
            "urllib.request.build_opener", "urllib3.PoolManager", "urllib3.request",
            "http.client.HTTPConnection", "http.client.HTTPSConnection", "httplib.HTTPConnection",
            "httplib.HTTPSConnection", "httpx.get", "httpx.post", "httpx.Client", "httpx.AsyncClient",
            "aiohttp.ClientSession", "socket.socket", "socket.create_connection", "ftplib.FTP",
            "smtplib.SMTP", "smtplib.SMTP_SSL", "telnetlib.Telnet", "pycurl.Curl", "wget.download",
            "dns.resolver.resolve", "dns.resolver.query", "websocket.create_connection");

    /** Method names that only network objects have, used when the receiver cannot be resolved. */
    public static final Set<String> NETWORK_METHODS = Set.of("urlopen", "urlretrieve", "recv", "recvfrom", "recv_into");

    /** Network sources that receive on a connection rather than fetch a URL. */
    public static final Set<String> RECEIVING_CALLS = Set.of("socket.socket", "socket.create_connection",
            "smtplib.SMTP", "smtplib.SMTP_SSL", "telnetlib.Telnet", "websocket.create_connection",
            "dns.resolver.resolve", "dns.resolver.query");

    /** Methods that receive on a socket the program holds. */
    public static final Set<String> RECEIVING_METHODS = Set.of("recv", "recvfrom", "recv_into");

    /** Modules every call of which talks to the network (install-time activity), helpers excepted. */
    public static final Set<String> NETWORK_MODULE_PREFIXES = Set.of(
            "requests.", "urllib.request.", "urllib2.", "httpx.",
            "http.client.", "httplib.", "aiohttp.", "urllib3.", "pycurl.", "ftplib.", "smtplib.", "telnetlib.",
            "paramiko.", "websocket.", "websockets.", "dns.resolver.");

    /** Single functions outside those modules that talk to the network (or open a browser on a URL). */
    public static final Set<String> NETWORK_FUNCTIONS = Set.of("urllib.urlopen", "urllib.urlretrieve", "socket.socket",
            "socket.create_connection", "socket.gethostbyname", "socket.getaddrinfo", "wget.download",
            "webbrowser.open", "webbrowser.open_new", "webbrowser.open_new_tab");

    /** Functions of network modules that do not talk to the network (exceptions, URL quoting and joining). */
    public static final Set<String> NETWORK_HELPERS = Set.of(
            "requests.exceptions.RequestException", "urllib.request.pathname2url",
            "urllib.request.url2pathname", "requests.utils.quote", "requests.compat.urljoin");

    /** Calls of network libraries that only configure them ({@code requests.packages.urllib3.disable_warnings()}). */
    public static final Set<String> NETWORK_CONFIGURATION_METHODS = Set.of(
            "disable_warnings", "add_stderr_logger", "mount",
            "set_debuglevel", "install_opener", "getproxies", "quote", "unquote", "urlencode");

    // Reading: standard input, streams, files.

    /**
     * Reads of standard input, and pipes opened from an inherited file descriptor ({@code os.fdopen}): what a
     * parent process sends to a worker it started (IPC).
     */
    public static final Set<String> STDIN_READS = Set.of("sys.stdin.read", "sys.stdin.readline",
            "sys.stdin.readlines", "sys.stdin.buffer.read", "sys.stdin.buffer.readline", "sys.stdin.buffer.raw.read");

    /** Methods that read from a stream (a pipe or file object). */
    public static final Set<String> STREAM_READS = Set.of("read", "readline", "readlines");

    /** Calls that open a file by path for reading. */
    public static final Set<String> OPENERS = Set.of("open", "io.open", "codecs.open");

    /** Calls that create a file object whose path is its {@code .name} attribute. */
    public static final Set<String> TEMP_FILES = Set.of("tempfile.NamedTemporaryFile",
            "tempfile.TemporaryFile", "tempfile.SpooledTemporaryFile");

    // Writing files.

    /** Calls that open a file by path, for writing when their mode says so. */
    public static final Set<String> WRITE_OPENERS = Set.of("open", "io.open", "codecs.open", "os.open");

    /** Calls that copy, move or link a file to a path they are given. */
    public static final Set<String> COPIERS = Set.of("shutil.copy", "shutil.copy2", "shutil.copyfile", "shutil.move",
            "shutil.copytree", "os.rename", "os.replace", "urllib.request.urlretrieve", "urllib.urlretrieve",
            "os.symlink", "os.link");

    // Decoding, decompressing, decrypting.

    /** Calls that undo standard base64 (the deobfuscator decodes them alike, honouring altchars). */
    public static final Set<String> BASE64_DECODE_CALLS = Set.of("base64.b64decode", "base64.standard_b64decode",
            "base64.decodebytes", "base64.decodestring", "binascii.a2b_base64");

    /** Calls that turn hex digits into bytes. */
    public static final Set<String> HEX_DECODE_CALLS = Set.of("binascii.unhexlify", "binascii.a2b_hex",
            "bytes.fromhex", "bytearray.fromhex");

    /** Calls that decode, decompress or decrypt. */
    public static final Set<String> DECODE_CALLS = union(BASE64_DECODE_CALLS, HEX_DECODE_CALLS, Set.of(
            "base64.b32decode", "base64.b16decode", "base64.b85decode", "base64.a85decode",
            "base64.urlsafe_b64decode", "base64.b32hexdecode", "base64.decode", "zlib.decompress", "gzip.decompress",
            "bz2.decompress", "lzma.decompress", "binascii.a2b_uu", "codecs.decode",
            "zlib.decompressobj", "lzma.LZMADecompressor", "bz2.BZ2Decompressor"));

    /** Method names that decode, decompress or decrypt, used when the receiver cannot be resolved. */
    public static final Set<String> DECODE_METHODS = Set.of(
            "b64decode", "b32decode", "b16decode", "b85decode", "a85decode", "urlsafe_b64decode",
            "decodebytes", "decodestring", "decompress", "unhexlify", "fromhex", "decrypt", "a2b_base64",
            "a2b_hex");

    /** Codec names that {@code .decode(name)} / {@code codecs.decode(x, name)} undo. */
    public static final Set<String> DECODE_CODECS = Set.of("base64", "base_64", "base-64", "hex", "hex_codec", "zlib",
            "zip", "zlib_codec", "bz2", "rot13", "rot_13", "rot-13", "uu", "base64_codec");

    /** Library calls that undo base64/hex/compression: what a decoding helper wraps. */
    public static final Set<String> DATA_DECODE_METHODS = Set.of("b64decode", "b32decode", "b85decode",
            "a85decode", "urlsafe_b64decode", "standard_b64decode", "decodebytes", "decodestring", "a2b_base64",
            "unhexlify", "a2b_hex", "fromhex", "decompress");

    /** Calls whose presence means the file decodes base64 or hex somewhere. */
    public static final Set<String> BASE64_HEX_DECODERS = Set.of("b64decode", "urlsafe_b64decode", "standard_b64decode",
            "decodebytes", "decodestring", "a2b_base64", "unhexlify", "a2b_hex", "fromhex");

    // Running code: calls that turn data into running code.

    /** Sinks that run source or code objects. */
    public static final Set<String> CODE_SINKS = Set.of("exec", "eval", "compile", "execfile", "marshal.loads",
            "types.FunctionType", "types.CodeType", "runpy.run_path", "code.InteractiveInterpreter.runsource");

    /**
     * Calls that run the source text or code object given as their first argument: where the deobfuscator looks
     * for a payload to peel (code objects from bytes are {@code marshal.loads}, a sink of its own there).
     */
    public static final Set<String> SOURCE_RUNNERS = Set.of("exec", "eval", "compile", "execfile",
            "types.FunctionType", "runpy._run_code");

    /** Sinks that run code only when the data is a crafted pickle. */
    public static final Set<String> PICKLE_SINKS = Set.of(
            "pickle.loads", "cPickle.loads", "_pickle.loads", "dill.loads",
            "cloudpickle.loads", "pickle.load", "cPickle.load", "dill.load", "joblib.load");

    /** Calls that run a function given as {@code target=} with the positional arguments in {@code args=}. */
    public static final Set<String> THREAD_STARTERS = Set.of("threading.Thread", "multiprocessing.Process",
            "threading.Timer");

    /** Methods that run their first argument (a function) on the remaining ones. */
    public static final Set<String> SUBMITTERS = Set.of("submit", "apply_async", "run_in_executor");

    // The process environment.

    /** Calls that read one environment variable by name. */
    public static final Set<String> ENV_GETTERS = Set.of("os.getenv", "os.environ.get", "os.environ.__getitem__",
            "os.environ.pop", "os.getenvb");

    /** Calls that return the whole environment. */
    public static final Set<String> ENV_WHOLE = Set.of("os.environ.copy", "os.environ.items", "os.environ.keys",
            "os.environ.values");

    /** Calls that turn {@code os.environ} into one value (text, a dict, a list) that can be sent. */
    public static final Set<String> ENV_SERIALISERS = Set.of("json.dumps", "json.dump", "str", "repr", "dict",
            "base64.b64encode", "pickle.dumps", "list", "pprint.pformat", "urllib.parse.urlencode");

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> out = new java.util.HashSet<>();
        for (Set<String> s : sets) {
            out.addAll(s);
        }
        return Set.copyOf(out);
    }

    /** What each library callable can do, by qualified name (see {@link Capability}). */
    private static final Map<String, Set<Capability>> CAPABILITIES = new HashMap<>();

    private static void put(Set<Capability> caps, String... names) {
        for (String n : names) {
            CAPABILITIES.computeIfAbsent(n, k -> EnumSet.noneOf(Capability.class)).addAll(caps);
        }
    }

    static {
        put(EnumSet.of(Capability.NETWORK, Capability.FETCH),
                "requests.get", "requests.head", "requests.request", "requests.Session", "requests.session",
                "requests.api.get", "requests.api.request",
                "urllib.request.urlopen", "urllib.urlopen", "urllib2.urlopen", "urllib.request.build_opener",
                "urllib.request.Request", "urllib2.Request",
                "httpx.get", "httpx.stream", "httpx.request", "httpx.Client", "httpx.AsyncClient",
                "aiohttp.ClientSession", "aiohttp.request",
                "http.client.HTTPConnection", "http.client.HTTPSConnection", "httplib.HTTPConnection",
                "httplib.HTTPSConnection", "urllib3.PoolManager", "urllib3.request", "pycurl.Curl",
                "cloudscraper.create_scraper", "websocket.create_connection", "websockets.connect");
        put(EnumSet.of(Capability.NETWORK, Capability.FETCH, Capability.DOWNLOAD_TO_FILE),
                "urllib.request.urlretrieve", "urllib.urlretrieve", "wget.download");
        put(EnumSet.of(Capability.NETWORK, Capability.SEND),
                "requests.post", "requests.put", "requests.patch", "requests.api.post", "requests.api.put",
                "httpx.post", "httpx.put", "httpx.patch", "smtplib.SMTP", "smtplib.SMTP_SSL", "ftplib.FTP",
                "ftplib.FTP_TLS", "discord.SyncWebhook.from_url", "discord.Webhook.from_url",
                "discord_webhook.DiscordWebhook", "dhooks.Webhook", "telebot.TeleBot", "telegram.Bot",
                "paramiko.SFTPClient.from_transport");
        put(EnumSet.of(Capability.NETWORK, Capability.SOCKET),
                "socket.socket", "socket.create_connection", "socket.fromfd",
                "ssl.wrap_socket");
        put(EnumSet.of(Capability.NETWORK, Capability.DNS),
                "socket.gethostbyname", "socket.gethostbyname_ex", "socket.getaddrinfo",
                "dns.resolver.resolve", "dns.resolver.query", "dns.resolver.Resolver");
        put(EnumSet.of(Capability.DUP2), "os.dup2");
        put(EnumSet.of(Capability.PROCESS), "os.system", "os.popen", "os.popen2", "os.popen3", "os.startfile",
                "os.execv", "os.execve", "os.execl", "os.execle", "os.execlp", "os.execvp", "os.execvpe",
                "os.spawnl", "os.spawnv", "os.spawnve", "os.spawnlp", "os.posix_spawn", "pty.spawn",
                "subprocess.Popen", "subprocess.call", "subprocess.run", "subprocess.check_call",
                "subprocess.check_output", "subprocess.getoutput", "subprocess.getstatusoutput",
                "commands.getoutput", "asyncio.create_subprocess_shell", "asyncio.create_subprocess_exec",
                "win32api.ShellExecute", "ctypes.windll.shell32.ShellExecuteW");
        put(EnumSet.of(Capability.EXEC), "exec", "eval", "compile", "builtins.exec", "builtins.eval", "execfile");
        put(EnumSet.of(Capability.FILE_WRITE), "shutil.copy", "shutil.copy2", "shutil.copyfile", "shutil.move",
                "shutil.copyfileobj", "shutil.copytree");
        put(EnumSet.of(Capability.CHMOD), "os.chmod");
        put(EnumSet.of(Capability.FINGERPRINT), "getpass.getuser", "os.getlogin", "platform.node", "platform.uname",
                "socket.gethostname", "socket.getfqdn", "uuid.getnode", "os.uname", "psutil.users",
                "win32api.GetUserName", "win32api.GetComputerName");
        put(EnumSet.of(Capability.CLIPBOARD_READ),
                "pyperclip.paste", "win32clipboard.GetClipboardData", "clipboard.paste",
                "pandas.read_clipboard");
        put(EnumSet.of(Capability.CLIPBOARD_WRITE), "pyperclip.copy", "win32clipboard.SetClipboardText",
                "win32clipboard.SetClipboardData", "clipboard.copy");
        put(EnumSet.of(Capability.SCREENSHOT), "PIL.ImageGrab.grab", "ImageGrab.grab", "pyautogui.screenshot",
                "mss.mss", "mss.MSS", "pyscreenshot.grab", "PIL.ImageGrab.grabclipboard");
        put(EnumSet.of(Capability.KEYLOG), "pynput.keyboard.Listener", "keyboard.Listener", "keyboard.on_press",
                "keyboard.on_release", "keyboard.hook", "keyboard.record", "win32api.GetAsyncKeyState",
                "pyxhook.HookManager", "pyHook.HookManager");
        put(EnumSet.of(Capability.BROWSER_COOKIES),
                "browser_cookie3.load", "browser_cookie3.chrome", "browser_cookie3.firefox",
                "browser_cookie3.edge", "browser_cookie3.brave", "browser_cookie3.opera", "browser_cookie3.chromium",
                "browser_cookie3.vivaldi", "pycookiecheat.chrome_cookies", "pycookiecheat.firefox_cookies",
                "rookiepy.load", "rookiepy.chrome", "rookiepy.firefox", "rookiepy.edge", "rookiepy.brave",
                "win32crypt.CryptUnprotectData");
        put(EnumSet.of(Capability.NETWORK, Capability.CHAT_BOT),
                "telebot.TeleBot", "telegram.ext.Updater", "telegram.ext.Application.builder",
                "telegram.ext.ApplicationBuilder", "discord.ext.commands.Bot", "discord.Client",
                "discord.ext.commands.AutoShardedBot", "aiogram.Bot", "pyrogram.Client", "telethon.TelegramClient");
        put(EnumSet.of(Capability.REGISTRY_WRITE), "winreg.SetValueEx", "_winreg.SetValueEx", "winreg.SetValue",
                "_winreg.SetValue", "win32api.RegSetValueEx", "winreg.CreateKey", "winreg.CreateKeyEx",
                "_winreg.CreateKey");
    }

    /** The capabilities a library callable has by its qualified name alone, or null when it has none. */
    static Set<Capability> capabilities(String qualifiedName) {
        return CAPABILITIES.get(qualifiedName);
    }

    // What a program uses a library for: the capability inventory's view, broader than {@link Capability}
    // (any use of a library family, not only the forms other rules judge).

    /** A family of library uses the capability inventory lists (one {@code KS-CAP-*} finding each). */
    public enum Use {
        PROCESS, NETWORK_CLIENT, NETWORK_SERVER, ENVIRONMENT, CREDENTIAL_STORE, CLIPBOARD, SCREEN_CAPTURE,
        KEYBOARD_HOOK, DYNAMIC_CODE, DECODE, NATIVE_CODE, LOADER_HIJACK, STEGANOGRAPHY
    }

    private static final Map<String, Use> USES = new HashMap<>();
    /** Name prefixes (module or class) every call below which has the use, in the order they are tried. */
    private static final Map<String, Use> USE_PREFIXES = new LinkedHashMap<>();

    private static void uses(Use use, String... names) {
        for (String n : names) {
            USES.put(n, use);
        }
    }

    private static void usePrefixes(Use use, String... names) {
        for (String n : names) {
            USE_PREFIXES.put(n, use);
        }
    }

    static {
        uses(Use.PROCESS, "os.system", "os.popen", "os.popen2", "os.popen3", "os.popen4",
                "os.posix_spawn", "os.posix_spawnp", "os.startfile", "os.fork", "os.forkpty",
                "subprocess.Popen", "subprocess.run", "subprocess.call", "subprocess.check_call",
                "subprocess.check_output", "subprocess.getoutput", "subprocess.getstatusoutput", "pty.spawn",
                "commands.getoutput", "commands.getstatusoutput", "asyncio.create_subprocess_exec",
                "asyncio.create_subprocess_shell", "win32api.ShellExecute", "win32process.CreateProcess",
                "multiprocessing.Process");
        usePrefixes(Use.PROCESS, "os.exec", "os.spawn");
        uses(Use.NETWORK_CLIENT, "requests.get", "requests.post", "requests.put", "requests.patch",
                "requests.delete", "requests.head", "requests.options", "requests.request", "requests.Session",
                "requests.session", "urllib.request.urlopen", "urllib.request.urlretrieve",
                "urllib.request.build_opener", "urllib.urlopen", "urllib.urlretrieve", "urllib2.urlopen",
                "http.client.HTTPConnection", "http.client.HTTPSConnection", "httplib.HTTPConnection",
                "httplib.HTTPSConnection", "socket.socket", "socket.create_connection", "socket.gethostbyname",
                "socket.gethostbyname_ex", "socket.getaddrinfo", "smtplib.SMTP", "smtplib.SMTP_SSL", "ftplib.FTP",
                "ftplib.FTP_TLS", "telnetlib.Telnet", "paramiko.SSHClient", "websocket.create_connection",
                "websockets.connect", "pycurl.Curl", "wget.download", "dns.resolver.resolve", "dns.resolver.query",
                "aiohttp.ClientSession", "aiohttp.request", "xmlrpc.client.ServerProxy", "xmlrpclib.ServerProxy",
                "imaplib.IMAP4", "imaplib.IMAP4_SSL", "poplib.POP3");
        usePrefixes(Use.NETWORK_CLIENT, "requests.api.", "httpx.", "urllib3.");
        uses(Use.NETWORK_SERVER, "socketserver.TCPServer", "socketserver.UDPServer",
                "socketserver.ThreadingTCPServer", "socketserver.ThreadingUDPServer", "socketserver.ForkingTCPServer",
                "SocketServer.TCPServer", "SocketServer.ThreadingTCPServer", "http.server.HTTPServer",
                "http.server.ThreadingHTTPServer", "http.server.test", "BaseHTTPServer.HTTPServer",
                "xmlrpc.server.SimpleXMLRPCServer", "SimpleXMLRPCServer.SimpleXMLRPCServer", "asyncio.start_server",
                "asyncio.start_unix_server", "aiohttp.web.run_app", "uvicorn.run", "wsgiref.simple_server.make_server",
                "bottle.run", "waitress.serve");
        uses(Use.ENVIRONMENT, "os.getenv", "os.getenvb", "os.putenv", "os.unsetenv");
        uses(Use.CREDENTIAL_STORE, "keyring.get_password", "keyring.get_credential",
                "win32crypt.CryptUnprotectData", "secretstorage.dbus_init", "secretstorage.get_default_collection");
        usePrefixes(Use.CREDENTIAL_STORE, "browser_cookie3.", "browsercookie.");
        uses(Use.CLIPBOARD, "PyQt5.QtWidgets.QApplication.clipboard",
                "PyQt6.QtGui.QGuiApplication.clipboard", "PIL.ImageGrab.grabclipboard");
        usePrefixes(Use.CLIPBOARD, "pyperclip.", "win32clipboard.", "clipboard.", "xerox.", "klembord.");
        uses(Use.SCREEN_CAPTURE, "PIL.ImageGrab.grab", "pyautogui.screenshot", "pyscreeze.screenshot",
                "pyscreenshot.grab", "mss.mss", "mss.MSS", "d3dshot.create");
        uses(Use.KEYBOARD_HOOK, "pynput.keyboard.Listener", "pynput.mouse.Listener", "keyboard.hook",
                "keyboard.on_press", "keyboard.on_release", "keyboard.add_hotkey", "keyboard.record",
                "keyboard.read_key", "keyboard.read_event", "keyboard.on_press_key", "pyHook.HookManager",
                "pyWinhook.HookManager", "pythoncom.PumpMessages");
        uses(Use.DYNAMIC_CODE, "exec", "eval", "compile", "execfile", "builtins.exec", "builtins.eval",
                "builtins.compile", "marshal.loads", "marshal.load", "pickle.loads", "pickle.load", "cPickle.loads",
                "dill.loads", "runpy.run_path", "runpy.run_module", "types.CodeType", "types.FunctionType");
        uses(Use.DECODE, "base64.b64decode", "base64.b32decode", "base64.b16decode", "base64.b85decode",
                "base64.a85decode", "base64.urlsafe_b64decode", "base64.standard_b64decode", "base64.decodebytes",
                "base64.decodestring", "binascii.a2b_base64", "binascii.unhexlify", "binascii.a2b_hex",
                "codecs.decode", "zlib.decompress", "gzip.decompress", "bz2.decompress", "lzma.decompress",
                "bytes.fromhex", "bytearray.fromhex", "cryptography.fernet.Fernet.decrypt");
        uses(Use.NATIVE_CODE, "ctypes.CDLL", "ctypes.WinDLL", "ctypes.OleDLL", "ctypes.PyDLL",
                "ctypes.LibraryLoader", "ctypes.cdll.LoadLibrary", "ctypes.windll.LoadLibrary", "_ctypes.dlopen",
                "imp.load_dynamic", "importlib.machinery.ExtensionFileLoader", "cffi.FFI.dlopen");
        usePrefixes(Use.NATIVE_CODE, "ctypes.windll.", "ctypes.cdll.", "ctypes.oledll.");
        uses(Use.LOADER_HIJACK, "os.add_dll_directory");
        usePrefixes(Use.STEGANOGRAPHY, "stegano.", "stegpy.", "steganography.", "stepic.");
    }

    /** What a library callable is used for, by its qualified name (exactly, else by module or class prefix). */
    public static Optional<Use> use(String qualifiedName) {
        Use use = USES.get(qualifiedName);
        if (use == null) {
            for (Map.Entry<String, Use> e : USE_PREFIXES.entrySet()) {
                if (qualifiedName.startsWith(e.getKey())) {
                    return Optional.of(e.getValue());
                }
            }
        }
        return Optional.ofNullable(use);
    }
}
