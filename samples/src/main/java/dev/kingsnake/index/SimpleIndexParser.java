package dev.kingsnake.index;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads Simple API project pages: PEP 691 JSON and PEP 503 HTML. A page that cannot be read is an
 * {@link IllegalArgumentException} naming what is wrong; a single bad file entry is left out rather than
 * failing the page.
 */
public final class SimpleIndexParser {
    /** The PEP 691 JSON media type. */
    public static final String JSON_TYPE = "application/vnd.pypi.simple.v1+json";
    /** The PEP 691 HTML media type (PEP 503 content). */
    public static final String HTML_TYPE = "application/vnd.pypi.simple.v1+html";

    private static final ObjectMapper JSON = new ObjectMapper();

    private SimpleIndexParser() {
    }

    /** Parses a page by its {@code Content-Type}: JSON for the PEP 691 JSON type, HTML otherwise. */
    public static ProjectPage parse(String contentType, String body, URI pageUrl, String requestedName) {
        String type = contentType.toLowerCase(Locale.ROOT);
        return type.startsWith(JSON_TYPE) || type.startsWith("application/json")
                ? parseJson(body, pageUrl)
                : parseHtml(body, pageUrl, requestedName);
    }

    /** A PEP 691 JSON project page. */
    public static ProjectPage parseJson(String body, URI pageUrl) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject() || !root.path("files").isArray()) {
            throw new IllegalArgumentException("not a PEP 691 project page (no files array)");
        }
        List<DistributionFile> files = new ArrayList<>();
        for (JsonNode f : root.path("files")) {
            jsonFile(f, pageUrl).ifPresent(files::add);
        }
        List<String> versions = new ArrayList<>();
        root.path("versions").forEach(v -> versions.add(v.asText()));
        return new ProjectPage(root.path("name").asText(""), root.path("meta").path("api-version").asText("1.0"),
                versions, files);
    }

    private static Optional<DistributionFile> jsonFile(JsonNode f, URI pageUrl) {
        String filename = f.path("filename").asText("");
        Optional<URI> url = resolve(pageUrl, f.path("url").asText(""));
        if (filename.isEmpty() || url.isEmpty()) {
            return Optional.empty();
        }
        url = url.map(SimpleIndexParser::withoutFragment);
        Map<String, String> hashes = new HashMap<>();
        f.path("hashes").fields().forEachRemaining(e -> hashes.put(e.getKey(), e.getValue().asText()));
        JsonNode yanked = f.path("yanked");
        Optional<String> yankReason = yanked.isTextual() ? Optional.of(yanked.asText())
                : yanked.asBoolean(false) ? Optional.of("") : Optional.empty();
        JsonNode metadata = f.has("core-metadata") ? f.path("core-metadata") : f.path("dist-info-metadata");
        Optional<Map<String, String>> coreMetadata = Optional.empty();
        if (metadata.isObject()) {
            Map<String, String> h = new HashMap<>();
            metadata.fields().forEachRemaining(e -> h.put(e.getKey(), e.getValue().asText()));
            coreMetadata = Optional.of(h);
        } else if (metadata.asBoolean(false)) {
            coreMetadata = Optional.of(Map.of());
        }
        JsonNode size = f.path("size");
        return Optional.of(new DistributionFile(filename, url.get(), hashes,
                text(f.path("requires-python")), yankReason, instant(f.path("upload-time").asText("")),
                size.canConvertToLong() ? OptionalLong.of(size.asLong()) : OptionalLong.empty(), coreMetadata));
    }

    /** A PEP 503 HTML project page; {@code requestedName} names the project, which HTML does not carry. */
    public static ProjectPage parseHtml(String body, URI pageUrl, String requestedName) {
        Document doc = Jsoup.parse(body, pageUrl.toString());
        List<DistributionFile> files = new ArrayList<>();
        for (Element a : doc.select("a[href]")) {
            htmlFile(a, pageUrl).ifPresent(files::add);
        }
        String apiVersion = doc.select("meta[name=pypi:repository-version]").attr("content");
        return new ProjectPage(requestedName, apiVersion.isEmpty() ? "1.0" : apiVersion, List.of(), files);
    }

    private static Optional<DistributionFile> htmlFile(Element a, URI pageUrl) {
        String href = a.attr("href");
        Optional<URI> url = resolve(pageUrl, href);
        String filename = a.text().trim();
        if (url.isEmpty() || filename.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> hashes = new HashMap<>();
        fragmentHash(url.get().getRawFragment()).ifPresent(h -> hashes.put(h[0], h[1]));
        url = url.map(SimpleIndexParser::withoutFragment);
        Optional<String> yanked = a.hasAttr("data-yanked") ? Optional.of(a.attr("data-yanked")) : Optional.empty();
        String metadataAttr = a.hasAttr("data-core-metadata") ? "data-core-metadata"
                : a.hasAttr("data-dist-info-metadata") ? "data-dist-info-metadata" : "";
        Optional<Map<String, String>> coreMetadata = Optional.empty();
        if (!metadataAttr.isEmpty() && !a.attr(metadataAttr).equalsIgnoreCase("false")) {
            coreMetadata = Optional.of(fragmentHash(a.attr(metadataAttr))
                    .map(h -> Map.of(h[0], h[1])).orElse(Map.of()));
        }
        String requiresPython = a.attr("data-requires-python");
        return Optional.of(new DistributionFile(filename, url.get(), hashes,
                requiresPython.isEmpty() ? Optional.empty() : Optional.of(requiresPython), yanked,
                Optional.empty(), OptionalLong.empty(), coreMetadata));
    }

    /** {@code sha256=abc} as {@code [sha256, abc]}. */
    private static Optional<String[]> fragmentHash(String fragment) {
        if (fragment == null) {
            return Optional.empty();
        }
        int eq = fragment.indexOf('=');
        if (eq <= 0 || eq == fragment.length() - 1) {
            return Optional.empty();
        }
        return Optional.of(new String[] {fragment.substring(0, eq).toLowerCase(Locale.ROOT),
                fragment.substring(eq + 1).toLowerCase(Locale.ROOT)});
    }

    private static Optional<URI> resolve(URI base, String href) {
        if (href.isBlank()) {
            return Optional.empty();
        }
        try {
            URI url = base.resolve(new URI(href.strip()));
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            return scheme.equals("http") || scheme.equals("https") ? Optional.of(url) : Optional.empty();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static URI withoutFragment(URI url) {
        String s = url.toString();
        int hash = s.indexOf('#');
        return hash < 0 ? url : URI.create(s.substring(0, hash));
    }

    private static Optional<String> text(JsonNode node) {
        return node.isTextual() && !node.asText().isEmpty() ? Optional.of(node.asText()) : Optional.empty();
    }

    private static Optional<Instant> instant(String text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
