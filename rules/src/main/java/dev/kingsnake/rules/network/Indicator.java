package dev.kingsnake.rules.network;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A string shape that names a behaviour (a credential store's path, a webhook service, a pool URL).
 * Patterns run on {@link CodeFacts.StringFact#normalized()} (lower case, backslashes as slashes) unless
 * {@code caseSensitive}. A {@code strong} indicator is evidence on its own; a weak one needs company.
 */
public record Indicator(String label, Pattern pattern, boolean strong, boolean caseSensitive) {

    public static Indicator strong(String label, String regex) {
        return new Indicator(label, Pattern.compile(regex), true, false);
    }

    public static Indicator weak(String label, String regex) {
        return new Indicator(label, Pattern.compile(regex), false, false);
    }

    public static Indicator strongExact(String label, String regex) {
        return new Indicator(label, Pattern.compile(regex), true, true);
    }

    public static Indicator weakExact(String label, String regex) {
        return new Indicator(label, Pattern.compile(regex), false, true);
    }

    public boolean matches(CodeFacts.StringFact s) {
        return pattern.matcher(caseSensitive ? s.text() : s.normalized()).find();
    }

    /** The first indicator of the list that matches, strong ones first. */
    public static Optional<Indicator> first(List<Indicator> list, CodeFacts.StringFact s) {
        Indicator weakHit = null;
        for (Indicator i : list) {
            if (i.matches(s)) {
                if (i.strong()) {
                    return Optional.of(i);
                }
                if (weakHit == null) {
                    weakHit = i;
                }
            }
        }
        return Optional.ofNullable(weakHit);
    }
}
