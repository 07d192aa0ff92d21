package dev.kingsnake.rules.pkg;

import java.util.Locale;
import java.util.regex.Pattern;

/** Package-name helpers shared by the package-level rules. */
final class PackageNames {
    private static final Pattern SEPARATORS = Pattern.compile("[-_.]+");

    private PackageNames() {
    }

    /** PEP 503 normalisation: lower case, every run of {@code -}, {@code _}, {@code .} becomes one {@code -}. */
    static String normalise(String name) {
        return SEPARATORS.matcher(name.strip().toLowerCase(Locale.ROOT)).replaceAll("-");
    }

    /** The normalised name without any separator: {@code beautiful-soup} and {@code beautifulsoup} meet here. */
    static String squash(String name) {
        return normalise(name).replace("-", "");
    }
}
