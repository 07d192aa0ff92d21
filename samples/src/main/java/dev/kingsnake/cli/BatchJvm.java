package dev.kingsnake.cli;

import java.io.IOException;
import java.nio.charset.Charset;
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
 * <p>The child also takes the throughput collector ({@code -XX:+UseParallelGC}) with a young generation of 256 MiB
 * ({@code -Xmn256m}, when the default heap is at least 1 GiB). A batch allocates fast and keeps little: G1's
 * barriers and concurrent threads cost CPU the run never needs, and with its default sizing the JVM grew the heap
 * to 3.7 GB, paying for every page it touched in system time. Measured on the first 1,004 development packages
 * (whole process, paired runs): the throughput collector against G1 0.89 of the wall time and 0.90 of the CPU
 * (system time 5.5 s against 10.2 s, peak RSS 2.3 GB against 3.7 GB, idle machine); with its default sizing it
 * still grew to 2.3 GB and 6.6 s of system time, with the young generation fixed 2.7 s and 0.73 GB. The serial
 * collector used about as much CPU (1.06 of it, machine at load 20) but stops both workers while one core
 * collects.
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
    /** The client compiler only, and the throughput collector (see the class comment). */
    static final List<String> OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseParallelGC");
    /**
     * The young generation's fixed size, given when the default heap holds it four times over: without it the
     * throughput collector grows the young generation to gigabytes, and touching those pages costs more system
     * time than the fewer collections save.
     */
    static final String YOUNG_GENERATION = "-Xmn256m";
    static final long YOUNG_GENERATION_MIN_HEAP = 1L << 30;
    /** The gate child's options, before {@code -XX:CompilerDirectivesFile=} (when the directives could be written). */
    static final List<String> GATE_OPTIONS = List.of("-XX:+UseParallelGC", "-XX:InlineSmallCode=1000",
            "-XX:MaxInlineSize=20", "-XX:FreqInlineSize=150");
    /**
     * HotSpot compiler directives of the gate child: no C2 for Kingsnake's classes (their per-node methods,
     * e.g. the model builder's, cost C2 up to seconds each and were compiled again on the second big wheel;
     * C1's code for them is what the tiered policy falls back to).
     */
    static final String GATE_DIRECTIVES = "[{ match: [\"dev/kingsnake/*.*\"], c2: { Exclude: true } }]\n";
    /** The child's main class, by name: naming the class itself would load it here (and picocli with it). */
    static final String CHILD_MAIN = "dev.kingsnake.cli.KingsnakeCommand";
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
     * @param defaultHeap      this JVM's maximum heap, which is the batch child's too: both take the default
     * @param gateDirectives   writes {@link #GATE_DIRECTIVES} to a file for the gate's child, empty when it could
     *                         not (called only for {@code gate})
     * @param args             the command's arguments
     */
    static Optional<List<String>> childCommand(String javaHome, List<String> processArguments, String classPath,
                                               Map<String, String> environment, boolean inChild, long defaultHeap,
                                               Supplier<Optional<Path>> gateDirectives, String[] args) {
        if (inChild || args.length == 0 || !(BATCH_COMMANDS.contains(args[0]) || args[0].equals(GATE_COMMAND))
                || processArguments.isEmpty()
                || !processArguments.get(0).equals("-jar") || classPath.isEmpty()
                || anyOf(OPTION_VARIABLES, environment)) {
            return Optional.empty();
        }
        List<String> command = new ArrayList<>();
        command.add(javaHome.concat("/bin/java"));
        if (args[0].equals(GATE_COMMAND)) {
            command.addAll(GATE_OPTIONS);
            // the JVM says "1 compiler directives added" on its output: to stderr with the gate's messages
            Optional<Path> file = gateDirectives.get();
            if (file.isPresent()) {
                command.addAll(List.of("-XX:+UnlockDiagnosticVMOptions",
                        "-XX:CompilerDirectivesFile=".concat(file.get().toString()), "-XX:+DisplayVMOutputToStderr"));
            }
        } else {
            command.addAll(OPTIONS);
            if (defaultHeap >= YOUNG_GENERATION_MIN_HEAP) {
                command.add(YOUNG_GENERATION);
            }
        }
        command.add("-D" + CHILD_PROPERTY + "=true");
        command.add("-cp");
        // absolute, as the child's class archive records it (the same jar from another directory is the same jar)
        command.add(classPath.contains(java.io.File.pathSeparator) ? classPath
                : Path.of(classPath).toAbsolutePath().toString());
        command.add(CHILD_MAIN);
        command.addAll(List.of(args));
        return Optional.of(command);
    }

    /**
     * Runs the command in its child JVM if it is to have one, a batch command's child with its class archive
     * ({@link ClassArchive}); the child's exit code, empty when the command is to run in this JVM.
     */
    static OptionalInt launch(String[] args) {
        Optional<List<String>> child = childCommand(args);
        if (child.isEmpty()) {
            return OptionalInt.empty();
        }
        List<String> command = new ArrayList<>(child.get());
        Optional<ClassArchive> archive = BATCH_COMMANDS.contains(args[0]) ? classArchive(command) : Optional.empty();
        if (archive.isPresent()) {
            command.addAll(1, archive.get().options());
        }
        OptionalInt code = run(command);
        if (archive.isPresent()) {
            archive.get().finish(code.isPresent() ? code.getAsInt() : -1);
        }
        return code;
    }

    /** The class archive of a batch child's command line ({@code java OPTIONS... -cp JAR ...}), if it can have one. */
    static Optional<ClassArchive> classArchive(List<String> command) {
        int classPath = command.indexOf("-cp");
        if (classPath < 0 || command.get(classPath + 1).contains(java.io.File.pathSeparator)) {
            return Optional.empty();
        }
        return ClassArchive.of(System.getenv(), System.getProperty("user.home", ""),
                System.getProperty("user.name", ""), Path.of(command.get(classPath + 1)),
                System.getProperty("java.home"), System.getProperty("java.vm.version", ""),
                command.subList(1, classPath), ProcessHandle.current().pid());
    }

    private static boolean anyOf(List<String> variables, Map<String, String> environment) {
        for (String variable : variables) {
            if (environment.containsKey(variable)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The child command for this process, if it is to have one. The way to a child loads as few classes as it can
     * (no lambda, no stream: each costs a cold start milliseconds).
     */
    static Optional<List<String>> childCommand(String[] args) {
        List<String> processArguments = processArguments();
        return childCommand(System.getProperty("java.home"), processArguments,
                System.getProperty("java.class.path", ""), System.getenv(),
                Boolean.getBoolean(CHILD_PROPERTY), Runtime.getRuntime().maxMemory(), new Supplier<>() {
                    @Override
                    public Optional<Path> get() {
                        return writeGateDirectives();
                    }
                }, args);
    }

    /**
     * This process's arguments after the launcher's name. On Linux they are read from {@code /proc/self/cmdline}:
     * the JDK's {@code ProcessHandle.Info.arguments()} reads only its first 4 KiB there and is empty beyond, so a
     * batch named on a long command line (a thousand packages) never got its child JVM. Elsewhere, and when that
     * file cannot be read, {@code ProcessHandle} tells; empty when nothing does.
     */
    static List<String> processArguments() {
        Path cmdline = Path.of("/proc/self/cmdline");
        try {
            if (Files.isReadable(cmdline)) {
                List<String> all = cmdlineArguments(Files.readAllBytes(cmdline));
                if (!all.isEmpty()) {
                    return all.subList(1, all.size());
                }
            }
        } catch (IOException | SecurityException e) {
            // as if there were no such file
        }
        return ProcessHandle.current().info().arguments().map(List::of).orElse(List.of());
    }

    /** The NUL-terminated arguments of a {@code /proc/PID/cmdline}, the program's name first. */
    static List<String> cmdlineArguments(byte[] raw) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == 0) {
                out.add(new String(raw, start, i - start, Charset.defaultCharset()));
                start = i + 1;
            }
        }
        if (start < raw.length) {
            out.add(new String(raw, start, raw.length - start, Charset.defaultCharset()));
        }
        return out;
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
        Runtime.getRuntime().addShutdownHook(new Thread("kingsnake-stop-batch-jvm") {
            @Override
            public void run() {
                child.destroy();
            }
        });
        while (true) {
            try {
                return OptionalInt.of(child.waitFor());
            } catch (InterruptedException e) {
                // nothing here interrupts the main thread; the child's end is what we wait for
            }
        }
    }
}
