package dev.kingsnake.internal.decode;

/**
 * Whether a line starts like a Python statement, as this regex says with {@code lookingAt} (it ran for every line
 * of every payload a key search tries; {@code PayloadTextTest} checks the two agree):
 *
 * <pre>
 * ^(?:(?:import|from|def|class|if|elif|else|for|while|try|except|finally|with|return|print|exec|eval|lambda|global
 *    |pass|raise|async|await|del|assert)\b|@\w|[A-Za-z_][\w.]*(?:\[[^\]]*])?\s*(?:=|\+=|-=|\()
 *    |[A-Za-z_]\w*\s*,\s*[A-Za-z_]\w*\s*=|#|'''|""")
 * </pre>
 *
 * {@code \w} and {@code \s} are ASCII classes there; {@code \b} is not (in Java 17): a keyword followed by any
 * letter or digit (or a mark after it) is no keyword. Every part of the regex reads forward without a choice that backtracking
 * could revise (a class run stops only where its next character is outside it, and that character must then be
 * what follows), so one forward pass decides it.
 */
final class PythonLine {
    private static final String[] KEYWORDS = {"import", "from", "def", "class", "if", "elif", "else", "for", "while",
        "try", "except", "finally", "with", "return", "print", "exec", "eval", "lambda", "global", "pass", "raise",
        "async", "await", "del", "assert"};

    private PythonLine() {
    }

    static boolean starts(String t) {
        int n = t.length();
        if (n == 0) {
            return false;
        }
        char c = t.charAt(0);
        if (c == '#' || t.startsWith("'''") || t.startsWith("\"\"\"")) {
            return true;
        }
        if (c == '@') {
            return n > 1 && word(t.charAt(1));
        }
        if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_')) {
            return false;
        }
        if (c >= 'a' && c <= 'z' && keyword(t)) {
            return true;
        }
        return assignmentOrCall(t) || pairAssignment(t);
    }

    /** A keyword, then a word boundary. */
    private static boolean keyword(String t) {
        for (String k : KEYWORDS) {
            if (t.startsWith(k) && !wordAfter(t, k.length())) {
                return true;
            }
        }
        return false;
    }

    /**
     * What {@code \b} sees to the right of a letter at {@code at}: a word character (a letter or digit in any script,
     * or '_'), or a non-spacing mark (its base, the keyword's letter before it, is a letter).
     */
    private static boolean wordAfter(String t, int at) {
        if (at >= t.length()) {
            return false;
        }
        int cp = t.codePointAt(at);
        return cp == '_' || Character.isLetterOrDigit(cp) || Character.getType(cp) == Character.NON_SPACING_MARK;
    }

    /** {@code [A-Za-z_][\w.]*(?:\[[^\]]*])?\s*(?:=|\+=|-=|\()}, the first character already checked. */
    private static boolean assignmentOrCall(String t) {
        int n = t.length();
        int i = 1;
        while (i < n && (word(t.charAt(i)) || t.charAt(i) == '.')) {
            i++;
        }
        if (i < n && t.charAt(i) == '[') {
            int close = t.indexOf(']', i + 1);
            if (close < 0) {
                return false;
            }
            i = close + 1;
        }
        i = spaces(t, i);
        if (i >= n) {
            return false;
        }
        char c = t.charAt(i);
        return c == '=' || c == '(' || (c == '+' || c == '-') && i + 1 < n && t.charAt(i + 1) == '=';
    }

    /** {@code [A-Za-z_]\w*\s*,\s*[A-Za-z_]\w*\s*=}, the first character already checked. */
    private static boolean pairAssignment(String t) {
        int n = t.length();
        int i = spaces(t, words(t, 1));
        if (i >= n || t.charAt(i) != ',') {
            return false;
        }
        i = spaces(t, i + 1);
        if (i >= n) {
            return false;
        }
        char c = t.charAt(i);
        if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_')) {
            return false;
        }
        i = spaces(t, words(t, i + 1));
        return i < n && t.charAt(i) == '=';
    }

    private static int words(String t, int i) {
        while (i < t.length() && word(t.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int spaces(String t, int i) {
        while (i < t.length() && space(t.charAt(i))) {
            i++;
        }
        return i;
    }

    /** {@code \w} without UNICODE_CHARACTER_CLASS. */
    private static boolean word(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
    }

    /** {@code \s} without UNICODE_CHARACTER_CLASS: [ \t\n\x0B\f\r]. */
    private static boolean space(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }
}
