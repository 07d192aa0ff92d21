package dev.kingsnake.internal.decode;

import dev.kingsnake.Limits;
import dev.kingsnake.internal.decode.marshal.MarshalFormat;
import dev.kingsnake.internal.decode.marshal.MarshalReader;
import dev.kingsnake.internal.python.ParseOutcome;
import dev.kingsnake.internal.python.PythonParser;
import dev.kingsnake.internal.python.semantic.SemanticModel;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The decoders on random, mutated and truncated payloads: every primitive either returns at most its
 * per-step bound or throws a DecodeException (never anything else), and the whole deobfuscator on a
 * program wrapping such a payload never throws and never produces more than the package budget.
 */
class DecoderPropertiesTest {
    private static final int BOUND = 64 * 1024;

    @FunctionalInterface
    interface Step {
        byte[] apply(byte[] in, OutputBound bound) throws DecodeException;
    }

    private static final List<Step> PRIMITIVES = List.of(
            BaseN::b64, BaseN::b64Urlsafe, (in, b) -> BaseN.b32(in, true, b), (in, b) -> BaseN.b16(in, true, b),
            BaseN::hex, BaseN::b85, BaseN::a85,
            (in, b) -> Decompression.zlib(in, 15, b), (in, b) -> Decompression.zlib(in, -15, b),
            (in, b) -> Decompression.zlib(in, 31, b), Decompression::gzip, Decompression::bz2, Decompression::lzma);

    private static void everyPrimitiveIsBounded(byte[] data) {
        for (int i = 0; i < PRIMITIVES.size(); i++) {
            OutputBound bound = OutputBound.of(BOUND);
            try {
                byte[] out = PRIMITIVES.get(i).apply(data, bound);
                assertTrue(out.length <= BOUND, "primitive " + i + " produced " + out.length + " bytes");
            } catch (DecodeException expected) {
                // invalid input or limit reached: the contract
            } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
                fail("primitive " + i + " threw " + e, e);
            }
        }
        try {
            MarshalReader.readAnyVersion(data);
            for (MarshalFormat f : MarshalFormat.values()) {
                try {
                    MarshalReader.read(data, 0, f);
                } catch (DecodeException expected) {
                    // not marshal data of that version
                }
            }
            try {
                BlindDecoder.peel(data, OutputBound.of(BOUND))
                        .ifPresent(o -> assertTrue(o.content().length <= BOUND, "blind peel: " + o.content().length));
            } catch (DecodeException cut) {
                // the bound was reached: reported as a limit, which is what the bound is for
            }
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            fail("marshal/blind decoding threw " + e, e);
        }
    }

    @Property(tries = 300)
    void randomBytesNeverBreakADecoder(@ForAll @Size(max = 2000) byte[] data) {
        everyPrimitiveIsBounded(data);
    }

    /** Valid encodings and compressions (some of them bombs far above the bound), then mutated and cut. */
    @Provide
    Arbitrary<byte[]> encoded() {
        Arbitrary<byte[]> plain = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(500),
                Arbitraries.integers().between(1, 200_000).map(n -> new byte[n]),
                Arbitraries.strings().ofMaxLength(300).map(s -> ("import os\nos.system('" + s + "')\n")
                        .getBytes(StandardCharsets.UTF_8)));
        Arbitrary<Integer> codec = Arbitraries.integers().between(0, 6);
        Arbitrary<byte[]> valid = Combinators.combine(plain, codec).as(DecoderPropertiesTest::encode);
        return Combinators.combine(valid, Arbitraries.integers().between(0, 8), Arbitraries.randomValue(r -> r))
                .as((bytes, flips, random) -> {
                    byte[] b = bytes.clone();
                    for (int i = 0; i < flips && b.length > 0; i++) {
                        b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                    }
                    if (b.length > 0 && random.nextBoolean()) {
                        b = java.util.Arrays.copyOf(b, random.nextInt(b.length));
                    }
                    return b;
                });
    }

    private static byte[] encode(byte[] plain, int codec) {
        try {
            return switch (codec) {
                case 0 -> Base64.getEncoder().encode(plain);
                case 1 -> Base64.getUrlEncoder().encode(plain);
                case 2 -> HexFormat.of().formatHex(plain).getBytes(StandardCharsets.US_ASCII);
                case 3 -> compress(plain, new Deflater(9, false));
                case 4 -> compress(plain, new Deflater(9, true));
                case 5 -> {
                    ByteArrayOutputStream bos = new ByteArrayOutputStream();
                    try (OutputStream gz = new GZIPOutputStream(bos)) {
                        gz.write(plain);
                    }
                    yield bos.toByteArray();
                }
                default -> Base64.getEncoder().encode(compress(plain, new Deflater(9, false)));
            };
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] compress(byte[] plain, Deflater deflater) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (OutputStream out = new DeflaterOutputStream(bos, deflater)) {
            out.write(plain);
        } finally {
            deflater.end();
        }
        return bos.toByteArray();
    }

    @Property(tries = 300)
    void mutatedAndTruncatedPayloadsNeverBreakADecoder(@ForAll("encoded") byte[] data) {
        everyPrimitiveIsBounded(data);
    }

    private static final Limits LIMITS = Limits.builder().maxDecodedBytesPerLayer(BOUND)
            .maxDecodedBytesPerPackage(4L * BOUND).build();
    private static final PythonParser PARSER = new PythonParser(LIMITS);
    private static final List<String> WRAPPERS = List.of(
            "import base64\nexec(base64.b64decode(%s))\n",
            "import zlib, base64\nexec(zlib.decompress(base64.b64decode(%s)))\n",
            "import marshal, zlib\nexec(marshal.loads(zlib.decompress(%s)))\n",
            "import codecs\nexec(codecs.decode(%s, 'hex'))\n",
            "_ = lambda __ : __import__('zlib').decompress(__import__('base64').b64decode(__[::-1]))\nexec((_)(%s))\n",
            "x = %s\ny = x[::-1]\nexec(bytes.fromhex(y).decode())\n");

    @Property(tries = 200)
    void theDeobfuscatorNeverThrowsAndStaysInItsBudget(@ForAll("encoded") byte[] payload,
                                                         @ForAll("wrapper") String wrapper) {
        String literal = "b'" + escape(payload) + "'";
        byte[] src = String.format(wrapper, literal).getBytes(StandardCharsets.UTF_8);
        ParseOutcome out = PARSER.parse("setup.py", src);
        SemanticModel file = new SemanticModel("setup.py", src, out.text(), out.module(), false, List.of(),
                Optional.empty(), LIMITS.maxDecodedBytesPerLayer());
        DecodeBudget budget = new DecodeBudget(LIMITS.maxDecodedBytesPerPackage());
        try {
            Deobfuscator.Result r = new Deobfuscator(LIMITS).peel(file, budget);
            long total = 0;
            for (DecodedLayer l : r.layers()) {
                assertTrue(l.content().length <= BOUND, "layer of " + l.content().length + " bytes");
                total += l.content().length;
            }
            assertTrue(total <= LIMITS.maxDecodedBytesPerPackage(), "layers total " + total);
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            fail("peel threw " + e, e);
        }
    }

    @Provide
    Arbitrary<String> wrapper() {
        return Arbitraries.of(WRAPPERS);
    }

    private static String escape(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 2);
        for (byte x : b) {
            int c = x & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '\\' && c != '\'') {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return sb.toString();
    }
}
