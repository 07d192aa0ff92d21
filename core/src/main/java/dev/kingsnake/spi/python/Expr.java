package dev.kingsnake.spi.python;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Python expressions, as rules see them. The builder never hands out ANTLR contexts. */
public sealed interface Expr extends Node {

    record Name(String id, int line, int column) implements Expr {
        @Override
        public List<Node> children() {
            return List.of();
        }
    }

    record Attribute(Expr value, String attr, int line, int column) implements Expr {
        @Override
        public List<Node> children() {
            return List.of(value);
        }
    }

    /** A call. Positional {@code *args} appear in {@code args} as {@link Starred}. */
    record Call(Expr callee, List<Expr> args, List<Keyword> keywords, int line, int column) implements Expr {
        public Call {
            args = List.copyOf(args);
            keywords = List.copyOf(keywords);
        }

        @Override
        public List<Node> children() {
            return Children.of(callee, args, keywords);
        }

        /** The keyword argument with this name, if given. */
        public Optional<Expr> keyword(String name) {
            for (Keyword k : keywords) {
                if (name.equals(k.name())) {
                    return Optional.of(k.value());
                }
            }
            return Optional.empty();
        }

        /** The positional argument at {@code index}, if given and not starred. */
        public Optional<Expr> arg(int index) {
            if (index < args.size() && !(args.get(index) instanceof Starred)) {
                return Optional.of(args.get(index));
            }
            return Optional.empty();
        }
    }

    /** {@code name=value} in a call or class header; {@code name} is {@code "**"} for {@code **mapping}. */
    record Keyword(String name, Expr value, int line, int column) implements Node {
        @Override
        public List<Node> children() {
            return List.of(value);
        }
    }

    /** A literal: string, bytes, number, True/False/None, Ellipsis. Adjacent literals are already joined. */
    record Literal(Const value, int line, int column) implements Expr {
        @Override
        public List<Node> children() {
            return List.of();
        }
    }

    /** An f-string: constant parts are {@link Literal}s, replacement fields are expressions. */
    record FString(List<Expr> parts, int line, int column) implements Expr {
        public FString {
            parts = List.copyOf(parts);
        }

        @Override
        public List<? extends Node> children() {
            return parts;
        }
    }

    /** Binary operator: one of + - * / // % ** @ << >> | ^ &. */
    record BinOp(Expr left, String op, Expr right, int line, int column) implements Expr {
        @Override
        public List<Node> children() {
            return List.of(left, right);
        }
    }

    /** Unary operator: one of - + ~ not. */
    record UnaryOp(String op, Expr operand, int line, int column) implements Expr {
        @Override
        public List<Node> children() {
            return List.of(operand);
        }
    }

    /** {@code and} / {@code or} over two or more values. */
    record BoolOp(String op, List<Expr> values, int line, int column) implements Expr {
        public BoolOp {
            values = List.copyOf(values);
        }

        @Override
        public List<? extends Node> children() {
            return values;
        }
    }

    /** A comparison chain; ops are == != < <= > >= in, not in, is, is not. */
    record Compare(Expr left, List<String> ops, List<Expr> comparators, int line, int column) implements Expr {
        public Compare {
            ops = List.copyOf(ops);
            comparators = List.copyOf(comparators);
        }

        @Override
        public List<Node> children() {
            return Children.of(left, comparators);
        }
    }

    /** {@code value[index]}; a slice index is a {@link Slice}, several indices a TUPLE {@link Sequence}. */
    record Subscript(Expr value, Expr index, int line, int column) implements Expr {
        @Override
        public List<Node> children() {
            return List.of(value, index);
        }
    }

    record Slice(Optional<Expr> lower, Optional<Expr> upper, Optional<Expr> step, int line, int column)
            implements Expr {
        @Override
        public List<Node> children() {
            List<Node> out = new ArrayList<>(3);
            lower.ifPresent(out::add);
            upper.ifPresent(out::add);
            step.ifPresent(out::add);
            return out;
        }
    }

    /** A list, tuple or set display. */
    record Sequence(SeqKind kind, List<Expr> elements, int line, int column) implements Expr {
        public Sequence {
            elements = List.copyOf(elements);
        }

        @Override
        public List<? extends Node> children() {
            return elements;
        }
    }

    /** A dict display; an item without key is {@code **mapping}. */
    record Dict(List<DictItem> items, int line, int column) implements Expr {
        public Dict {
            items = List.copyOf(items);
        }

        @Override
        public List<? extends Node> children() {
            return items;
        }
    }

    record DictItem(Optional<Expr> key, Expr value, int line, int column) implements Node {
        @Override
        public List<Node> children() {
            List<Node> out = new ArrayList<>(2);
            key.ifPresent(out::add);
            out.add(value);
            return out;
        }
    }

    record Lambda(List<Stmt.Param> params, Expr body, int line, int column) implements Expr {
        public Lambda {
            params = List.copyOf(params);
        }

        @Override
        public List<Node> children() {
            List<Node> out = new ArrayList<>(params);
            out.add(body);
            return out;
        }
    }

    /** List/set/dict comprehension or generator expression; {@code value} is present for dicts. */
    record Comprehension(SeqKind kind, Expr element, Optional<Expr> value, List<ComprehensionFor> generators,
                         int line, int column) implements Expr {
        public Comprehension {
            generators = List.copyOf(generators);
        }

        @Override
        public List<Node> children() {
            List<Node> out = new ArrayList<>();
            out.add(element);
            value.ifPresent(out::add);
            out.addAll(generators);
            return out;
        }
    }

    record ComprehensionFor(Expr target, Expr iter, List<Expr> conditions, boolean async, int line, int column)
            implements Node {
        public ComprehensionFor {
            conditions = List.copyOf(conditions);
        }

        @Override
        public List<Node> children() {
            List<Node> out = new ArrayList<>();
            out.add(target);
            out.add(iter);
            out.addAll(conditions);
            return out;
        }
    }

    /** {@code body if test else orElse}. */
    record Conditional(Expr test, Expr body, Expr orElse, int line, int column) implements Expr {
        @Override
        public List<Node> children() {
            return List.of(test, body, orElse);
        }
    }

    /** {@code *value} ({@code doubleStar} false) or {@code **value}. */
    record Starred(Expr value, boolean doubleStar, int line, int column) implements Expr {
        @Override
        public List<Node> children() {
            return List.of(value);
        }
    }

    record Await(Expr value, int line, int column) implements Expr {
        @Override
        public List<Node> children() {
            return List.of(value);
        }
    }

    record Yield(Optional<Expr> value, boolean from, int line, int column) implements Expr {
        @Override
        public List<Node> children() {
            return value.<List<Node>>map(List::of).orElse(List.of());
        }
    }

    /** {@code target := value}. */
    record NamedExpr(Expr target, Expr value, int line, int column) implements Expr {
        @Override
        public List<Node> children() {
            return List.of(target, value);
        }
    }

    /** Anything the model does not represent (e.g. Python 2 backticks); {@code text} is the source. */
    record Unknown(String text, int line, int column) implements Expr {
        @Override
        public List<Node> children() {
            return List.of();
        }
    }
}
