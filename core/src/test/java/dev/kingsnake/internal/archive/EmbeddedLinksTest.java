package dev.kingsnake.internal.archive;

import dev.kingsnake.Limits;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.kingsnake.internal.archive.TestArchives.Member.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The links a native binary carries are found while it streams through, within the scan bound. */
class EmbeddedLinksTest {

    private static byte[] elf(int zerosBefore, String... strings) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[]{0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        out.writeBytes(new byte[56 + zerosBefore]);
        for (String s : strings) {
            out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
            out.write(0);
        }
        return out.toByteArray();
    }

    private static List<String> linksOf(Limits limits, byte[] entry) {
        UnpackedPackage p = ArchiveReaderTest.read(limits, "pkg-1.0-py3-none-any.whl",
                TestArchives.zip(List.of(file("pkg/_core.so", entry)), java.util.zip.ZipEntry.STORED));
        return p.entries().stream().filter(e -> e.path().equals("pkg/_core.so")).findFirst().orElseThrow().links();
    }

    @Test
    void linksFarPastTheKeptHeadAreFound() {
        byte[] entry = elf(3 * 1024 * 1024, "GET %s HTTP/1.1", "uhttp://collect.example.invalid:1337/c",
                "https://docs.example.invalid/manual");
        List<String> links = linksOf(Limits.defaults(), entry);
        assertEquals(List.of("http://collect.example.invalid:1337/c", "https://docs.example.invalid/manual"), links);
    }

    @Test
    void theScanBoundIsKept() {
        byte[] entry = elf(2 * 1024 * 1024, "http://collect.example.invalid:1337/c");
        assertEquals(List.of(), linksOf(Limits.builder().maxNativeScanBytes(1024 * 1024).build(), entry));
        assertEquals(List.of(), linksOf(Limits.builder().maxNativeScanBytes(0).build(), entry));
    }

    @Test
    void aLinkAcrossChunkBoundariesIsWhole() {
        EmbeddedLinks links = new EmbeddedLinks(1 << 20);
        byte[] text = "\0\0http://split.example.invalid:8081/x\0".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < text.length; i++) {
            links.accept(text, i, 1);
        }
        assertEquals(List.of("http://split.example.invalid:8081/x"), links.links());
    }

    @Test
    void onlyNativeBinariesAreSearchedAndTheListIsBounded() {
        String[] many = new String[EmbeddedLinks.MAX_LINKS + 10];
        for (int i = 0; i < many.length; i++) {
            many[i] = "https://host" + i + ".example.invalid/";
        }
        assertEquals(EmbeddedLinks.MAX_LINKS, linksOf(Limits.defaults(), elf(0, many)).size());
        byte[] data = "\0http://collect.example.invalid:1337/c\0".repeat(2000).getBytes(StandardCharsets.US_ASCII);
        assertTrue(linksOf(Limits.defaults(), data).isEmpty());
    }
}
