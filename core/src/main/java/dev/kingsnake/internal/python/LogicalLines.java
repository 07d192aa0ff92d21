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
        return new Builder(raw, text, maxNesting, insideBrackets).run();
    }

    /**
     * The state of one layout. Each kind of token is handled by a method of its own, so that the JIT compiles
     * small methods instead of one loop with everything inlined (50 KB of machine code, compiled four times in a
     * batch scan).
     */
    private static final class Builder {
        private final List<? extends Token> raw;
        private final SourceText text;
        private final int maxNesting;
        private final boolean insideBrackets;
        private final List<Token> out;
        private final BoolList top;
        private final int maxIndents;
        // grown as blocks nest: nearly every layout (one per f-string field too) needs a few levels, not 1,024
        private int[] indents;
        private int indentTop;
        private final int base;
        private int depth;
        private int cutDepth = -1;
        private boolean atLineStart;
        private String limitMessage;
        private boolean unexpectedIndent;
        private Token last;
        private int deepest;

        Builder(List<? extends Token> raw, SourceText text, int maxNesting, boolean insideBrackets) {
            this.raw = raw;
            this.text = text;
            this.maxNesting = maxNesting;
            this.insideBrackets = insideBrackets;
            this.out = new ArrayList<>(raw.size() + raw.size() / 8 + 8);
            this.top = new BoolList(raw.size() + 16);
            this.maxIndents = Math.min(maxNesting + 2, 1024);
            this.indents = new int[Math.min(maxIndents, 16)];
            this.base = insideBrackets ? 1 : 0;
            this.depth = base;
            this.atLineStart = !insideBrackets;
        }

        Layout run() {
            int n = raw.size();
            for (int i = 0; i < n; i++) {
                Token t = raw.get(i);
                int type = t.getType();
                if (type == PyLexer.NEWLINE) {
                    newline(t, i);
                } else if (cutDepth >= 0) {
                    insideCut(type);
                } else if (atLineStart) {
                    lineStart(t, type);
                } else if (isOpener(type)) {
                    out.add(t);
                    top.add(false);
                    opener(t);
                    last = t;
                } else {
                    if (isCloser(type) && depth > base) {
                        depth--;
                    }
                    out.add(t);
                    top.add(false);
                    last = t;
                }
            }
            return finish();
        }

        private void newline(Token t, int i) {
            if (depth > base && !insideBrackets && i + 1 < raw.size() && startsStatementAtColumnZero(raw.get(i + 1))) {
                // An unclosed bracket: Python would report the rest of the file; we end the line
                // here so the statements below still parse.
                depth = 0;
                cutDepth = -1;
            }
            if (depth > 0 || atLineStart) {
                return;
            }
            out.add(t);
            top.add(false);
            atLineStart = true;
        }

        /** Inside brackets cut at the nesting limit: only their depth is followed, to find the matching closer. */
        private void insideCut(int type) {
            if (isOpener(type)) {
                depth++;
            } else if (isCloser(type)) {
                depth--;
                if (depth <= cutDepth) {
                    depth = cutDepth;
                    cutDepth = -1;
                }
            }
        }

        /** The first token of a logical line: INDENT or DEDENTs before it as its column says. */
        private void lineStart(Token t, int type) {
            atLineStart = false;
            int indent = indentation(text, t.getStartIndex());
            if (indent > indents[indentTop]) {
                indent(t, indent);
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
                opener(t);
            }
        }

        private void indent(Token t, int indent) {
            if (indentTop + 1 >= maxIndents || indentTop >= maxNesting) {
                if (limitMessage == null) {
                    limitMessage = "indentation nested deeper than " + maxNesting + " levels at line " + t.getLine();
                }
                return;
            }
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

        /** An opener already added to the output; past the limit it becomes {@code ...} and its contents are cut. */
        private void opener(Token t) {
            if (depth + 1 > maxNesting) {
                out.set(out.size() - 1, synthetic(PyLexer.ELLIPSIS, t, "..."));
                cutDepth = depth;
                depth = cutDepth + 1;
                limitMessage = limitMessage != null ? limitMessage
                        : "brackets nested deeper than " + maxNesting + " levels at line " + t.getLine();
            } else {
                depth++;
            }
            deepest = Math.max(deepest, indentTop + depth);
        }

        private Layout finish() {
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
