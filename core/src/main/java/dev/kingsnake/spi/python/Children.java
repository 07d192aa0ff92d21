package dev.kingsnake.spi.python;

import java.util.Arrays;
import java.util.List;

/**
 * Child lists of model nodes built in one array: {@link Node#children()} runs for every node of every walk,
 * and an {@code ArrayList} grown by {@code add}/{@code addAll} copied each part once more.
 */
final class Children {
    private Children() {
    }

    static List<Node> of(Node head, List<? extends Node> a) {
        Node[] out = new Node[1 + a.size()];
        out[0] = head;
        copy(a, out, 1);
        return Arrays.asList(out);
    }

    static List<Node> of(Node head, List<? extends Node> a, List<? extends Node> b) {
        Node[] out = new Node[1 + a.size() + b.size()];
        out[0] = head;
        copy(b, out, copy(a, out, 1));
        return Arrays.asList(out);
    }

    static List<Node> of(Node first, Node second, List<? extends Node> a, List<? extends Node> b) {
        Node[] out = new Node[2 + a.size() + b.size()];
        out[0] = first;
        out[1] = second;
        copy(b, out, copy(a, out, 2));
        return Arrays.asList(out);
    }

    static List<Node> of(List<? extends Node> a, List<? extends Node> b, List<? extends Node> c) {
        Node[] out = new Node[a.size() + b.size() + c.size()];
        copy(c, out, copy(b, out, copy(a, out, 0)));
        return Arrays.asList(out);
    }

    static List<Node> of(List<? extends Node> a, List<? extends Node> b, List<? extends Node> c,
                         List<? extends Node> d) {
        Node[] out = new Node[a.size() + b.size() + c.size() + d.size()];
        copy(d, out, copy(c, out, copy(b, out, copy(a, out, 0))));
        return Arrays.asList(out);
    }

    private static int copy(List<? extends Node> from, Node[] to, int at) {
        for (int i = 0, n = from.size(); i < n; i++) {
            to[at++] = from.get(i);
        }
        return at;
    }
}
