package dev.kingsnake.spi;

import java.util.function.Function;

/**
 * A fact about one file: a name and how to compute it. {@link SourceFile#fact(FactKey)} computes it on first
 * use and keeps the result for as long as the scan of that file lasts, so every rule asking the same question
 * of the same file shares one answer. Keys compare by identity: declare each one once, as a constant.
 *
 * @param <T> what the fact is
 */
public final class FactKey<T> {
    private final String name;
    private final Function<SourceFile, T> compute;

    private FactKey(String name, Function<SourceFile, T> compute) {
        this.name = name;
        this.compute = compute;
    }

    /** A fact of any file of a package. */
    public static <T> FactKey<T> of(String name, Function<SourceFile, T> compute) {
        return new FactKey<>(name, compute);
    }

    /** A fact of a Python file; asking it of another kind of file is a programming error. */
    public static <T> FactKey<T> ofPython(String name, Function<PythonFile, T> compute) {
        return new FactKey<>(name, f -> {
            if (!(f instanceof PythonFile p)) {
                throw new IllegalArgumentException(name + " is a fact of Python files, not of " + f.path());
            }
            return compute.apply(p);
        });
    }

    /** Computes the fact for a file; {@link SourceFile#fact(FactKey)} implementations call it once per file. */
    public T computeFor(SourceFile file) {
        return compute.apply(file);
    }

    @Override
    public String toString() {
        return name;
    }
}
