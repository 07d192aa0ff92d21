package dev.kingsnake.spi.python;

import java.util.List;
import java.util.function.Consumer;

/** Tree walking without recursion, so that deep trees from hostile input cannot overflow the stack. */
public final class Nodes {
    private Nodes() {
    }

    /** Calls {@code visitor} on {@code root} and every node below it, in pre-order. */
    public static void walk(Node root, Consumer<Node> visitor) {
        // a plain array as the stack (ArrayDeque's push and pop were a third of a walk in the batch JVM)
        Node[] stack = new Node[16];
        int top = 0;
        stack[top++] = java.util.Objects.requireNonNull(root);
        while (top > 0) {
            Node n = stack[--top];
            stack[top] = null;
            visitor.accept(n);
            List<? extends Node> kids = n.children();
            int k = kids.size();
            if (top + k > stack.length) {
                stack = java.util.Arrays.copyOf(stack, Math.max(stack.length * 2, top + k));
            }
            for (int i = k - 1; i >= 0; i--) {
                stack[top++] = java.util.Objects.requireNonNull(kids.get(i));
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
