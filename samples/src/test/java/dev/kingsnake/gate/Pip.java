package dev.kingsnake.gate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The machine's real pip, run with every configuration cleared: no config file ({@code PIP_CONFIG_FILE} is the
 * null device, which makes pip skip all of them), no other {@code PIP_*} variable, so the only index it can use is
 * the one on its command line (this machine's pip config adds local indexes and find-links that would otherwise
 * let it fetch straight past the gate).
 */
final class Pip {
    /** What one pip run did. */
    record Run(int exit, String output) {
    }

    private final String python;
    private final Path home;

    private Pip(String python, Path home) {
        this.python = python;
        this.home = home;
    }

    /** pip, if {@code python3 -m pip} works here. */
    static Optional<Pip> find(Path home) {
        for (String python : List.of("python3", "python")) {
            try {
                Process p = new ProcessBuilder(python, "-m", "pip", "--version").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return Optional.of(new Pip(python, home));
                }
            } catch (IOException e) {
                // not this one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Starts {@code pip ARGS} with the index given and a cleared environment. */
    Process start(String index, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(python, "-m", "pip"));
        command.add(args.get(0));
        command.addAll(List.of("--index-url", index, "--no-cache-dir", "--disable-pip-version-check",
                "--retries", "0", "--timeout", "60"));
        command.addAll(args.subList(1, args.size()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("PIP_") || k.startsWith("UV_") || k.equals("PYTHONPATH"));
        env.put("PIP_CONFIG_FILE", "/dev/null");
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        return pb.start();
    }

    Run run(String index, String... args) throws IOException, InterruptedException {
        return finish(start(index, List.of(args)));
    }

    static Run finish(Process p) throws IOException, InterruptedException {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(240, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("pip did not finish:\n" + out);
        }
        return new Run(p.exitValue(), out);
    }

    static List<Path> files(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
