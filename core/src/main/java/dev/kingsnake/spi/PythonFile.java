package dev.kingsnake.spi;

import dev.kingsnake.Reach;
import dev.kingsnake.spi.python.Const;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Module;
import dev.kingsnake.spi.python.Node;
import dev.kingsnake.spi.python.Stmt;

import java.util.List;
import java.util.Optional;

/** A Python source file with its semantic model. Everything is computed once and cached. */
public interface PythonFile extends SourceFile {

    Module module();

    /** Every call in the file, in source order (nested calls included). */
    List<Expr.Call> calls();

    /** Every import statement, including those inside functions. */
    List<Stmt> imports();

    /**
     * The module and every node below it, in pre-order: the nodes, in the order, that
     * {@code Nodes.walk(module(), visitor)} visits. Files built by the scanner compute the list once and keep it,
     * so that the many passes over a whole file do not each walk the tree again.
     */
    default List<Node> nodes() {
        List<Node> out = new java.util.ArrayList<>();
        dev.kingsnake.spi.python.Nodes.walk(module(), out::add);
        return java.util.Collections.unmodifiableList(out);
    }

    /**
     * The fully qualified name an expression refers to, through imports, aliases, {@code __import__},
     * {@code importlib.import_module}, {@code getattr} with constant names and simple assignments:
     * {@code b.b64decode} after {@code import base64 as b} is {@code base64.b64decode}; builtins
     * resolve to their bare name ({@code exec}). Empty when it cannot be decided statically.
     */
    Optional<String> qualifiedName(Expr e);

    /** The qualified name of a call's callee; shorthand for {@code qualifiedName(call.callee())}. */
    default Optional<String> calleeName(Expr.Call call) {
        return qualifiedName(call.callee());
    }

    /** The constant value of an expression after folding, or empty when it is not constant. */
    Optional<Const> constant(Expr e);

    /** When the code at this node runs. */
    Reach reach(Node n);

    /** The innermost function or lambda containing the node, if any. */
    Optional<Stmt.FunctionDef> enclosingFunction(Node n);

    /** Source line {@code line} (1-based) without its line break; empty when out of range. */
    String line(int line);

    /** True when the file did not parse whole (see its PARSE_ERROR diagnostic). */
    boolean hasParseErrors();

    /**
     * Traces of public obfuscators and protectors in this file (PyArmor runtime markers, pyobfuscate-style
     * decoder lambdas, Kramer-style exec classes, builtins looked up by computed names, confusable renaming),
     * recognised whether or not the payload can be decoded. Computed once per file.
     */
    List<ObfuscationSignal> obfuscationSignals();
}
