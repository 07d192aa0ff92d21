package dev.kingsnake.spi.facts;

import dev.kingsnake.spi.FactKey;
import dev.kingsnake.spi.SourceFile;

import java.util.Arrays;

/**
 * A light Python lexer pass that tells, for each character of a file, whether it is code, inside a
 * string literal, or inside a comment. One linear pass per scan of a file (a fact of the file).
 */
public final class SourceRegions {
    public static final byte CODE = 0;
    public static final byte STRING = 1;
    public static final byte COMMENT = 2;

    private static final FactKey<SourceRegions> KEY = FactKey.of("source regions",
            f -> new SourceRegions(SourceChars.of(f)));

    private final String text;
    private final byte[] kind;
    private final int[] lineStarts;

    private SourceRegions(SourceChars chars) {
        this.text = chars.text();
        this.kind = new byte[text.length()];
        int lines = 1;
        for (int i = 0, n = chars.length(); i < n; i++) {
            if (chars.charAt(i) == '\n') {
                lines++;
            }
        }
        lineStarts = new int[lines + 1];
        int li = 1;
        for (int i = 0, n = chars.length(); i < n; i++) {
            if (chars.charAt(i) == '\n') {
                lineStarts[li++] = i + 1;
            }
        }
        lineStarts[lines] = text.length() + 1;
        lex(chars);
    }

    public static SourceRegions of(SourceFile f) {
        return f.fact(KEY);
    }

    private void lex(SourceChars text) {
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (c == '#') {
                int e = i;
                while (e < n && text.charAt(e) != '\n') {
                    e++;
                }
                Arrays.fill(kind, i, e, COMMENT);
                i = e;
            } else if (c == '\'' || c == '"') {
                boolean triple = i + 2 < n && text.charAt(i + 1) == c && text.charAt(i + 2) == c;
                int start = i;
                i += triple ? 3 : 1;
                while (i < n) {
                    char d = text.charAt(i);
                    if (d == '\\' && i + 1 < n) {
                        i += 2;
                        continue;
                    }
                    if (!triple && d == '\n') {
                        break;
                    }
                    if (d == c && (!triple || i + 2 < n && text.charAt(i + 1) == c && text.charAt(i + 2) == c)) {
                        i += triple ? 3 : 1;
                        break;
                    }
                    i++;
                }
                Arrays.fill(kind, start, Math.min(i, n), STRING);
            } else {
                i++;
            }
        }
    }

    public String text() {
        return text;
    }

    public byte kind(int offset) {
        return kind[offset];
    }

    public int lineCount() {
        return lineStarts.length - 1;
    }

    /** Offset of the first character of 1-based {@code line}. */
    public int lineStart(int line) {
        return lineStarts[line - 1];
    }

    /** Offset just past the last character of 1-based {@code line} (before its line break). */
    public int lineEnd(int line) {
        int e = lineStarts[line] - 1;
        if (e > lineStart(line) && e <= text.length() && text.charAt(e - 1) == '\r') {
            e--;
        }
        return Math.min(e, text.length());
    }

    /** 1-based line of an offset. */
    public int lineOf(int offset) {
        int lo = 0;
        int hi = lineStarts.length - 2;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (lineStarts[mid] <= offset) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo + 1;
    }
}
