package dev.kingsnake.rules.shared;

import dev.kingsnake.spi.facts.CallFacts;
import dev.kingsnake.spi.python.Expr;
import dev.kingsnake.spi.python.Node;

import java.util.HashSet;
import java.util.Set;

/**
 * Whether code checks what it downloaded against a pinned digest before use
 * ({@code if hashlib.sha256(data).hexdigest() != SHA256: sys.exit(1)}): build scripts that fetch a toolchain
 * binary pin its hash; a dropper has no reason to. Looked for in the function, the functions of the file it calls
 * and those that lead to it: a digest computed there and compared with {@code ==}/{@code !=}.
 */
public final class DigestChecks {
    private static final Set<String> DIGEST_METHODS = Set.of("hexdigest", "digest");

    private DigestChecks() {
    }

    /** True when {@code scope} or a function of the file linked to it by calls compares a computed digest. */
    public static boolean pinned(CallFacts facts, int scope) {
        Set<Integer> scopes = LinkedScopes.of(facts, scope);
        Set<Expr> digests = new HashSet<>();
        for (CallFacts.CallFact c : facts.calls()) {
            if (scopes.contains(c.scope()) && DIGEST_METHODS.contains(c.method())) {
                digests.add(c.call());
            }
        }
        if (digests.isEmpty()) {
            return false;
        }
        for (Node n : facts.file().nodes()) {
            if (n instanceof Expr.Compare cmp && cmp.ops().stream().anyMatch(op -> op.equals("==") || op.equals("!="))) {
                if (isDigest(cmp.left(), digests, facts, scopes) || cmp.comparators().stream()
                        .anyMatch(e -> isDigest(e, digests, facts, scopes))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The digest call itself, or a name one of the linked functions assigns from it. */
    private static boolean isDigest(Expr e, Set<Expr> digests, CallFacts facts, Set<Integer> scopes) {
        if (e instanceof Expr.Call c) {
            return digests.contains(c);
        }
        if (e instanceof Expr.Name n) {
            for (int s : scopes) {
                if (facts.assignedIn(s, n.id()).stream().anyMatch(v -> v instanceof Expr.Call c && digests.contains(c))) {
                    return true;
                }
            }
        }
        return false;
    }
}
