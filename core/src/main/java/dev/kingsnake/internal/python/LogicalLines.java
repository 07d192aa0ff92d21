package dev.kingsnake.internal.python;

import dev.kingsnake.internal.python.grammar.PyLexer;
import org.antlr.v4.runtime.CommonToken;
import org.antlr.v4.runtime.Token;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns the lexer's physical-line tokens into Python's logical lines: newlines inside brackets and
 * blank lines disappear, INDENT/DEDENT tokens appear. This is also where nesting is bounded, because
 * bracket and indentation depth are known here: brackets nested deeper than the limit are replaced by
 * a single {@code ...} token, and indentation deeper than the limit stops producing INDENTs (the
 * statement then fails to parse and is reported), so the recursive-descent parser never sees input
 * nested deeper than {@code maxNesting}.
 */
final class LogicalLines {

    /**
     * The token list for the parser, which positions start a top-level statement, and the deepest bracket plus
     * indentation nesting the parser will see.
     */
    record Layout(List<Token> tokens, boolean[] topLevelStart, String limitMessage, boolean unexpectedIndent,
                  int deepest) {
        /** The first top-level statement start at or after {@code index} (the EOF position at worst). */
        int nextTopLevelStart(int index) {
            for (int i = Math.max(index, 0); i < topLevelStart.length; i++) {
                if (topLevelStart[i]) {
                    return i;
                }
            }
            return tokens.size() - 1;
        }
    }

    private static final int TAB_SIZE = 8;

    private LogicalLines() {
    }

    /**
     * @param raw          the lexer's tokens, EOF excluded
     * @param text         the source the tokens index into
     * @param maxNesting   deepest bracket / indentation nesting passed to the parser
     * @param insideBrackets true for an f-string replacement field: newlines never end a line
     */
    static Layout layout(List<? extends Token> raw, SourceText text, int maxNesting, boolean insideBrackets) {
        List<Token> out = new ArrayList<>(raw.size() + raw.size() / 8 + 8);
        BoolList top = new BoolList(raw.size() + 16);
        int maxIndents = Math.min(maxNesting + 2, 1024);
        // grown as blocks nest: nearly every layout (one per f-string field too) needs a few levels, not 1,024
        int[] indents = new int[Math.min(maxIndents, 16)];
        int indentTop = 0;
        int base = insideBrackets ? 1 : 0;
        int depth = base;
        int cutDepth = -1;
        boolean atLineStart = !insideBrackets;
        String limitMessage = null;
        boolean unexpectedIndent = false;
        Token last = null;
        int deepest = 0;

        int n = raw.size();
        for (int i = 0; i < n; i++) {
            Token t = raw.get(i);
            int type = t.getType();
            if (type == PyLexer.NEWLINE) {
                if (depth > base && !insideBrackets && i + 1 < n && startsStatementAtColumnZero(raw.get(i + 1))) {
                    // An unclosed bracket: Python would report the rest of the file; we end the line
                    // here so the statements below still parse.
                    depth = 0;
                    cutDepth = -1;
                }
                if (depth > 0 || atLineStart) {
                    continue;
                }
                out.add(t);
                top.add(false);
                atLineStart = true;
                continue;
            }
            if (cutDepth >= 0) {
                if (isOpener(type)) {
                    depth++;
                } else if (isCloser(type)) {
                    depth--;
                    if (depth <= cutDepth) {
                        depth = cutDepth;
                        cutDepth = -1;
                    }
                }
                continue;
            }
            if (atLineStart) {
                atLineStart = false;
                int indent = indentation(text, t.getStartIndex());
                if (indent > indents[indentTop]) {
                    if (indentTop + 1 >= maxIndents || indentTop >= maxNesting) {
                        if (limitMessage == null) {
                            limitMessage = "indentation nested deeper than " + maxNesting + " levels at line "
                                    + t.getLine();
                        }
                    } else {
                        if (indentTop + 1 == indents.length) {
                            indents = Arrays.copyOf(indents, Math.min(maxIndents, indents.length * 2));
                        }
                        indents[++indentTop] = indent;
                        deepest = Math.max(deepest, indentTop + depth);
                        out.add(synthetic(PyLexer.INDENT, t, "<INDENT>"));
                        top.add(false);
                        if (indentTop == 1 && out.size() == 1) {
                            unexpectedIndent = true;
                        }
                    }
                } else {
                    while (indent < indents[indentTop] && indentTop > 0) {
                        indentTop--;
                        out.add(synthetic(PyLexer.DEDENT, t, "<DEDENT>"));
                        top.add(false);
                    }
                    // A dedent to a column no enclosing block used: CPython rejects it; we treat the
                    // line as belonging to the block it fell into.
                }
                top.add(indentTop == 0);
                out.add(t);
                last = t;
                if (isOpener(type)) {
                    depth = openBracket(out, top, t, depth, maxNesting);
                    if (depth < 0) {
                        cutDepth = -depth - 1;
                        depth = cutDepth + 1;
                        limitMessage = limitMessage != null ? limitMessage
                                : "brackets nested deeper than " + maxNesting + " levels at line " + t.getLine();
                    }
                    deepest = Math.max(deepest, indentTop + depth);
                }
                continue;
            }
            if (isOpener(type)) {
                out.add(t);
                top.add(false);
                depth = openBracket(out, top, t, depth, maxNesting);
                if (depth < 0) {
                    cutDepth = -depth - 1;
                    depth = cutDepth + 1;
                    limitMessage = limitMessage != null ? limitMessage
                            : "brackets nested deeper than " + maxNesting + " levels at line " + t.getLine();
                }
                deepest = Math.max(deepest, indentTop + depth);
            } else {
                if (isCloser(type) && depth > base) {
                    depth--;
                }
                out.add(t);
                top.add(false);
            }
            last = t;
        }
        Token anchor = last != null ? last : new CommonToken(PyLexer.NEWLINE);
        if (!atLineStart && !insideBrackets) {
            out.add(synthetic(PyLexer.NEWLINE, anchor, "\n"));
            top.add(false);
        }
        while (indentTop > 0) {
            indentTop--;
            out.add(synthetic(PyLexer.DEDENT, anchor, "<DEDENT>"));
            top.add(false);
        }
        CommonToken eof = synthetic(Token.EOF, anchor, "<EOF>");
        out.add(eof);
        top.add(true);
        return new Layout(out, top.toArray(), limitMessage, unexpectedIndent, deepest);
    }

    /**
     * Handles an opener already added to {@code out}. Returns the new depth, or, when the opener goes
     * past the limit, {@code -(depthBefore + 1)}: the caller then skips to the matching closer and the
     * opener is replaced by {@code ...}.
     */
    private static int openBracket(List<Token> out, BoolList top, Token t, int depth, int maxNesting) {
        if (depth + 1 > maxNesting) {
            out.set(out.size() - 1, synthetic(PyLexer.ELLIPSIS, t, "..."));
            return -(depth + 1);
        }
        return depth + 1;
    }

    private static boolean startsStatementAtColumnZero(Token next) {
        if (next.getCharPositionInLine() != 0) {
            return false;
        }
        return switch (next.getType()) {
            case PyLexer.DEF, PyLexer.CLASS, PyLexer.IMPORT, PyLexer.FROM, PyLexer.TRY, PyLexer.WHILE,
                    PyLexer.WITH, PyLexer.RETURN, PyLexer.PASS, PyLexer.BREAK, PyLexer.CONTINUE, PyLexer.RAISE,
                    PyLexer.GLOBAL, PyLexer.NONLOCAL, PyLexer.DEL, PyLexer.ASSERT, PyLexer.EXCEPT,
                    PyLexer.FINALLY, PyLexer.ELIF -> true;
            default -> false;
        };
    }

    private static boolean isOpener(int type) {
        return type == PyLexer.LPAR || type == PyLexer.LSQB || type == PyLexer.LBRACE;
    }

    private static boolean isCloser(int type) {
        return type == PyLexer.RPAR || type == PyLexer.RSQB || type == PyLexer.RBRACE;
    }

    /** Python's indentation column of the line holding {@code index}: tabs to multiples of 8, form feed resets. */
    static int indentation(SourceText text, int index) {
        int lineStart = index;
        while (lineStart > 0 && text.charAt(lineStart - 1) != '\n') {
            lineStart--;
        }
        int col = 0;
        for (int i = lineStart; i < index; i++) {
            int c = text.charAt(i);
            if (c == '\t') {
                col = (col / TAB_SIZE + 1) * TAB_SIZE;
            } else if (c == '\f') {
                col = 0;
            } else {
                col++;
            }
        }
        return col;
    }

    private static CommonToken synthetic(int type, Token at, String text) {
        CommonToken t = new CommonToken(type, text);
        t.setLine(at.getLine());
        t.setCharPositionInLine(at.getCharPositionInLine());
        t.setStartIndex(at.getStartIndex());
        t.setStopIndex(at.getStartIndex() - 1);
        return t;
    }

    /** A growable boolean array. */
    private static final class BoolList {
        private boolean[] data;
        private int size;

        BoolList(int capacity) {
            data = new boolean[Math.max(capacity, 16)];
        }

        void add(boolean v) {
            if (size == data.length) {
                data = java.util.Arrays.copyOf(data, data.length * 2);
            }
            data[size++] = v;
        }

        boolean[] toArray() {
            return java.util.Arrays.copyOf(data, size);
        }
    }
}
