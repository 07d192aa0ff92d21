package dev.kingsnake.rules.pkg;

import dev.kingsnake.ScanResult;
import dev.kingsnake.Scanner;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * KS-PKG-NATIVE-LINK by where the binary is: a platform wheel is expected to carry native code that names
 * servers, so only a concrete data-drop endpoint counts there; a pure wheel's binary is held to more. Binaries
 * are an ELF header and strings (no program), hosts under example.invalid, tokens made up.
 */
class NativeLinkPlacesTest {
    private static final Scanner SCANNER = Scanner.builder().build();
    private static final String PORT_LINK = "http://collect.example.invalid:1337/c";
    private static final String WEBHOOK = "https://discord.com/api/webhooks/123456789012/"
            + "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";

    private static List<String> linksReported(String wheelName, String link) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("tool/__init__.py"));
            zip.putNextEntry(new ZipEntry("tool/_core.so"));
            zip.write(new byte[]{0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
            zip.write(new byte[20_000]);
            zip.write(link.getBytes(StandardCharsets.US_ASCII));
            zip.write(0);
            zip.putNextEntry(new ZipEntry("tool-1.0.dist-info/METADATA"));
            zip.write("Metadata-Version: 2.1\nName: tool\nVersion: 1.0\n".getBytes(StandardCharsets.UTF_8));
        }
        ScanResult r = SCANNER.scan(wheelName, new ByteArrayInputStream(out.toByteArray()));
        return r.findings().stream().filter(f -> f.ruleId().equals("KS-PKG-NATIVE-LINK"))
                .map(f -> f.evidence()).toList();
    }

    @Test
    void anUnusualPortCountsOnlyWhereNativeCodeHasNoBusiness() throws IOException {
        assertEquals(List.of(PORT_LINK), linksReported("tool-1.0-py3-none-any.whl", PORT_LINK));
        assertEquals(List.of(), linksReported("tool-1.0-cp311-cp311-manylinux_2_28_x86_64.whl", PORT_LINK));
    }

    @Test
    void aConcreteWebhookCountsInAnyBinary() throws IOException {
        assertEquals(List.of(WEBHOOK), linksReported("tool-1.0-cp311-cp311-manylinux_2_28_x86_64.whl", WEBHOOK));
    }

    @Test
    void privateAndDocumentationLinksNeverCount() throws IOException {
        assertEquals(List.of(), linksReported("tool-1.0-py3-none-any.whl", "http://127.0.0.1:8000/health"));
        assertEquals(List.of(), linksReported("tool-1.0-py3-none-any.whl", "https://docs.example.invalid/manual"));
    }
}
