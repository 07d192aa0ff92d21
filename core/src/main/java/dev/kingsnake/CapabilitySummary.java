package dev.kingsnake;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One capability a package has (process execution, network client, clipboard ...), summed over its findings.
 * Capabilities say what a package can do, not what it is judged to do: their findings weigh nothing in the
 * score (see README "Capabilities").
 *
 * @param id    the capability rule's id, {@code KS-CAP-...}
 * @param count how many findings of it the package has
 * @param reach the earliest moment any of them runs: install time before import time before called
 */
public record CapabilitySummary(String id, int count, Reach reach) {

    /** Every capability rule's id starts with this, and no other rule's does. */
    public static final String ID_PREFIX = "KS-CAP-";

    public CapabilitySummary {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(reach, "reach");
    }

    /** True when the finding is a capability, not evidence of a behaviour. */
    public static boolean isCapability(Finding f) {
        return f.ruleId().startsWith(ID_PREFIX);
    }

    /** The capabilities among {@code findings}, sorted by id. */
    public static List<CapabilitySummary> of(List<Finding> findings) {
        Map<String, CapabilitySummary> byId = new TreeMap<>();
        for (Finding f : findings) {
            if (isCapability(f)) {
                byId.merge(f.ruleId(), new CapabilitySummary(f.ruleId(), 1, f.reach()),
                        (a, b) -> new CapabilitySummary(a.id(), a.count() + b.count(), earlier(a.reach(), b.reach())));
            }
        }
        return List.copyOf(new ArrayList<>(byId.values()));
    }

    /** {@link Reach} is declared from the earliest moment (install time) to the latest (called, unknown). */
    private static Reach earlier(Reach a, Reach b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
