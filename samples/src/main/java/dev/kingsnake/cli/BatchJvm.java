package dev.kingsnake.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Runs a batch command ({@code scan}, {@code eval}) in a child JVM whose JIT suits a run of seconds to minutes:
 * the client compiler only ({@code -XX:TieredStopAtLevel=1}). On the first 1,004 development packages the
 * optimising compiler (C2) used about 30% of the process's CPU, compiling the big per-node methods of the parser,
 * the model and the rules several times over, and its faster code did not win that back within the run (see
 * README, Performance). A plain {@code java -jar} cannot choose JVM options, hence the child; it inherits the
 * standard streams and its exit code is the command's.
 *
 * <p>Only a plain {@code java -jar kingsnake.jar scan|eval ...} is run in a child: when the JVM was given any
 * option (before {@code -jar}, or through {@code JDK_JAVA_OPTIONS}, {@code JAVA_TOOL_OPTIONS} or
 * {@code _JAVA_OPTIONS}), its user chose its settings and the command runs where it is, as does every other
 * command.
 *
 * <p>A plain {@code java -jar kingsnake.jar gate ...} runs in a child JVM too, with the JIT and collector that
 * measured least CPU on the biggest wheels (README, Performance, "The gate's JVM"): the parallel collector and
 * less inlining ({@link #GATE_OPTIONS}), and compiler directives ({@link #GATE_DIRECTIVES}, a temporary file)
 * that leave Kingsnake's own classes to the client compiler while the JDK's and the ANTLR runtime's hot loops
 * (SHA-256, reading, the lexer's and parser's simulators) still get the optimising one.
 */
final class BatchJvm {
    /** Set in the child, so that it never starts another. */
    static final String CHILD_PROPERTY = "kingsnake.batchJvm";
    static final List<String> OPTIONS = List.of("-XX:TieredStopAtLevel=1");
    /** The gate child's options, before {@code -XX:CompilerDirectivesFile=} (when the directives could be written). */
    static final List<String> GATE_OPTIONS = List.of("-XX:+UseParallelGC", "-XX:InlineSmallCode=1000",
            "-XX:MaxInlineSize=20", "-XX:FreqInlineSize=150");
    /**
     * HotSpot compiler directives of the gate child: no C2 for Kingsnake's classes (their per-node methods,
     * e.g. the model builder's, cost C2 up to seconds each and were compiled again on the second big wheel;
     * C1's code for them is what the tiered policy falls back to).
     */
    static final String GATE_DIRECTIVES = "[{ match: [\"dev/kingsnake/*.*\"], c2: { Exclude: true } }]\n";
    private static final String GATE_COMMAND = "gate";
    private static final Set<String> BATCH_COMMANDS = Set.of("scan", "eval");
    private static final List<String> OPTION_VARIABLES = List.of("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS",
            "_JAVA_OPTIONS");

    private BatchJvm() {
    }

    /**
     * The child's command line, or empty when the command runs in this JVM.
     *
     * @param javaHome         this JVM's {@code java.home}
     * @param processArguments this process's arguments after the launcher's name ({@code -jar JAR ARGS...} when
     *                         it was given no JVM option), empty when the platform does not tell
     * @param classPath        this JVM's class path (the jar)
     * @param gateDirectives   writes {@link #GATE_DIRECTIVES} to a file for the gate's child, empty when it could
     *                         not (called only for {@code gate})
     * @param args             the command's arguments
     */
    static Optional<List<String>> childCommand(String javaHome, List<String> processArguments, String classPath,
                                               Map<String, String> environment, boolean inChild,
                                               Supplier<Optional<Path>> gateDirectives, String[] args) {
        if (inChild || args.length == 0 || !(BATCH_COMMANDS.contains(args[0]) || args[0].equals(GATE_COMMAND))
                || processArguments.isEmpty()
                || !processArguments.get(0).equals("-jar") || classPath.isEmpty()
                || OPTION_VARIABLES.stream().anyMatch(environment::containsKey)) {
            return Optional.empty();
        }
        List<String> command = new ArrayList<>();
        command.add(javaHome + "/bin/java");
        if (args[0].equals(GATE_COMMAND)) {
            command.addAll(GATE_OPTIONS);
            // the JVM says "1 compiler directives added" on its output: to stderr with the gate's messages
            gateDirectives.get().ifPresent(file -> command.addAll(List.of("-XX:+UnlockDiagnosticVMOptions",
                    "-XX:CompilerDirectivesFile=" + file, "-XX:+DisplayVMOutputToStderr")));
        } else {
            command.addAll(OPTIONS);
        }
        command.add("-D" + CHILD_PROPERTY + "=true");
        command.add("-cp");
        command.add(classPath);
        command.add(KingsnakeCommand.class.getName());
        command.addAll(List.of(args));
        return Optional.of(command);
    }

    /** The child command for this process, if it is to have one. */
    static Optional<List<String>> childCommand(String[] args) {
        List<String> processArguments = ProcessHandle.current().info().arguments().map(List::of).orElse(List.of());
        return childCommand(System.getProperty("java.home"), processArguments,
                System.getProperty("java.class.path", ""), System.getenv(),
                Boolean.getBoolean(CHILD_PROPERTY), BatchJvm::writeGateDirectives, args);
    }

    /** {@link #GATE_DIRECTIVES} in a temporary file, deleted when this process ends (the child reads it at start). */
    private static Optional<Path> writeGateDirectives() {
        try {
            Path file = Files.createTempFile("kingsnake-gate-jit", ".json");
            file.toFile().deleteOnExit();
            Files.writeString(file, GATE_DIRECTIVES, StandardCharsets.UTF_8);
            return Optional.of(file);
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    /**
     * Runs the child with this process's standard streams and returns its exit code; empty when it could not be
     * started (the command then runs in this JVM). Stopping this process stops the child.
     */
    static OptionalInt run(List<String> command) {
        Process child;
        try {
            child = new ProcessBuilder(command).inheritIO().start();
        } catch (IOException e) {
            return OptionalInt.empty();
        }
        Runtime.getRuntime().addShutdownHook(new Thread(child::destroy, "kingsnake-stop-batch-jvm"));
        while (true) {
            try {
                return OptionalInt.of(child.waitFor());
            } catch (InterruptedException e) {
                // nothing here interrupts the main thread; the child's end is what we wait for
            }
        }
    }
}
