package dev.kingsnake.rules;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A rule fixture: the directory {@code fixtures/<RULE-ID>/} packed in memory as one package, with the
 * expectations its markers state. The contract (also in the README):
 * <ul>
 *   <li>A directory with a top-level {@code *.dist-info/} directory becomes a wheel named after it
 *       ({@code name-version-py3-none-any.whl}); any other becomes an sdist
 *       {@code fixture-<rule-id>-1.0.tar.gz} with every file under {@code fixture-1.0/}.
 *       {@code FIXTURE.properties} may set {@code archive=<file name>} (the extension picks the format:
 *       {@code .whl}/{@code .egg}/{@code .zip} zip, else tar.gz) and {@code root=<dir>} (the sdist's top
 *       directory; empty for none). Files that cannot hold a marker (binary files) get their whole-file
 *       expectations there: {@code expect-file.<path>=KS-A[, KS-B]}. FIXTURE.properties itself is not packed.</li>
 *   <li>{@code # expect: KS-A[, KS-B]} at the end of a line: those rules report on that line.
 *       {@code # expect-file: KS-X}: KS-X reports at line 0 (the file or package as a whole) in this file.
 *       {@code # expect-decoded: KS-X}: KS-X reports somewhere in a decoded layer of this file
 *       ({@code file#layerN}).</li>
 *   <li>In {@code .py} files the markers are comments and stay. In every other text file they are
 *       stripped before packing; a line that held only an {@code expect-file}/{@code expect-decoded}
 *       marker is removed, and line numbers are those of the packed file. Files that are not UTF-8
 *       text (or contain NUL) are packed byte for byte.</li>
 * </ul>
 */
final class Fixture {
    static final String PROPERTIES = "FIXTURE.properties";
    private static final Pattern MARKER = Pattern.compile(
            "\\s*#\\s*expect(-file|-decoded)?:\\s*([A-Za-z0-9-]+(?:\\s*,\\s*[A-Za-z0-9-]+)*)\\s*$");
    private static final FileTime EPOCH = FileTime.fromMillis(315532800000L);

    final String ruleId;
    final Path dir;
    final String archiveName;
    final byte[] archive;
    /** The prefix of every entry path (sdist top directory plus "/"), or "". */
    final String root;
    /** Rule ids whose findings are checked: the directory's rule and every rule named in a marker. */
    final Set<String> rules = new TreeSet<>();
    /** rule -> fixture-relative file -> expected lines (0 = whole file). */
    final Map<String, Map<String, Set<Integer>>> expectedLines = new TreeMap<>();
    /** rule -> files whose decoded layers must produce that rule. */
    final Map<String, Set<String>> expectedDecoded = new TreeMap<>();
    final List<String> problems = new ArrayList<>();

    private Fixture(Path dir) throws IOException {
        this.dir = dir;
        this.ruleId = dir.getFileName().toString();
        rules.add(ruleId);
        Properties props = new Properties();
        Path propFile = dir.resolve(PROPERTIES);
        if (Files.exists(propFile)) {
            try (InputStream in = Files.newInputStream(propFile)) {
                props.load(in);
            }
        }
        Map<String, byte[]> entries = new TreeMap<>();
        boolean wheel = false;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted()::iterator) {
                if (!Files.isRegularFile(p)) {
                    continue;
                }
                String rel = dir.relativize(p).toString().replace('\\', '/');
                if (rel.equals(PROPERTIES)) {
                    continue;
                }
                if (rel.indexOf('/') > 0 && rel.substring(0, rel.indexOf('/')).endsWith(".dist-info")) {
                    wheel = true;
                }
                entries.put(rel, prepare(rel, Files.readAllBytes(p)));
            }
        }
        for (String key : props.stringPropertyNames()) {
            if (key.startsWith("expect-file.")) {
                String file = key.substring("expect-file.".length());
                if (!entries.containsKey(file)) {
                    problems.add(PROPERTIES + ": " + key + " names no file of the fixture");
                }
                for (String id : props.getProperty(key).strip().split("\\s*,\\s*")) {
                    rules.add(id);
                    expected(id, file).add(0);
                }
            }
        }
        String name = props.getProperty("archive", "").strip();
        if (name.isEmpty()) {
            name = wheel ? wheelName(entries.keySet()) : "fixture-" + ruleId + "-1.0.tar.gz";
        }
        String lower = name.toLowerCase(Locale.ROOT);
        boolean zip = lower.endsWith(".whl") || lower.endsWith(".egg") || lower.endsWith(".zip");
        boolean rootless = lower.endsWith(".whl") || lower.endsWith(".egg");
        String rootDir = props.getProperty("root", rootless ? "" : "fixture-1.0").strip();
        this.root = rootDir.isEmpty() ? "" : rootDir + "/";
        this.archiveName = name;
        this.archive = zip ? zip(entries, root) : tarGz(entries, root);
    }

    static Fixture load(Path dir) {
        try {
            return new Fixture(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fixture directories, from the module's source tree when run from it, else from the class path. */
    static Path fixturesRoot() {
        Path source = Path.of("src", "test", "resources", "fixtures");
        if (Files.isDirectory(source)) {
            return source;
        }
        URL url = Fixture.class.getResource("/fixtures");
        if (url == null) {
            return source;
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Path> directories() {
        Path root = fixturesRoot();
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fixture-relative path of a finding's file, without the archive's top directory. */
    String relative(String findingFile) {
        return !root.isEmpty() && findingFile.startsWith(root) ? findingFile.substring(root.length()) : findingFile;
    }

    private byte[] prepare(String rel, byte[] raw) {
        String text = utf8(raw);
        if (text == null) {
            return raw;
        }
        boolean python = rel.endsWith(".py");
        StringBuilder out = new StringBuilder(text.length());
        int lineNo = 0;
        int srcLine = 0;
        int pos = 0;
        while (pos < text.length()) {
            int nl = text.indexOf('\n', pos);
            int end = nl < 0 ? text.length() : nl + 1;
            String full = text.substring(pos, end);
            pos = end;
            srcLine++;
            String terminator = full.endsWith("\r\n") ? "\r\n" : full.endsWith("\n") ? "\n" : "";
            String content = full.substring(0, full.length() - terminator.length());
            List<String[]> markers = new ArrayList<>();
            Matcher m = MARKER.matcher(content);
            while (m.find()) {
                markers.add(0, new String[] {m.group(1) == null ? "" : m.group(1), m.group(2)});
                content = content.substring(0, m.start());
                m = MARKER.matcher(content);
            }
            boolean dropLine = !python && !markers.isEmpty() && content.isBlank();
            if (!dropLine) {
                lineNo++;
            }
            for (String[] marker : markers) {
                for (String id : marker[1].split("\\s*,\\s*")) {
                    rules.add(id);
                    switch (marker[0]) {
                        case "" -> {
                            if (dropLine) {
                                problems.add(rel + ":" + srcLine + ": '# expect:' on a line with nothing to flag");
                            } else {
                                expected(id, rel).add(lineNo);
                            }
                        }
                        case "-file" -> expected(id, rel).add(0);
                        default -> expectedDecoded.computeIfAbsent(id, k -> new TreeSet<>()).add(rel);
                    }
                }
            }
            if (python) {
                out.append(full);
            } else if (!dropLine) {
                out.append(content).append(terminator);
            }
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private Set<Integer> expected(String rule, String file) {
        return expectedLines.computeIfAbsent(rule, k -> new TreeMap<>()).computeIfAbsent(file, k -> new TreeSet<>());
    }

    private static String utf8(byte[] raw) {
        for (byte b : raw) {
            if (b == 0) {
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String wheelName(Set<String> paths) {
        for (String p : paths) {
            String top = p.substring(0, Math.max(0, p.indexOf('/')));
            if (top.endsWith(".dist-info")) {
                return top.substring(0, top.length() - ".dist-info".length()) + "-py3-none-any.whl";
            }
        }
        throw new IllegalStateException("no .dist-info directory");
    }

    private static byte[] zip(Map<String, byte[]> entries, String root) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry ze = new ZipEntry(root + e.getKey());
                ze.setLastModifiedTime(EPOCH);
                zip.putNextEntry(ze);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] tarGz(Map<String, byte[]> entries, String root) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                TarArchiveEntry te = new TarArchiveEntry(root + e.getKey());
                te.setSize(e.getValue().length);
                te.setModTime(EPOCH);
                tar.putArchiveEntry(te);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }
}
