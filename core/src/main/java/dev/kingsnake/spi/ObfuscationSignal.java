package dev.kingsnake.spi;

/**
 * A recognised trace of a public Python obfuscator or protector in one file, whether or not its payload can be
 * decoded: a runtime marker the tool leaves or a code shape only such tools produce. See
 * {@link PythonFile#obfuscationSignals()}.
 *
 * @param kind     what was recognised
 * @param line     where (1-based; 0 for the file as a whole)
 * @param evidence a short human-readable description of what was seen
 */
public record ObfuscationSignal(Kind kind, int line, String evidence) {

    /** The techniques recognised. */
    public enum Kind {
        /** PyArmor: {@code __pyarmor__(...)}, {@code pyarmor_runtime}, {@code pytransform}; also shipped legitimately. */
        PYARMOR,
        /** A tool's self-declaration: {@code __obfuscator__ = ...}, {@code __VareObfuscator__}, "Obfuscated with". */
        DECLARED_OBFUSCATOR,
        /** pyobfuscate-style {@code _ = lambda __: __import__('zlib').decompress(...)} decoder lambdas. */
        DECODER_LAMBDA,
        /** Identifiers made only of look-alike characters (IlIl..., O0O0..., ______) used in bulk. */
        CONFUSABLE_NAMES,
        /** Builtins fetched by computed names: {@code getattr(__builtins__, ''.join(chr(...)))}, {@code eval("\x65..")}. */
        HIDDEN_BUILTINS,
        /** Kramer-style class whose methods are annotated {@code -> exec}. */
        EXEC_ANNOTATED_CLASS
    }
}
