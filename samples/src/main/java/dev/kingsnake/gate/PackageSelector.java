package dev.kingsnake.gate;

import dev.kingsnake.index.ProjectName;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One entry of an allow or deny list: a project ({@code requests}), one release ({@code requests==2.32.3}) or one
 * file by digest ({@code sha256:<64 hex digits>}).
 */
public sealed interface PackageSelector {
    Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** Every file of the project (names compared after PEP 503 normalisation). */
    record Project(String name) implements PackageSelector {
    }

    /** Every file of one release. */
    record Release(String name, String version) implements PackageSelector {
    }

    /** One file. */
    record File(String sha256) implements PackageSelector {
    }

    /** True when this selects the file {@code sha256} (may be empty when unknown) of {@code project} {@code version}. */
    default boolean matches(String project, Optional<String> version, Optional<String> sha256) {
        String name = ProjectName.normalize(project);
        if (this instanceof Project p) {
            return p.name().equals(name);
        }
        if (this instanceof Release r) {
            return r.name().equals(name) && version.filter(r.version()::equals).isPresent();
        }
        return sha256.filter(((File) this).sha256()::equalsIgnoreCase).isPresent();
    }

    /** Reads one list entry; empty when it is none of the three forms. */
    static Optional<PackageSelector> parse(String entry) {
        String e = entry.strip();
        if (e.toLowerCase(Locale.ROOT).startsWith("sha256:")) {
            String digest = e.substring(7).toLowerCase(Locale.ROOT);
            return SHA256.matcher(digest).matches() ? Optional.of(new File(digest)) : Optional.empty();
        }
        int eq = e.indexOf("==");
        if (eq >= 0) {
            String name = e.substring(0, eq).strip();
            String version = e.substring(eq + 2).strip();
            return ProjectName.isValid(name) && !version.isEmpty()
                    ? Optional.of(new Release(ProjectName.normalize(name), version)) : Optional.empty();
        }
        return ProjectName.isValid(e) ? Optional.of(new Project(ProjectName.normalize(e))) : Optional.empty();
    }
}
