package dev.kingsnake.benchmarks;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A fixed, named set of real archives held in memory, so every benchmark measures the same bytes.
 * Bundles are read from {@code ../shared/corpus} (or {@code KINGSNAKE_CORPUS}) when present; otherwise a
 * small synthetic bundle is built so the benchmarks still run.
 */
public final class Bundle {
    /** One archive: its file name and bytes. */
    public record Archive(String name, byte[] bytes) {
    }

    private final String name;
    private final List<Archive> archives;
    private final long bytes;

    private Bundle(String name, List<Archive> archives) {
        this.name = name;
        this.archives = List.copyOf(archives);
        this.bytes = archives.stream().mapToLong(a -> a.bytes().length).sum();
    }

    public String name() {
        return name;
    }

    public List<Archive> archives() {
        return archives;
    }

    /** Compressed size of the whole bundle. */
    public long bytes() {
        return bytes;
    }

    /**
     * Loads a named bundle: {@code malicious-N} (the first N archives of malicious-dev by path),
     * {@code benign-N} (the first N wheels of benign-dev), {@code mixed-N} (N/2 of each). A suffix
     * {@code xR} ({@code malicious-50x4}) repeats the same archives R times: with {@code -prof gc}, a
     * scanner that keeps nothing from one scan to the next allocates exactly R times as much per
     * operation as for the plain bundle, whatever the archives hold.
     */
    public static Bundle load(String spec) {
        int x = spec.lastIndexOf('x');
        if (x > spec.lastIndexOf('-')) {
            int times = Integer.parseInt(spec.substring(x + 1));
            Bundle once = load(spec.substring(0, x));
            List<Archive> all = new ArrayList<>();
            for (int i = 0; i < times; i++) {
                all.addAll(once.archives());
            }
            return new Bundle(spec, all);
        }
        int dash = spec.lastIndexOf('-');
        String kind = spec.substring(0, dash);
        int n = Integer.parseInt(spec.substring(dash + 1));
        Path corpus = corpusRoot();
        if (corpus == null) {
            return synthetic(spec, n);
        }
        List<Archive> out = switch (kind) {
            case "malicious" -> read(corpus.resolve("malicious-dev"), n);
            case "benign" -> read(corpus.resolve("benign-dev"), n);
            case "mixed" -> {
                List<Archive> m = new ArrayList<>(read(corpus.resolve("malicious-dev"), n / 2));
                m.addAll(read(corpus.resolve("benign-dev"), n - n / 2));
                yield m;
            }
            default -> throw new IllegalArgumentException("unknown bundle " + spec);
        };
        return new Bundle(spec, out);
    }

    static Path corpusRoot() {
        String env = System.getenv("KINGSNAKE_CORPUS");
        for (String candidate : new String[] {env, "../shared/corpus", "../../shared/corpus"}) {
            if (candidate != null && Files.isDirectory(Path.of(candidate, "malicious-dev"))) {
                return Path.of(candidate);
            }
        }
        return null;
    }

    private static List<Archive> read(Path dir, int n) {
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> files = s.filter(Files::isRegularFile)
                    .filter(p -> isArchive(p.getFileName().toString()))
                    .sorted()
                    .limit(n)
                    .toList();
            List<Archive> out = new ArrayList<>(files.size());
            for (Path p : files) {
                out.add(new Archive(p.getFileName().toString(), Files.readAllBytes(p)));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isArchive(String name) {
        String l = name.toLowerCase(Locale.ROOT);
        return l.endsWith(".tar.gz") || l.endsWith(".whl") || l.endsWith(".zip") || l.endsWith(".egg");
    }

    /** Small sdists with a setup.py and a module each, for machines without the corpus. */
    private static Bundle synthetic(String spec, int n) {
        List<Archive> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String root = "pkg" + i + "-1.0/";
            StringBuilder module = new StringBuilder("import os\nimport json\n\n");
            for (int f = 0; f < 40; f++) {
                module.append("def f").append(f).append("(x, y=").append(f).append("):\n")
                        .append("    data = {'k': [x, y, \"v\" * 3]}\n")
                        .append("    return json.dumps(data) + os.sep\n\n");
            }
            out.add(new Archive("pkg" + i + "-1.0.tar.gz", tarGz(List.of(
                    new String[] {root + "setup.py", "from setuptools import setup\nsetup(name='pkg" + i
                            + "', version='1.0', packages=['pkg'])\n"},
                    new String[] {root + "PKG-INFO", "Metadata-Version: 2.1\nName: pkg" + i + "\nVersion: 1.0\n"},
                    new String[] {root + "pkg/__init__.py", module.toString()}))));
        }
        return new Bundle(spec + "-synthetic", out);
    }

    private static byte[] tarGz(List<String[]> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            for (String[] f : files) {
                byte[] data = f[1].getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry e = new TarArchiveEntry(f[0]);
                e.setSize(data.length);
                tar.putArchiveEntry(e);
                tar.write(data);
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
