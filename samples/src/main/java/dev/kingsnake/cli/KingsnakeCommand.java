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
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * The {@code kingsnake} command. Subcommands are listed in the annotation below; a new subcommand
 * takes {@code @ParentCommand KingsnakeCommand parent} for the output streams and
 * {@code @Mixin ScannerOptions} for the scanner options, and returns its exit code from {@code call()}.
 *
 * <p>Exit codes: {@value #EXIT_CLEAN} nothing malicious, {@value #EXIT_MALICIOUS} at least one package at or
 * above {@code --fail-on}, {@value #EXIT_ERROR} usage or I/O error.
 */
@Command(name = "kingsnake", mixinStandardHelpOptions = true, versionProvider = KingsnakeCommand.Version.class,
        description = "Flags malicious Python packages (sdists, wheels, eggs) without installing or running them.",
        subcommands = {ScanCommand.class, DiffCommand.class, RulesCommand.class, EvalCommand.class, GateCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:no package was flagged", "1:at least one package was MALICIOUS (see scan --fail-on)",
                "2:usage or I/O error"})
public final class KingsnakeCommand implements Callable<Integer> {
    public static final int EXIT_CLEAN = 0;
    public static final int EXIT_MALICIOUS = 1;
    public static final int EXIT_ERROR = 2;

    private final OutputStream out;
    private final PrintWriter err;

    @Spec
    CommandSpec spec;

    /** A command writing reports to {@code out} and messages to {@code err}. */
    public KingsnakeCommand(OutputStream out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        Optional<List<String>> child = BatchJvm.childCommand(args);
        if (child.isPresent()) {
            OptionalInt code = BatchJvm.run(child.get());
            if (code.isPresent()) {
                System.exit(code.getAsInt());
            }
        }
        OutputStream stdout = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        PrintWriter stderr = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int code = commandLine(stdout, stderr).execute(args);
        try {
            stdout.flush();
        } catch (IOException e) {
            // the reader went away (closed pipe); nothing left to tell it
        }
        stderr.flush();
        System.exit(code);
    }

    /** A configured command line: one-line error messages, exit code 2 for usage and unexpected errors. */
    public static CommandLine commandLine(OutputStream out, PrintWriter err) {
        CommandLine cl = new CommandLine(new KingsnakeCommand(out, err));
        cl.setOut(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true));
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, args) -> {
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
