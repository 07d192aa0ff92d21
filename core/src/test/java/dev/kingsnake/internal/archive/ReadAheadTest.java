package dev.kingsnake.internal.archive;

import dev.kingsnake.Limits;
import dev.kingsnake.internal.archive.TestArchives.RawEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The big entries of a zip read through a file channel are inflated on a second thread while the rest is read
 * ({@link ContainerReaders}, {@code Deferrals}): the package read must be the one reading in order gives, whatever
 * those entries turn out to hold. Each case is read both ways and compared field by field; the order in which the
 * entries are told as read shows that an entry was read ahead (it is told after those behind it) and that reading
 * went back to it (those behind it are told twice).
 */
class ReadAheadTest {
    private static final int BIG_MIB = (int) (ContainerReaders.DEFER_ABOVE >> 20) + 4;
    /** Small enough that the test zips are read through a file channel, big enough to keep the Python files. */
    private static final Limits LIMITS = Limits.builder().maxEntryBytes(32 * 1024).maxCompressionRatio(2000).build();

    @TempDir
    Path dir;

    private static RawEntry py(String name) {
        return RawEntry.stored(name, ("print('" + name + "')\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Stored random bytes: makes the zip bigger than maxEntryBytes, so that it is read through a channel. */
    private static RawEntry padding() {
        byte[] b = new byte[40 * 1024];
        new Random(5).nextBytes(b);
        return RawEntry.stored("pad.dat", b);
    }

    private static RawEntry withSize(RawEntry e, long size) {
        return new RawEntry(e.name(), e.method(), e.crc(), e.data(), size);
    }

    /** Reads both ways; returns the paths told in order when reading ahead. */
    private List<String> readBothWays(Limits limits, List<RawEntry> entries) throws IOException {
        Path zip = dir.resolve("p.zip");
        Files.write(zip, TestArchives.rawZip(entries));
        assertTrue(Files.size(zip) > limits.maxEntryBytes());
        List<String> told = new ArrayList<>();
        UnpackedPackage ahead = new ArchiveReader(limits).read(zip, e -> told.add(e.path()));
        UnpackedPackage inOrder = new ArchiveReader(limits, false).read(zip);
        assertEquals(describe(inOrder), describe(ahead));
        return told;
    }

    static String describe(UnpackedPackage p) {
        StringBuilder sb = new StringBuilder();
        sb.append(p.kind()).append(' ').append(p.compressedBytes()).append(' ').append(p.uncompressedBytes())
                .append(' ').append(p.readable()).append('\n');
        for (ArchiveEntry e : p.entries()) {
            sb.append(e.path()).append(' ').append(e.rawPath()).append(' ').append(e.executable()).append(' ')
                    .append(e.size()).append(' ').append(Arrays.hashCode(e.bytes())).append('/')
                    .append(e.bytes().length).append(' ')
                    .append(e.sha256().map(HexFormat.of()::formatHex).orElse("-")).append(' ').append(e.links())
                    .append('\n');
        }
        p.diagnostics().forEach(d -> sb.append(d).append('\n'));
        p.differentials().forEach(d -> sb.append(d).append('\n'));
        return sb.toString();
    }

    @Test
    void bigEntriesReadAheadGiveThePackageReadInOrder() throws IOException {
        List<String> told = readBothWays(LIMITS, List.of(py("a.py"), RawEntry.zeros("lib1.so", BIG_MIB), py("b.py"),
                RawEntry.zeros("lib2.so", BIG_MIB + 1), padding(), py("c.py")));
        // read ahead: told once each, the big ones once the rest is read
        assertEquals(List.of("a.py", "b.py", "pad.dat", "c.py", "lib1.so", "lib2.so"), told);
    }

    @Test
    void anEntryThatIsSmallerThanItSaysIsReadAgainInOrder() throws IOException {
        RawEntry lying = withSize(RawEntry.zeros("lib1.so", BIG_MIB), ((long) BIG_MIB << 20) + 4096);
        List<String> told = readBothWays(LIMITS, List.of(py("a.py"), lying, py("b.py"), padding()));
        assertEquals(List.of("a.py", "b.py", "pad.dat", "lib1.so", "b.py", "pad.dat"), told);
    }

    @Test
    void anEntryThatIsBiggerThanItSaysIsReadAgainInOrder() throws IOException {
        RawEntry lying = withSize(RawEntry.zeros("lib1.so", BIG_MIB), ((long) BIG_MIB << 20) - 4096);
        List<String> told = readBothWays(LIMITS, List.of(RawEntry.zeros("lib0.so", BIG_MIB), lying, py("b.py"),
                padding()));
        // the first one read as assumed keeps its place; from the second on, reading goes back
        assertEquals(List.of("b.py", "pad.dat", "lib0.so", "lib1.so", "b.py", "pad.dat"), told);
    }

    @Test
    void aLimitMetInAnEntryReadAheadIsMetAsInOrder() throws IOException {
        Limits ratio = Limits.builder().maxEntryBytes(32 * 1024).maxCompressionRatio(500).build();
        List<String> told = readBothWays(ratio, List.of(RawEntry.zeros("lib1.so", BIG_MIB), py("b.py"), padding()));
        assertEquals(List.of("b.py", "pad.dat", "lib1.so", "b.py", "pad.dat"), told);
    }

    @Test
    void theTotalBudgetIsCountedAsInOrder() throws IOException {
        // the second big entry does not fit in what is left: it is read in order, and the budget stops the package
        // there, behind the first one, which keeps its place
        Limits total = Limits.builder().maxEntryBytes(32 * 1024).maxCompressionRatio(2000)
                .maxTotalBytes(((long) BIG_MIB << 20) * 3 / 2).build();
        List<String> told = readBothWays(total, List.of(RawEntry.zeros("lib1.so", BIG_MIB), py("b.py"),
                RawEntry.zeros("lib2.so", BIG_MIB), py("c.py"), padding()));
        assertEquals(List.of("b.py", "lib2.so", "lib1.so"), told);
    }

    @Test
    void damageInAnEntryReadAheadIsReportedAsInOrder() throws IOException {
        RawEntry big = RawEntry.zeros("lib1.so", BIG_MIB);
        byte[] data = big.data().clone();
        Arrays.fill(data, data.length / 2, data.length / 2 + 16, (byte) 0xff);
        List<String> told = readBothWays(LIMITS, List.of(new RawEntry("lib1.so", 8, big.crc(), data, big.size()),
                py("b.py"), padding()));
        assertEquals(List.of("b.py", "pad.dat", "lib1.so", "b.py", "pad.dat"), told);
    }

    @Test
    void aLaterEntryWithTheSamePathIsComparedAsInOrder() throws IOException {
        // the same content twice: a duplicate path, but no differential, which needs the first one's digest
        List<String> told = readBothWays(LIMITS, List.of(RawEntry.zeros("lib1.so", BIG_MIB), py("b.py"),
                RawEntry.zeros("lib1.so", BIG_MIB), padding()));
        assertEquals(List.of("b.py", "lib1.so", "pad.dat", "lib1.so", "b.py", "lib1.so", "pad.dat"), told);
    }

    @Test
    void aZipReadFromMemoryIsNotReadAhead() throws IOException {
        Limits big = Limits.builder().maxCompressionRatio(2000).build();
        List<String> told = readBothWays(LIMITS, List.of(RawEntry.zeros("lib1.so", BIG_MIB), py("b.py"), padding()));
        assertEquals(List.of("b.py", "pad.dat", "lib1.so"), told);
        Path zip = dir.resolve("p.zip");
        List<String> inMemory = new ArrayList<>();
        new ArchiveReader(big).read(zip, e -> inMemory.add(e.path()));
        assertEquals(List.of("lib1.so", "b.py", "pad.dat"), inMemory);
    }
}
