package dev.kingsnake.spi.python;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Python statements, as rules see them. Python 2 {@code print x} and {@code exec code} statements
 * are modelled as {@link ExprStmt}s holding a {@link Expr.Call} to {@code print} / {@code exec}.
 */
public sealed interface Stmt extends Node {

    /** {@code import a.b as c, d}. */
    record Import(List<Alias> names, int line, int column) implements Stmt {
        public Import {
            names = List.copyOf(names);
        }

        @Override
        public List<? extends Node> children() {
            return names;
        }
    }

    /** {@code from ..module import a as b}; {@code level} counts leading dots, name {@code *} is a star import. */
    record ImportFrom(String module, int level, List<Alias> names, int line, int column) implements Stmt {
        public ImportFrom {
            names = List.copyOf(names);
        }

        @Override
        public List<? extends Node> children() {
            return names;
        }
    }

    record Alias(String name, Optional<String> asName, int line, int column) implements Node {
        @Override
        public List<Node> children() {
            return List.of();
        }
    }

    /**
     * {@code a = b = value}, {@code a += value} ({@code augOp} "+="), {@code a: T = value}. An annotation
     * without value is an Assign with an empty value.
     */
    record Assign(List<Expr> targets, Optional<Expr> value, Optional<String> augOp, int line, int column)
            implements Stmt {
        public Assign {
            targets = List.copyOf(targets);
        }

        @Override
        public List<Node> children() {
            List<Node> out = new ArrayList<>(targets);
            value.ifPresent(out::add);
            return out;
        }
    }

    record ExprStmt(Expr value, int line, int column) implements Stmt {
        @Override
        public List<Node> children() {
            return List.of(value);
        }
    }

    enum ParamKind { POSITIONAL, VARARGS, KEYWORD_ONLY, KWARGS }

    record Param(String name, Optional<Expr> defaultValue, ParamKind kind, int line, int column) implements Node {
        @Override
        public List<Node> children() {
            return defaultValue.<List<Node>>map(List::of).orElse(List.of());
        }
    }

    record FunctionDef(String name, List<Param> params, List<Expr> decorators, List<Stmt> body, boolean async,
                       int line, int column) implements Stmt {
        public FunctionDef {
            params = List.copyOf(params);
            decorators = List.copyOf(decorators);
            body = List.copyOf(body);
        }

        @Override
        public List<Node> children() {
            return Children.of(decorators, params, body);
        }
    }

    record ClassDef(String name, List<Expr> bases, List<Expr.Keyword> keywords, List<Expr> decorators,
                    List<Stmt> body, int line, int column) implements Stmt {
        public ClassDef {
            bases = List.copyOf(bases);
            keywords = List.copyOf(keywords);
            decorators = List.copyOf(decorators);
            body = List.copyOf(body);
        }

        @Override
        public List<Node> children() {
            return Children.of(decorators, bases, keywords, body);
        }
    }

    /** {@code if}; {@code elif} chains are nested Ifs in {@code orElse}. */
    record If(Expr test, List<Stmt> body, List<Stmt> orElse, int line, int column) implements Stmt {
        public If {
            body = List.copyOf(body);
            orElse = List.copyOf(orElse);
        }

        @Override
        public List<Node> children() {
            return Children.of(test, body, orElse);
        }
    }

    record For(Expr target, Expr iter, List<Stmt> body, List<Stmt> orElse, boolean async, int line, int column)
            implements Stmt {
        public For {
            body = List.copyOf(body);
            orElse = List.copyOf(orElse);
        }

        @Override
        public List<Node> children() {
            return Children.of(target, iter, body, orElse);
        }
    }

    record While(Expr test, List<Stmt> body, List<Stmt> orElse, int line, int column) implements Stmt {
        public While {
            body = List.copyOf(body);
            orElse = List.copyOf(orElse);
        }

        @Override
        public List<Node> children() {
            return Children.of(test, body, orElse);
        }
    }

    record Handler(Optional<Expr> type, Optional<String> name, List<Stmt> body, int line, int column)
            implements Node {
        public Handler {
            body = List.copyOf(body);
        }

        @Override
        public List<Node> children() {
            List<Node> out = new ArrayList<>();
            type.ifPresent(out::add);
            out.addAll(body);
            return out;
        }
    }

    record Try(List<Stmt> body, List<Handler> handlers, List<Stmt> orElse, List<Stmt> finalBody, int line,
               int column) implements Stmt {
        public Try {
            body = List.copyOf(body);
            handlers = List.copyOf(handlers);
            orElse = List.copyOf(orElse);
            finalBody = List.copyOf(finalBody);
        }

        @Override
        public List<Node> children() {
            return Children.of(body, handlers, orElse, finalBody);
        }
    }

    record WithItem(Expr context, Optional<Expr> target, int line, int column) implements Node {
        @Override
        public List<Node> children() {
            List<Node> out = new ArrayList<>(2);
            out.add(context);
            target.ifPresent(out::add);
            return out;
        }
    }

    record With(List<WithItem> items, List<Stmt> body, boolean async, int line, int column) implements Stmt {
        public With {
            items = List.copyOf(items);
            body = List.copyOf(body);
        }

        @Override
        public List<Node> children() {
            List<Node> out = new ArrayList<>(items);
            out.addAll(body);
            return out;
        }
    }

    /** A {@code case} of a match statement; the pattern is kept as source text. */
    record MatchCase(String pattern, Optional<Expr> guard, List<Stmt> body, int line, int column) implements Node {
        public MatchCase {
            body = List.copyOf(body);
        }

        @Override
        public List<Node> children() {
            List<Node> out = new ArrayList<>();
            guard.ifPresent(out::add);
            out.addAll(body);
            return out;
        }
    }

    record Match(Expr subject, List<MatchCase> cases, int line, int column) implements Stmt {
        public Match {
            cases = List.copyOf(cases);
        }

        @Override
        public List<Node> children() {
            List<Node> out = new ArrayList<>();
            out.add(subject);
            out.addAll(cases);
            return out;
        }
    }

    record Return(Optional<Expr> value, int line, int column) implements Stmt {
        @Override
        public List<Node> children() {
            return value.<List<Node>>map(List::of).orElse(List.of());
        }
    }

    record Raise(Optional<Expr> exception, Optional<Expr> cause, int line, int column) implements Stmt {
        @Override
        public List<Node> children() {
            List<Node> out = new ArrayList<>(2);
            exception.ifPresent(out::add);
            cause.ifPresent(out::add);
            return out;
        }
    }

    record Delete(List<Expr> targets, int line, int column) implements Stmt {
        public Delete {
            targets = List.copyOf(targets);
        }

        @Override
        public List<? extends Node> children() {
            return targets;
        }
    }

    record Assert(Expr test, Optional<Expr> message, int line, int column) implements Stmt {
        @Override
        public List<Node> children() {
            List<Node> out = new ArrayList<>(2);
            out.add(test);
            message.ifPresent(out::add);
            return out;
        }
    }

    /** {@code global a, b} or ({@code nonlocal} true) {@code nonlocal a}. */
    record Global(List<String> names, boolean nonlocal, int line, int column) implements Stmt {
        public Global {
            names = List.copyOf(names);
        }

        @Override
        public List<Node> children() {
            return List.of();
        }
    }

    /** {@code pass}, {@code break} or {@code continue}. */
    record Simple(String keyword, int line, int column) implements Stmt {
        @Override
        public List<Node> children() {
            return List.of();
        }
    }

    /** Source that did not parse (error recovery); rules may still look at its text. */
    record Invalid(String text, int line, int column) implements Stmt {
        @Override
        public List<Node> children() {
            return List.of();
        }
    }
}
