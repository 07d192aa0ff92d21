package dev.kingsnake.internal.python;

import dev.kingsnake.internal.python.grammar.PyParser;
import dev.kingsnake.spi.python.Const;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.SeqKind;
import dev.kingsnake.spi.python.Stmt;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;

import java.io.ByteArrayOutputStream;
import java.text.Normalizer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Builds our model from the parse tree of one statement. Rules never see ANTLR types.
 *
 * <p>Depth: operator chains are built without recursion (the parser produces left-deep trees for
 * {@code a+b+c+...}); long chains of one associative operator become balanced trees so the model stays
 * shallow; everything else recurses at most {@link #maxDepth} levels, beyond which the statement is
 * given up with {@link NestingLimitException}.
 */
final class ModelBuilder {

    /** Parses the expression of an f-string replacement field (a separate small parse). */
    interface FieldParser {
        /** The expression, or empty when the text does not parse. */
        Optional<Expr> parse(String expression, int line, int column, int fstringDepth);
    }

    /** Thrown when the statement nests deeper than the builder allows. */
    static final class NestingLimitException extends RuntimeException {
        NestingLimitException(String message) {
            super(message, null, false, false);
        }
    }

    /** Operands of one associative operator kept as a left-deep chain; longer runs are balanced. */
    static final int LONGEST_UNBALANCED_RUN = 200;

    private final SourceText source;
    private final int maxDepth;
    private final int balanceThreshold;
    private final FieldParser fields;
    private final int fstringDepth;
    private final List<String> problems;
    private int depth;

    /**
     * @param source       the text the tokens index into
     * @param maxNesting   Limits.maxSyntaxNesting
     * @param fields       parses f-string fields
     * @param fstringDepth how many f-strings enclose this source (0 for a file)
     * @param problems     receives a message for every part that could not be modelled
     */
    ModelBuilder(SourceText source, int maxNesting, FieldParser fields, int fstringDepth, List<String> problems) {
        this.source = source;
        this.maxDepth = maxNesting * 10;
        // runs of one operator longer than this become balanced trees: what walks the model (the decoder's
        // evaluator gives up 200 levels down) must not depend on how deep the parser was allowed to go
        this.balanceThreshold = Math.min(maxNesting, LONGEST_UNBALANCED_RUN);
        this.fields = fields;
        this.fstringDepth = fstringDepth;
        this.problems = problems;
    }

    // ---- statements ---------------------------------------------------------------------------------

    List<Stmt> statement(PyParser.StmtContext ctx) {
        List<Stmt> out = new ArrayList<>(1);
        addStatement(ctx, out);
        return out;
    }

    /** The expression of an f-string replacement field. */
    Expr fieldExpression(PyParser.Field_exprContext ctx) {
        if (ctx.yield_expr() != null) {
            return yieldExpr(ctx.yield_expr());
        }
        return testlistStar(ctx.testlist_star());
    }

    private void addStatement(PyParser.StmtContext ctx, List<Stmt> out) {
        enter();
        try {
            if (ctx.simple_stmts() != null) {
                simpleStatements(ctx.simple_stmts(), out);
            } else if (ctx.compound_stmt() != null) {
                out.add(compound(ctx.compound_stmt()));
            } else {
                // The header did not parse; its body did and stays visible, one level up.
                Token bad = ctx.invalid_block().INVALID_LINE().getSymbol();
                out.add(new Stmt.Invalid(bad.getText(), line(bad), col(bad)));
                for (PyParser.StmtContext s : ctx.invalid_block().stmt()) {
                    addStatement(s, out);
                }
            }
        } finally {
            depth--;
        }
    }

    private void simpleStatements(PyParser.Simple_stmtsContext ctx, List<Stmt> out) {
        for (PyParser.Simple_stmtContext s : ctx.simple_stmt()) {
            out.add(simple(s));
        }
    }

    private List<Stmt> block(PyParser.BlockContext ctx) {
        if (ctx == null) {
            return List.of();
        }
        List<Stmt> out = new ArrayList<>();
        if (ctx.simple_stmts() != null) {
            simpleStatements(ctx.simple_stmts(), out);
        } else {
            for (PyParser.StmtContext s : ctx.stmt()) {
                addStatement(s, out);
            }
        }
        return out;
    }

    private Stmt simple(PyParser.Simple_stmtContext ctx) {
        int line = line(ctx.start);
        int col = col(ctx.start);
        if (ctx instanceof PyParser.ExpressionStmtContext e) {
            return exprStatement(e.expr_stmt());
        }
        if (ctx instanceof PyParser.PrintStmtContext p) {
            Expr callee = new Expr.Name("print", line, col);
            return new Stmt.ExprStmt(new Expr.Call(callee, tests(p.test()), List.of(), line, col), line, col);
        }
        if (ctx instanceof PyParser.PrintRedirectStmtContext p) {
            Expr callee = new Expr.Name("print", line, col);
            List<Expr> all = tests(p.test());
            Expr file = all.get(0);
            Expr.Keyword kw = new Expr.Keyword("file", file, file.line(), file.column());
            return new Stmt.ExprStmt(new Expr.Call(callee, all.subList(1, all.size()), List.of(kw), line, col),
                    line, col);
        }
        if (ctx instanceof PyParser.ExecStmtContext x) {
            List<Expr> args = new ArrayList<>();
            args.add(expr(x.expr()));
            args.addAll(tests(x.test()));
            return new Stmt.ExprStmt(new Expr.Call(new Expr.Name("exec", line, col), args, List.of(), line, col),
                    line, col);
        }
        if (ctx instanceof PyParser.DelStmtContext d) {
            return new Stmt.Delete(elements(d.exprlist()), line, col);
        }
        if (ctx instanceof PyParser.PassStmtContext) {
            return new Stmt.Simple("pass", line, col);
        }
        if (ctx instanceof PyParser.BreakStmtContext) {
            return new Stmt.Simple("break", line, col);
        }
        if (ctx instanceof PyParser.ContinueStmtContext) {
            return new Stmt.Simple("continue", line, col);
        }
        if (ctx instanceof PyParser.ReturnStmtContext r) {
            return new Stmt.Return(Optional.ofNullable(r.testlist_star()).map(this::testlistStar), line, col);
        }
        if (ctx instanceof PyParser.RaiseStmtContext r) {
            List<Expr> t = tests(r.test());
            if (t.isEmpty()) {
                return new Stmt.Raise(Optional.empty(), Optional.empty(), line, col);
            }
            if (r.FROM() != null) {
                return new Stmt.Raise(Optional.of(t.get(0)), Optional.of(t.get(1)), line, col);
            }
            if (t.size() > 1) {
                // Python 2: raise E, V[, tb] raises E(V).
                Expr e = t.get(0);
                Expr call = new Expr.Call(e, List.of(t.get(1)), List.of(), e.line(), e.column());
                return new Stmt.Raise(Optional.of(call), Optional.empty(), line, col);
            }
            return new Stmt.Raise(Optional.of(t.get(0)), Optional.empty(), line, col);
        }
        if (ctx instanceof PyParser.GlobalStmtContext g) {
            return new Stmt.Global(names(g.name()), false, line, col);
        }
        if (ctx instanceof PyParser.NonlocalStmtContext g) {
            return new Stmt.Global(names(g.name()), true, line, col);
        }
        if (ctx instanceof PyParser.ImportStmtContext i) {
            List<Stmt.Alias> aliases = new ArrayList<>();
            for (PyParser.Dotted_as_nameContext d : i.dotted_as_name()) {
                aliases.add(new Stmt.Alias(dotted(d.dotted_name()), Optional.ofNullable(d.name()).map(this::name),
                        line(d.start), col(d.start)));
            }
            return new Stmt.Import(aliases, line, col);
        }
        if (ctx instanceof PyParser.FromImportStmtContext f) {
            return fromImport(f, line, col);
        }
        if (ctx instanceof PyParser.AssertStmtContext a) {
            List<Expr> t = tests(a.test());
            return new Stmt.Assert(t.get(0), t.size() > 1 ? Optional.of(t.get(1)) : Optional.empty(), line, col);
        }
        if (ctx instanceof PyParser.InvalidLineStmtContext) {
            return new Stmt.Invalid(ctx.start.getText(), line, col);
        }
        if (ctx instanceof PyParser.TypeAliasStmtContext t) {
            Expr target = new Expr.Name(name(t.name()), line(t.name().start), col(t.name().start));
            return new Stmt.Assign(List.of(target), Optional.of(test(t.test())), Optional.empty(), line, col);
        }
        throw new IllegalStateException("unhandled statement " + ctx.getClass().getSimpleName());
    }

    private Stmt fromImport(PyParser.FromImportStmtContext f, int line, int col) {
        PyParser.Import_from_moduleContext m = f.import_from_module();
        int level = 0;
        for (int i = 0; i < m.getChildCount(); i++) {
            if (m.getChild(i) instanceof TerminalNode t) {
                level += t.getText().length();
            }
        }
        String module = m.dotted_name() == null ? "" : dotted(m.dotted_name());
        List<Stmt.Alias> aliases = new ArrayList<>();
        if (f.import_as_names() == null) {
            Token star = f.STAR().getSymbol();
            aliases.add(new Stmt.Alias("*", Optional.empty(), line(star), col(star)));
        } else {
            for (PyParser.Import_as_nameContext a : f.import_as_names().import_as_name()) {
                List<PyParser.NameContext> n = a.name();
                aliases.add(new Stmt.Alias(name(n.get(0)),
                        n.size() > 1 ? Optional.of(name(n.get(1))) : Optional.empty(), line(a.start), col(a.start)));
            }
        }
        return new Stmt.ImportFrom(module, level, aliases, line, col);
    }

    private Stmt exprStatement(PyParser.Expr_stmtContext ctx) {
        int line = line(ctx.start);
        int col = col(ctx.start);
        List<Expr> parts = new ArrayList<>();
        for (int i = 0, n = ctx.getChildCount(); i < n; i++) {
            ParseTree c = ctx.getChild(i);
            if (c instanceof PyParser.Yield_exprContext y) {
                parts.add(yieldExpr(y));
            } else if (c instanceof PyParser.Testlist_starContext t) {
                parts.add(testlistStar(t));
            }
        }
        if (ctx.annassign() != null) {
            PyParser.AnnassignContext a = ctx.annassign();
            Optional<Expr> value = Optional.empty();
            if (a.yield_expr() != null) {
                value = Optional.of(yieldExpr(a.yield_expr()));
            } else if (a.testlist_star() != null) {
                value = Optional.of(testlistStar(a.testlist_star()));
            }
            return new Stmt.Assign(List.of(parts.get(0)), value, Optional.empty(), line, col);
        }
        if (ctx.augassign() != null) {
            return new Stmt.Assign(List.of(parts.get(0)), Optional.of(parts.get(1)),
                    Optional.of(ctx.augassign().getText()), line, col);
        }
        if (parts.size() == 1) {
            return new Stmt.ExprStmt(parts.get(0), line, col);
        }
        return new Stmt.Assign(parts.subList(0, parts.size() - 1), Optional.of(parts.get(parts.size() - 1)),
                Optional.empty(), line, col);
    }

    private Stmt compound(PyParser.Compound_stmtContext ctx) {
        ParseTree c = ctx.getChild(0);
        if (c instanceof PyParser.If_stmtContext i) {
            return ifStatement(i);
        }
        if (c instanceof PyParser.While_stmtContext w) {
            return new Stmt.While(namedexpr(w.namedexpr_test()), block(w.block(0)), block(w.else_block),
                    line(w.start), col(w.start));
        }
        if (c instanceof PyParser.For_stmtContext f) {
            return forStatement(f, false, f.start);
        }
        if (c instanceof PyParser.Try_stmtContext t) {
            return tryStatement(t);
        }
        if (c instanceof PyParser.With_stmtContext w) {
            return withStatement(w, false, w.start);
        }
        if (c instanceof PyParser.FuncdefContext f) {
            return function(f, List.of(), false, f.start);
        }
        if (c instanceof PyParser.ClassdefContext k) {
            return classDef(k, List.of(), k.start);
        }
        if (c instanceof PyParser.DecoratedContext d) {
            List<Expr> decorators = new ArrayList<>();
            for (PyParser.DecoratorContext dc : d.decorator()) {
                decorators.add(namedexpr(dc.namedexpr_test()));
            }
            if (d.classdef() != null) {
                return classDef(d.classdef(), decorators, d.start);
            }
            return function(d.funcdef(), decorators, d.ASYNC() != null, d.start);
        }
        if (c instanceof PyParser.Async_stmtContext a) {
            if (a.funcdef() != null) {
                return function(a.funcdef(), List.of(), true, a.start);
            }
            if (a.with_stmt() != null) {
                return withStatement(a.with_stmt(), true, a.start);
            }
            return forStatement(a.for_stmt(), true, a.start);
        }
        if (c instanceof PyParser.Match_stmtContext m) {
            return match(m);
        }
        throw new IllegalStateException("unhandled compound statement " + c.getClass().getSimpleName());
    }

    private Stmt ifStatement(PyParser.If_stmtContext ctx) {
        List<Stmt> orElse = block(ctx.else_block);
        List<PyParser.Elif_clauseContext> elifs = ctx.elif_clause();
        for (int i = elifs.size() - 1; i >= 0; i--) {
            PyParser.Elif_clauseContext e = elifs.get(i);
            orElse = List.of(new Stmt.If(namedexpr(e.namedexpr_test()), block(e.block()), orElse,
                    line(e.start), col(e.start)));
        }
        return new Stmt.If(namedexpr(ctx.namedexpr_test()), block(ctx.block(0)), orElse, line(ctx.start),
                col(ctx.start));
    }

    private Stmt forStatement(PyParser.For_stmtContext f, boolean async, Token start) {
        return new Stmt.For(exprlist(f.exprlist()), testlistStar(f.testlist_star()), block(f.block(0)),
                block(f.else_block), async, line(start), col(start));
    }

    private Stmt tryStatement(PyParser.Try_stmtContext t) {
        List<Stmt.Handler> handlers = new ArrayList<>();
        for (PyParser.Except_clauseContext e : t.except_clause()) {
            Optional<Expr> type = Optional.empty();
            Optional<String> name = Optional.empty();
            List<PyParser.TestContext> tests = e.test();
            if (!tests.isEmpty()) {
                type = Optional.of(test(tests.get(0)));
                if (e.name() != null) {
                    name = Optional.of(name(e.name()));
                } else if (tests.size() > 1 && test(tests.get(1)) instanceof Expr.Name n) {
                    name = Optional.of(n.id());
                }
            }
            handlers.add(new Stmt.Handler(type, name, block(e.block()), line(e.start), col(e.start)));
        }
        return new Stmt.Try(block(t.block(0)), handlers, block(t.else_block), block(t.finally_block),
                line(t.start), col(t.start));
    }

    private Stmt withStatement(PyParser.With_stmtContext w, boolean async, Token start) {
        List<Stmt.WithItem> items = new ArrayList<>();
        for (PyParser.With_itemContext i : w.with_items().with_item()) {
            items.add(new Stmt.WithItem(test(i.test()), Optional.ofNullable(i.expr()).map(this::expr),
                    line(i.start), col(i.start)));
        }
        return new Stmt.With(items, block(w.block()), async, line(start), col(start));
    }

    private Stmt function(PyParser.FuncdefContext f, List<Expr> decorators, boolean async, Token start) {
        List<Stmt.Param> params = new ArrayList<>();
        if (f.parameters().typed_params() != null) {
            Stmt.ParamKind kind = Stmt.ParamKind.POSITIONAL;
            for (PyParser.Typed_paramContext p : f.parameters().typed_params().typed_param()) {
                int l = line(p.start);
                int c = col(p.start);
                if (p instanceof PyParser.PlainParamContext pp) {
                    Optional<Expr> def = pp.ASSIGN() == null ? Optional.empty()
                            : Optional.of(test(pp.test(pp.test().size() - 1)));
                    params.add(new Stmt.Param(name(pp.name()), def, kind, l, c));
                } else if (p instanceof PyParser.StarParamContext sp) {
                    kind = Stmt.ParamKind.KEYWORD_ONLY;
                    if (sp.name() != null) {
                        params.add(new Stmt.Param(name(sp.name()), Optional.empty(), Stmt.ParamKind.VARARGS, l, c));
                    }
                } else if (p instanceof PyParser.KwargsParamContext kp) {
                    params.add(new Stmt.Param(name(kp.name()), Optional.empty(), Stmt.ParamKind.KWARGS, l, c));
                } else if (p instanceof PyParser.TupleParamContext tp) {
                    Optional<Expr> def = Optional.ofNullable(tp.test()).map(this::test);
                    params.add(new Stmt.Param("(" + tp.fplist().getText() + ")", def, kind, l, c));
                }
            }
        }
        return new Stmt.FunctionDef(name(f.name()), params, decorators, block(f.block()), async, line(start),
                col(start));
    }

    private Stmt classDef(PyParser.ClassdefContext k, List<Expr> decorators, Token start) {
        List<Expr> bases = new ArrayList<>();
        List<Expr.Keyword> keywords = new ArrayList<>();
        if (k.arglist() != null) {
            arguments(k.arglist(), bases, keywords);
        }
        return new Stmt.ClassDef(name(k.name()), bases, keywords, decorators, block(k.block()), line(start),
                col(start));
    }

    private Stmt match(PyParser.Match_stmtContext m) {
        List<Stmt.MatchCase> cases = new ArrayList<>();
        for (PyParser.Case_blockContext c : m.case_block()) {
            String pattern = text(c.patterns());
            Optional<Expr> guard = Optional.ofNullable(c.namedexpr_test()).map(this::namedexpr);
            cases.add(new Stmt.MatchCase(pattern, guard, block(c.block()), line(c.start), col(c.start)));
        }
        return new Stmt.Match(tupleOrSingle(m.subject()), cases, line(m.start), col(m.start));
    }

    // ---- expression lists ---------------------------------------------------------------------------

    private List<Expr> tests(List<PyParser.TestContext> ctxs) {
        List<Expr> out = new ArrayList<>(ctxs.size());
        for (PyParser.TestContext t : ctxs) {
            out.add(test(t));
        }
        return out;
    }

    /** Elements of a comma list of test / star_expr / expr / namedexpr_test children. */
    private List<Expr> elements(ParserRuleContext ctx) {
        int n = ctx.getChildCount();
        List<Expr> out = new ArrayList<>(n / 2 + 1);
        for (int i = 0; i < n; i++) {
            Expr e = element(ctx.getChild(i));
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    private Expr element(ParseTree c) {
        if (c instanceof PyParser.TestContext t) {
            return test(t);
        }
        if (c instanceof PyParser.Star_exprContext s) {
            return new Expr.Starred(expr(s.expr()), false, line(s.start), col(s.start));
        }
        if (c instanceof PyParser.ExprContext e) {
            return expr(e);
        }
        if (c instanceof PyParser.Namedexpr_testContext n) {
            return namedexpr(n);
        }
        if (c instanceof PyParser.Set_itemContext s) {
            return s.star_expr() != null ? element(s.star_expr()) : namedexpr(s.namedexpr_test());
        }
        return null;
    }

    private boolean hasComma(ParserRuleContext ctx) {
        return ((CompactContext) ctx).hasToken(PyParser.COMMA);
    }

    /** A tuple when there is a comma, else the single element. */
    private Expr tupleOrSingle(ParserRuleContext ctx) {
        List<Expr> els = elements(ctx);
        if (els.size() == 1 && !hasComma(ctx)) {
            return els.get(0);
        }
        return new Expr.Sequence(SeqKind.TUPLE, els, line(ctx.start), col(ctx.start));
    }

    private Expr testlistStar(PyParser.Testlist_starContext ctx) {
        return tupleOrSingle(ctx);
    }

    private Expr exprlist(PyParser.ExprlistContext ctx) {
        return tupleOrSingle(ctx);
    }

    private Expr yieldExpr(PyParser.Yield_exprContext y) {
        int line = line(y.start);
        int col = col(y.start);
        if (y.FROM() != null) {
            return new Expr.Yield(Optional.of(test(y.test())), true, line, col);
        }
        return new Expr.Yield(Optional.ofNullable(y.testlist_star()).map(this::testlistStar), false, line, col);
    }

    // ---- expressions --------------------------------------------------------------------------------

    private Expr namedexpr(PyParser.Namedexpr_testContext ctx) {
        if (ctx.WALRUS() == null) {
            return test(ctx.test(0));
        }
        return new Expr.NamedExpr(test(ctx.test(0)), test(ctx.test(1)), line(ctx.start), col(ctx.start));
    }

    private Expr test(PyParser.TestContext ctx) {
        enter();
        try {
            if (ctx.lambdef() != null) {
                PyParser.LambdefContext l = ctx.lambdef();
                return new Expr.Lambda(lambdaParams(l.lambda_params()), test(l.test()), line(l.start), col(l.start));
            }
            Expr body = orTest(ctx.or_test(0));
            if (ctx.IF() == null) {
                return body;
            }
            return new Expr.Conditional(orTest(ctx.or_test(1)), body, test(ctx.test()), line(ctx.start),
                    col(ctx.start));
        } finally {
            depth--;
        }
    }

    private Expr testNocond(PyParser.Test_nocondContext ctx) {
        if (ctx.or_test() != null) {
            return orTest(ctx.or_test());
        }
        return new Expr.Lambda(lambdaParams(ctx.lambda_params()), testNocond(ctx.test_nocond()), line(ctx.start),
                col(ctx.start));
    }

    private List<Stmt.Param> lambdaParams(PyParser.Lambda_paramsContext ctx) {
        List<Stmt.Param> params = new ArrayList<>();
        if (ctx == null) {
            return params;
        }
        Stmt.ParamKind kind = Stmt.ParamKind.POSITIONAL;
        for (PyParser.Lambda_paramContext p : ctx.lambda_param()) {
            int l = line(p.start);
            int c = col(p.start);
            if (p instanceof PyParser.PlainLambdaParamContext pp) {
                params.add(new Stmt.Param(name(pp.name()), Optional.ofNullable(pp.test()).map(this::test), kind, l, c));
            } else if (p instanceof PyParser.StarLambdaParamContext sp) {
                kind = Stmt.ParamKind.KEYWORD_ONLY;
                if (sp.name() != null) {
                    params.add(new Stmt.Param(name(sp.name()), Optional.empty(), Stmt.ParamKind.VARARGS, l, c));
                }
            } else if (p instanceof PyParser.KwargsLambdaParamContext kp) {
                params.add(new Stmt.Param(name(kp.name()), Optional.empty(), Stmt.ParamKind.KWARGS, l, c));
            } else if (p instanceof PyParser.TupleLambdaParamContext tp) {
                params.add(new Stmt.Param("(" + tp.fplist().getText() + ")", Optional.empty(), kind, l, c));
            }
        }
        return params;
    }

    private Expr orTest(PyParser.Or_testContext ctx) {
        enter();
        try {
            if (ctx instanceof PyParser.ComparisonContext c) {
                return comparison(c);
            }
            if (ctx instanceof PyParser.NotTestContext n) {
                return new Expr.UnaryOp("not", orTest(n.or_test()), line(n.start), col(n.start));
            }
            // `a or b or c` is left-deep in the parse tree: flatten the chain of one operator.
            boolean isOr = ctx instanceof PyParser.OrTestContext;
            Deque<PyParser.Or_testContext> rights = new ArrayDeque<>();
            PyParser.Or_testContext cur = ctx;
            while (isOr ? cur instanceof PyParser.OrTestContext : cur instanceof PyParser.AndTestContext) {
                rights.push(cur.getChild(PyParser.Or_testContext.class, 1));
                cur = cur.getChild(PyParser.Or_testContext.class, 0);
            }
            List<Expr> values = new ArrayList<>(rights.size() + 1);
            values.add(orTest(cur));
            while (!rights.isEmpty()) {
                values.add(orTest(rights.pop()));
            }
            return new Expr.BoolOp(isOr ? "or" : "and", values, line(ctx.start), col(ctx.start));
        } finally {
            depth--;
        }
    }

    private Expr comparison(PyParser.ComparisonContext c) {
        List<PyParser.ExprContext> operands = c.expr();
        Expr left = expr(operands.get(0));
        if (operands.size() == 1) {
            return left;
        }
        List<String> ops = new ArrayList<>();
        for (PyParser.Comp_opContext op : c.comp_op()) {
            String t = op.getChildCount() == 2 ? op.getChild(0).getText() + " " + op.getChild(1).getText()
                    : op.getText();
            ops.add(t.equals("<>") ? "!=" : t);
        }
        List<Expr> rest = new ArrayList<>();
        for (int i = 1; i < operands.size(); i++) {
            rest.add(expr(operands.get(i)));
        }
        return new Expr.Compare(left, ops, rest, line(c.start), col(c.start));
    }

    /**
     * Binary operators and trailers. The left spine (a.b(c)[d] + e - f ...) is walked with a loop;
     * only right operands and primaries recurse, and their depth is bounded by bracket nesting.
     */
    private Expr expr(PyParser.ExprContext ctx) {
        enter();
        try {
            PyParser.ExprContext cur = ctx;
            if (!onLeftSpine(cur)) {
                return primary(cur); // most operands are a bare name or literal: no spine to walk
            }
            Deque<PyParser.ExprContext> spine = new ArrayDeque<>(8);
            while (onLeftSpine(cur)) {
                spine.push(cur);
                cur = cur.getChild(PyParser.ExprContext.class, 0);
            }
            Expr acc = primary(cur);
            int unbalanced = 0;
            while (!spine.isEmpty()) {
                PyParser.ExprContext f = spine.pop();
                if (f instanceof PyParser.BinExprContext b && isAssociative(b.op.getText())) {
                    // A run of one associative operator: a + b + c + ...
                    String op = b.op.getText();
                    List<Expr> operands = new ArrayList<>();
                    operands.add(acc);
                    operands.add(expr(b.expr(1)));
                    while (!spine.isEmpty() && spine.peek() instanceof PyParser.BinExprContext nb
                            && nb.op.getText().equals(op)) {
                        spine.pop();
                        operands.add(expr(nb.expr(1)));
                    }
                    if (operands.size() > balanceThreshold) {
                        acc = balanced(operands, op, 0, operands.size());
                    } else {
                        acc = operands.get(0);
                        for (int i = 1; i < operands.size(); i++) {
                            acc = new Expr.BinOp(acc, op, operands.get(i), acc.line(), acc.column());
                        }
                        unbalanced += operands.size() - 1;
                    }
                } else {
                    acc = trailerOrBinary(f, acc);
                    unbalanced++;
                }
                if (unbalanced > maxDepth) {
                    throw new NestingLimitException("operator chain longer than " + maxDepth + " at line "
                            + line(ctx.start));
                }
            }
            return acc;
        } finally {
            depth--;
        }
    }

    private static boolean onLeftSpine(PyParser.ExprContext e) {
        return e instanceof PyParser.BinExprContext || e instanceof PyParser.AttributeExprContext
                || e instanceof PyParser.CallExprContext || e instanceof PyParser.SubscriptExprContext
                || e instanceof PyParser.PowerExprContext;
    }

    private static boolean isAssociative(String op) {
        return switch (op) {
            case "+", "*", "|", "&", "^" -> true;
            default -> false;
        };
    }

    /** Balanced tree over operands[from, to); the first operand keeps its position. */
    private static Expr balanced(List<Expr> operands, String op, int from, int to) {
        // Iterative bottom-up pairing keeps this free of deep recursion too.
        List<Expr> level = new ArrayList<>(operands.subList(from, to));
        while (level.size() > 1) {
            List<Expr> next = new ArrayList<>((level.size() + 1) / 2);
            for (int i = 0; i < level.size(); i += 2) {
                if (i + 1 < level.size()) {
                    Expr l = level.get(i);
                    next.add(new Expr.BinOp(l, op, level.get(i + 1), l.line(), l.column()));
                } else {
                    next.add(level.get(i));
                }
            }
            level = next;
        }
        return level.get(0);
    }

    private Expr trailerOrBinary(PyParser.ExprContext f, Expr left) {
        int line = left.line();
        int col = left.column();
        if (f instanceof PyParser.AttributeExprContext a) {
            return new Expr.Attribute(left, name(a.name()), line, col);
        }
        if (f instanceof PyParser.CallExprContext c) {
            List<Expr> args = new ArrayList<>();
            List<Expr.Keyword> keywords = new ArrayList<>();
            if (c.arglist() != null) {
                arguments(c.arglist(), args, keywords);
            }
            return new Expr.Call(left, args, keywords, line, col);
        }
        if (f instanceof PyParser.SubscriptExprContext s) {
            return new Expr.Subscript(left, subscripts(s.subscriptlist()), line, col);
        }
        if (f instanceof PyParser.PowerExprContext p) {
            return new Expr.BinOp(left, "**", expr(p.expr(1)), line, col);
        }
        PyParser.BinExprContext b = (PyParser.BinExprContext) f;
        return new Expr.BinOp(left, b.op.getText(), expr(b.expr(1)), line, col);
    }

    private Expr primary(PyParser.ExprContext ctx) {
        int line = line(ctx.start);
        int col = col(ctx.start);
        if (ctx instanceof PyParser.AtomExprContext a) {
            return atom(a.atom());
        }
        if (ctx instanceof PyParser.UnaryExprContext u) {
            return new Expr.UnaryOp(u.op.getText(), expr(u.expr()), line, col);
        }
        if (ctx instanceof PyParser.AwaitExprContext a) {
            return new Expr.Await(expr(a.expr()), line, col);
        }
        throw new IllegalStateException("unhandled expression " + ctx.getClass().getSimpleName());
    }

    private void arguments(PyParser.ArglistContext ctx, List<Expr> args, List<Expr.Keyword> keywords) {
        for (PyParser.ArgumentContext a : ctx.argument()) {
            int line = line(a.start);
            int col = col(a.start);
            if (a.STAR() != null) {
                args.add(new Expr.Starred(test(a.test(0)), false, line, col));
            } else if (a.POWER() != null) {
                keywords.add(new Expr.Keyword("**", test(a.test(0)), line, col));
            } else if (a.ASSIGN() != null) {
                keywords.add(new Expr.Keyword(a.test(0).getText(), test(a.test(1)), line, col));
            } else if (a.WALRUS() != null) {
                args.add(new Expr.NamedExpr(test(a.test(0)), test(a.test(1)), line, col));
            } else if (a.comp_for() != null) {
                args.add(comprehension(SeqKind.GENERATOR, test(a.test(0)), Optional.empty(), a.comp_for(), line, col));
            } else {
                args.add(test(a.test(0)));
            }
        }
    }

    private Expr subscripts(PyParser.SubscriptlistContext ctx) {
        List<PyParser.SubscriptContext> subs = ctx.subscript();
        List<Expr> out = new ArrayList<>(subs.size());
        for (PyParser.SubscriptContext s : subs) {
            if (s.namedexpr_test() != null) {
                out.add(namedexpr(s.namedexpr_test()));
            } else if (s.star_expr() != null) {
                out.add(element(s.star_expr()));
            } else {
                out.add(new Expr.Slice(Optional.ofNullable(s.lower).map(this::test),
                        Optional.ofNullable(s.upper).map(this::test), Optional.ofNullable(s.step).map(this::test),
                        line(s.start), col(s.start)));
            }
        }
        if (out.size() == 1 && !hasComma(ctx)) {
            return out.get(0);
        }
        return new Expr.Sequence(SeqKind.TUPLE, out, line(ctx.start), col(ctx.start));
    }

    private Expr atom(PyParser.AtomContext ctx) {
        int line = line(ctx.start);
        int col = col(ctx.start);
        if (ctx instanceof PyParser.NameAtomContext n) {
            return new Expr.Name(name(n.name()), line, col);
        }
        if (ctx instanceof PyParser.StringAtomContext s) {
            return strings(s);
        }
        if (ctx instanceof PyParser.NumberAtomContext n) {
            String t = n.NUMBER().getText();
            return Literals.number(t).<Expr>map(v -> new Expr.Literal(v, line, col))
                    .orElseGet(() -> new Expr.Unknown(t, line, col));
        }
        if (ctx instanceof PyParser.ParenAtomContext p) {
            if (p.yield_expr() != null) {
                return yieldExpr(p.yield_expr());
            }
            PyParser.Testlist_compContext t = p.testlist_comp();
            if (t == null) {
                return new Expr.Sequence(SeqKind.TUPLE, List.of(), line, col);
            }
            if (t.comp_for() != null) {
                return comprehension(SeqKind.GENERATOR, element(t.getChild(0)), Optional.empty(), t.comp_for(),
                        line, col);
            }
            return tupleOrSingle(t);
        }
        if (ctx instanceof PyParser.ListAtomContext l) {
            PyParser.Testlist_compContext t = l.testlist_comp();
            if (t == null) {
                return new Expr.Sequence(SeqKind.LIST, List.of(), line, col);
            }
            if (t.comp_for() != null) {
                return comprehension(SeqKind.LIST, element(t.getChild(0)), Optional.empty(), t.comp_for(), line, col);
            }
            return new Expr.Sequence(SeqKind.LIST, elements(t), line, col);
        }
        if (ctx instanceof PyParser.BraceAtomContext b) {
            return brace(b, line, col);
        }
        if (ctx instanceof PyParser.BackquoteAtomContext b) {
            // Python 2 `x` is repr(x).
            return new Expr.Call(new Expr.Name("repr", line, col), List.of(testlistStar(b.testlist_star())),
                    List.of(), line, col);
        }
        if (ctx instanceof PyParser.EllipsisAtomContext) {
            return new Expr.Literal(new Const.Ellipsis(), line, col);
        }
        if (ctx instanceof PyParser.NoneAtomContext) {
            return new Expr.Literal(new Const.None(), line, col);
        }
        if (ctx instanceof PyParser.TrueAtomContext) {
            return new Expr.Literal(new Const.Bool(true), line, col);
        }
        if (ctx instanceof PyParser.FalseAtomContext) {
            return new Expr.Literal(new Const.Bool(false), line, col);
        }
        throw new IllegalStateException("unhandled atom " + ctx.getClass().getSimpleName());
    }

    private Expr brace(PyParser.BraceAtomContext b, int line, int col) {
        PyParser.DictorsetmakerContext d = b.dictorsetmaker();
        if (d == null) {
            return new Expr.Dict(List.of(), line, col);
        }
        if (!d.dict_item().isEmpty()) {
            if (d.comp_for() != null) {
                PyParser.Dict_itemContext item = d.dict_item(0);
                if (item.expr() != null) {
                    return new Expr.Unknown(text(b), line, col);
                }
                return comprehension(SeqKind.DICT, test(item.test(0)), Optional.of(test(item.test(1))), d.comp_for(),
                        line, col);
            }
            List<Expr.DictItem> items = new ArrayList<>();
            for (PyParser.Dict_itemContext item : d.dict_item()) {
                int l = line(item.start);
                int c = col(item.start);
                if (item.expr() != null) {
                    items.add(new Expr.DictItem(Optional.empty(), expr(item.expr()), l, c));
                } else {
                    items.add(new Expr.DictItem(Optional.of(test(item.test(0))), test(item.test(1)), l, c));
                }
            }
            return new Expr.Dict(items, line, col);
        }
        if (d.comp_for() != null) {
            return comprehension(SeqKind.SET, element(d.set_item(0)), Optional.empty(), d.comp_for(), line, col);
        }
        return new Expr.Sequence(SeqKind.SET, elements(d), line, col);
    }

    private Expr comprehension(SeqKind kind, Expr element, Optional<Expr> value, PyParser.Comp_forContext ctx,
                               int line, int col) {
        List<Expr.ComprehensionFor> gens = new ArrayList<>();
        for (PyParser.Comp_clauseContext c : ctx.comp_clause()) {
            List<Expr> conditions = new ArrayList<>();
            for (PyParser.Test_nocondContext t : c.test_nocond()) {
                conditions.add(testNocond(t));
            }
            gens.add(new Expr.ComprehensionFor(exprlist(c.exprlist()), orTest(c.or_test()), conditions,
                    c.ASYNC() != null, line(c.start), col(c.start)));
        }
        return new Expr.Comprehension(kind, element, value, gens, line, col);
    }

    // ---- strings ------------------------------------------------------------------------------------

    /** Adjacent literals are joined: all bytes give Bytes, f-strings give an FString, else a Str. */
    private Expr strings(PyParser.StringAtomContext s) {
        int line = line(s.start);
        int col = col(s.start);
        List<TerminalNode> tokens = new ArrayList<>(s.getChildCount());
        boolean anyF = false;
        boolean allBytes = true;
        for (int i = 0, n = s.getChildCount(); i < n; i++) {
            TerminalNode t = (TerminalNode) s.getChild(i);
            tokens.add(t);
            if (t.getSymbol().getType() == PyParser.FSTRING) {
                anyF = true;
                allBytes = false;
            } else if (!Literals.split(t.getText()).bytes()) {
                allBytes = false;
            }
        }
        if (allBytes) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (TerminalNode t : tokens) {
                Literals.StringToken st = Literals.split(t.getText());
                out.writeBytes(Literals.bytesValue(st.body(), st.raw()));
            }
            return new Expr.Literal(new Const.Bytes(out.toByteArray()), line, col);
        }
        if (!anyF) {
            StringBuilder sb = new StringBuilder();
            for (TerminalNode t : tokens) {
                appendStr(sb, Literals.split(t.getText()));
            }
            return new Expr.Literal(new Const.Str(sb.toString()), line, col);
        }
        FStringParts parts = new FStringParts();
        for (TerminalNode t : tokens) {
            Token tok = t.getSymbol();
            Literals.StringToken st = Literals.split(tok.getText());
            if (!st.format()) {
                StringBuilder sb = new StringBuilder();
                appendStr(sb, st);
                parts.literal(sb.toString(), line(tok), col(tok));
            } else {
                fstring(tok, st, parts);
            }
        }
        return new Expr.FString(parts.finish(), line, col);
    }

    private static void appendStr(StringBuilder sb, Literals.StringToken st) {
        if (st.bytes()) {
            sb.append(new String(Literals.bytesValue(st.body(), st.raw()), java.nio.charset.StandardCharsets.ISO_8859_1));
        } else {
            sb.append(st.raw() ? st.body() : Literals.unescape(st.body()));
        }
    }

    /** Collects f-string parts, merging adjacent constant text into one Literal. */
    private static final class FStringParts {
        private final List<Expr> parts = new ArrayList<>();
        private final StringBuilder pending = new StringBuilder();
        private int pendingLine;
        private int pendingCol;

        void literal(String s, int line, int col) {
            if (s.isEmpty()) {
                return;
            }
            if (pending.length() == 0) {
                pendingLine = line;
                pendingCol = col;
            }
            pending.append(s);
        }

        void expr(Expr e) {
            flush();
            parts.add(e);
        }

        private void flush() {
            if (pending.length() > 0) {
                parts.add(new Expr.Literal(new Const.Str(pending.toString()), pendingLine, pendingCol));
                pending.setLength(0);
            }
        }

        List<Expr> finish() {
            flush();
            return parts;
        }
    }

    /**
     * Splits one f-string token into text and replacement fields. {@code f"{x!r:>{w}}"} becomes
     * {@code format(repr(x), f">{w}")}: conversions and format specs are modelled as the calls Python
     * makes, so constant folding can evaluate them.
     */
    private void fstring(Token tok, Literals.StringToken st, FStringParts parts) {
        String body = st.body();
        int[] lineStarts = lineStarts(tok.getText());
        int n = body.length();
        StringBuilder lit = new StringBuilder();
        int litStart = 0;
        int i = 0;
        while (i < n) {
            char c = body.charAt(i);
            if (c == '{' && i + 1 < n && body.charAt(i + 1) == '{') {
                lit.append('{');
                i += 2;
            } else if (c == '}' && i + 1 < n && body.charAt(i + 1) == '}') {
                lit.append('}');
                i += 2;
            } else if (c == '{') {
                int end = fieldEnd(body, i);
                if (end < 0) {
                    lit.append(body, i, n);
                    break;
                }
                int[] pos = position(tok, lineStarts, st.bodyOffset() + litStart);
                parts.literal(decodeLiteral(lit.toString(), st.raw()), pos[0], pos[1]);
                lit.setLength(0);
                parts.expr(field(tok, lineStarts, st, i + 1, end));
                i = end + 1;
                litStart = i;
            } else if (c == '\\' && !st.raw() && i + 2 < n && body.charAt(i + 1) == 'N'
                    && body.charAt(i + 2) == '{' && body.indexOf('}', i) > 0) {
                int close = body.indexOf('}', i);
                lit.append(body, i, close + 1);
                i = close + 1;
            } else if (c == '\\' && !st.raw() && i + 1 < n && body.charAt(i + 1) != '{') {
                lit.append(c).append(body.charAt(i + 1));
                i += 2;
            } else {
                lit.append(c);
                i++;
            }
        }
        int[] pos = position(tok, lineStarts, st.bodyOffset() + litStart);
        parts.literal(decodeLiteral(lit.toString(), st.raw()), pos[0], pos[1]);
    }

    private static String decodeLiteral(String s, boolean raw) {
        return raw ? s : Literals.unescape(s);
    }

    /** One replacement field body[from, to): expression, optional =, !conversion, :spec. */
    private Expr field(Token tok, int[] lineStarts, Literals.StringToken st, int from, int to) {
        String body = st.body();
        int exprEnd = to;
        int convAt = -1;
        int specAt = -1;
        int nest = 0;
        for (int i = from; i < to; i++) {
            char c = body.charAt(i);
            if (c == '\'' || c == '"') {
                i = skipString(body, i, to) - 1;
            } else if (c == '(' || c == '[' || c == '{') {
                nest++;
            } else if (c == ')' || c == ']' || c == '}') {
                nest--;
            } else if (nest == 0 && c == '!' && i + 1 < to && body.charAt(i + 1) != '=') {
                convAt = i;
                exprEnd = i;
                int colon = body.indexOf(':', i);
                if (colon >= 0 && colon < to) {
                    specAt = colon;
                }
                break;
            } else if (nest == 0 && c == ':') {
                specAt = i;
                exprEnd = i;
                break;
            }
        }
        String exprText = body.substring(from, exprEnd);
        boolean selfDoc = false;
        String trimmed = exprText.stripTrailing();
        if (trimmed.endsWith("=") && trimmed.length() > 1 && "=!<>".indexOf(trimmed.charAt(trimmed.length() - 2)) < 0) {
            selfDoc = true;
            exprText = trimmed.substring(0, trimmed.length() - 1);
        }
        int[] pos = position(tok, lineStarts, st.bodyOffset() + from);
        Expr value;
        if (fstringDepth >= balanceThreshold) {
            problems.add("f-strings nested deeper than " + balanceThreshold + " at line " + pos[0]);
            value = new Expr.Unknown(exprText, pos[0], pos[1]);
        } else {
            String finalText = exprText;
            value = fields.parse(exprText, pos[0], pos[1] - 1, fstringDepth + 1).orElseGet(() -> {
                problems.add("f-string field does not parse at line " + pos[0]);
                return new Expr.Unknown(finalText, pos[0], pos[1]);
            });
        }
        char conversion = convAt >= 0 && convAt + 1 < to ? body.charAt(convAt + 1) : 0;
        if (selfDoc && conversion == 0 && specAt < 0) {
            conversion = 'r';
        }
        if (conversion != 0) {
            String fn = conversion == 'r' ? "repr" : conversion == 'a' ? "ascii" : "str";
            value = new Expr.Call(new Expr.Name(fn, value.line(), value.column()), List.of(value), List.of(),
                    value.line(), value.column());
        }
        if (specAt >= 0) {
            FStringParts spec = new FStringParts();
            Literals.StringToken specToken = new Literals.StringToken(st.raw(), false, true,
                    body.substring(specAt + 1, to), st.bodyOffset() + specAt + 1);
            fstring(tok, specToken, spec);
            List<Expr> specParts = spec.finish();
            Expr specExpr = specParts.size() == 1 && specParts.get(0) instanceof Expr.Literal l ? l
                    : specParts.isEmpty() ? new Expr.Literal(new Const.Str(""), value.line(), value.column())
                    : new Expr.FString(specParts, value.line(), value.column());
            value = new Expr.Call(new Expr.Name("format", value.line(), value.column()), List.of(value, specExpr),
                    List.of(), value.line(), value.column());
        }
        if (selfDoc) {
            // The literal "expr=" text precedes the value; the caller adds value after it.
            return new SelfDocumenting(body.substring(from, exprEnd), value).toExpr(pos);
        }
        return value;
    }

    /** {@code f"{x=}"}: the text "x=" followed by the value, as a nested FString. */
    private record SelfDocumenting(String text, Expr value) {
        Expr toExpr(int[] pos) {
            return new Expr.FString(List.of(new Expr.Literal(new Const.Str(text), pos[0], pos[1]), value),
                    pos[0], pos[1]);
        }
    }

    /** Index of the '}' closing the field opened at body[open], or -1. */
    private static int fieldEnd(String body, int open) {
        int nest = 0;
        int n = body.length();
        for (int i = open; i < n; i++) {
            char c = body.charAt(i);
            if (c == '\'' || c == '"') {
                i = skipString(body, i, n) - 1;
            } else if (c == '{' || c == '[' || c == '(') {
                nest++;
            } else if (c == '}' || c == ']' || c == ')') {
                nest--;
                if (nest == 0) {
                    return c == '}' ? i : -1;
                }
            }
        }
        return -1;
    }

    /** The index just past the string literal starting at s[i] (a quote), bounded by {@code limit}. */
    private static int skipString(String s, int i, int limit) {
        char q = s.charAt(i);
        boolean triple = i + 2 < limit && s.charAt(i + 1) == q && s.charAt(i + 2) == q;
        int j = triple ? i + 3 : i + 1;
        while (j < limit) {
            char c = s.charAt(j);
            if (c == '\\') {
                j += 2;
                continue;
            }
            if (c == q) {
                if (!triple) {
                    return j + 1;
                }
                if (j + 2 < limit && s.charAt(j + 1) == q && s.charAt(j + 2) == q) {
                    return j + 3;
                }
            }
            j++;
        }
        return limit;
    }

    private static int[] lineStarts(String text) {
        int count = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                count++;
            }
        }
        int[] starts = new int[count];
        int k = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                starts[k++] = i + 1;
            }
        }
        return starts;
    }

    /** {line, 1-based column} of offset {@code off} inside token {@code tok}'s text. */
    private static int[] position(Token tok, int[] lineStarts, int off) {
        int idx = java.util.Arrays.binarySearch(lineStarts, off);
        int lineIdx = idx >= 0 ? idx : -idx - 2;
        if (lineIdx == 0) {
            return new int[] {tok.getLine(), tok.getCharPositionInLine() + off + 1};
        }
        return new int[] {tok.getLine() + lineIdx, off - lineStarts[lineIdx] + 1};
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private void enter() {
        if (++depth > maxDepth) {
            depth = 0;
            throw new NestingLimitException("expression nested deeper than " + maxDepth + " levels");
        }
    }

    private List<String> names(List<PyParser.NameContext> ctxs) {
        List<String> out = new ArrayList<>(ctxs.size());
        for (PyParser.NameContext n : ctxs) {
            out.add(name(n));
        }
        return out;
    }

    /** Identifiers are NFKC-normalised, as Python does: {@code ｅｘｅｃ} is {@code exec}. */
    private String name(PyParser.NameContext ctx) {
        String s = ctx.getStart().getText();
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7f) {
                return Normalizer.normalize(s, Normalizer.Form.NFKC);
            }
        }
        return s;
    }

    private String dotted(PyParser.Dotted_nameContext ctx) {
        List<PyParser.NameContext> parts = ctx.name();
        if (parts.size() == 1) {
            return name(parts.get(0));
        }
        StringBuilder sb = new StringBuilder();
        for (PyParser.NameContext p : parts) {
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append(name(p));
        }
        return sb.toString();
    }

    private String text(ParserRuleContext ctx) {
        int from = ctx.start.getStartIndex();
        int to = ctx.stop == null ? from - 1 : ctx.stop.getStopIndex();
        if (from < 0 || to < from || to >= source.length()) {
            return "";
        }
        return source.substring(from, to + 1);
    }

    private static int line(Token t) {
        return t.getLine();
    }

    private static int col(Token t) {
        return t.getCharPositionInLine() + 1;
    }
}
