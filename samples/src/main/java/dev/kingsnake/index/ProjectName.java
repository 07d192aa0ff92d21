package dev.kingsnake.index;

import java.util.Locale;
import java.util.regex.Pattern;

/** PEP 503 project names: the normalised form under which an index files a project. */
public final class ProjectName {
    private static final Pattern SEPARATORS = Pattern.compile("[-_.]+");
    private static final Pattern VALID = Pattern.compile("(?i)[a-z0-9]([a-z0-9._-]*[a-z0-9])?");

    private ProjectName() {
    }

    /** {@code Foo.Bar_baz} becomes {@code foo-bar-baz}. */
    public static String normalize(String name) {
        return SEPARATORS.matcher(name).replaceAll("-").toLowerCase(Locale.ROOT);
    }

    /** True for a name PEP 508 allows (letters, digits, {@code . _ -}, starting and ending with a letter or digit). */
    public static boolean isValid(String name) {
        return VALID.matcher(name).matches();
    }
}
