package dev.kingsnake.internal.python.semantic;

import java.util.Set;

/** Names that resolve to the builtins module when no binding in the file shadows them. */
final class Builtins {
    private Builtins() {
    }

    private static final Set<String> NAMES = Set.of(
            "__build_class__", "__import__", "abs", "aiter", "all", "anext", "any", "ascii", "bin", "bool",
            "breakpoint", "bytearray", "bytes", "callable", "chr", "classmethod", "compile", "complex", "copyright",
            "credits", "delattr", "dict", "dir", "divmod", "enumerate", "eval", "exec", "exit", "filter", "float",
            "format", "frozenset", "getattr", "globals", "hasattr", "hash", "help", "hex", "id", "input", "int",
            "isinstance", "issubclass", "iter", "len", "license", "list", "locals", "map", "max", "memoryview",
            "min", "next", "object", "oct", "open", "ord", "pow", "print", "property", "quit", "range", "repr",
            "reversed", "round", "set", "setattr", "slice", "sorted", "staticmethod", "str", "sum", "super",
            "tuple", "type", "vars", "zip",
            // Python 2 builtins, still common in old malware
            "execfile", "raw_input", "unicode", "unichr", "long", "basestring", "xrange", "reload", "file",
            "apply", "buffer", "cmp", "coerce", "intern",
            // exceptions and warnings
            "ArithmeticError", "AssertionError", "AttributeError", "BaseException", "BaseExceptionGroup",
            "BlockingIOError", "BrokenPipeError", "BufferError", "BytesWarning", "ChildProcessError",
            "ConnectionAbortedError", "ConnectionError", "ConnectionRefusedError", "ConnectionResetError",
            "DeprecationWarning", "EOFError", "EncodingWarning", "EnvironmentError", "Exception", "ExceptionGroup",
            "FileExistsError", "FileNotFoundError", "FloatingPointError", "FutureWarning", "GeneratorExit",
            "IOError", "ImportError", "ImportWarning", "IndentationError", "IndexError", "InterruptedError",
            "IsADirectoryError", "KeyError", "KeyboardInterrupt", "LookupError", "MemoryError",
            "ModuleNotFoundError", "NameError", "NotADirectoryError", "NotImplemented", "NotImplementedError",
            "OSError", "OverflowError", "PendingDeprecationWarning", "PermissionError", "ProcessLookupError",
            "RecursionError", "ReferenceError", "ResourceWarning", "RuntimeError", "RuntimeWarning",
            "StopAsyncIteration", "StopIteration", "SyntaxError", "SyntaxWarning", "SystemError", "SystemExit",
            "TabError", "TimeoutError", "TypeError", "UnboundLocalError", "UnicodeDecodeError",
            "UnicodeEncodeError", "UnicodeError", "UnicodeTranslateError", "UnicodeWarning", "UserWarning",
            "ValueError", "Warning", "ZeroDivisionError");

    static boolean isBuiltin(String name) {
        return NAMES.contains(name);
    }

    /**
     * Joins an attribute to a resolved name, folding the builtins module away: {@code builtins.exec}
     * and {@code __builtin__.exec} (Python 2) are just {@code exec}.
     */
    static String join(String qualified, String attr) {
        if (isBuiltinsModule(qualified)) {
            return attr;
        }
        return qualified + "." + attr;
    }

    static boolean isBuiltinsModule(String qualified) {
        return qualified.equals("builtins") || qualified.equals("__builtin__");
    }

    /** {@code builtins.exec} as written in an import becomes {@code exec}. */
    static String normalize(String qualified) {
        int dot = qualified.indexOf('.');
        if (dot > 0 && isBuiltinsModule(qualified.substring(0, dot))) {
            return qualified.substring(dot + 1);
        }
        return qualified;
    }
}
