package dev.kingsnake;

import dev.kingsnake.internal.engine.ScanEngine;
import dev.kingsnake.spi.Rule;
import dev.kingsnake.spi.RuleInfo;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Scans Python packages. Immutable, thread-safe and reusable: build one and share it; scans may run
 * in parallel. {@code scan} never throws on bad input: an unreadable archive becomes a result with
 * verdict {@link Verdict#ERROR} and diagnostics.
 *
 * <pre>{@code
 * Scanner scanner = Scanner.builder().limits(Limits.defaults()).threshold(5.0).build();
 * ScanResult r = scanner.scan(Path.of("pkg-1.0.tar.gz"));
 * }</pre>
 */
public final class Scanner {
    /** Default score at and above which a package is MALICIOUS. */
    public static final double DEFAULT_THRESHOLD = 5.0;

    private final ScanEngine engine;
    private final double threshold;

    private Scanner(Builder b) {
        this.threshold = b.threshold;
        this.engine = new ScanEngine(b.limits, b.rules == null ? loadRules() : b.rules, b.threshold,
                b.threshold / 2.0, Optional.ofNullable(b.popularPackages), b.suppressions);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Scans an archive, a single Python file, or an unpacked project directory. */
    public ScanResult scan(Path path) {
        return engine.scan(path);
    }

    /** Scans an archive or a Python file read from a stream; {@code name} is used as input and file name. */
    public ScanResult scan(String name, InputStream in) {
        return engine.scan(name, in);
    }

    public double threshold() {
        return threshold;
    }

    /** The rules this scanner runs. */
    public List<RuleInfo> rules() {
        return engine.rules().stream().map(Rule::info).toList();
    }

    /**
     * Every rule registered with {@link ServiceLoader} on the class path, behaviour rules first, each group by id:
     * the rules run in this order, so a package that reaches its time limit loses capabilities, not evidence.
     */
    public static List<Rule> loadRules() {
        List<Rule> out = new ArrayList<>();
        ServiceLoader.load(Rule.class, Scanner.class.getClassLoader()).forEach(out::add);
        out.sort(java.util.Comparator.comparing((Rule r) -> r.info().tags().contains(dev.kingsnake.spi.Tags.CAPABILITY))
                .thenComparing(r -> r.info().id()));
        return out;
    }

    public static final class Builder {
        private Limits limits = Limits.defaults();
        private double threshold = DEFAULT_THRESHOLD;
        private List<Rule> rules;
        private List<String> popularPackages;
        private Suppressions suppressions = Suppressions.NONE;

        private Builder() {
        }

        public Builder limits(Limits limits) {
            this.limits = Objects.requireNonNull(limits);
            return this;
        }

        /** Score (0–10) at and above which the verdict is MALICIOUS; half of it is SUSPICIOUS. */
        public Builder threshold(double threshold) {
            if (threshold <= 0 || threshold > 10) {
                throw new IllegalArgumentException("threshold must be in (0, 10]: " + threshold);
            }
            this.threshold = threshold;
            return this;
        }

        /** Runs exactly these rules instead of those found by {@link ServiceLoader}. */
        public Builder rules(List<? extends Rule> rules) {
            this.rules = List.copyOf(rules);
            return this;
        }

        /** Replaces the bundled list of popular package names (most popular first) used against typosquatting. */
        public Builder popularPackages(List<String> names) {
            this.popularPackages = List.copyOf(names);
            return this;
        }

        /**
         * Sets these findings aside: they are reported in {@link ScanResult#suppressed()} and left out of the
         * score and verdict. Default: {@link Suppressions#NONE}.
         */
        public Builder suppressions(Suppressions suppressions) {
            this.suppressions = Objects.requireNonNull(suppressions);
            return this;
        }

        public Scanner build() {
            return new Scanner(this);
        }
    }
}
