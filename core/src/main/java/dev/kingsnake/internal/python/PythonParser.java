package dev.kingsnake.internal.python;

import dev.kingsnake.Diagnostic;
import dev.kingsnake.DiagnosticCode;
import dev.kingsnake.Limits;
import dev.kingsnake.internal.python.grammar.PyLexer;
import dev.kingsnake.internal.python.grammar.PyParser;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Module;
import dev.kingsnake.spi.python.Stmt;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.CommonToken;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ListTokenSource;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.WritableToken;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Turns Python source bytes into our own model.
 *
 * <p>How: decode (PEP 263), lex the whole file, lay out logical lines (INDENT/DEDENT, nesting
 * limits), then parse ONE top-level statement at a time: SLL prediction first, full LL only when SLL
 * fails. Each statement's parse tree is turned into model records and dropped at once, so memory is
 * bounded by the largest statement, not the file. A statement that does not parse becomes a
 * {@link Stmt.Invalid} covering the source up to the next top-level statement, and a PARSE_ERROR
 * diagnostic; the rest of the file is still parsed.
 */
public final class PythonParser {

    /**
     * Lines of one top-level statement that may be replaced by INVALID_LINE before the whole
     * statement is given up; each repair re-parses the statement.
     */
    private static final int MAX_LINE_REPAIRS = 20;

    /** Parse errors reported individually per file; the rest are counted in one more diagnostic. */
    private static final int MAX_REPORTED_ERRORS = 10;

    /**
     * Bracket plus indentation nesting parsed on the caller's thread. Parsing and modelling recurse once per
     * level; measured on JDK 17 with JIT-compiled code, a thread's default 1 MiB stack holds 335 levels of the
     * deepest shape (nested lambdas) and 469 of nested parentheses, so this leaves a margin for whatever the
     * caller already has on its stack.
     */
    static final int NESTING_ON_ANY_STACK = 100;

    /** Stack for one level of nesting on a deep file's own thread: about 2.5 times the 3.1 KiB measured. */
    static final long STACK_BYTES_PER_LEVEL = 8 * 1024;

    private final Limits limits;

    public PythonParser(Limits limits) {
        this.limits = limits;
    }

    /** Thread-safe; never throws on bad input. */
    public ParseOutcome parse(String path, byte[] source) {
        SourceDecoder.Decoded decoded = SourceDecoder.decode(path, source);
        List<Diagnostic> diags = new ArrayList<>(decoded.diagnostics());
        String text = decoded.text();
        if (source.length > limits.maxParseBytes()) {
            diags.add(new Diagnostic(DiagnosticCode.LIMIT_EXCEEDED, path, "file of " + source.length
                    + " bytes is larger than maxParseBytes " + limits.maxParseBytes() + "; not parsed"));
            return new ParseOutcome(new Module(List.of()), text, diags);
        }
        FileParse run = new FileParse(path, text, diags);
        List<Stmt> body = run.statements();
        return new ParseOutcome(new Module(body), text, diags);
    }

    /** The state of parsing one file. */
    private final class FileParse {
        private final String path;
        private final String text;
        private final SourceText source;
        private final List<Diagnostic> diags;
        private int errors;

        FileParse(String path, String text, List<Diagnostic> diags) {
            this.path = path;
            this.text = text;
            this.source = new SourceText(text);
            this.diags = diags;
        }

        List<Stmt> statements() {
            List<Stmt> body = new ArrayList<>();
            PredictionCache.Generation gen = PredictionCache.acquire();
            List<? extends Token> raw;
            try {
                raw = lex(gen, source, 1, 0);
            } catch (StackOverflowError e) {
                PredictionCache.reset(gen);
                diags.add(new Diagnostic(DiagnosticCode.LIMIT_EXCEEDED, path, "tokens nested too deeply to lex"));
                body.add(new Stmt.Invalid(text, 1, 1));
                return body;
            }
            LogicalLines.Layout layout = LogicalLines.layout(raw, source, limits.maxSyntaxNesting(), false);
            if (layout.limitMessage() != null) {
                diags.add(new Diagnostic(DiagnosticCode.LIMIT_EXCEEDED, path, layout.limitMessage()));
            }
            if (layout.unexpectedIndent()) {
                error(1, "unexpected indent at line 1");
            }
            if (layout.deepest() <= NESTING_ON_ANY_STACK) {
                parseStatements(layout, gen, body);
            } else {
                onDeepStack(layout.deepest(), () -> {
                    parseStatements(layout, gen, body);
                    return body;
                });
            }
            if (errors > MAX_REPORTED_ERRORS) {
                diags.add(new Diagnostic(DiagnosticCode.PARSE_ERROR, path,
                        (errors - MAX_REPORTED_ERRORS) + " more syntax errors"));
            }
            return body;
        }

        /** Parses the laid-out tokens one top-level statement at a time into {@code body}. */
        private void parseStatements(LogicalLines.Layout layout, PredictionCache.Generation gen, List<Stmt> body) {
            List<Token> tokens = layout.tokens();
            CommonTokenStream stream = stream(tokens);
            PyParser parser = newParser(gen, stream);
            List<String> problems = new ArrayList<>();
            ModelBuilder builder = new ModelBuilder(source, limits.maxSyntaxNesting(), this::parseField, 0, problems);
            while (true) {
                Token next = stream.LT(1);
                int type = next.getType();
                if (type == Token.EOF) {
                    break;
                }
                if (type == PyLexer.NEWLINE || type == PyLexer.INDENT || type == PyLexer.DEDENT
                        || type == PyLexer.SEMI) {
                    stream.consume();
                    continue;
                }
                int start = stream.index();
                Attempt<PyParser.StmtContext> attempt = attempt(parser, stream, start, PyParser::stmt);
                for (int repairs = 0; attempt.tree == null && !attempt.overflow && repairs < MAX_LINE_REPAIRS;
                     repairs++) {
                    String message = "syntax error at line " + attempt.errorLine + near(attempt.errorToken);
                    if (!repairLine(stream, tokens, start, attempt.errorIndex)) {
                        break;
                    }
                    error(attempt.errorLine, message);
                    attempt = attempt(parser, stream, start, PyParser::stmt);
                }
                if (attempt.tree != null) {
                    try {
                        body.addAll(builder.statement(attempt.tree));
                        reportProblems(problems);
                        continue;
                    } catch (ModelBuilder.NestingLimitException e) {
                        diags.add(new Diagnostic(DiagnosticCode.LIMIT_EXCEEDED, path, e.getMessage()));
                    } catch (StackOverflowError e) {
                        diags.add(new Diagnostic(DiagnosticCode.LIMIT_EXCEEDED, path,
                                "statement at line " + next.getLine() + " nested too deeply to model"));
                    }
                    problems.clear();
                    int end = stream.index();
                    body.add(invalid(tokens, start, end));
                    continue;
                }
                if (attempt.overflow) {
                    PredictionCache.reset(gen);
                    gen = PredictionCache.current();
                    parser = newParser(gen, stream);
                    diags.add(new Diagnostic(DiagnosticCode.LIMIT_EXCEEDED, path,
                            "statement at line " + next.getLine() + " nested too deeply to parse"));
                } else {
                    int line = attempt.errorLine > 0 ? attempt.errorLine : next.getLine();
                    error(line, "syntax error at line " + line + near(attempt.errorToken));
                }
                int resume = layout.nextTopLevelStart(Math.max(attempt.errorIndex, start + 1));
                body.add(invalid(tokens, start, resume));
                stream.seek(resume);
            }
        }

        private void reportProblems(List<String> problems) {
            for (String p : problems) {
                error(0, p);
            }
            problems.clear();
        }

        private void error(int line, String message) {
            errors++;
            if (errors <= MAX_REPORTED_ERRORS) {
                diags.add(new Diagnostic(DiagnosticCode.PARSE_ERROR, path,
                        message != null ? message : "syntax error at line " + line));
            }
        }

        /**
         * Error recovery inside a statement: the logical line holding the offending token becomes one
         * INVALID_LINE token (the rest of its tokens move off the parser's channel), so the statement
         * around it still parses; an unexpected indented block is merged into the enclosing one.
         * Returns false when there is no line to repair.
         */
        private boolean repairLine(CommonTokenStream stream, List<Token> tokens, int start, int errorIndex) {
            List<Token> buffer = stream.getTokens();
            if (errorIndex < start || errorIndex >= buffer.size()) {
                return false;
            }
            int type = buffer.get(errorIndex).getType();
            if (type == PyLexer.INDENT) {
                return mergeIndentedBlock(buffer, errorIndex);
            }
            if (type == PyLexer.DEDENT || type == Token.EOF) {
                return false;
            }
            int end = errorIndex;
            while (buffer.get(end).getType() != PyLexer.NEWLINE) {
                if (buffer.get(end).getType() == Token.EOF) {
                    return false;
                }
                end++;
            }
            int begin = type == PyLexer.NEWLINE ? errorIndex : errorIndex + 1;
            while (begin > start && !isLineBoundary(buffer.get(begin - 1).getType())) {
                begin--;
            }
            if (begin >= end || buffer.get(begin).getType() == PyLexer.INVALID_LINE) {
                return false;
            }
            Token first = tokens.get(begin);
            int from = Math.max(0, first.getStartIndex());
            int to = from;
            for (int i = end - 1; i >= begin; i--) {
                Token t = tokens.get(i);
                if (t.getStopIndex() >= t.getStartIndex()) {
                    to = Math.min(t.getStopIndex() + 1, source.length());
                    break;
                }
            }
            CommonToken replacement = new CommonToken(PyLexer.INVALID_LINE, source.substring(from, Math.max(from, to)));
            replacement.setLine(first.getLine());
            replacement.setCharPositionInLine(first.getCharPositionInLine());
            replacement.setStartIndex(from);
            replacement.setStopIndex(to - 1);
            replacement.setTokenIndex(begin);
            buffer.set(begin, replacement);
            for (int i = begin + 1; i < end; i++) {
                ((WritableToken) buffer.get(i)).setChannel(Token.HIDDEN_CHANNEL);
            }
            return true;
        }

        private boolean mergeIndentedBlock(List<Token> buffer, int indent) {
            int depth = 0;
            for (int i = indent; i < buffer.size(); i++) {
                int t = buffer.get(i).getType();
                if (t == PyLexer.INDENT) {
                    depth++;
                } else if (t == PyLexer.DEDENT && --depth == 0) {
                    ((WritableToken) buffer.get(indent)).setChannel(Token.HIDDEN_CHANNEL);
                    ((WritableToken) buffer.get(i)).setChannel(Token.HIDDEN_CHANNEL);
                    return true;
                }
            }
            return false;
        }

        /** The tokens [from, to) as an Invalid statement holding their source text. */
        private Stmt invalid(List<Token> tokens, int from, int to) {
            Token first = tokens.get(from);
            int begin = first.getStartIndex();
            int end = begin;
            for (int i = Math.min(to, tokens.size()) - 1; i >= from; i--) {
                Token t = tokens.get(i);
                if (t.getType() != Token.EOF && t.getStopIndex() >= t.getStartIndex()) {
                    end = t.getStopIndex() + 1;
                    break;
                }
            }
            begin = Math.max(0, Math.min(begin, source.length()));
            end = Math.max(begin, Math.min(end, source.length()));
            return new Stmt.Invalid(source.substring(begin, end), first.getLine(), first.getCharPositionInLine() + 1);
        }

        /** Parses one f-string replacement field with its own small lexer and parser. */
        Optional<Expr> parseField(String expression, int line, int column, int depth) {
            PredictionCache.Generation gen = PredictionCache.current();
            try {
                SourceText fieldSource = new SourceText(expression);
                List<? extends Token> raw = lex(gen, fieldSource, line, column);
                LogicalLines.Layout layout = LogicalLines.layout(raw, fieldSource, limits.maxSyntaxNesting(), true);
                if (layout.deepest() > NESTING_ON_ANY_STACK) {
                    return onDeepStack(layout.deepest(), () -> parseField(fieldSource, layout, gen, depth));
                }
                return parseField(fieldSource, layout, gen, depth);
            } catch (StackOverflowError | ModelBuilder.NestingLimitException e) {
                return Optional.empty();
            }
        }

        private Optional<Expr> parseField(SourceText expression, LogicalLines.Layout layout, PredictionCache.Generation gen,
                                          int depth) {
            try {
                CommonTokenStream stream = stream(layout.tokens());
                PyParser parser = newParser(gen, stream);
                Attempt<PyParser.Field_exprContext> attempt = attempt(parser, stream, 0, PyParser::field_expr);
                if (attempt.tree == null) {
                    return Optional.empty();
                }
                List<String> problems = new ArrayList<>();
                ModelBuilder builder = new ModelBuilder(expression, limits.maxSyntaxNesting(), this::parseField,
                        depth, problems);
                Expr e = builder.fieldExpression(attempt.tree);
                for (String p : problems) {
                    error(0, p);
                }
                return Optional.of(e);
            } catch (StackOverflowError | ModelBuilder.NestingLimitException e) {
                return Optional.empty();
            }
        }
    }

    /**
     * Runs the parse of a file nested deeper than {@link #NESTING_ON_ANY_STACK} on a thread of its own with a
     * stack sized for its nesting (reserved, not committed, until used), so that the nesting limit, not the
     * caller's stack size, decides what is parsed. Failures are rethrown on the caller's thread.
     */
    private static <T> T onDeepStack(int nesting, Supplier<T> parse) {
        List<T> result = new ArrayList<>(1);
        Throwable[] failure = {null};
        Thread thread = new Thread(null, () -> {
            try {
                result.add(parse.get());
            } catch (RuntimeException | Error e) {
                failure[0] = e;
            }
        }, "kingsnake-deep-parse", (1L << 20) + nesting * STACK_BYTES_PER_LEVEL);
        thread.setDaemon(true);
        thread.start();
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the parse is bounded by the limits; finish it, then keep the interrupt
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure[0] instanceof RuntimeException e) {
            throw e;
        } else if (failure[0] instanceof Error e) {
            throw e;
        }
        return result.get(0);
    }

    /** The outcome of trying to parse one rule at the stream's position. */
    private static final class Attempt<T extends ParserRuleContext> {
        T tree;
        int errorIndex = -1;
        int errorLine;
        String errorToken = "";
        boolean overflow;
    }

    /** SLL first, LL on failure; both bail on the first error instead of recovering inside the rule. */
    private static <T extends ParserRuleContext> Attempt<T> attempt(PyParser parser, CommonTokenStream stream,
                                                                    int start, Function<PyParser, T> rule) {
        Attempt<T> a = new Attempt<>();
        for (PredictionMode mode : new PredictionMode[] {PredictionMode.SLL, PredictionMode.LL}) {
            stream.seek(start);
            parser.getInterpreter().setPredictionMode(mode);
            try {
                a.tree = rule.apply(parser);
                return a;
            } catch (ParseCancellationException e) {
                Token bad = e.getCause() instanceof RecognitionException re ? re.getOffendingToken() : stream.LT(1);
                if (bad != null) {
                    a.errorIndex = Math.max(a.errorIndex, bad.getTokenIndex());
                    a.errorLine = bad.getLine();
                    a.errorToken = bad.getType() == Token.EOF ? "end of file" : bad.getText();
                }
            } catch (StackOverflowError e) {
                a.overflow = true;
                a.errorIndex = start + 1;
                return a;
            }
        }
        return a;
    }

    private static boolean isLineBoundary(int type) {
        return type == PyLexer.NEWLINE || type == PyLexer.INDENT || type == PyLexer.DEDENT;
    }

    private static String near(String token) {
        if (token == null || token.isEmpty()) {
            return "";
        }
        String t = token.length() > 20 ? token.substring(0, 20) + "..." : token;
        return " near '" + t.replace("\n", "\\n") + "'";
    }

    /** The lexer's tokens up to EOF (EOF excluded), as {@code Lexer.getAllTokens} gives them. */
    static List<Token> lex(PredictionCache.Generation gen, SourceText text, int line, int column) {
        PyLexer lexer = new PyLexer(LexerInput.of(text, gen));
        lexer.setInterpreter(gen.lexerSimulator(lexer));
        lexer.setTokenFactory(new SourceToken.Factory(text));
        lexer.removeErrorListeners();
        lexer.setLine(line);
        lexer.setCharPositionInLine(column);
        // about one token per five characters of real code: room for all of them at once, not a list grown by
        // halves (each growth a copy; with the stream's own list 0.3 GB of arrays for torch 2.14.1)
        List<Token> tokens = new ArrayList<>(text.length() / 4 + 16);
        for (Token t = lexer.nextToken(); t.getType() != Token.EOF; t = lexer.nextToken()) {
            tokens.add(t);
        }
        return tokens;
    }

    /** The parser's token stream over laid-out tokens, filled: {@code fill()} over a list of their exact size. */
    private static CommonTokenStream stream(List<Token> tokens) {
        CommonTokenStream stream = new SizedTokenStream(tokens);
        stream.fill();
        return stream;
    }

    /** A token stream whose buffer starts with room for every token it will hold. */
    private static final class SizedTokenStream extends CommonTokenStream {
        SizedTokenStream(List<Token> tokens) {
            super(new ListTokenSource(tokens));
            this.tokens = new ArrayList<>(tokens.size() + 1);
        }
    }

    private static PyParser newParser(PredictionCache.Generation gen, CommonTokenStream stream) {
        PyParser parser = new PyParser(stream);
        parser.setInterpreter(gen.parserSimulator(parser));
        parser.removeErrorListeners();
        parser.setErrorHandler(new BailErrorStrategy());
        return parser;
    }
}
