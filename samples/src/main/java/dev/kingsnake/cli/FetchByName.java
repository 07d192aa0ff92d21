package dev.kingsnake.cli;

import dev.kingsnake.index.LockFileReader;
import dev.kingsnake.index.PinnedRequirement;
import dev.kingsnake.index.ReleaseFetcher;
import dev.kingsnake.report.FileOrigin;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code scan --index NAME...} and {@code scan -r FILE}: turns names and lock files into downloaded files. */
final class FetchByName {
    private FetchByName() {
    }

    /**
     * The downloaded files to scan (with the PATH arguments that are not names when no --index is given), and
     * their origins keyed by the scan input; empty after a usage error, reported on {@code err}. A requirement that
     * cannot be fetched is reported and the others are scanned.
     */
    static Optional<List<Path>> fetch(IndexOptions options, List<Path> arguments, List<Path> requirementFiles,
                                      Map<String, FileOrigin> origins, PrintWriter err) {
        List<PinnedRequirement> wanted = new ArrayList<>();
        List<Path> local = new ArrayList<>();
        for (Path a : arguments) {
            if (options.index().isEmpty()) {
                local.add(a);
                continue;
            }
            Optional<PinnedRequirement> r = PinnedRequirement.parse(a.toString());
            if (r.isEmpty()) {
                err.println("kingsnake: not a project name or NAME==VERSION: " + a);
                return Optional.empty();
            }
            wanted.add(r.get());
        }
        for (Path file : requirementFiles) {
            try {
                LockFileReader.Contents c = LockFileReader.read(file);
                c.skipped().forEach(s -> err.println("kingsnake: " + file + ": skipped " + s));
                wanted.addAll(c.requirements());
            } catch (IOException | RuntimeException e) {
                err.println("kingsnake: cannot read " + file + ": " + KingsnakeCommand.message(e));
                return Optional.empty();
            }
        }
        ReleaseFetcher fetcher = options.fetcher();
        List<Path> out = new ArrayList<>(local);
        for (PinnedRequirement r : wanted) {
            ReleaseFetcher.Outcome o = fetcher.fetch(r);
            o.problems().forEach(p -> err.println("kingsnake: " + p));
            for (ReleaseFetcher.FetchedFile f : o.files()) {
                out.add(f.path());
                origins.put(f.path().toString(), IndexOptions.origin(f));
            }
        }
        if (out.isEmpty()) {
            err.println("kingsnake: nothing could be fetched from " + options.indexUrl());
            return Optional.empty();
        }
        return Optional.of(out);
    }
}
