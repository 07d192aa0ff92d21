package dev.kingsnake.internal.python.semantic;

import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Node;
import dev.kingsnake.spi.python.Stmt;

import java.util.List;

/**
 * One place where a name gets a value in a scope. Bindings are compared by identity only (the
 * records hold model nodes, whose structural equality would walk whole subtrees).
 */
sealed interface Binding {

    /** The node whose position orders this binding against reads of the name. */
    Node site();

    /** {@code import a.b as c} binds {@code c} to {@code a.b}; {@code from m import x} binds x to {@code m.x}. */
    record Import(String target, Node site) implements Binding {
    }

    /** {@code name = value}; {@code block} is the statement list holding the assignment (null for walrus). */
    record Value(Expr value, Node site, List<Stmt> block) implements Binding {
    }

    /** {@code name op= value}, op without the {@code =}. */
    record Augmented(String op, Expr value, Node site, List<Stmt> block) implements Binding {
    }

    /** {@code def name} or {@code class name}. */
    record Definition(Stmt definition, Node site) implements Binding {
    }

    /** Parameters, loop targets, {@code with ... as}, {@code except ... as}, unpacking: value unknown. */
    record Opaque(Node site) implements Binding {
    }
}
