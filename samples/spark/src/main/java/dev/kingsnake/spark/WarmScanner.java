package dev.kingsnake.spark;

import dev.kingsnake.Scanner;
import dev.kingsnake.cli.ScannerOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One {@link Scanner} per executor JVM and scanner configuration, built on first use and reused by every
 * task and partition that JVM runs afterwards (loading the rules and the popular-package list costs far
 * more than scanning a small sdist). A static holder, because Spark ships tasks, not objects that live on.
 */
final class WarmScanner {
    private static final ConcurrentHashMap<List<String>, Scanner> BY_OPTIONS = new ConcurrentHashMap<>();
    private static final AtomicInteger BUILT = new AtomicInteger();

    private WarmScanner() {
    }

    /** The scanner these options describe ({@code --threshold=6}, {@code --limit-timeout=2m}, ... as the CLI's). */
    static Scanner forOptions(List<String> scannerArgs) {
        return BY_OPTIONS.computeIfAbsent(List.copyOf(scannerArgs), args -> {
            BUILT.incrementAndGet();
            ScannerArgs parsed = new ScannerArgs();
            new CommandLine(parsed).parseArgs(args.toArray(String[]::new));
            return parsed.options.scanner();
        });
    }

    /** A command line of scanner options alone. */
    @Command(name = "scanner")
    static final class ScannerArgs {
        @Mixin
        ScannerOptions options;
    }

    /** Scanners built in this JVM so far: one per configuration however many tasks ran. */
    static int built() {
        return BUILT.get();
    }
}
