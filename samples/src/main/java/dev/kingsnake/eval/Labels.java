package dev.kingsnake.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Campaign labels from a TSV file: first column a path relative to the malicious directory, second column
 * the campaign. The first line is a header.
 */
public final class Labels {
    private final Path base;
    private final Map<Path, String> campaigns;

    private Labels(Path base, Map<Path, String> campaigns) {
        this.base = base;
        this.campaigns = campaigns;
    }

    public static Labels none() {
        return new Labels(Path.of("."), Map.of());
    }

    public static Labels read(Path tsv, Path maliciousDir) throws IOException {
        Map<Path, String> out = new HashMap<>();
        Path base = maliciousDir.toAbsolutePath().normalize();
        List<String> lines = Files.readAllLines(tsv, StandardCharsets.UTF_8);
        for (int i = 1; i < lines.size(); i++) {
            String[] cols = lines.get(i).split("\t");
            if (cols.length >= 2 && !cols[0].isBlank()) {
                out.put(base.resolve(cols[0].strip()).normalize(), cols[1].strip());
            }
        }
        return new Labels(base, out);
    }

    public int size() {
        return campaigns.size();
    }

    /** The campaign of a package; an unlabelled package is a campaign of its own. */
    public String campaign(Path input) {
        Path p = input.toAbsolutePath().normalize();
        return Optional.ofNullable(campaigns.get(p)).orElseGet(() -> "unlabelled:" + base.relativize(p));
    }
}
