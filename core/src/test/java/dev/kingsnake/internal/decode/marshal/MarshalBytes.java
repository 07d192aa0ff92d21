package dev.kingsnake.internal.decode.marshal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes marshal bytes from a byte-level description, following CPython's Python/marshal.c for each
 * code object layout, so that tests cover versions not installed on this machine.
 */
final class MarshalBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    MarshalBytes type(char c) {
        out.write(c);
        return this;
    }

    MarshalBytes typeRef(char c) {
        out.write(c | 0x80);
        return this;
    }

    MarshalBytes u8(int v) {
        out.write(v);
        return this;
    }

    MarshalBytes i32(int v) {
        out.write(v);
        out.write(v >> 8);
        out.write(v >> 16);
        out.write(v >> 24);
        return this;
    }

    /** 's' + length + bytes: bytes in Python 3, str in Python 2. */
    MarshalBytes bytes(String latin1) {
        byte[] b = latin1.getBytes(StandardCharsets.ISO_8859_1);
        type('s').i32(b.length);
        out.writeBytes(b);
        return this;
    }

    /** Python 2 interned string 't'. */
    MarshalBytes interned(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        type('t').i32(b.length);
        out.writeBytes(b);
        return this;
    }

    /** Python 3 short ascii 'z'. */
    MarshalBytes shortAscii(String s) {
        type('z').u8(s.length());
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
        return this;
    }

    /** Python 3 interned short ascii 'Z' with FLAG_REF (how names are written). */
    MarshalBytes name(String s) {
        typeRef('Z').u8(s.length());
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
        return this;
    }

    MarshalBytes unicode(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        type('u').i32(b.length);
        out.writeBytes(b);
        return this;
    }

    MarshalBytes smallTuple(int n) {
        return type(')').u8(n);
    }

    MarshalBytes tuple(int n) {
        return type('(').i32(n);
    }

    MarshalBytes ref(int index) {
        return type('r').i32(index);
    }

    MarshalBytes raw(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    byte[] toBytes() {
        return out.toByteArray();
    }

    /** A .pyc header for a magic number: 8, 12 or 16 bytes as the version requires. */
    static byte[] pycHeader(int magic, int headerLength) {
        byte[] h = new byte[headerLength];
        h[0] = (byte) magic;
        h[1] = (byte) (magic >> 8);
        h[2] = '\r';
        h[3] = '\n';
        return h;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
