package dev.kingsnake.cli;

import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;

/**
 * A progress bar on stderr, shown only when the JVM has a console (System.console() != null) and the
 * user did not ask for quiet. Report output that may go to the same terminal is written through
 * {@link #print(Runnable)}, which takes the bar off the line first and draws it again after, so the two
 * never interleave.
 */
abstract class ConsoleProgress implements AutoCloseable {
    /** A bar that steps aside for output written through {@link #print(Runnable)}. */
    static ConsoleProgress open(boolean wanted) {
        return open(wanted, true);
    }

    /**
     * @param wanted           false with --quiet
     * @param reportOnTerminal whether the report goes to standard output (then the bar steps aside for it)
     */
    static ConsoleProgress open(boolean wanted, boolean reportOnTerminal) {
        return wanted && System.console() != null ? new Bar(System.err, reportOnTerminal) : new None();
    }

    /** Whether a bar is shown (so that counting the inputs ahead is worth it). */
    abstract boolean shown();

    /** Runs {@code output} (which writes a finished result) and counts one package done. */
    abstract void print(Runnable output);

    /** Runs {@code output} (a message) with the bar out of the way. */
    abstract void message(Runnable output);

    /** The number of packages, once the inputs have all been expanded. */
    abstract void total(long packages);

    @Override
    public abstract void close();

    private static final class None extends ConsoleProgress {
        @Override
        void print(Runnable output) {
            output.run();
        }

        @Override
        void message(Runnable output) {
            output.run();
        }

        @Override
        boolean shown() {
            return false;
        }

        @Override
        void total(long packages) {
        }

        @Override
        public void close() {
        }
    }

    private static final class Bar extends ConsoleProgress {
        private static final int WIDTH = 100;
        private final Object lock = new Object();
        private final PrintStream err;
        private final ProgressBar bar;
        private final boolean reportOnTerminal;
        private String shown = "";

        Bar(PrintStream err, boolean reportOnTerminal) {
            this.err = err;
            this.reportOnTerminal = reportOnTerminal;
            this.bar = new ProgressBarBuilder()
                    .setTaskName("Scanning")
                    .setUnit(" packages", 1)
                    .setInitialMax(-1)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(250)
                    .setConsumer(new DelegatingProgressBarConsumer(this::draw, WIDTH))
                    .build();
        }

        private void draw(String rendered) {
            synchronized (lock) {
                shown = rendered;
                err.print('\r' + rendered);
                err.flush();
            }
        }

        private void clear() {
            if (!shown.isEmpty()) {
                err.print('\r' + " ".repeat(shown.length()) + '\r');
                err.flush();
            }
        }

        @Override
        boolean shown() {
            return true;
        }

        @Override
        void print(Runnable output) {
            if (reportOnTerminal) {
                message(output);
            } else {
                output.run();
            }
            bar.step();
        }

        @Override
        void message(Runnable output) {
            synchronized (lock) {
                clear();
                try {
                    output.run();
                } finally {
                    if (!shown.isEmpty()) {
                        err.print('\r' + shown);
                        err.flush();
                    }
                }
            }
        }

        @Override
        void total(long packages) {
            bar.maxHint(packages);
        }

        @Override
        public void close() {
            bar.close();
            synchronized (lock) {
                clear();
                shown = "";
            }
        }
    }
}
