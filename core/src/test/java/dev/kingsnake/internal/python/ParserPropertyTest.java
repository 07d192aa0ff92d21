package dev.kingsnake.internal.python;

import dev.kingsnake.Limits;
import dev.kingsnake.spi.python.Nodes;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Whatever the input, parse() returns a module and the decoded text; it never throws. */
class ParserPropertyTest {

    private static final List<String> TOKENS = List.of(
            "def", "class", "if", "elif", "else", "for", "while", "try", "except", "finally", "with", "as",
            "import", "from", "return", "yield", "lambda", "not", "and", "or", "in", "is", "print", "exec",
            "match", "case", "type", "async", "await", "global", "nonlocal", "pass", "raise", "del", "assert",
            "x", "y", "os", "system", "_", "None", "True", "...", "0", "0x1F", "0777", "1.5e3", "3j", "10L",
            "'s'", "\"d\"", "'''t\n'''", "b'\\x00'", "r'\\d'", "u'u'", "ur'x'", "f'{x}'", "f'{x!r:>{w}}'",
            "f\"{d[\"k\"]}\"", "f'{", "'", "\"\"\"", "`", "(", ")", "[", "]", "{", "}", ",", ":", ";", ".", "=",
            "==", "+", "-", "*", "**", "/", "//", "%", "@", "<<", ">>", "&", "|", "^", "~", "<", ">", "<>",
            "!=", ":=", "->", "+=", "\\\n", "\n", "\n    ", "\n\t", "\r\n", "\r", "\f", " ", "  ", "#c\n", "$",
            "?", "!", "\u00e9", "\uD835\uDC1E", "\0");

    private final PythonParser parser = new PythonParser(Limits.builder().maxSyntaxNesting(50).build());

    @Provide
    Arbitrary<String> tokenSoup() {
        return Arbitraries.of(TOKENS).list().ofMaxSize(300).map(l -> String.join("", l));
    }

    @Property(tries = 400)
    void tokenSoupNeverThrows(@ForAll("tokenSoup") String src) {
        check(src.getBytes(StandardCharsets.UTF_8));
    }

    private static final String PROGRAM = "# -*- coding: utf-8 -*-\n"
            + "import os, base64 as b\n"
            + "from subprocess import (Popen,\n    PIPE)\n"
            + "@decorator(arg=1)\n"
            + "class Install(object):\n"
            + "    def run(self, *a, **k):\n"
            + "        if os.name == 'nt' and not k.get('x'):\n"
            + "            exec(b.b64decode('cHJpbnQoMSk=').decode())\n"
            + "        else:\n"
            + "            print >>f, `x`, [i ** 2 for i in range(10) if i % 2]\n"
            + "        try:\n"
            + "            s = f'{self!r:>{10}} {{}}' + r'\\d' 'x'\n"
            + "        except Exception, e:\n"
            + "            raise RuntimeError('bad') from e\n"
            + "        match s:\n"
            + "            case [a, *rest] if a: pass\n"
            + "            case _: lambda q=1: (yield q)\n"
            + "x = {k: v for k, v in zip('ab', b'cd')}; y = {*x}\n";

    @Provide
    Arbitrary<byte[]> mutatedProgram() {
        byte[] base = PROGRAM.getBytes(StandardCharsets.UTF_8);
        Arbitrary<Tuple.Tuple3<Integer, Integer, Byte>> edit = net.jqwik.api.Combinators.combine(
                Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, base.length - 1),
                Arbitraries.bytes()).as(Tuple::of);
        return edit.list().ofMinSize(1).ofMaxSize(12).map(edits -> {
            byte[] cur = base;
            for (Tuple.Tuple3<Integer, Integer, Byte> e : edits) {
                int at = Math.min(e.get2(), cur.length - 1);
                if (at < 0) {
                    break;
                }
                cur = switch (e.get1()) {
                    case 0 -> remove(cur, at);
                    case 1 -> insert(cur, at, e.get3());
                    default -> replace(cur, at, e.get3());
                };
            }
            return cur;
        });
    }

    @Property(tries = 400)
    void mutatedProgramsNeverThrow(@ForAll("mutatedProgram") byte[] src) {
        check(src);
    }

    @Property(tries = 200)
    void arbitraryBytesNeverThrow(@ForAll byte[] src) {
        check(src);
    }

    private void check(byte[] src) {
        ParseOutcome o = parser.parse("p.py", src);
        assertNotNull(o.module());
        assertNotNull(o.text());
        // Walking the whole model works and every node has a position.
        Nodes.walk(o.module(), n -> assertEquals(true, n.line() >= 1, n.toString()));
        // the walk visits the nodes the stack-of-a-deque walk it replaced visited, in the same order
        List<dev.kingsnake.spi.python.Node> walked = new java.util.ArrayList<>();
        Nodes.walk(o.module(), walked::add);
        List<dev.kingsnake.spi.python.Node> plain = plainWalk(o.module());
        assertEquals(plain.size(), walked.size());
        for (int i = 0; i < plain.size(); i++) {
            assertEquals(true, plain.get(i) == walked.get(i), "node " + i);
        }
    }

    /** Pre-order with an ArrayDeque as the stack, as Nodes.walk was first written. */
    private static List<dev.kingsnake.spi.python.Node> plainWalk(dev.kingsnake.spi.python.Node root) {
        List<dev.kingsnake.spi.python.Node> out = new java.util.ArrayList<>();
        java.util.Deque<dev.kingsnake.spi.python.Node> stack = new java.util.ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            dev.kingsnake.spi.python.Node n = stack.pop();
            out.add(n);
            List<? extends dev.kingsnake.spi.python.Node> kids = n.children();
            for (int i = kids.size() - 1; i >= 0; i--) {
                stack.push(kids.get(i));
            }
        }
        return out;
    }

    private static byte[] remove(byte[] b, int at) {
        byte[] out = new byte[b.length - 1];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, at + 1, out, at, b.length - at - 1);
        return out;
    }

    private static byte[] insert(byte[] b, int at, byte v) {
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, at);
        out[at] = v;
        System.arraycopy(b, at, out, at + 1, b.length - at);
        return out;
    }

    private static byte[] replace(byte[] b, int at, byte v) {
        byte[] out = b.clone();
        out[at] = v;
        return out;
    }
}
