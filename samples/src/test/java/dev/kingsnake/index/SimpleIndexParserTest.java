package dev.kingsnake.index;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimpleIndexParserTest {
    private static final URI PAGE = URI.create("http://127.0.0.1:1/simple/demo-pkg/");

    @Test
    void readsPep691Json() {
        String json = """
                {"meta": {"api-version": "1.1"}, "name": "demo-pkg", "versions": ["1.0", "1.1"],
                 "files": [
                   {"filename": "demo_pkg-1.0-py3-none-any.whl", "url": "../../files/demo_pkg-1.0-py3-none-any.whl",
                    "hashes": {"sha256": "AB12"}, "requires-python": ">=3.8", "upload-time": "2024-01-02T03:04:05.123456Z",
                    "size": 1234, "core-metadata": {"sha256": "cd34"}},
                   {"filename": "demo_pkg-1.1.tar.gz", "url": "https://files.example.invalid/demo_pkg-1.1.tar.gz#sha256=ef",
                    "hashes": {}, "yanked": "broken build", "dist-info-metadata": true},
                   {"filename": "no-url.tar.gz", "hashes": {}},
                   {"filename": "file-scheme.tar.gz", "url": "file:///etc/passwd", "hashes": {}}
                 ]}""";
        ProjectPage page = SimpleIndexParser.parse("application/vnd.pypi.simple.v1+json", json, PAGE, "Demo_Pkg");
        assertEquals("demo-pkg", page.name());
        assertEquals("1.1", page.apiVersion());
        assertEquals(java.util.List.of("1.0", "1.1"), page.versions());
        assertEquals(2, page.files().size(), "entries without a usable http(s) URL are left out");
        DistributionFile wheel = page.files().get(0);
        assertEquals(URI.create("http://127.0.0.1:1/files/demo_pkg-1.0-py3-none-any.whl"), wheel.url());
        assertEquals(Optional.of("ab12"), wheel.sha256());
        assertEquals(Optional.of(">=3.8"), wheel.requiresPython());
        assertEquals(Optional.of(Instant.parse("2024-01-02T03:04:05.123456Z")), wheel.uploadTime());
        assertEquals(1234, wheel.size().getAsLong());
        assertEquals(Optional.of(Map.of("sha256", "cd34")), wheel.coreMetadata());
        assertEquals(Optional.empty(), wheel.yanked());
        assertEquals(Optional.of("1.0"), wheel.version("demo.pkg"));
        DistributionFile sdist = page.files().get(1);
        assertEquals(URI.create("https://files.example.invalid/demo_pkg-1.1.tar.gz"), sdist.url());
        assertEquals(Optional.of("broken build"), sdist.yanked());
        assertEquals(Optional.of(Map.of()), sdist.coreMetadata());
        assertEquals(Optional.of(URI.create("https://files.example.invalid/demo_pkg-1.1.tar.gz.metadata")),
                sdist.coreMetadataUrl());
        assertEquals(1, page.files("1.1").size());
    }

    @Test
    void readsPep503Html() {
        String html = """
                <!DOCTYPE html><html><head><meta name="pypi:repository-version" content="1.0"></head><body>
                <a href="/files/demo-pkg-2.0.tar.gz#sha256=FF00" data-requires-python="&gt;=3.7,&lt;4">demo-pkg-2.0.tar.gz</a>
                <a href="demo_pkg-1.9-py3-none-any.whl#sha256=aa" data-yanked="" data-core-metadata="sha256=bb">
                  demo_pkg-1.9-py3-none-any.whl</a>
                <a href="javascript:alert(1)">x.tar.gz</a>
                <a href="nohash-1.0.zip" data-dist-info-metadata="true">nohash-1.0.zip</a>
                </body></html>""";
        ProjectPage page = SimpleIndexParser.parse("text/html; charset=utf-8", html, PAGE, "demo-pkg");
        assertEquals(3, page.files().size());
        DistributionFile sdist = page.files().get(0);
        assertEquals(URI.create("http://127.0.0.1:1/files/demo-pkg-2.0.tar.gz"), sdist.url());
        assertEquals(Optional.of("ff00"), sdist.sha256());
        assertEquals(Optional.of(">=3.7,<4"), sdist.requiresPython());
        assertEquals(Optional.of("2.0"), sdist.version("demo-pkg"));
        DistributionFile wheel = page.files().get(1);
        assertEquals("demo_pkg-1.9-py3-none-any.whl", wheel.filename());
        assertEquals(Optional.of(""), wheel.yanked());
        assertEquals(Optional.of(Map.of("sha256", "bb")), wheel.coreMetadata());
        assertEquals(Optional.of("1.9"), wheel.version("demo-pkg"));
        assertTrue(page.files().get(2).sha256().isEmpty());
        assertEquals(Optional.of(Map.of()), page.files().get(2).coreMetadata());
    }
}
