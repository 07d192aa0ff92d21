package dev.kingsnake.spi.facts;

import dev.kingsnake.spi.FactKey;
import dev.kingsnake.spi.SourceFile;

/**
 * A file's text as an array of characters, read-only, made once per file and shared by the checks that read the
 * whole text character by character (line ends, string and comment regions, marker literals, look-alike names).
 * In the batch JVM (the client compiler only, see the CLI) {@link String#charAt} is not an intrinsic, and a loop
 * over these characters runs about twice as fast as the same loop over the string. A fact of the file.
 */
public final class SourceChars {
    private static final FactKey<SourceChars> KEY = FactKey.of("source characters", f -> of(f.text()));

    private final String text;
    private final char[] chars;

    private SourceChars(String text) {
        this.text = text;
        this.chars = text.toCharArray();
    }

    /** The characters of a file's text, made on first use and kept for its scan. */
    public static SourceChars of(SourceFile f) {
        return f.fact(KEY);
    }

    /** The characters of a text, not kept anywhere. */
    public static SourceChars of(String text) {
        return new SourceChars(text);
    }

    /** The text these are the characters of. */
    public String text() {
        return text;
    }

    public int length() {
        return chars.length;
    }

    public char charAt(int i) {
        return chars[i];
    }

    /** Whether {@code prefix} occurs at {@code at}, as {@link String#startsWith(String, int)} says. */
    public boolean startsWith(String prefix, int at) {
        if (at < 0 || at > chars.length - prefix.length()) {
            return false;
        }
        for (int k = 0; k < prefix.length(); k++) {
            if (chars[at + k] != prefix.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** The offset of the first {@code c} at or after {@code from}, or -1, as {@link String#indexOf(int, int)} says. */
    public int indexOf(char c, int from) {
        for (int i = Math.max(from, 0); i < chars.length; i++) {
            if (chars[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
