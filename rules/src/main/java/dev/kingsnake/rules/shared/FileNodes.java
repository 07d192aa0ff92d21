package dev.kingsnake.rules.shared;

import dev.kingsnake.spi.FactKey;
import dev.kingsnake.spi.PythonFile;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Node;
import dev.kingsnake.spi.python.Stmt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The nodes of a file that several rules each looked for in a pass of their own over every node
 * ({@link PythonFile#nodes()}): string literals, assignments, function definitions, statements that did not parse
 * and calls. One pass sorts them out; each list keeps the order of {@link PythonFile#nodes()} (pre-order), and
 * {@link #callPosition} and {@link #functionPosition} give a node's index there, so a rule that wants two kinds
 * in the order of one pass merges them. A fact of the file: a rule reads it in place of a pass over every node.
 */
public final class FileNodes {
    private static final FactKey<FileNodes> KEY = FactKey.ofPython("nodes by kind", FileNodes::new);

    private final List<Expr.Literal> strings;
    private final List<Stmt.Assign> assigns;
    private final List<Stmt.FunctionDef> functions;
    private final List<Stmt.Invalid> invalid;
    private final List<Expr.Call> calls;
    private final int[] callPositions;
    private final int[] functionPositions;

    private FileNodes(PythonFile file) {
        List<Expr.Literal> s = new ArrayList<>();
        List<Stmt.Assign> a = new ArrayList<>();
        List<Stmt.FunctionDef> f = new ArrayList<>();
        List<Stmt.Invalid> bad = new ArrayList<>();
        List<Expr.Call> c = new ArrayList<>();
        int[] cAt = new int[64];
        int[] fAt = new int[16];
        List<Node> all = file.nodes();
        for (int i = 0, n = all.size(); i < n; i++) {
            Node x = all.get(i);
            if (x instanceof Expr.Literal l) {
                if (l.value().isStringLike()) {
                    s.add(l);
                }
            } else if (x instanceof Expr.Call call) {
                cAt = put(cAt, c.size(), i);
                c.add(call);
            } else if (x instanceof Stmt.Assign as) {
                a.add(as);
            } else if (x instanceof Stmt.FunctionDef def) {
                fAt = put(fAt, f.size(), i);
                f.add(def);
            } else if (x instanceof Stmt.Invalid inv) {
                bad.add(inv);
            }
        }
        this.strings = Collections.unmodifiableList(s);
        this.assigns = Collections.unmodifiableList(a);
        this.functions = Collections.unmodifiableList(f);
        this.invalid = Collections.unmodifiableList(bad);
        this.calls = Collections.unmodifiableList(c);
        this.callPositions = cAt;
        this.functionPositions = fAt;
    }

    /** {@code positions} with {@code position} at {@code index}, grown when full. */
    private static int[] put(int[] positions, int index, int position) {
        int[] out = index < positions.length ? positions : Arrays.copyOf(positions, positions.length * 2);
        out[index] = position;
        return out;
    }

    /** The file's nodes by kind, sorted out on first use and kept for its scan. */
    public static FileNodes of(PythonFile file) {
        return file.fact(KEY);
    }

    /** Every literal whose value is string-like ({@code Const.isStringLike}: str and bytes), in node order. */
    public List<Expr.Literal> strings() {
        return strings;
    }

    /** Every assignment statement (augmented ones included), in node order. */
    public List<Stmt.Assign> assigns() {
        return assigns;
    }

    /** Every function definition (methods and nested ones included), in node order. */
    public List<Stmt.FunctionDef> functions() {
        return functions;
    }

    /** Every statement that did not parse ({@link Stmt.Invalid}), in node order. */
    public List<Stmt.Invalid> invalid() {
        return invalid;
    }

    /** Every call, in node order (that of {@link PythonFile#nodes()}, not necessarily {@link PythonFile#calls()}). */
    public List<Expr.Call> calls() {
        return calls;
    }

    /** The index in {@link PythonFile#nodes()} of {@code calls().get(i)}. */
    public int callPosition(int i) {
        return callPositions[i];
    }

    /** The index in {@link PythonFile#nodes()} of {@code functions().get(i)}. */
    public int functionPosition(int i) {
        return functionPositions[i];
    }
}
