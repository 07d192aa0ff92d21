package dev.kingsnake.gate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kingsnake.index.DistributionFile;
import dev.kingsnake.index.ProjectPage;
import dev.kingsnake.index.SimpleIndexParser;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Writes a project page as the gate serves it, in PEP 691 JSON or PEP 503 HTML, with each file's URL replaced by
 * the gate's own and every other field (hashes, requires-python, yanked, core-metadata, upload-time, size,
 * versions) carried over.
 */
final class IndexPages {
    private static final ObjectMapper JSON = new ObjectMapper();

    private IndexPages() {
    }

    /** The media type to answer an {@code Accept} header with: JSON when the client ranks it at least as high as HTML. */
    static String negotiate(String accept) {
        double json = quality(accept, SimpleIndexParser.JSON_TYPE);
        double html = Math.max(quality(accept, SimpleIndexParser.HTML_TYPE), quality(accept, "text/html"));
        if (json > 0 && json >= html) {
            return SimpleIndexParser.JSON_TYPE;
        }
        return html > 0 || accept.isBlank() || quality(accept, "*/*") > 0 ? SimpleIndexParser.HTML_TYPE : "";
    }

    private static double quality(String accept, String type) {
        double best = 0;
        for (String part : accept.split(",")) {
            String[] params = part.split(";");
            if (!params[0].strip().toLowerCase(Locale.ROOT).equals(type)) {
                continue;
            }
            double q = 1.0;
            for (int i = 1; i < params.length; i++) {
                String p = params[i].strip();
                if (p.startsWith("q=")) {
                    try {
                        q = Double.parseDouble(p.substring(2));
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            best = Math.max(best, q);
        }
        return best;
    }

    static String json(ProjectPage page, Function<DistributionFile, String> gateUrl) {
        ObjectNode root = JSON.createObjectNode();
        boolean sizes = page.files().stream().allMatch(f -> f.size().isPresent());
        // API 1.1 (PEP 700) promises versions and sizes; an HTML upstream gives no sizes, so its pages stay 1.0
        root.putObject("meta").put("api-version", sizes ? "1.1" : "1.0");
        root.put("name", page.name());
        ArrayNode versions = root.putArray("versions");
        versions(page).forEach(versions::add);
        ArrayNode files = root.putArray("files");
        for (DistributionFile f : page.files()) {
            ObjectNode n = files.addObject();
            n.put("filename", f.filename());
            n.put("url", gateUrl.apply(f));
            ObjectNode hashes = n.putObject("hashes");
            f.hashes().forEach(hashes::put);
            f.requiresPython().ifPresent(r -> n.put("requires-python", r));
            f.yanked().ifPresent(reason -> {
                if (reason.isEmpty()) {
                    n.put("yanked", true);
                } else {
                    n.put("yanked", reason);
                }
            });
            f.coreMetadata().ifPresent(h -> {
                if (h.isEmpty()) {
                    n.put("core-metadata", true);
                } else {
                    ObjectNode m = n.putObject("core-metadata");
                    h.forEach(m::put);
                }
            });
            f.uploadTime().ifPresent(t -> n.put("upload-time", t.toString()));
            f.size().ifPresent(s -> n.put("size", s));
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serialises", e);
        }
    }

    static String html(ProjectPage page, Function<DistributionFile, String> gateUrl) {
        Document doc = Document.createShell("");
        doc.head().appendElement("meta").attr("name", "pypi:repository-version").attr("content", "1.0");
        doc.title("Links for " + page.name());
        doc.body().appendElement("h1").text("Links for " + page.name());
        for (DistributionFile f : page.files()) {
            String fragment = f.sha256().map(h -> "#sha256=" + h).orElse("");
            Element a = doc.body().appendElement("a").attr("href", gateUrl.apply(f) + fragment).text(f.filename());
            f.requiresPython().ifPresent(r -> a.attr("data-requires-python", r));
            f.yanked().ifPresent(reason -> a.attr("data-yanked", reason));
            f.coreMetadata().ifPresent(h -> {
                String value = hashValue(h);
                a.attr("data-core-metadata", value);
                a.attr("data-dist-info-metadata", value);
            });
            doc.body().appendElement("br");
        }
        return doc.outerHtml();
    }

    private static String hashValue(Map<String, String> hashes) {
        String sha = hashes.get("sha256");
        if (sha != null) {
            return "sha256=" + sha;
        }
        return hashes.entrySet().stream().findFirst().map(e -> e.getKey() + "=" + e.getValue()).orElse("true");
    }

    private static List<String> versions(ProjectPage page) {
        if (!page.versions().isEmpty()) {
            return page.versions();
        }
        Set<String> out = new LinkedHashSet<>();
        page.files().forEach(f -> f.version(page.name()).ifPresent(out::add));
        return List.copyOf(out);
    }
}
