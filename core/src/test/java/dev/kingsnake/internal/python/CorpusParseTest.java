package dev.kingsnake.internal.python;

import dev.kingsnake.Diagnostic;
import dev.kingsnake.DiagnosticCode;
import dev.kingsnake.Limits;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Parse rates on real code: the CPython 3.11 standard library installed on this machine (every file
 * CPython itself accepts must parse without PARSE_ERROR) and the Python files inside the malicious
 * development corpus (at least 99%). Archives are read in memory; nothing is extracted or run.
 */
class CorpusParseTest {

    /**
     * Files of the 3.11 stdlib that CPython 3.11 itself rejects (Python 2 test data, deliberately bad
     * encodings/syntax), found with {@code ast.parse} on every stdlib file:
     * {@code python3.11 -c "import ast,sys; ast.parse(open(sys.argv[1],'rb').read())" FILE}.
     */
    private static final Set<String> REJECTED_BY_CPYTHON = Set.of(
            "lib2to3/tests/data/bom.py",
            "lib2to3/tests/data/crlf.py",
            "lib2to3/tests/data/different_encoding.py",
            "lib2to3/tests/data/false_encoding.py",
            "lib2to3/tests/data/py2_test_grammar.py",
            "test/tokenizedata/bad_coding.py",
            "test/tokenizedata/bad_coding2.py",
            "test/tokenizedata/badsyntax_3131.py",
            "test/tokenizedata/badsyntax_pep3120.py");

    private static final List<Path> STDLIB_CANDIDATES = List.of(
            Path.of("/root/.pyenv/versions/3.11.7/lib/python3.11"),
            Path.of("/usr/lib/python3.11"));

    private final PythonParser parser = new PythonParser(Limits.defaults());

    record Source(String name, byte[] bytes) {
    }

    record Result(String name, List<Diagnostic> errors) {
    }

    @Test
    void parsesTheWholeCpython311StandardLibrary() throws IOException {
        Optional<Path> root = STDLIB_CANDIDATES.stream().filter(p -> Files.isRegularFile(p.resolve("os.py")))
                .findFirst();
        assumeTrue(root.isPresent(), "no CPython 3.11 standard library on this machine");
        List<Source> sources = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root.get())) {
            for (Path p : walk.filter(f -> f.toString().endsWith(".py") && Files.isRegularFile(f)).sorted()
                    .collect(Collectors.toList())) {
                String rel = root.get().relativize(p).toString().replace('\\', '/');
                if (rel.startsWith("site-packages/") || rel.startsWith("dist-packages/")
                        || REJECTED_BY_CPYTHON.contains(rel)) {
                    continue;
                }
                sources.add(new Source(rel, Files.readAllBytes(p)));
            }
        }
        List<Result> failures = parseAll("stdlib " + root.get(), sources);
        assertEquals(List.of(), failures.stream().map(Result::name).collect(Collectors.toList()));
    }

    @Test
    void parsesAtLeast99PercentOfTheMaliciousCorpus() throws IOException {
        Optional<Path> corpus = findCorpus();
        assumeTrue(corpus.isPresent(), "malicious-dev corpus not present");
        List<Source> sources = new ArrayList<>();
        List<Path> archives;
        try (Stream<Path> walk = Files.walk(corpus.get())) {
            archives = walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
        for (Path a : archives) {
            readPythonFiles(corpus.get().relativize(a).toString(), a, sources);
        }
        assumeTrue(!sources.isEmpty(), "corpus has no Python files");
        List<Result> failures = parseAll("malicious-dev corpus", sources);
        double rate = 100.0 * (sources.size() - failures.size()) / sources.size();
        assertTrue(rate >= 99.0, String.format("only %.2f%% parse without PARSE_ERROR", rate));
    }

    private List<Result> parseAll(String label, List<Source> sources) {
        AtomicLong bytes = new AtomicLong();
        AtomicLong cpuNanos = new AtomicLong();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long start = System.nanoTime();
        List<Result> results = sources.parallelStream().map(s -> {
            bytes.addAndGet(s.bytes().length);
            long cpu = mx.getCurrentThreadCpuTime();
            List<Diagnostic> errors = parser.parse(s.name(), s.bytes()).diagnostics().stream()
                    .filter(d -> d.code() == DiagnosticCode.PARSE_ERROR).collect(Collectors.toList());
            cpuNanos.addAndGet(mx.getCurrentThreadCpuTime() - cpu);
            return new Result(s.name(), errors);
        }).collect(Collectors.toList());
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = cpuNanos.get() / 1e9;
        List<Result> failures = results.stream().filter(r -> !r.errors().isEmpty()).collect(Collectors.toList());
        System.out.printf("%s: %d files, %d without PARSE_ERROR (%.2f%%), %d with; %.1f MB, %.1f s CPU "
                        + "(%.1f MB/s per core, cold JVM), %.1f s wall on %d threads%n", label, sources.size(),
                sources.size() - failures.size(),
                100.0 * (sources.size() - failures.size()) / Math.max(1, sources.size()), failures.size(),
                bytes.get() / 1e6, cpuSeconds, bytes.get() / 1e6 / cpuSeconds, seconds,
                Runtime.getRuntime().availableProcessors());
        for (Result f : failures) {
            System.out.println("  PARSE_ERROR " + f.name() + ": " + f.errors().get(0).message()
                    + (f.errors().size() > 1 ? " (+" + (f.errors().size() - 1) + " more)" : ""));
        }
        return failures;
    }

    private static Optional<Path> findCorpus() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolve("shared/corpus/malicious-dev");
            if (Files.isDirectory(c)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** Reads the .py members of one archive into memory. Unreadable archives are skipped. */
    private static void readPythonFiles(String name, Path archive, List<Source> out) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive));
             ArchiveInputStream<?> in = open(raw)) {
            if (in == null) {
                return;
            }
            ArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                if (!e.isDirectory() && e.getName().endsWith(".py") && in.canReadEntryData(e)) {
                    out.add(new Source(name + "!" + e.getName(), in.readAllBytes()));
                }
            }
        } catch (IOException | RuntimeException e) {
            System.out.println("  (unreadable archive " + name + ": " + e + ")");
        }
    }

    /** Sniffs the format from the magic bytes: some corpus wheels are named .tar.gz. */
    private static ArchiveInputStream<?> open(InputStream raw) throws IOException {
        raw.mark(4);
        byte[] magic = raw.readNBytes(3);
        raw.reset();
        if (magic.length < 3) {
            return null;
        }
        if ((magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return new TarArchiveInputStream(new GzipCompressorInputStream(raw));
        }
        if (magic[0] == 'B' && magic[1] == 'Z' && magic[2] == 'h') {
            return new TarArchiveInputStream(new BZip2CompressorInputStream(raw));
        }
        if (magic[0] == 'P' && magic[1] == 'K') {
            return new ZipArchiveInputStream(raw);
        }
        return null;
    }
}
