package dev.kingsnake.internal.archive;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An entry path made safe: "/" separators, no leading "./" or "/", no drive letter, no ".." that climbs
 * out of the archive, nothing after a NUL (which is where Python's tarfile and zipfile cut names too).
 *
 * @param path    the sanitised path, never empty
 * @param problem why the raw path was unsafe, if it was
 */
record EntryPath(String path, Optional<String> problem) {
    /** Stands in for a path that has nothing left once sanitised (e.g. "/" or ".."). */
    static final String UNNAMED = "_unnamed_";

    static EntryPath of(String raw) {
        String problem = null;
        String s = raw;
        int nul = s.indexOf('\0');
        if (nul >= 0) {
            s = s.substring(0, nul);
            problem = "contains a NUL character";
        }
        s = s.replace('\\', '/');
        if (s.length() >= 2 && s.charAt(1) == ':' && isAsciiLetter(s.charAt(0))) {
            s = s.substring(2);
            problem = problem != null ? problem : "starts with a drive letter";
        }
        if (s.startsWith("/") && problem == null) {
            problem = "is absolute";
        }
        List<String> parts = new ArrayList<>();
        int start = 0;
        int n = s.length();
        while (start <= n) {
            int slash = s.indexOf('/', start);
            int end = slash < 0 ? n : slash;
            String part = s.substring(start, end);
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    problem = problem != null ? problem : "climbs out of the archive with ..";
                } else {
                    parts.remove(parts.size() - 1);
                }
            } else if (!part.isEmpty() && !part.equals(".")) {
                parts.add(part);
            }
            start = end + 1;
        }
        String path = parts.isEmpty() ? UNNAMED : String.join("/", parts);
        return new EntryPath(path, Optional.ofNullable(problem));
    }

    private static boolean isAsciiLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    /** The raw path with control characters made visible, for messages. */
    static String printable(String raw) {
        StringBuilder sb = new StringBuilder(raw.length() + 8);
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
