package dev.kingsnake.internal.python;

/**
 * The source as ANTLR indexes it: by code point. For the usual text without characters outside the
 * Basic Multilingual Plane that is the String itself; otherwise an array of code points.
 */
final class SourceText {
    /** Token texts up to this long are shared through {@link #RECENT}. */
    static final int MAX_SHARED = 24;
    private static final int SHARED_SLOTS = 1 << 13;
    /**
     * Short token texts made recently by any parse, by a hash of their characters: names, operators and keywords
     * repeat ("self", "(", "torch"), and each occurrence used to be a String of its own kept in the model (2.1
     * million Strings, 190 MB, of the 355 MB that torch 2.14.1's models hold). A slot holds the last text that
     * hashed there; a racing write only loses a share (Strings are safely published through their final fields).
     */
    private static final String[] RECENT = new String[SHARED_SLOTS];

    private final String text;
    private final int[] codePoints;

    SourceText(String text) {
        this.text = text;
        // fewer code points than chars: a surrogate pair (a lone surrogate counts as one code point, and reads the
        // same either way); counted inside String, without a bounds check per charAt
        boolean pairs = text.codePointCount(0, text.length()) != text.length();
        this.codePoints = pairs ? text.codePoints().toArray() : null;
    }

    int length() {
        return codePoints == null ? text.length() : codePoints.length;
    }

    int charAt(int index) {
        return codePoints == null ? text.charAt(index) : codePoints[index];
    }

    /** Whether each code point is one char (no surrogate pairs): read {@link #chars()}, else {@link #codePoints()}. */
    boolean oneCharEach() {
        return codePoints == null;
    }

    /** The text's chars, a copy: the whole source read without a call and a bounds check per index. */
    char[] chars() {
        return text.toCharArray();
    }

    /** Copies chars [from, to) into {@code into} from its start (only when {@link #oneCharEach()}). */
    void getChars(int from, int to, char[] into) {
        text.getChars(from, to, into, 0);
    }

    /** The code points when some take two chars (see {@link #oneCharEach()}); not to be modified. */
    int[] codePoints() {
        return codePoints;
    }

    /**
     * Code points [from, to) as {@link #substring}, for a token's text: a short one is shared with an equal text
     * made before when {@link #RECENT} still holds it.
     */
    String token(int from, int to) {
        int n = to - from;
        if (n <= 0 || n > MAX_SHARED || codePoints != null) {
            return substring(from, to);
        }
        int h = n;
        for (int i = from; i < to; i++) {
            h = 31 * h + text.charAt(i);
        }
        int slot = (h ^ (h >>> 13)) & (SHARED_SLOTS - 1);
        String shared = RECENT[slot];
        if (shared != null && shared.length() == n && text.regionMatches(from, shared, 0, n)) {
            return shared;
        }
        shared = text.substring(from, to);
        RECENT[slot] = shared;
        return shared;
    }

    /** Code points [from, to). */
    String substring(int from, int to) {
        return codePoints == null ? text.substring(from, to) : new String(codePoints, from, to - from);
    }
}
