package dev.kingsnake.internal.decode;

import java.util.Optional;
import java.util.Set;

/**
 * The text {@code str()} gives for a builtin function or class, which obfuscators slice to spell names without
 * writing them ({@code str(print)[11]} is {@code 'f'}). Only texts that every CPython 3 prints the same way.
 */
final class BuiltinText {
    private static final Set<String> FUNCTIONS = Set.of("abs", "all", "any", "ascii", "bin", "callable", "chr",
            "compile", "delattr", "dir", "divmod", "eval", "exec", "format", "getattr", "globals", "hasattr", "hash",
            "hex", "id", "input", "isinstance", "issubclass", "iter", "len", "locals", "max", "min", "next", "oct",
            "open", "ord", "pow", "print", "repr", "round", "setattr", "sorted", "sum", "vars", "__import__");
    private static final Set<String> CLASSES = Set.of("bool", "bytearray", "bytes", "classmethod", "complex", "dict",
            "enumerate", "filter", "float", "frozenset", "int", "list", "map", "memoryview", "object", "property",
            "range", "reversed", "set", "slice", "staticmethod", "str", "super", "tuple", "type", "zip");

    private BuiltinText() {
    }

    static Optional<String> of(String builtin) {
        if (FUNCTIONS.contains(builtin)) {
            return Optional.of("<built-in function " + builtin + ">");
        }
        return CLASSES.contains(builtin) ? Optional.of("<class '" + builtin + "'>") : Optional.empty();
    }
}
