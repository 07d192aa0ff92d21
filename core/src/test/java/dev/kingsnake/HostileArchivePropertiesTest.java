package dev.kingsnake;

import dev.kingsnake.internal.archive.TestArchives;
import dev.kingsnake.internal.archive.TestArchives.Member;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Random, mutated and truncated archives never throw out of {@link Scanner#scan} and always give a result. */
class HostileArchivePropertiesTest {
    private static final String SETUP = "from setuptools import setup\nsetup(name='demo', version='1.0')\n";
    private static final Scanner SCANNER = Scanner.builder().build();

    @Property(tries = 150)
    void mutatedArchivesNeverBreakAScan(@ForAll("mutated") byte[] data) {
        Limits limits = Limits.defaults();
        ScanResult r = SCANNER.scan("fuzz-1.0.tar.gz", new ByteArrayInputStream(data));
        assertNotNull(r);
        assertTrue(r.stats().uncompressedBytes() <= limits.maxTotalBytes());
        if (r.verdict() == Verdict.ERROR) {
            assertTrue(!r.diagnostics().isEmpty(), "an ERROR verdict says why");
        }
    }

    @Provide
    Arbitrary<byte[]> mutated() {
        List<byte[]> seeds = List.of(
                TestArchives.gzip(TestArchives.tar(List.of(Member.file("demo/setup.py", SETUP),
                        Member.file("demo/PKG-INFO", "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n")))),
                TestArchives.zip(List.of(Member.file("demo-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\n"),
                        Member.file("demo/__init__.py", "import os\n"))),
                SETUP.getBytes());
        Arbitrary<List<int[]>> edits = Combinators.combine(
                        Arbitraries.integers().between(0, Integer.MAX_VALUE),
                        Arbitraries.integers().between(0, 255),
                        Arbitraries.integers().between(0, 3))
                .as((pos, value, op) -> new int[]{pos, value, op})
                .list().ofMinSize(0).ofMaxSize(8);
        return Combinators.combine(Arbitraries.of(seeds), edits, Arbitraries.doubles().between(0, 1))
                .as((seed, list, cut) -> {
                    byte[] out = seed.clone();
                    for (int[] e : list) {
                        if (out.length == 0) {
                            break;
                        }
                        int pos = e[0] % out.length;
                        if (e[2] == 3) {
                            out = Arrays.copyOf(out, (int) (out.length * cut));
                        } else {
                            out[pos] = (byte) (e[2] == 0 ? e[1] : out[pos] ^ (1 << (e[1] & 7)));
                        }
                    }
                    return out;
                });
    }
}
