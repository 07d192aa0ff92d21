package dev.kingsnake.internal.engine;

import dev.kingsnake.Baseline;
import dev.kingsnake.Finding;
import dev.kingsnake.SuppressedFinding;
import dev.kingsnake.Suppressions;
import dev.kingsnake.spi.PackageInfo;
import dev.kingsnake.internal.archive.ArchiveEntry;
import dev.kingsnake.spi.SourceFile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Splits a package's findings into those that count and those the user's {@link Suppressions} set aside,
 * before scoring, so that the score and verdict are those of the remaining findings.
 */
final class SuppressionPass {
    record Split(List<Finding> active, List<SuppressedFinding> suppressed) {
    }

    private SuppressionPass() {
    }

    static Split apply(Suppressions suppressions, PackageInfo info, List<Finding> findings, List<ArchiveEntry> files) {
        if (suppressions.isEmpty() || findings.isEmpty()) {
            return new Split(findings, List.of());
        }
        List<String> prints = Baseline.fingerprints(info.name(), info.version(), findings);
        Map<String, Optional<String>> hashes = new HashMap<>();
        List<Finding> active = new ArrayList<>();
        List<SuppressedFinding> suppressed = new ArrayList<>();
        for (int i = 0; i < findings.size(); i++) {
            Finding f = findings.get(i);
            String entry = SourceFile.entryPath(f.file());
            Optional<String> reason = suppressions.reason(f, prints.get(i),
                    () -> hashes.computeIfAbsent(entry, path -> sha256(path, files)));
            if (reason.isPresent()) {
                suppressed.add(new SuppressedFinding(f, reason.get()));
            } else {
                active.add(f);
            }
        }
        return new Split(active, suppressed);
    }

    /** The SHA-256 of an archive entry's bytes; empty for a finding about the package as a whole. */
    private static Optional<String> sha256(String entryPath, List<ArchiveEntry> files) {
        for (ArchiveEntry e : files) {
            if (e.path().equals(entryPath)) {
                return e.sha256().map(HexFormat.of()::formatHex);
            }
        }
        return Optional.empty();
    }
}
