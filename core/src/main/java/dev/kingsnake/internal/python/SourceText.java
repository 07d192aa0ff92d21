package dev.kingsnake.internal.python;

/**
 * The source as ANTLR indexes it: by code point. For the usual text without characters outside the
 * Basic Multilingual Plane that is the String itself; otherwise an array of code points.
 */
final class SourceText {
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

    /** The code points when some take two chars (see {@link #oneCharEach()}); not to be modified. */
    int[] codePoints() {
        return codePoints;
    }

    /** Code points [from, to). */
    String substring(int from, int to) {
        return codePoints == null ? text.substring(from, to) : new String(codePoints, from, to - from);
    }
}
