package dev.kingsnake;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One entry of a user's suppression file: findings of {@code ruleId} in files whose path matches
 * {@code pathGlob} and/or whose content has the SHA-256 {@code sha256} are set aside, for {@code reason}.
 * Every part given must match, so pinning the hash makes a changed file come back.
 *
 * <p>The glob is matched against the entry path inside the package ({@code demo-1.0/setup.py}; a decoded layer
 * {@code a.py#layer2} counts as its file {@code a.py}): {@code *} and {@code ?} stay within one path segment,
 * {@code **} crosses segments, and {@code **}{@code /} also matches no directory at all.
 *
 * @param ruleId   the rule's id, exactly
 * @param pathGlob a glob over the entry path, if given
 * @param sha256   lowercase hex SHA-256 of the entry's bytes, if given
 * @param reason   why the finding is acceptable, shown in every report
 */
public record Suppression(String ruleId, Optional<String> pathGlob, Optional<String> sha256, String reason) {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public Suppression {
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(pathGlob, "pathGlob");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(reason, "reason");
        if (ruleId.isBlank()) {
            throw new IllegalArgumentException("a suppression names a rule id");
        }
        if (pathGlob.isEmpty() && sha256.isEmpty()) {
            // a rule-wide suppression is --disable-rule: it should say so, not hide in a suppression file
            throw new IllegalArgumentException("a suppression of " + ruleId + " names a path glob, a sha256 or both");
        }
        sha256 = sha256.map(h -> h.toLowerCase(Locale.ROOT));
        if (sha256.isPresent() && !SHA256.matcher(sha256.get()).matches()) {
            throw new IllegalArgumentException("not a SHA-256 in hex: " + sha256.get());
        }
        if (reason.isBlank()) {
            throw new IllegalArgumentException("a suppression of " + ruleId + " gives a reason");
        }
    }

    /** The glob as a regular expression over the whole path. */
    static Pattern globPattern(String glob) {
        StringBuilder re = new StringBuilder();
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i);
            if (glob.startsWith("**/", i)) {
                re.append("(?:.*/)?");
                i += 3;
            } else if (glob.startsWith("**", i)) {
                re.append(".*");
                i += 2;
            } else {
                re.append(c == '*' ? "[^/]*" : c == '?' ? "[^/]" : Pattern.quote(String.valueOf(c)));
                i++;
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
