package dev.kingsnake.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

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
 * command ({@code gate} is a long-running server, where the optimising compiler pays off).
 */
final class BatchJvm {
    /** Set in the child, so that it never starts another. */
    static final String CHILD_PROPERTY = "kingsnake.batchJvm";
    static final List<String> OPTIONS = List.of("-XX:TieredStopAtLevel=1");
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
     * @param args             the command's arguments
     */
    static Optional<List<String>> childCommand(String javaHome, List<String> processArguments, String classPath,
                                               Map<String, String> environment, boolean inChild, String[] args) {
        if (inChild || args.length == 0 || !BATCH_COMMANDS.contains(args[0]) || processArguments.isEmpty()
                || !processArguments.get(0).equals("-jar") || classPath.isEmpty()
                || OPTION_VARIABLES.stream().anyMatch(environment::containsKey)) {
            return Optional.empty();
        }
        List<String> command = new ArrayList<>();
        command.add(javaHome + "/bin/java");
        command.addAll(OPTIONS);
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
                Boolean.getBoolean(CHILD_PROPERTY), args);
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
