package dev.kingsnake.rules.shared;

import dev.kingsnake.spi.facts.CallFacts;

import java.util.HashSet;
import java.util.Set;

/** A function and the functions of its file linked to it by calls: those it reaches and those that reach it. */
final class LinkedScopes {

    private LinkedScopes() {
    }

    static Set<Integer> of(CallFacts facts, int scope) {
        Set<Integer> scopes = new HashSet<>(facts.reachable(scope));
        for (int s = 0; s < facts.scopeCount(); s++) {
            if (facts.reachable(s).contains(scope)) {
                scopes.add(s);
            }
        }
        return scopes;
    }
}
