package dev.kingsnake.internal.python;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The fast paths of {@link SourceDecoder} give what the plain versions they replace gave. */
class SourceDecoderPropertyTest {

    /** The checked decoder alone, as the method was first written: the text, or null where it reports an error. */
    private static String checkedUtf8(byte[] b, int offset) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, offset, b.length - offset)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Newlines normalised through a StringBuilder, as the method was first written. */
    private static String normalisedPlain(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r') {
                sb.append('\n');
                if (i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    @Provide
    Arbitrary<byte[]> sources() {
        Arbitrary<byte[]> piece = Arbitraries.oneOf(
                Arbitraries.of("x = 1", "\r", "\n", "\r\n", "é", "€", "\uFFFD", "\uFEFF", "\uD83D\uDE00", "中文", "\u0000")
                        .map(s -> s.getBytes(StandardCharsets.UTF_8)),
                // malformed and borderline sequences: lone continuation and lead bytes, overlong forms, encoded
                // surrogates, past U+10FFFF, truncated sequences
                Arbitraries.of(new byte[] {(byte) 0x80}, new byte[] {(byte) 0xC0, (byte) 0xAF},
                        new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, new byte[] {(byte) 0xED, (byte) 0xA0,
                            (byte) 0x80}, new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
                        new byte[] {(byte) 0xF0, (byte) 0x9F}, new byte[] {(byte) 0xE2, (byte) 0x82},
                        new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xC2}),
                Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(4));
        return piece.list().ofMaxSize(30).map(l -> {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            l.forEach(out::writeBytes);
            return out.toByteArray();
        });
    }

    @Property(tries = 5000)
    void utf8IsTheCheckedDecodingWhereThatSucceeds(@ForAll("sources") byte[] b) {
        for (int offset : new int[] {0, Math.min(1, b.length)}) {
            String checked = checkedUtf8(b, offset);
            String fast = SourceDecoder.utf8(b, offset);
            if (fast != null) {
                assertEquals(checked, fast);
            } else if (checked != null) {
                // left to the checked decoder: only a text that itself holds U+FFFD
                assertEquals(true, checked.indexOf('\uFFFD') >= 0, checked);
            }
        }
    }

    @Property(tries = 5000)
    void decodedTextIsTheCheckedDecodingNormalised(@ForAll("sources") byte[] b) {
        boolean bom = b.length >= 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF;
        String checked = checkedUtf8(b, bom ? 3 : 0);
        SourceDecoder.Decoded d = SourceDecoder.decode("a.py", b);
        if (checked != null) {
            assertEquals(normalisedPlain(checked), d.text());
            assertEquals(List.of(), d.diagnostics());
        } else {
            assertEquals(1, d.diagnostics().size());
        }
    }

    @Property(tries = 5000)
    void newlinesAsTheStringBuilderDid(@ForAll("sources") byte[] b) {
        String text = new String(b, StandardCharsets.UTF_8);
        assertEquals(normalisedPlain(text), SourceDecoder.normaliseNewlines(text));
    }

    @Test
    void malformedIsLeftToTheCheckedDecoder() {
        assertNull(SourceDecoder.utf8(new byte[] {'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80}, 0));
        assertEquals("a\n\nb\n", SourceDecoder.normaliseNewlines("a\r\n\rb\r"));
    }
}
