package dev.kingsnake.internal.python;

import dev.kingsnake.Diagnostic;
import dev.kingsnake.DiagnosticCode;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bytes to text the way CPython reads a source file: a UTF-8 BOM, else a PEP 263 declaration in
 * the first two lines, else UTF-8. Undecodable bytes never stop the scan: they become U+FFFD and an
 * ENCODING_ERROR diagnostic. Line endings are normalised to {@code \n} (CPython's universal
 * newlines), so every later stage counts lines the same way.
 */
final class SourceDecoder {

    /** PEP 263: {@code coding[:=]\s*([-\w.]+)} in a comment line. */
    private static final Pattern CODING = Pattern.compile("^[ \\t\\f]*#.*?coding[:=][ \\t]*([-\\w.]+)");

    /** Python codec names Java does not know by that spelling. */
    private static final Map<String, String> PYTHON_ALIASES = Map.ofEntries(
            Map.entry("latin-1", "ISO-8859-1"),
            Map.entry("latin1", "ISO-8859-1"),
            Map.entry("l1", "ISO-8859-1"),
            Map.entry("iso-latin-1", "ISO-8859-1"),
            Map.entry("utf8", "UTF-8"),
            Map.entry("utf-8-sig", "UTF-8"),
            Map.entry("utf8-sig", "UTF-8"),
            Map.entry("u8", "UTF-8"),
            Map.entry("cp65001", "UTF-8"),
            Map.entry("ascii", "US-ASCII"),
            Map.entry("us-ascii", "US-ASCII"),
            Map.entry("cp936", "GBK"),
            Map.entry("euc-kr", "EUC-KR"),
            Map.entry("mbcs", "windows-1252"));

    private SourceDecoder() {
    }

    record Decoded(String text, List<Diagnostic> diagnostics) {
    }

    static Decoded decode(String path, byte[] bytes) {
        int offset = 0;
        Charset charset = StandardCharsets.UTF_8;
        Diagnostic problem = null;
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB
                && (bytes[2] & 0xff) == 0xBF) {
            offset = 3;
        } else {
            String declared = declaredEncoding(bytes);
            if (declared != null) {
                Charset c = lookup(declared);
                if (c == null) {
                    problem = new Diagnostic(DiagnosticCode.ENCODING_ERROR, path,
                            "unknown source encoding '" + declared + "', read as UTF-8");
                } else {
                    charset = c;
                }
            }
        }
        String text = charset == StandardCharsets.UTF_8 ? utf8(bytes, offset) : null;
        if (text != null) {
            text = normaliseNewlines(text);
            return new Decoded(text, problem == null ? List.of() : List.of(problem));
        }
        try {
            text = charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, bytes.length - offset))
                    .toString();
        } catch (CharacterCodingException e) {
            text = lenient(charset, bytes, offset);
            if (problem == null) {
                problem = new Diagnostic(DiagnosticCode.ENCODING_ERROR, path,
                        "bytes not valid " + charset.name() + " (near byte " + firstBadByte(charset, bytes, offset)
                                + "), undecodable bytes replaced");
            }
        }
        text = normaliseNewlines(text);
        return new Decoded(text, problem == null ? List.of() : List.of(problem));
    }

    /** The encoding named in a PEP 263 comment on line 1, or on line 2 after a comment/blank line 1. */
    static String declaredEncoding(byte[] bytes) {
        int lineStart = 0;
        for (int line = 0; line < 2 && lineStart < bytes.length; line++) {
            int end = lineStart;
            while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r' && end - lineStart < 400) {
                end++;
            }
            String text = new String(bytes, lineStart, end - lineStart, StandardCharsets.ISO_8859_1);
            Matcher m = CODING.matcher(text);
            if (m.find()) {
                return m.group(1);
            }
            String trimmed = text.strip();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                return null;
            }
            lineStart = end;
            if (lineStart < bytes.length && bytes[lineStart] == '\r') {
                lineStart++;
            }
            if (lineStart < bytes.length && bytes[lineStart] == '\n') {
                lineStart++;
            }
        }
        return null;
    }

    static Charset lookup(String name) {
        String n = name.toLowerCase(Locale.ROOT).replace('_', '-');
        String alias = PYTHON_ALIASES.get(n);
        if (alias != null) {
            return Charset.forName(alias);
        }
        if (n.startsWith("utf-8")) {
            return StandardCharsets.UTF_8;
        }
        if (n.startsWith("latin-1") || n.startsWith("iso-8859-1-") || n.startsWith("iso-latin-1")) {
            return StandardCharsets.ISO_8859_1;
        }
        try {
            return Charset.forName(n);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String lenient(Charset charset, byte[] bytes, int offset) {
        try {
            CharBuffer out = charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(bytes, offset, bytes.length - offset));
            return out.toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, offset, bytes.length - offset, StandardCharsets.ISO_8859_1);
        }
    }

    private static int firstBadByte(Charset charset, byte[] bytes, int offset) {
        ByteBuffer in = ByteBuffer.wrap(bytes, offset, bytes.length - offset);
        CharBuffer out = CharBuffer.allocate(8192);
        var decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        while (true) {
            var result = decoder.decode(in, out, true);
            if (result.isError()) {
                return in.position();
            }
            if (result.isUnderflow()) {
                return in.position();
            }
            out.clear();
        }
    }

    /**
     * The bytes from {@code offset} as UTF-8 when they are valid UTF-8, else null (the checked decoder then says
     * where they are not). The String constructor decodes by the same rules as the checked decoder and replaces
     * each malformed sequence with U+FFFD: a text without U+FFFD had none, and is what the checked decoder would
     * give, without its intermediate buffer of chars. A text that holds U+FFFD is left to the checked decoder.
     */
    static String utf8(byte[] bytes, int offset) {
        String s = new String(bytes, offset, bytes.length - offset, StandardCharsets.UTF_8);
        return s.indexOf('\uFFFD') < 0 ? s : null;
    }

    /** Every CR LF and lone CR as LF; one pass over the chars (no StringBuilder call per character). */
    static String normaliseNewlines(String text) {
        int first = text.indexOf('\r');
        if (first < 0) {
            return text;
        }
        char[] cs = text.toCharArray();
        int n = cs.length;
        int w = first;
        for (int i = first; i < n; i++) {
            char c = cs[i];
            if (c == '\r') {
                cs[w++] = '\n';
                if (i + 1 < n && cs[i + 1] == '\n') {
                    i++;
                }
            } else {
                cs[w++] = c;
            }
        }
        return new String(cs, 0, w);
    }
}
