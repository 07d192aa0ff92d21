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
        boolean surrogates = false;
        for (int i = 0; i < text.length(); i++) {
            if (Character.isSurrogate(text.charAt(i))) {
                surrogates = true;
                break;
            }
        }
        this.codePoints = surrogates ? text.codePoints().toArray() : null;
    }

    int length() {
        return codePoints == null ? text.length() : codePoints.length;
    }

    int charAt(int index) {
        return codePoints == null ? text.charAt(index) : codePoints[index];
    }

    /** Code points [from, to). */
    String substring(int from, int to) {
        return codePoints == null ? text.substring(from, to) : new String(codePoints, from, to - from);
    }
}
