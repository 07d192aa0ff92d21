package dev.kingsnake.rules.shared;

import dev.kingsnake.spi.facts.CallFacts;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Node;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Whether a value that is sent carries a secret by name: shared by the key-material and credential rules. */
public final class SecretValues {
    private static final int MAX_NODES = 2000;

    private SecretValues() {
    }

    private static final Set<String> CARRIERS = Set.of("str", "repr", "dict", "list", "tuple", "set", "json.dumps",
            "base64.b64encode", "base64.urlsafe_b64encode", "base64.b32encode", "binascii.hexlify", "bytes",
            "urllib.parse.urlencode", "urllib.parse.quote", "urllib.parse.quote_plus");

    private static boolean carries(CallFacts facts, Expr.Call call) {
        String qn = facts.file().calleeName(call).orElse("");
        if (CARRIERS.contains(qn)) {
            return true;
        }
        return call.callee() instanceof Expr.Attribute a
                && ("format".equals(a.attr()) || "encode".equals(a.attr()) || "decode".equals(a.attr())
                || "join".equals(a.attr()) || "hex".equals(a.attr()));
    }

    /** The first name matching {@code names} inside the expressions, following variables assigned in the same scope. */
    public static Optional<String> named(CallFacts facts, int scope, List<Expr> roots, Pattern names) {
        Deque<Node> stack = new ArrayDeque<>(roots);
        Set<String> followed = new HashSet<>();
        int seen = 0;
        while (!stack.isEmpty() && seen++ < MAX_NODES) {
            Node n = stack.pop();
            String id = null;
            if (n instanceof Expr.Name nm) {
                id = nm.id();
                if (!names.matcher(id).matches() && followed.add(id)) {
                    stack.addAll(facts.assignedIn(scope, id));
                }
            } else if (n instanceof Expr.Attribute a) {
                id = a.attr();
            } else if (n instanceof Expr.Dict d) {
                for (Expr.DictItem item : d.items()) {
                    Optional<String> k = item.key().flatMap(facts::text);
                    if (k.isPresent() && names.matcher(k.get()).matches()) {
                        return k;
                    }
                }
            }
            if (id != null && names.matcher(id).matches()) {
                return Optional.of(id);
            }
            if (n instanceof Expr.Lambda || n instanceof Expr.Call call && !carries(facts, call)) {
                continue; // a signature or hash derived from a key is not the key
            }
            for (Node k : n.children()) {
                stack.push(k);
            }
        }
        return Optional.empty();
    }
}
