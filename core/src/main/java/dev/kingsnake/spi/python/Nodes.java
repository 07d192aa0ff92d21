package dev.kingsnake.spi.python;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/** Tree walking without recursion, so that deep trees from hostile input cannot overflow the stack. */
public final class Nodes {
    private Nodes() {
    }

    /** Calls {@code visitor} on {@code root} and every node below it, in pre-order. */
    public static void walk(Node root, Consumer<Node> visitor) {
        Deque<Node> stack = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            visitor.accept(n);
            List<? extends Node> kids = n.children();
            for (int i = kids.size() - 1; i >= 0; i--) {
                stack.push(kids.get(i));
            }
        }
    }

    /** The dotted name of a Name/Attribute chain as written ({@code a.b.c}), or empty. */
    public static String dottedName(Expr e) {
        StringBuilder sb = new StringBuilder();
        Expr cur = e;
        while (cur instanceof Expr.Attribute a) {
            sb.insert(0, "." + a.attr());
            cur = a.value();
        }
        if (cur instanceof Expr.Name n) {
            return n.id() + sb;
        }
        return "";
    }
}
