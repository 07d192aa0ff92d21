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
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ListTokenSource;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

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

    /** Parse errors reported individually per file; the rest are counted in one more diagnostic. */
    private static final int MAX_REPORTED_ERRORS = 10;

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
                raw = lex(gen, text, 1, 0);
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
            List<Token> tokens = layout.tokens();
            CommonTokenStream stream = new CommonTokenStream(new ListTokenSource(tokens));
            stream.fill();
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
            if (errors > MAX_REPORTED_ERRORS) {
                diags.add(new Diagnostic(DiagnosticCode.PARSE_ERROR, path,
                        (errors - MAX_REPORTED_ERRORS) + " more syntax errors"));
            }
            return body;
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
                List<? extends Token> raw = lex(gen, expression, line, column);
                LogicalLines.Layout layout = LogicalLines.layout(raw, new SourceText(expression), limits.maxSyntaxNesting(), true);
                CommonTokenStream stream = new CommonTokenStream(new ListTokenSource(layout.tokens()));
                stream.fill();
                PyParser parser = newParser(gen, stream);
                Attempt<PyParser.Field_exprContext> attempt = attempt(parser, stream, 0, PyParser::field_expr);
                if (attempt.tree == null) {
                    return Optional.empty();
                }
                List<String> problems = new ArrayList<>();
                ModelBuilder builder = new ModelBuilder(new SourceText(expression), limits.maxSyntaxNesting(), this::parseField,
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

    private static String near(String token) {
        if (token == null || token.isEmpty()) {
            return "";
        }
        String t = token.length() > 20 ? token.substring(0, 20) + "..." : token;
        return " near '" + t.replace("\n", "\\n") + "'";
    }

    private static List<? extends Token> lex(PredictionCache.Generation gen, String text, int line, int column) {
        PyLexer lexer = new PyLexer(CharStreams.fromString(text));
        lexer.setInterpreter(gen.lexerSimulator(lexer));
        lexer.removeErrorListeners();
        lexer.setLine(line);
        lexer.setCharPositionInLine(column);
        return lexer.getAllTokens();
    }

    private static PyParser newParser(PredictionCache.Generation gen, CommonTokenStream stream) {
        PyParser parser = new PyParser(stream);
        parser.setInterpreter(gen.parserSimulator(parser));
        parser.removeErrorListeners();
        parser.setErrorHandler(new BailErrorStrategy());
        return parser;
    }
}
