package dev.kingsnake.internal.decode;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The calls a pickle stream makes when loaded, read from its opcodes without unpickling: {@code GLOBAL} /
 * {@code STACK_GLOBAL} name a callable, {@code REDUCE}, {@code OBJ}, {@code INST} and {@code NEWOBJ} call it.
 * A pickle whose {@code REDUCE} calls {@code builtins.exec} on a string runs that string as Python; one that calls
 * {@code os.system} runs a shell command. The stack machine keeps str, bytes, ints, None, bools, tuples and lists
 * it can name, and an opaque marker for everything else.
 */
final class PickleCalls {
    /** Opcodes read from one stream at most; a stream is a few kilobytes in practice. */
    private static final int MAX_OPS = 1_000_000;
    private static final Object MARK = new Object();
    private static final Object OPAQUE = new Object();

    /** A callable by module and name, as {@code GLOBAL} names it. */
    record Global(String module, String name) {
        String qualified() {
            String m = module.equals("__builtin__") ? "builtins" : module.equals("posix") || module.equals("nt")
                    ? "os" : module;
            return m + "." + name;
        }
    }

    /** One call the stream makes: the callable and its positional arguments (str, bytes, Long, lists...). */
    record Call(Global callee, List<Object> args) {
        Call {
            args = java.util.Collections.unmodifiableList(new ArrayList<>(args));
        }
    }

    private PickleCalls() {
    }

    /** True when the bytes start like a pickle (a PROTO opcode of protocol 2 to 5). */
    static boolean looksLikePickle(byte[] b) {
        return b.length > 2 && (b[0] & 0xff) == 0x80 && b[1] >= 2 && b[1] <= 5;
    }

    /** The calls made while loading; empty when the stream is not a pickle this reader follows to STOP. */
    static Optional<List<Call>> read(byte[] b) {
        try {
            return Optional.of(new Machine(b).run());
        } catch (RuntimeException e) {
            // truncated or unknown opcode: not a stream we can tell anything about
            return Optional.empty();
        }
    }

    /**
     * What loading does, as Python: the source given to {@code exec}/{@code eval}/{@code compile} as it is, every
     * other call as {@code module.name(args)} after an import of its module; empty when the stream makes no call.
     */
    static Optional<String> asPython(List<Call> calls) {
        StringBuilder sb = new StringBuilder();
        for (Call c : calls) {
            String q = c.callee().qualified();
            if ((q.equals("builtins.exec") || q.equals("builtins.eval") || q.equals("builtins.compile"))
                    && !c.args().isEmpty() && c.args().get(0) instanceof String code) {
                sb.append(code).append('\n');
                continue;
            }
            int dot = q.lastIndexOf('.');
            String module = q.substring(0, dot);
            sb.append("import ").append(module).append('\n').append(q).append('(');
            for (int i = 0; i < c.args().size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(repr(c.args().get(i)));
            }
            sb.append(")\n");
        }
        return sb.length() == 0 ? Optional.empty() : Optional.of(sb.toString());
    }

    /** A Python literal for an argument; values the reader does not know (results of other calls) are None. */
    private static String repr(Object o) {
        if (o instanceof String s) {
            StringBuilder sb = new StringBuilder("'");
            s.codePoints().forEach(cp -> {
                if (cp == '\\' || cp == '\'') {
                    sb.append('\\').appendCodePoint(cp);
                } else if (cp < 0x20 || cp == 0x7f) {
                    sb.append(String.format("\\x%02x", cp));
                } else {
                    sb.appendCodePoint(cp);
                }
            });
            return sb.append('\'').toString();
        } else if (o instanceof byte[] b) {
            StringBuilder sb = new StringBuilder("b'");
            for (byte x : b) {
                int v = x & 0xff;
                sb.append(v >= 0x20 && v < 0x7f && v != '\\' && v != '\'' ? String.valueOf((char) v)
                        : String.format("\\x%02x", v));
            }
            return sb.append('\'').toString();
        } else if (o instanceof Long || o instanceof Boolean) {
            return o instanceof Boolean t ? (t ? "True" : "False") : o.toString();
        } else if (o instanceof List<?> l) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < l.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(repr(l.get(i)));
            }
            return sb.append(']').toString();
        }
        return "None";
    }

    private static final class Machine {
        private final byte[] b;
        private final List<Object> stack = new ArrayList<>();
        private final Map<Long, Object> memo = new HashMap<>();
        private final List<Call> calls = new ArrayList<>();
        private int pos;

        Machine(byte[] b) {
            this.b = b;
        }

        List<Call> run() {
            for (int ops = 0; ops < MAX_OPS; ops++) {
                int op = u8();
                switch (op) {
                    case 0x80 -> u8(); // PROTO
                    case 0x95 -> skip(8); // FRAME
                    case '.' -> {
                        return calls;
                    }
                    case 0x8c -> push(text(u8())); // SHORT_BINUNICODE
                    case 'X' -> push(text(len4())); // BINUNICODE
                    case 0x8d -> push(text(len8())); // BINUNICODE8
                    case 'U' -> push(latin(u8())); // SHORT_BINSTRING
                    case 'T' -> push(latin(len4())); // BINSTRING
                    case 'C' -> push(bytes(u8())); // SHORT_BINBYTES
                    case 'B' -> push(bytes(len4())); // BINBYTES
                    case 0x8e, 0x96 -> push(bytes(len8())); // BINBYTES8, BYTEARRAY8
                    case 'V' -> push(line()); // UNICODE (raw-unicode-escape; ASCII in practice)
                    case 'S' -> push(quoted(line())); // STRING
                    case 'J' -> push((long) (u8() | u8() << 8 | u8() << 16 | u8() << 24)); // BININT
                    case 'K' -> push((long) u8()); // BININT1
                    case 'M' -> push((long) (u8() | u8() << 8)); // BININT2
                    case 'I' -> push(intLine(line())); // INT
                    case 'L' -> push(intLine(line().replace("L", ""))); // LONG
                    case 0x8a -> push(long1(u8())); // LONG1
                    case 0x8b -> push(long1(len4())); // LONG4
                    case 'G' -> {
                        skip(8);
                        push(OPAQUE);
                    }
                    case 'F' -> {
                        line();
                        push(OPAQUE);
                    }
                    case 'N' -> push(null);
                    case 0x88 -> push(Boolean.TRUE);
                    case 0x89 -> push(Boolean.FALSE);
                    case 0x94 -> memo.put((long) memo.size(), peek()); // MEMOIZE
                    case 'p' -> memo.put(Long.parseLong(line().strip()), peek());
                    case 'q' -> memo.put((long) u8(), peek());
                    case 'r' -> memo.put((long) len4(), peek());
                    case 'g' -> push(memo.get(Long.parseLong(line().strip())));
                    case 'h' -> push(memo.get((long) u8()));
                    case 'j' -> push(memo.get((long) len4()));
                    case 'c' -> push(new Global(line(), line()));
                    case 0x93 -> { // STACK_GLOBAL
                        Object name = pop();
                        Object module = pop();
                        push(module instanceof String m && name instanceof String n ? new Global(m, n) : OPAQUE);
                    }
                    case '(' -> push(MARK);
                    case ')' -> push(List.of());
                    case ']', '}', 0x8f -> push(new ArrayList<>());
                    case 0x85 -> push(tuple(1));
                    case 0x86 -> push(tuple(2));
                    case 0x87 -> push(tuple(3));
                    case 't', 'l', 0x91 -> push(new ArrayList<>(popMark()));
                    case 'd' -> {
                        popMark();
                        push(OPAQUE);
                    }
                    case 'a' -> append(List.of(pop()));
                    case 'e', 0x90 -> append(popMark());
                    case 's' -> {
                        pop();
                        pop();
                    }
                    case 'u' -> popMark();
                    case '0' -> pop();
                    case '1' -> popMark();
                    case '2' -> push(peek());
                    case 'b' -> pop(); // BUILD: state set on the object below
                    case 'R' -> { // REDUCE
                        Object args = pop();
                        push(call(pop(), args));
                    }
                    case 0x81 -> { // NEWOBJ
                        Object args = pop();
                        push(call(pop(), args));
                    }
                    case 0x92 -> { // NEWOBJ_EX
                        pop();
                        Object args = pop();
                        push(call(pop(), args));
                    }
                    case 'o' -> { // OBJ: callable and arguments after the mark
                        List<Object> items = popMark();
                        push(items.isEmpty() ? OPAQUE : call(items.get(0), items.subList(1, items.size())));
                    }
                    case 'i' -> { // INST module\nname\n, arguments after the mark
                        Global g = new Global(line(), line());
                        push(call(g, popMark()));
                    }
                    case 'P' -> {
                        line();
                        push(OPAQUE);
                    }
                    case 'Q' -> {
                        pop();
                        push(OPAQUE);
                    }
                    case 0x82, 0x83, 0x84 -> { // EXT1, EXT2, EXT4: the extension registry is not ours to read
                        skip(op == 0x82 ? 1 : op == 0x83 ? 2 : 4);
                        push(OPAQUE);
                    }
                    case 0x97, 0x98 -> {
                        // NEXT_BUFFER, READONLY_BUFFER: out-of-band data we do not have
                    }
                    default -> throw new IllegalStateException("opcode " + op);
                }
            }
            throw new IllegalStateException("too many opcodes");
        }

        private Object call(Object callee, Object args) {
            if (callee instanceof Global g) {
                calls.add(new Call(g, args instanceof List<?> l ? new ArrayList<>(l) : List.of()));
            }
            return OPAQUE;
        }

        @SuppressWarnings("unchecked")
        private void append(List<Object> items) {
            if (peek() instanceof ArrayList<?> l) {
                ((ArrayList<Object>) l).addAll(items);
            }
        }

        private List<Object> tuple(int n) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                out.add(0, pop());
            }
            return out;
        }

        private List<Object> popMark() {
            int k = stack.size() - 1;
            while (stack.get(k) != MARK) {
                k--;
            }
            List<Object> items = new ArrayList<>(stack.subList(k + 1, stack.size()));
            stack.subList(k, stack.size()).clear();
            return items;
        }

        private void push(Object o) {
            stack.add(o);
        }

        private Object pop() {
            return stack.remove(stack.size() - 1);
        }

        private Object peek() {
            return stack.get(stack.size() - 1);
        }

        private int u8() {
            return b[pos++] & 0xff;
        }

        private int len4() {
            int n = u8() | u8() << 8 | u8() << 16 | u8() << 24;
            if (n < 0 || n > b.length - pos) {
                throw new IllegalStateException("length " + n);
            }
            return n;
        }

        private int len8() {
            long n = 0;
            for (int i = 0; i < 8; i++) {
                n |= (long) u8() << (8 * i);
            }
            if (n < 0 || n > b.length - pos) {
                throw new IllegalStateException("length " + n);
            }
            return (int) n;
        }

        private void skip(int n) {
            pos += n;
        }

        private byte[] bytes(int n) {
            if (n > b.length - pos) {
                throw new IllegalStateException("length " + n);
            }
            byte[] out = java.util.Arrays.copyOfRange(b, pos, pos + n);
            pos += n;
            return out;
        }

        private String text(int n) {
            return new String(bytes(n), StandardCharsets.UTF_8);
        }

        private String latin(int n) {
            return new String(bytes(n), StandardCharsets.ISO_8859_1);
        }

        private String line() {
            int start = pos;
            while (b[pos] != '\n') {
                pos++;
            }
            return new String(b, start, pos++ - start, StandardCharsets.ISO_8859_1);
        }

        private static Object intLine(String s) {
            String v = s.strip();
            return v.equals("00") ? Boolean.FALSE : v.equals("01") ? Boolean.TRUE : (Object) Long.parseLong(v);
        }

        private Object long1(int n) {
            byte[] le = bytes(n);
            byte[] be = new byte[n];
            for (int i = 0; i < n; i++) {
                be[i] = le[n - 1 - i];
            }
            BigInteger v = n == 0 ? BigInteger.ZERO : new BigInteger(be);
            return v.bitLength() < 64 ? (Object) v.longValue() : OPAQUE;
        }

        /** A protocol-0 {@code STRING} argument: a quoted Python literal with backslash escapes. */
        private static String quoted(String s) {
            String body = s.length() >= 2 ? s.substring(1, s.length() - 1) : s;
            StringBuilder sb = new StringBuilder(body.length());
            for (int i = 0; i < body.length(); i++) {
                char c = body.charAt(i);
                if (c == '\\' && i + 1 < body.length()) {
                    char n = body.charAt(++i);
                    switch (n) {
                        case 'n' -> sb.append('\n');
                        case 't' -> sb.append('\t');
                        case 'r' -> sb.append('\r');
                        case 'x' -> {
                            sb.append((char) Integer.parseInt(body.substring(i + 1, i + 3), 16));
                            i += 2;
                        }
                        default -> sb.append(n);
                    }
                } else {
                    sb.append(c);
                }
            }
            return sb.toString();
        }
    }
}
