package dev.kingsnake.report;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Objects;
import java.util.Optional;

/**
 * The body of PyPI's observation API ({@code POST /danger-api/projects/{name}/observations}, media type
 * {@value #MEDIA_TYPE}), exactly its fields: {@code kind}, {@code summary} (10 to 2,000 characters) and
 * {@code inspector_url}, which PyPI requires for {@code is_malware} and which must start with
 * {@value #INSPECTOR_PREFIX}. See warehouse's {@code warehouse/api/openapi.yaml}.
 *
 * @param kind         the observation kind; Kingsnake reports {@value #IS_MALWARE}
 * @param summary      what the package does and the decisive evidence, 10 to 2,000 characters
 * @param inspectorUrl the file and line on inspector.pypi.io, when the file's PyPI URL is known
 */
public record PypiObservation(String kind, String summary, Optional<String> inspectorUrl) {
    public static final String MEDIA_TYPE = "application/vnd.pypi.api-v0-danger+json";
    public static final String IS_MALWARE = "is_malware";
    public static final String INSPECTOR_PREFIX = "https://inspector.pypi.io/project/";
    public static final int MIN_SUMMARY = 10;
    public static final int MAX_SUMMARY = 2_000;

    public PypiObservation {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(inspectorUrl, "inspectorUrl");
        if (summary.length() < MIN_SUMMARY || summary.length() > MAX_SUMMARY) {
            throw new IllegalArgumentException("summary must be 10 to 2,000 characters: " + summary.length());
        }
        if (inspectorUrl.isPresent() && !inspectorUrl.get().startsWith(INSPECTOR_PREFIX)) {
            throw new IllegalArgumentException("not an inspector URL: " + inspectorUrl.get());
        }
    }

    /** True when PyPI would accept it: a malware observation needs an inspector URL. */
    public boolean submittable() {
        return !kind.equals(IS_MALWARE) || inspectorUrl.isPresent();
    }

    /** The request body: these fields and no others. */
    public ObjectNode toJson() {
        ObjectNode o = ResultJson.MAPPER.createObjectNode();
        o.put("kind", kind);
        o.put("summary", summary);
        inspectorUrl.ifPresent(u -> o.put("inspector_url", u));
        return o;
    }

    /** The API path for a project, its name percent-encoded. */
    public static String path(String project) {
        return "/danger-api/projects/" + PypiReport.encodeSegment(project) + "/observations";
    }
}
