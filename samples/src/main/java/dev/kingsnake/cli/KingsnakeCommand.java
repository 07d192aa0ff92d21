package dev.kingsnake.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * The {@code kingsnake} command. A new subcommand goes into {@link #SUBCOMMANDS}; it
 * takes {@code @ParentCommand KingsnakeCommand parent} for the output streams and
 * {@code @Mixin ScannerOptions} for the scanner options, and returns its exit code from {@code call()}.
 * Subcommands are listed in {@link #SUBCOMMANDS}, not in the annotation: a command line for one subcommand's
 * arguments builds only that subcommand's model (picocli's model of all of them took a third of a second of a cold
 * {@code scan}; see {@link #commandLine(OutputStream, PrintWriter, String...)}).
 *
 * <p>Exit codes: {@value #EXIT_CLEAN} nothing malicious, {@value #EXIT_MALICIOUS} at least one package at or
 * above {@code --fail-on}, {@value #EXIT_ERROR} usage or I/O error.
 */
@Command(name = "kingsnake", mixinStandardHelpOptions = true, versionProvider = KingsnakeCommand.Version.class,
        description = "Flags malicious Python packages (sdists, wheels, eggs) without installing or running them.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:no package was flagged", "1:at least one package was MALICIOUS (see scan --fail-on)",
                "2:usage or I/O error"})
public final class KingsnakeCommand implements Callable<Integer> {
    public static final int EXIT_CLEAN = 0;
    public static final int EXIT_MALICIOUS = 1;
    public static final int EXIT_ERROR = 2;
    /** The subcommands, by name, in the order the usage lists them. */
    static final Map<String, Class<?>> SUBCOMMANDS = subcommands(ScanCommand.class, DiffCommand.class,
            RulesCommand.class, EvalCommand.class, GateCommand.class, CommandLine.HelpCommand.class);

    private final OutputStream out;
    private final PrintWriter err;

    @Spec
    CommandSpec spec;

    /** A command writing reports to {@code out} and messages to {@code err}. */
    public KingsnakeCommand(OutputStream out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    /** As the jar's {@link Main}: the command in a child JVM where that is the plan, else in this one. */
    public static void main(String[] args) {
        Main.main(args);
    }

    /** Runs the command in this JVM, then exits with its code. */
    static void run(String[] args) {
        OutputStream stdout = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        PrintWriter stderr = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int exitCode = commandLine(stdout, stderr, args).execute(args);
        try {
            stdout.flush();
        } catch (IOException e) {
            // the reader went away (closed pipe); nothing left to tell it
        }
        stderr.flush();
        System.exit(exitCode);
    }

    /** A configured command line: one-line error messages, exit code 2 for usage and unexpected errors. */
    public static CommandLine commandLine(OutputStream out, PrintWriter err) {
        return commandLine(out, err, new String[0]);
    }

    /**
     * A configured command line for these arguments: when the first names a subcommand other than {@code help},
     * only that subcommand is known to it (nothing else could run); otherwise all are, for the usage, its list of
     * subcommands and {@code help NAME}.
     */
    static CommandLine commandLine(OutputStream out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new KingsnakeCommand(out, err));
        Class<?> only = args.length == 0 || args[0].equals("help") ? null : SUBCOMMANDS.get(args[0]);
        for (Class<?> subcommand : only == null ? SUBCOMMANDS.values() : List.<Class<?>>of(only)) {
            cl.addSubcommand(subcommand);
        }
        cl.setOut(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true));
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, unmatched) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("kingsnake: " + ex.getMessage());
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
            return EXIT_ERROR;
        });
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            c.getErr().println("kingsnake: " + message(ex));
            return EXIT_ERROR;
        });
        return cl;
    }

    private static Map<String, Class<?>> subcommands(Class<?>... classes) {
        Map<String, Class<?>> byName = new LinkedHashMap<>();
        for (Class<?> c : classes) {
            byName.put(c.getAnnotation(Command.class).name(), c);
        }
        return Collections.unmodifiableMap(byName);
    }

    /** One line for an unexpected exception, never a stack trace. */
    static String message(Throwable ex) {
        if (ex instanceof UncheckedIOException u) {
            ex = u.getCause();
        }
        String m = ex.getMessage();
        String kind = ex instanceof IOException ? "I/O error" : "error";
        return kind + ": " + (m == null || m.isBlank() ? ex.getClass().getSimpleName() : m);
    }

    OutputStream out() {
        return out;
    }

    PrintWriter err() {
        return err;
    }

    /** Without a subcommand: usage on stderr, exit code 2. */
    @Override
    public Integer call() {
        spec.commandLine().usage(err);
        return EXIT_ERROR;
    }

    /** Version from the build (filtered resource). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"kingsnake " + version()};
        }
    }

    /** Kingsnake's version, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String version() {
        Properties p = new Properties();
        try (InputStream in = KingsnakeCommand.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // fall through to "unknown"
        }
        return p.getProperty("version", "unknown");
    }
}
