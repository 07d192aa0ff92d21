package dev.kingsnake.internal.python;

import dev.kingsnake.DiagnosticCode;
import dev.kingsnake.Limits;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PEP 263 declarations, BOMs and undecodable bytes. */
class EncodingTest {

    private final PythonParser parser = new PythonParser(Limits.defaults());

    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof String s) {
                out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
            } else {
                out.writeBytes((byte[]) p);
            }
        }
        return out.toByteArray();
    }

    private String stmts(ParseOutcome o) {
        return ModelPrinter.stmts(o.module().body());
    }

    @Test
    void utf8ByDefault() {
        ParseOutcome o = parser.parse("a.py", "x = 'é€'\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("x = 'é€'", stmts(o));
        assertEquals(List.of(), o.diagnostics());
    }

    @Test
    void utf8BomIsStripped() {
        ParseOutcome o = parser.parse("a.py", bytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                "x = '", "é".getBytes(StandardCharsets.UTF_8), "'\n"));
        assertEquals("x = 'é'", stmts(o));
        assertEquals("x = 'é'\n", o.text());
        assertEquals(List.of(), o.diagnostics());
    }

    @Test
    void latin1Declaration() {
        ParseOutcome o = parser.parse("a.py", bytes("# -*- coding: latin-1 -*-\nx = '\u00e9'\n"));
        assertEquals("x = 'é'", stmts(o));
        assertEquals(List.of(), o.diagnostics());
    }

    @Test
    void cp1252DeclarationOnSecondLineAfterShebang() {
        ParseOutcome o = parser.parse("a.py", bytes("#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\n",
                "x = '", new byte[] {(byte) 0x80}, "'\n"));
        assertEquals("x = '€'", stmts(o));
        assertEquals(List.of(), o.diagnostics());
    }

    @Test
    void utf8SigDeclaration() {
        ParseOutcome o = parser.parse("a.py", bytes("# coding: utf-8-sig\nx = '",
                "é".getBytes(StandardCharsets.UTF_8), "'\n"));
        assertEquals("x = 'é'", stmts(o));
    }

    @Test
    void otherEncodingsThroughJavaCharsets() {
        ParseOutcome o = parser.parse("a.py", bytes("# coding: shift_jis\nx = '",
                "日本".getBytes(Charset.forName("Shift_JIS")), "'\n"));
        assertEquals("x = '日本'", stmts(o));
        assertEquals(List.of(), o.diagnostics());
    }

    @Test
    void declarationAfterCodeIsIgnored() {
        ParseOutcome o = parser.parse("a.py", bytes("x = 1\n# coding: latin-1\ny = '",
                "é".getBytes(StandardCharsets.UTF_8), "'\n"));
        assertEquals("x = 1; y = 'é'", stmts(o));
    }

    @Test
    void undecodableBytesGiveEncodingErrorAndALenientDecode() {
        ParseOutcome o = parser.parse("a.py", bytes("x = '", new byte[] {(byte) 0xff, (byte) 0xfe}, "'\ny = 2\n"));
        assertEquals("x = '\uFFFD\uFFFD'; y = 2", stmts(o));
        assertEquals(1, o.diagnostics().size());
        assertEquals(DiagnosticCode.ENCODING_ERROR, o.diagnostics().get(0).code());
        assertTrue(o.diagnostics().get(0).message().contains("byte 5"), o.diagnostics().get(0).message());
    }

    @Test
    void unknownEncodingIsReportedAndReadAsUtf8() {
        ParseOutcome o = parser.parse("a.py", bytes("# coding: klingon-9\nx = 1\n"));
        assertEquals("x = 1", stmts(o));
        assertEquals(DiagnosticCode.ENCODING_ERROR, o.diagnostics().get(0).code());
    }

    @Test
    void asciiDeclarationWithNonAsciiBytes() {
        ParseOutcome o = parser.parse("a.py", bytes("# coding: ascii\nx = '", new byte[] {(byte) 0xe9}, "'\n"));
        assertEquals(DiagnosticCode.ENCODING_ERROR, o.diagnostics().get(0).code());
        assertEquals("x = '\uFFFD'", stmts(o));
    }
}
