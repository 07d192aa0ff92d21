package dev.kingsnake.cli;

import dev.kingsnake.ReleaseDiff;
import dev.kingsnake.Scanner;
import dev.kingsnake.Verdict;
import dev.kingsnake.report.DiffReport;
import dev.kingsnake.report.ReportFormat;
import dev.kingsnake.report.ReportSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code kingsnake diff}: what a new release changed, and whether the change is dangerous. */
@Command(name = "diff", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Compares two releases of a package: files added, removed and changed (by SHA-256), findings and "
                        + "capabilities new in NEW with their reach, metadata drift (author, maintainer, e-mail, "
                        + "home page, dependencies, entry points, build backend), a drift score and a verdict for "
                        + "the change. A new .pth start-up hook, install-time network access or exec of decoded "
                        + "data is listed first.",
                "",
                "OLD and NEW are archives, or with --index: NAME OLDVERSION NEWVERSION fetched from the index.",
                ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the change did not reach --fail-on", "1:the change reached --fail-on (default: MALICIOUS)",
                "2:usage or I/O error"})
final class DiffCommand implements Callable<Integer> {

    @ParentCommand
    KingsnakeCommand parent;

    @Parameters(paramLabel = "OLD NEW", arity = "2..3",
            description = "Two archives; with --index, NAME OLDVERSION NEWVERSION.")
    List<String> arguments;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT",
            description = "text, json or sarif (jsonl writes json). Default: ${DEFAULT-VALUE}.")
    ReportFormat format = ReportFormat.TEXT;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the report to FILE.")
    Path output;

    @Option(names = "--fail-on", paramLabel = "VERDICT",
            description = "Exit with 1 if the change is at least this bad: MALICIOUS or SUSPICIOUS. "
                    + "Default: ${DEFAULT-VALUE}.")
    ScanCommand.FailOn failOn = ScanCommand.FailOn.MALICIOUS;

    @Mixin
    IndexOptions indexOptions;

    @Mixin
    ScannerOptions scannerOptions;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = parent.err();
        List<Path> releases;
        if (indexOptions.index().isPresent()) {
            if (arguments.size() != 3) {
                err.println("kingsnake: with --index, give NAME OLDVERSION NEWVERSION");
                return KingsnakeCommand.EXIT_ERROR;
            }
            try {
                releases = indexOptions.releasePair(arguments.get(0), arguments.get(1), arguments.get(2), err);
            } catch (IOException e) {
                err.println("kingsnake: " + KingsnakeCommand.message(e));
                return KingsnakeCommand.EXIT_ERROR;
            }
        } else {
            if (arguments.size() != 2) {
                err.println("kingsnake: give OLD and NEW archives (or --index URL NAME OLDVERSION NEWVERSION)");
                return KingsnakeCommand.EXIT_ERROR;
            }
            releases = List.of(Path.of(arguments.get(0)), Path.of(arguments.get(1)));
            for (Path p : releases) {
                if (!Files.isRegularFile(p)) {
                    err.println("kingsnake: no such file: " + p);
                    return KingsnakeCommand.EXIT_ERROR;
                }
            }
        }
        Scanner scanner = scannerOptions.scanner();
        ReleaseDiff diff = ReleaseDiff.compare(scanner, scannerOptions.limits(), releases.get(0), releases.get(1));
        ReportSettings settings = new ReportSettings(KingsnakeCommand.version(), scanner.threshold(),
                scanner.rules(), false);
        try (OutputStream out = output == null ? null : new BufferedOutputStream(Files.newOutputStream(output))) {
            DiffReport.write(diff, format, settings, out == null ? parent.out() : out);
        } catch (IOException e) {
            err.println("kingsnake: cannot write the report: " + KingsnakeCommand.message(e));
            return KingsnakeCommand.EXIT_ERROR;
        }
        boolean fails = diff.verdict() == Verdict.MALICIOUS
                || failOn == ScanCommand.FailOn.SUSPICIOUS && diff.verdict() == Verdict.SUSPICIOUS;
        return fails ? KingsnakeCommand.EXIT_MALICIOUS : KingsnakeCommand.EXIT_CLEAN;
    }
}
