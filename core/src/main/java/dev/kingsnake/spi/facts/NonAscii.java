package dev.kingsnake.spi.facts;

import dev.kingsnake.spi.FactKey;
import dev.kingsnake.spi.SourceFile;

/**
 * Where a file's first non-ASCII character is. Most files hold none, and then the checks for Unicode tricks
 * (look-alike identifiers, bidirectional controls, invisible characters) have nothing to look at: one pass over
 * the text, shared by all of them, instead of one pass each. A fact of the file.
 */
public final class NonAscii {
    private static final FactKey<Integer> KEY = FactKey.of("first non-ASCII character",
            f -> first(SourceChars.of(f)));

    private NonAscii() {
    }

    /** The offset of the first character above U+007F in the file's text, or -1 when there is none. */
    public static int firstOffset(SourceFile f) {
        return f.fact(KEY);
    }

    static int first(SourceChars text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            if (text.charAt(i) > 0x7f) {
                return i;
            }
        }
        return -1;
    }
}
