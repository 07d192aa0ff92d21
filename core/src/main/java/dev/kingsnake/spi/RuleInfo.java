package dev.kingsnake.spi;

import dev.kingsnake.CapabilitySummary;
import dev.kingsnake.Confidence;
import dev.kingsnake.Severity;

import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A rule's identity and documentation; the README rule table is generated from it.
 *
 * @param id             {@code KS-AREA-NAME}, unique
 * @param summary        one line: the behaviour
 * @param severity       default severity of a finding
 * @param confidence     default confidence of a finding
 * @param tags           behaviour tags the scoring combines (see {@link Tags})
 * @param example        a short defanged example of code the rule flags
 * @param falsePositives where benign code can look like this, and what the rule does about it
 */
public record RuleInfo(String id, String summary, Severity severity, Confidence confidence, Set<String> tags,
                       String example, String falsePositives) {

    private static final Pattern ID = Pattern.compile("KS(-[A-Z0-9]+)+");

    public RuleInfo {
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("rule id must look like KS-AREA-NAME: " + id);
        }
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(confidence, "confidence");
        tags = Set.copyOf(tags);
        boolean capability = tags.contains(Tags.CAPABILITY);
        if (capability != id.startsWith(CapabilitySummary.ID_PREFIX)
                || capability && severity != Severity.INFO) {
            throw new IllegalArgumentException("a capability rule (tag " + Tags.CAPABILITY + ") has an id starting"
                    + " with " + CapabilitySummary.ID_PREFIX + " and severity INFO, and only it: " + id);
        }
        example = example == null ? "" : example;
        falsePositives = falsePositives == null ? "" : falsePositives;
    }
}
