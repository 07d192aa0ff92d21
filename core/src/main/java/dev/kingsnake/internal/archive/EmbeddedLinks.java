package dev.kingsnake.internal.archive;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The links a native binary carries as text, found while the binary streams through (what {@code strings | grep
 * ://} shows): printable ASCII runs holding a scheme and {@code ://}. A payload compiled into an extension module
 * still names the server it talks to, and the binary itself is never kept whole, so this is the only look the
 * rules get at it. Bounded three ways: the bytes searched ({@code maxSkimmedBytes} from the start of the entry),
 * the links kept, and the length of each.
 */
final class EmbeddedLinks {
    /** Distinct links kept per entry: enough for every endpoint of a payload, not for a URL table. */
    static final int MAX_LINKS = 64;
    /** Characters kept of one printable run; longer runs are text blobs, cut there. */
    static final int MAX_RUN = 512;
    private static final int MIN_LINK = 10;
    /** Longest first, so {@code https} wins over {@code http}. */
    private static final List<String> KNOWN_SCHEMES = List.of("stratum+tcp", "stratum+ssl", "https", "http",
            "ftps", "ftp", "wss", "ws", "tcp", "udp", "ssh", "git", "smtp");

    private final long window;
    private final byte[] run = new byte[MAX_RUN];
    private final Set<String> links = new LinkedHashSet<>();
    private int runLength;
    private boolean runHasColon;
    private long seen;

    EmbeddedLinks(long window) {
        this.window = window;
    }

    /** Searches the next bytes of the entry, up to the window. */
    void accept(byte[] chunk, int offset, int length) {
        long room = window - seen;
        if (room <= 0) {
            return;
        }
        int end = offset + (int) Math.min(length, room);
        seen += end - offset;
        for (int i = offset; i < end; i++) {
            byte c = chunk[i];
            if (c >= 0x20 && c < 0x7f) {
                if (runLength < MAX_RUN) {
                    run[runLength++] = c;
                    runHasColon |= c == ':';
                }
            } else if (runLength > 0) {
                endRun();
            }
        }
    }

    /** The links found, in order of appearance, each starting at its scheme. */
    List<String> links() {
        if (runLength > 0) {
            endRun();
        }
        return List.copyOf(links);
    }

    private void endRun() {
        if (runHasColon && runLength >= MIN_LINK && links.size() < MAX_LINKS) {
            collect(new String(run, 0, runLength, StandardCharsets.US_ASCII));
        }
        runLength = 0;
        runHasColon = false;
    }

    private void collect(String text) {
        int from = 0;
        while (links.size() < MAX_LINKS) {
            int sep = text.indexOf("://", from);
            if (sep < 0) {
                return;
            }
            int start = sep;
            while (start > 0 && isSchemeChar(text.charAt(start - 1))) {
                start--;
            }
            start = knownSchemeStart(text, start, sep);
            int end = sep + 3;
            while (end < text.length() && isLinkChar(text.charAt(end))) {
                end++;
            }
            if (start < sep && end > sep + 3 && Character.isLetter(text.charAt(start)) && end - start >= MIN_LINK) {
                links.add(text.substring(start, end));
            }
            from = end;
        }
    }

    /**
     * Where the scheme starts when the run glues a stray byte to a common one ({@code uhttp://} from a length
     * byte): at the longest common scheme the letters end with; otherwise at the start of the letters.
     */
    private static int knownSchemeStart(String text, int start, int sep) {
        String scheme = text.substring(start, sep).toLowerCase(java.util.Locale.ROOT);
        for (String known : KNOWN_SCHEMES) {
            if (scheme.endsWith(known)) {
                return sep - known.length();
            }
        }
        return start;
    }

    private static boolean isSchemeChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '-'
                || c == '.';
    }

    private static boolean isLinkChar(char c) {
        return c > ' ' && c != '"' && c != '\'' && c != '<' && c != '>' && c != '`' && c != '\\' && c != '{'
                && c != '}' && c != '|' && c != '^';
    }
}
