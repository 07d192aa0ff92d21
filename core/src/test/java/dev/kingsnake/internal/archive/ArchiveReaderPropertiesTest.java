package dev.kingsnake.internal.archive;

import dev.kingsnake.Diagnostic;
import dev.kingsnake.Limits;
import dev.kingsnake.PackageKind;
import dev.kingsnake.internal.archive.TestArchives.Member;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random, mutated and truncated input never throws out of {@link ArchiveReader#read}, never exceeds a
 * limit, and always gives a result that explains itself.
 */
class ArchiveReaderPropertiesTest {
    static final Limits TIGHT = Limits.builder().maxTotalBytes(256 * 1024).maxEntryBytes(48 * 1024).maxEntries(40)
            .maxNestingDepth(2).maxPathLength(120).maxCompressionRatio(20).build();

    /** Small valid archives of every format the reader knows, as starting points for mutation. */
    static final List<byte[]> SEEDS = seeds();

    static List<byte[]> seeds() {
        List<Member> members = new ArrayList<>();
        members.add(Member.dir("demo-1.0"));
        members.add(Member.executable("demo-1.0/setup.py", "from setuptools import setup\nsetup(name='demo')\n"));
        members.add(Member.file("demo-1.0/demo/__init__.py", "import os\nprint(os.name)\n".repeat(20)));
        members.add(Member.file("demo-1.0/data/zeros.bin", new byte[40_000]));
        members.add(Member.symlink("demo-1.0/link", "../../etc/passwd"));
        members.add(Member.file("../escape.py", "x = 1\n"));
        byte[] tar = TestArchives.tar(members);
        byte[] zip = TestArchives.zip(members);
        byte[] nested = TestArchives.gzip(TestArchives.tar(List.of(
                Member.file("outer/setup.py", "x = 1\n"), Member.file("outer/inner.zip", zip))));
        return List.of(tar, TestArchives.gzip(tar), TestArchives.bzip2(tar), TestArchives.xz(tar), zip,
                TestArchives.zip(members, ZipArchiveEntry.STORED), nested,
                TestArchives.zip(List.of(Member.file("a/in.tar.gz", TestArchives.gzip(tar)))),
                TestArchives.gzip("print('hello')\n".getBytes()));
    }

    static void check(byte[] data, Limits limits) {
        UnpackedPackage p = new ArchiveReader(limits).read("fuzz-1.0.tar.gz", new ByteArrayInputStream(data));
        assertNotNull(p);
        long sum = p.entries().stream().mapToLong(ArchiveEntry::size).sum();
        assertEquals(sum, p.uncompressedBytes());
        assertTrue(sum <= limits.maxTotalBytes(), "total " + sum);
        assertTrue(p.entries().size() <= limits.maxEntries(), "entries " + p.entries().size());
        for (ArchiveEntry e : p.entries()) {
            assertTrue(e.bytes().length <= limits.maxEntryBytes(), e.path());
            assertFalse(e.path().startsWith("/") || e.path().contains("\0") || e.path().contains("\\"), e.path());
            assertFalse(Arrays.asList(e.path().split("/")).contains(".."), e.path());
        }
        if (!p.readable()) {
            assertEquals(PackageKind.UNKNOWN, p.kind());
            assertTrue(p.entries().isEmpty());
            assertFalse(p.diagnostics().isEmpty(), "an unreadable input says why");
        }
        for (Diagnostic d : p.diagnostics()) {
            assertNotNull(d.code());
            assertFalse(d.message().isEmpty());
        }
        assertEquals(data.length, p.compressedBytes());
    }

    @Property(tries = 200)
    void randomBytesNeverBreakTheReader(@ForAll @Size(max = 3000) byte[] data) {
        check(data, Limits.defaults());
        check(data, TIGHT);
    }

    @Property(tries = 300)
    void randomBytesBehindAnArchiveMagicNeverBreakTheReader(@ForAll("magic") byte[] magic,
                                                            @ForAll @Size(max = 3000) byte[] data) {
        byte[] input = Arrays.copyOf(magic, magic.length + data.length);
        System.arraycopy(data, 0, input, magic.length, data.length);
        check(input, Limits.defaults());
    }

    @Provide
    Arbitrary<byte[]> magic() {
        return Arbitraries.of(
                new byte[]{0x1f, (byte) 0x8b, 8, 0},
                new byte[]{'B', 'Z', 'h', '9'},
                new byte[]{(byte) 0xfd, '7', 'z', 'X', 'Z', 0},
                new byte[]{'P', 'K', 3, 4},
                new byte[]{'P', 'K', 5, 6},
                new byte[]{0x28, (byte) 0xb5, 0x2f, (byte) 0xfd});
    }

    @Property(tries = 400)
    void mutatedArchivesNeverBreakTheReader(@ForAll("mutated") byte[] data) {
        check(data, Limits.defaults());
        check(data, TIGHT);
    }

    @Property(tries = 300)
    void truncatedArchivesNeverBreakTheReader(@ForAll("truncated") byte[] data) {
        check(data, Limits.defaults());
        check(data, TIGHT);
    }

    @Provide
    Arbitrary<byte[]> mutated() {
        Arbitrary<byte[]> seed = Arbitraries.of(SEEDS);
        Arbitrary<List<int[]>> edits = Combinators.combine(
                        Arbitraries.integers().between(0, Integer.MAX_VALUE),
                        Arbitraries.integers().between(0, 255),
                        Arbitraries.integers().between(0, 2))
                .as((pos, value, op) -> new int[]{pos, value, op})
                .list().ofMinSize(1).ofMaxSize(12);
        return Combinators.combine(seed, edits).as(ArchiveReaderPropertiesTest::mutate);
    }

    static byte[] mutate(byte[] seed, List<int[]> edits) {
        byte[] out = seed.clone();
        for (int[] edit : edits) {
            if (out.length == 0) {
                break;
            }
            int pos = edit[0] % out.length;
            switch (edit[2]) {
                case 0 -> out[pos] = (byte) edit[1];
                case 1 -> out[pos] ^= (byte) (1 << (edit[1] & 7));
                default -> {
                    byte[] shorter = new byte[out.length - 1];
                    System.arraycopy(out, 0, shorter, 0, pos);
                    System.arraycopy(out, pos + 1, shorter, pos, out.length - pos - 1);
                    out = shorter;
                }
            }
        }
        return out;
    }

    @Provide
    Arbitrary<byte[]> truncated() {
        return Combinators.combine(Arbitraries.of(SEEDS), Arbitraries.doubles().between(0, 1))
                .as((seed, fraction) -> Arrays.copyOf(seed, (int) (seed.length * fraction)));
    }
}
