package dev.kingsnake.index;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A project to fetch, at an exact version or (when none is given) at its newest release.
 *
 * @param name    the project's name as written
 * @param version the pinned version ({@code ==1.2.3}); empty for the newest release
 */
public record PinnedRequirement(String name, Optional<String> version) {
    private static final Pattern FORM = Pattern.compile(
            "\\s*([A-Za-z0-9][A-Za-z0-9._-]*)\\s*(?:\\[[^\\]]*\\])?\\s*(?:===?\\s*([A-Za-z0-9][A-Za-z0-9.+!_-]*))?\\s*");

    public PinnedRequirement {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
    }

    /** {@code NAME} or {@code NAME==VERSION} (extras allowed); empty when the text is neither. */
    public static Optional<PinnedRequirement> parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches() || !ProjectName.isValid(m.group(1))) {
            return Optional.empty();
        }
        return Optional.of(new PinnedRequirement(m.group(1), Optional.ofNullable(m.group(2))));
    }

    @Override
    public String toString() {
        return name + version.map(v -> "==" + v).orElse("");
    }
}
