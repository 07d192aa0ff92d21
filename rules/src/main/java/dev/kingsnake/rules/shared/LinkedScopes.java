package dev.kingsnake.rules.shared;

import dev.kingsnake.spi.FactKey;
import dev.kingsnake.spi.facts.CallFacts;

import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A function and the functions of its file linked to it by calls: those it reaches and those that reach it. */
final class LinkedScopes {
    /**
     * Per file, each function's linked functions: asked by {@link DigestChecks} and {@link FixedEndpoints} for
     * every candidate call, and each answer walks the reach of every function of the file.
     */
    private static final FactKey<Map<Integer, Set<Integer>>> BY_SCOPE =
            FactKey.ofPython("functions linked by calls", file -> new ConcurrentHashMap<>());

    private LinkedScopes() {
    }

    static Set<Integer> of(CallFacts facts, int scope) {
        return facts.file().fact(BY_SCOPE).computeIfAbsent(scope, s -> Collections.unmodifiableSet(linked(facts, s)));
    }

    private static Set<Integer> linked(CallFacts facts, int scope) {
        Set<Integer> scopes = new HashSet<>(facts.reachable(scope));
        for (int s = 0; s < facts.scopeCount(); s++) {
            if (facts.reachable(s).contains(scope)) {
                scopes.add(s);
            }
        }
        return scopes;
    }
}
