package dev.kingsnake.internal.python.semantic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kingsnake.spi.python.Const;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The docstrings of builtins, which obfuscators index to spell names without writing them
 * ({@code abs.__doc__[8]} is {@code 't'}). Docstrings change between CPython versions, so only what is the same on
 * every version measured counts: the prefix all of them share ({@code builtin-docs.json}, taken from CPython
 * 3.6 to 3.13). An index or slice inside that prefix is a constant; one past it is unknown, and so is anything
 * counted from the end unless the whole docstring is the same everywhere.
 */
public final class BuiltinDocs {
    private record Doc(String text, boolean whole) {
    }

    private static final Map<String, Doc> DOCS = load();

    private BuiltinDocs() {
    }

    private static Map<String, Doc> load() {
        try (InputStream in = BuiltinDocs.class.getResourceAsStream("builtin-docs.json")) {
            if (in == null) {
                throw new IllegalStateException("builtin-docs.json missing from the class path");
            }
            Map<String, Doc> out = new HashMap<>();
            JsonNode docs = new ObjectMapper().readTree(in).get("docs");
            docs.fields().forEachRemaining(e -> out.put(e.getKey(),
                    new Doc(e.getValue().get("text").asText(), e.getValue().get("whole").asBoolean())));
            return Map.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The builtin type whose docstring a literal's {@code __doc__} is ({@code ''.__doc__} is {@code str}'s). */
    public static Optional<String> typeOf(Const literal) {
        if (literal instanceof Const.Str) {
            return Optional.of("str");
        } else if (literal instanceof Const.Bytes) {
            return Optional.of("bytes");
        } else if (literal instanceof Const.Int) {
            return Optional.of("int");
        } else if (literal instanceof Const.Seq s) {
            return Optional.of(s.kind().name().toLowerCase(java.util.Locale.ROOT));
        }
        return Optional.empty();
    }

    /** {@code builtin.__doc__[index]}, when every CPython version measured gives the same character. */
    public static Optional<Const> index(String builtin, Const index) {
        Doc doc = DOCS.get(builtin);
        Integer i = index == null ? null : ConstOps.smallInt(index);
        if (doc == null || i == null || !doc.whole() && (i < 0 || i >= doc.text().length())) {
            return Optional.empty();
        }
        return Optional.ofNullable(ConstOps.index(new Const.Str(doc.text()), index));
    }

    /**
     * {@code builtin.__doc__[lower:upper:step]} (null or None bounds omitted), when it only reads the shared prefix: a
     * positive step and bounds from the start inside it, or any slice of a docstring that never changed.
     */
    public static Optional<Const> slice(String builtin, Const lower, Const upper, Const step) {
        Doc doc = DOCS.get(builtin);
        if (doc == null) {
            return Optional.empty();
        }
        lower = lower instanceof Const.None ? null : lower;
        upper = upper instanceof Const.None ? null : upper;
        step = step instanceof Const.None ? null : step;
        if (!doc.whole()) {
            Integer lo = lower == null ? Integer.valueOf(0) : ConstOps.smallInt(lower);
            Integer hi = upper == null ? null : ConstOps.smallInt(upper);
            Integer st = step == null ? Integer.valueOf(1) : ConstOps.smallInt(step);
            if (lo == null || hi == null || st == null || st <= 0 || lo < 0 || hi < 0 || hi > doc.text().length()) {
                return Optional.empty();
            }
        }
        return Optional.ofNullable(ConstOps.slice(new Const.Str(doc.text()), lower, upper, step));
    }
}
