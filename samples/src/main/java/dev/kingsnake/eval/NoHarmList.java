package dev.kingsnake.eval;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Labelled-malicious packages reviewed by hand and judged to hold no harmful code (placeholders, defensive
 * uploads, harmless proofs of concept, versions before the payload), one reason each. Recall is reported twice:
 * over every labelled package, and over the packages with harmful code, which leaves these out. The list
 * changes no verdict.
 *
 * <p>Format: TSV with a header line; first column a path relative to the malicious directory, second the
 * campaign, third the reason.
 */
public final class NoHarmList {
    /** The reviewed list for the development corpus ({@code ../shared/corpus/malicious-dev}), shipped in the jar. */
    public static final String SHIPPED = "/dev/kingsnake/eval/no-harm.tsv";

    private final String source;
    private final Map<Path, String> reasons;

    private NoHarmList(String source, Map<Path, String> reasons) {
        this.source = source;
        this.reasons = Map.copyOf(reasons);
    }

    public static NoHarmList none() {
        return new NoHarmList("none", Map.of());
    }

    public static NoHarmList read(Path tsv, Path maliciousDir) throws IOException {
        return parse(tsv.toString(), Files.readAllLines(tsv, StandardCharsets.UTF_8), maliciousDir);
    }

    /** The list shipped with the CLI, its paths resolved against {@code maliciousDir}. */
    public static NoHarmList shipped(Path maliciousDir) {
        try (InputStream in = NoHarmList.class.getResourceAsStream(SHIPPED)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + SHIPPED);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return parse("shipped " + SHIPPED.substring(SHIPPED.lastIndexOf('/') + 1), text.lines().toList(),
                    maliciousDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static NoHarmList parse(String source, List<String> lines, Path maliciousDir) {
        Path base = maliciousDir.toAbsolutePath().normalize();
        Map<Path, String> out = new HashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] cols = lines.get(i).split("\t");
            if (cols.length >= 1 && !cols[0].isBlank()) {
                out.put(base.resolve(cols[0].strip()).normalize(), cols.length >= 3 ? cols[2].strip() : "");
            }
        }
        return new NoHarmList(source, out);
    }

    /** Where the list came from, for the report. */
    public String source() {
        return source;
    }

    public int size() {
        return reasons.size();
    }

    public boolean contains(Path input) {
        return reasons.containsKey(input.toAbsolutePath().normalize());
    }
}
