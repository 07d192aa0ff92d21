package dev.kingsnake.rules.capability;

import dev.kingsnake.CapabilitySummary;
import dev.kingsnake.Confidence;
import dev.kingsnake.Severity;
import dev.kingsnake.spi.RuleInfo;
import dev.kingsnake.spi.Tags;
import dev.kingsnake.spi.facts.PythonApis;

import java.util.Set;

/** Every capability Kingsnake inventories, with the documentation of its rule. */
public enum CapabilityKind {
    PROCESS("PROCESS", "Starts processes or shells (subprocess, os.system, os.exec*/spawn*, pty.spawn, "
            + "asyncio subprocesses)", "subprocess.run(['git', 'describe'])"),
    NETWORK_CLIENT("NETWORK-CLIENT", "Opens network connections as a client (requests, httpx, urllib, "
            + "http.client, sockets, SMTP/FTP, DNS lookups)", "requests.get(url)"),
    NETWORK_SERVER("NETWORK-SERVER", "Listens for network connections (socketserver, http.server, asyncio "
            + "servers, a socket that binds and listens)", "http.server.HTTPServer(('', 8000), Handler)"),
    FILE_WRITE("FILE-WRITE", "Writes, copies or moves files at paths outside the package (home, temp, absolute "
            + "or environment-derived paths)", "open(os.path.expanduser('~/.config/x'), 'w')"),
    ENVIRONMENT("ENVIRONMENT", "Reads or changes environment variables (os.environ, os.getenv)",
            "token = os.getenv('API_TOKEN')"),
    CREDENTIAL_STORE("CREDENTIAL-STORE", "Names or reads a credential store: SSH keys, cloud and registry "
            + "tokens, browser password and cookie databases, wallets, the OS keyring",
            "keyring.get_password('svc', user)"),
    CLIPBOARD("CLIPBOARD", "Reads or writes the clipboard (pyperclip, win32clipboard, tkinter)",
            "pyperclip.paste()"),
    SCREEN_CAPTURE("SCREEN-CAPTURE", "Takes screenshots (PIL.ImageGrab, pyautogui, mss)",
            "ImageGrab.grab()"),
    KEYBOARD_HOOK("KEYBOARD-HOOK", "Hooks keyboard or mouse input (pynput listeners, keyboard.hook, "
            + "SetWindowsHookEx)", "pynput.keyboard.Listener(on_press=handler)"),
    DYNAMIC_CODE("DYNAMIC-CODE", "Runs code given as data: exec, eval, compile, marshal/pickle loads, runpy, "
            + "imports of computed module names", "exec(source)"),
    DECODE("DECODE", "Decodes embedded data: base64/base32/base85, hex, codecs, zlib/gzip/bz2/lzma "
            + "decompression", "zlib.decompress(base64.b64decode(blob))"),
    NATIVE_CODE("NATIVE-CODE", "Loads native libraries at run time (ctypes CDLL/WinDLL/LoadLibrary, cffi "
            + "dlopen, extension loaders)", "ctypes.CDLL('libfoo.so')"),
    LOADER_HIJACK("LOADER-HIJACK", "Names dynamic-loader injection points: LD_PRELOAD, DYLD_INSERT_LIBRARIES, "
            + "/etc/ld.so.preload, library search paths, DLL search-order calls",
            "env['LD_PRELOAD'] = lib"),
    INSTALL_HOOK("INSTALL-HOOK", "Runs code when installed or at interpreter start: setup() cmdclass and "
            + "overridden setuptools commands, in-tree build backends (backend-path), import lines of .pth "
            + "files", "setup(cmdclass={'install': PostInstall})"),
    LINK("LINK", "Links to services attackers favour: paste sites, URL shorteners, webhooks and "
            + "request catchers, tunnels, anonymous file shares, raw IP addresses, throw-away top-level domains",
            "requests.get('https://pastebin.com/raw/XXXXXXXX')"),
    STEGANOGRAPHY("STEGANOGRAPHY", "Reads data out of images (steganography libraries, pixel reads with "
            + "PIL)", "stegano.lsb.reveal('cat.png')"),
    UNICODE("UNICODE", "Unicode tricks in source: invisible or bidirectional control characters, "
            + "identifiers with non-ASCII letters", "admin\u200b = True  (a zero-width space)");

    private final RuleInfo info;

    CapabilityKind(String id, String summary, String example) {
        this.info = new RuleInfo(CapabilitySummary.ID_PREFIX + id, summary, Severity.INFO, Confidence.HIGH,
                Set.of(Tags.CAPABILITY), example,
                "A capability, not an accusation: INFO, it adds nothing to the score. Reported once per function"
                        + " (module level counts as one) and file, with the moment it runs.");
    }

    public RuleInfo info() {
        return info;
    }

    /** The kind the inventory reports a library use of the catalogue as (the same name). */
    static CapabilityKind of(PythonApis.Use use) {
        return valueOf(use.name());
    }
}
