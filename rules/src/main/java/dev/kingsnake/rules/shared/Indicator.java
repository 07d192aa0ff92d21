package dev.kingsnake.rules.shared;

import dev.kingsnake.spi.facts.CallFacts;

import java.util.List;
import java.util.Optional;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;

/**
 * A string shape that names a behaviour (a credential store's path, a webhook service, a pool URL).
 * Patterns run on {@link CallFacts.StringFact#normalized()} (lower case, backslashes as slashes) unless
 * {@code caseSensitive}. A {@code strong} indicator is evidence on its own; a weak one needs company.
 * {@code prefilter} (null when none can be derived) holds literals one of which every match contains: a
 * string holding none of them is passed over without running the pattern.
 */
public record Indicator(String label, Pattern pattern, boolean strong, boolean caseSensitive,
                        RequiredLiterals prefilter) {

    public static Indicator strong(String label, String regex) {
        return of(label, regex, true, false);
    }

    public static Indicator weak(String label, String regex) {
        return of(label, regex, false, false);
    }

    public static Indicator strongExact(String label, String regex) {
        return of(label, regex, true, true);
    }

    public static Indicator weakExact(String label, String regex) {
        return of(label, regex, false, true);
    }

    private static Indicator of(String label, String regex, boolean strong, boolean caseSensitive) {
        return new Indicator(label, Pattern.compile(regex), strong, caseSensitive,
                RequiredLiterals.of(regex).orElse(null));
    }

    public boolean matches(CallFacts.StringFact s) {
        return matches(s.text(), s.normalized());
    }

    /** Whether the indicator matches a text, given as it is and lower-cased with backslashes as slashes. */
    public boolean matches(String text, String normalized) {
        String subject = caseSensitive ? text : normalized;
        if (prefilter != null && !prefilter.mayMatch(prefilter.normalized() ? normalized : subject)) {
            return false;
        }
        return pattern.matcher(subject).find();
    }

    /** The first indicator of the list that matches, strong ones first. */
    public static Optional<Indicator> first(List<Indicator> list, CallFacts.StringFact s) {
        return first(list, s, i -> true);
    }

    /** {@link #first(List, CallFacts.StringFact)} among the indicators whose index {@code candidate} accepts. */
    static Optional<Indicator> first(List<Indicator> list, CallFacts.StringFact s, IntPredicate candidate) {
        Indicator weakHit = null;
        for (int i = 0; i < list.size(); i++) {
            Indicator ind = list.get(i);
            if (candidate.test(i) && ind.matches(s)) {
                if (ind.strong()) {
                    return Optional.of(ind);
                }
                if (weakHit == null) {
                    weakHit = ind;
                }
            }
        }
        return Optional.ofNullable(weakHit);
    }
}
