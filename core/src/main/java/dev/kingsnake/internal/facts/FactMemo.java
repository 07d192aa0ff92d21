package dev.kingsnake.internal.facts;

import dev.kingsnake.spi.FactKey;
import dev.kingsnake.spi.SourceFile;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The facts computed so far about one file. Each file the engine builds for a scan owns one, so a fact lives
 * exactly as long as the file it describes: nothing outlives the scan, and no cache is shared between scans.
 * A fact may ask for other facts of the same file while it is computed (the lock is reentrant).
 */
public final class FactMemo {
    private final Map<FactKey<?>, Object> known = new IdentityHashMap<>();

    /** The fact for {@code file}, computed on the first call for that key. */
    public synchronized <T> T get(FactKey<T> key, SourceFile file) {
        @SuppressWarnings("unchecked")
        T value = (T) known.get(key);
        if (value == null && !known.containsKey(key)) {
            value = key.computeFor(file);
            known.put(key, value);
        }
        return value;
    }
}
