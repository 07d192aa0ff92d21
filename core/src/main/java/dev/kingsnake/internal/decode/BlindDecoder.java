package dev.kingsnake.internal.decode;

import dev.kingsnake.internal.decode.marshal.MarshalReader;
import dev.kingsnake.internal.decode.marshal.PyObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decodes a blob whose decoding code we cannot see (a string constant inside marshalled bytecode, say) by
 * recognising each layer's format: base64 or hex text, zlib/gzip/bz2/xz magic, marshal code. Only accepts a
 * result that ends in Python source or a code object, so random text never turns into a "payload".
 */
final class BlindDecoder {
    private static final int MAX_STEPS = 8;
    private static final int MIN_BLOB = 64;

    /** The decoded content (source text or a code object) and the steps that led to it. */
    record Outcome(byte[] content, Optional<PyObject> code, List<String> steps) {
    }

    private BlindDecoder() {
    }

    static Optional<Outcome> peel(byte[] blob, OutputBound bound) {
        List<String> steps = new ArrayList<>();
        byte[] cur = blob;
        for (int i = 0; i < MAX_STEPS; i++) {
            if (i > 0 && PayloadText.looksLikePython(cur)) {
                return Optional.of(new Outcome(cur, Optional.empty(), steps));
            }
            Optional<byte[]> next = Optional.empty();
            String step = null;
            try {
                if (isZlib(cur)) {
                    next = Optional.of(Decompression.zlib(cur, 15, bound));
                    step = "zlib";
                } else if (cur.length > 2 && (cur[0] & 0xff) == 0x1f && (cur[1] & 0xff) == 0x8b) {
                    next = Optional.of(Decompression.gzip(cur, bound));
                    step = "gzip";
                } else if (cur.length > 3 && cur[0] == 'B' && cur[1] == 'Z' && cur[2] == 'h') {
                    next = Optional.of(Decompression.bz2(cur, bound));
                    step = "bz2";
                } else if (cur.length > 6 && (cur[0] & 0xff) == 0xfd && cur[1] == '7' && cur[2] == 'z') {
                    next = Optional.of(Decompression.lzma(cur, bound));
                    step = "lzma";
                } else if (isHex(cur)) {
                    next = Optional.of(BaseN.hex(cur, bound));
                    step = "hex";
                } else if (isBase64(cur)) {
                    next = Optional.of(BaseN.b64Urlsafe(cur, bound));
                    step = "base64";
                } else if (i > 0 && cur.length > 16 && ((cur[0] & 0x7f) == 'c')) {
                    Optional<MarshalReader.Read> r = MarshalReader.readAnyVersion(cur);
                    if (r.isPresent()) {
                        steps.add("marshal " + r.get().format().versions());
                        return Optional.of(new Outcome(cur, Optional.of(r.get().object()), steps));
                    }
                }
            } catch (DecodeException e) {
                return Optional.empty();
            }
            if (next.isEmpty()) {
                return Optional.empty();
            }
            steps.add(step + "?");
            cur = next.get();
        }
        return Optional.empty();
    }

    private static boolean isZlib(byte[] b) {
        return b.length > 2 && (b[0] & 0x0f) == 8 && ((b[0] & 0xff) << 8 | (b[1] & 0xff)) % 31 == 0
                && (b[0] & 0xff) >> 4 <= 7;
    }

    static boolean isHex(byte[] b) {
        int n = 0;
        for (byte x : b) {
            if (BaseN.isSpace(x)) {
                continue;
            }
            if (Character.digit(x & 0xff, 16) < 0) {
                return false;
            }
            n++;
        }
        return n >= MIN_BLOB && n % 2 == 0;
    }

    static boolean isBase64(byte[] b) {
        int n = 0;
        for (byte x : b) {
            if (BaseN.isSpace(x)) {
                continue;
            }
            boolean ok = x >= 'A' && x <= 'Z' || x >= 'a' && x <= 'z' || x >= '0' && x <= '9' || x == '+' || x == '/'
                    || x == '-' || x == '_' || x == '=';
            if (!ok) {
                return false;
            }
            n++;
        }
        return n >= MIN_BLOB;
    }
}
