package dev.kingsnake.internal.decode;

import dev.kingsnake.DiagnosticCode;
import dev.kingsnake.Limits;
import dev.kingsnake.internal.archive.ArchiveEntry;
import dev.kingsnake.internal.archive.ArchiveReader;
import dev.kingsnake.internal.archive.UnpackedPackage;
import dev.kingsnake.internal.python.ParseOutcome;
import dev.kingsnake.internal.python.PythonParser;
import dev.kingsnake.internal.python.semantic.SemanticModel;
import dev.kingsnake.spi.PythonFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Measures the deobfuscator on the real malicious corpus in {@code ../shared/corpus/malicious-dev}
 * (read in memory, never executed). Opt-in: {@code -Dkingsnake.measure=true}; skipped when the corpus is absent.
 *
 * <p>A Python file "has an encoded payload" when, independently of our decoder, its text holds a long encoded
 * literal outside comments (a quoted run of at least 120 base64/hex characters, a list of at least 40 integers,
 * or a bytes literal with at least 100 {@code \\x} escapes) and calls a
 * decoding function (b64decode &amp; co, unhexlify, fromhex, decompress, Fernet, marshal.loads, chr) and
 * some sink (exec, eval, compile, marshal/pickle loads, __import__, os.system, subprocess, popen). The payload is
 * "recovered" when the engine's peeling produced a layer from that file whose innermost layer is not itself an
 * encoded blob ({@link PayloadText#looksEncoded}) and no layer was dropped for being deeper than
 * {@code maxDecodeLayers} (the engine drops those, so what lies beyond is not reached). A package counts as
 * recovered when all its files with encoded payloads are.
 */
class CorpusDecodeMeasurement {
    private static final Path CORPUS = Path.of("..", "shared", "corpus", "malicious-dev");
    private static final Pattern BLOB = Pattern.compile(
            "['\"][A-Za-z0-9+/=_\\-]{120,}['\"]|\\[\\s*\\d+(?:\\s*,\\s*\\d+){40}");
    private static final Pattern COMMENT = Pattern.compile("(?m)^\\s*#.*$");
    private static final Pattern DECODER = Pattern.compile(
            "b64decode|b32decode|b16decode|b85decode|a85decode|decodebytes|decodestring|unhexlify|fromhex"
                    + "|decompress|Fernet|marshal\\.loads|\\bchr\\(|decode\\(\\s*['\"](?:base64|hex|zlib|rot13)");
    private static final Pattern SINK = Pattern.compile(
            "\\bexec\\b|\\beval\\b|\\bcompile\\b|loads\\(|__import__|os\\.system|subprocess|popen");

    @Test
    void innermostLayerRecovered() throws IOException {
        Assumptions.assumeTrue(Boolean.getBoolean("kingsnake.measure"), "opt-in: -Dkingsnake.measure=true");
        Path root = Path.of(System.getProperty("user.dir")).resolve("..").resolve(CORPUS).normalize();
        Assumptions.assumeTrue(Files.isDirectory(root), "corpus not present");
        List<Path> archives;
        try (Stream<Path> s = Files.walk(root)) {
            archives = s.filter(Files::isRegularFile).sorted().toList();
        }
        Limits limits = Limits.defaults();
        ArchiveReader reader = new ArchiveReader(limits);
        PythonParser parser = new PythonParser(limits);
        Deobfuscator deob = new Deobfuscator(limits);
        int withPayload = 0;
        int recovered = 0;
        Map<String, Integer> failureKinds = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        for (Path archive : archives) {
            UnpackedPackage pkg = reader.read(archive);
            boolean any = false;
            boolean all = true;
            for (ArchiveEntry e : pkg.entries()) {
                if (!e.path().endsWith(".py")) {
                    continue;
                }
                String text = COMMENT.matcher(new String(e.bytes(), StandardCharsets.UTF_8)).replaceAll("");
                boolean blob = BLOB.matcher(text).find() || escapedBytesLiteral(text);
                if (!blob || !DECODER.matcher(text).find() || !SINK.matcher(text).find()) {
                    continue;
                }
                any = true;
                long t0 = System.nanoTime();
                Outcome o = peelAll(e.path(), e.bytes(), parser, deob, limits);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                if (ms > 2000) {
                    System.out.println("slow: " + ms + " ms " + archive.getFileName() + "!" + e.path());
                }
                if (!o.recovered()) {
                    all = false;
                    failureKinds.merge(o.why(), 1, Integer::sum);
                    failures.add(root.relativize(archive) + "!" + e.path() + ": " + o.why());
                }
            }
            if (any) {
                withPayload++;
                if (all) {
                    recovered++;
                }
            }
        }
        System.out.printf("packages: %d, with encoded payload: %d, innermost layer recovered: %d (%.1f%%)%n",
                archives.size(), withPayload, recovered, withPayload == 0 ? 0.0 : 100.0 * recovered / withPayload);
        System.out.println("failures by kind: " + failureKinds);
        failures.forEach(f -> System.out.println("  " + f));
        assertTrue(recovered * 100 >= withPayload * 95, "innermost layer recovered for fewer than 95%");
    }

    /** A {@code b'...'} literal holding at least 100 {@code \\x} escapes (compressed data written inline). */
    static boolean escapedBytesLiteral(String text) {
        for (int i = text.indexOf("b'"); i >= 0; i = text.indexOf("b'", i + 2)) {
            int escapes = 0;
            for (int j = i + 2; j < text.length() - 1 && text.charAt(j) != '\'' && text.charAt(j) != '\n'; j++) {
                if (text.charAt(j) == '\\') {
                    if (text.charAt(j + 1) == 'x') {
                        escapes++;
                    }
                    j++;
                }
            }
            if (escapes >= 100) {
                return true;
            }
        }
        return false;
    }

    /**
     * A debugging tool, not a test: prints every layer the deobfuscator peels from one corpus file. Run from
     * {@code core/} with the test class path, argument {@code <archive path under the corpus>!<entry>}.
     */
    public static void main(String[] args) {
        if (args.length != 1 || !args[0].contains("!")) {
            System.err.println("usage: CorpusDecodeMeasurement <archive path under the corpus>!<entry>");
            return;
        }
        String spec = args[0];
        Path root = Path.of(System.getProperty("user.dir")).resolve("..").resolve(CORPUS).normalize();
        Limits limits = Limits.defaults();
        UnpackedPackage pkg = new ArchiveReader(limits).read(root.resolve(spec.substring(0, spec.indexOf('!'))));
        String entry = spec.substring(spec.indexOf('!') + 1);
        for (ArchiveEntry e : pkg.entries()) {
            if (e.path().equals(entry)) {
                PythonParser parser = new PythonParser(limits);
                Deobfuscator deob = new Deobfuscator(limits);
                DecodeBudget budget = new DecodeBudget(limits.maxDecodedBytesPerPackage());
                Deque<PythonFile> work = new ArrayDeque<>();
                Map<PythonFile, List<PythonFile>> callers = new java.util.IdentityHashMap<>();
                work.add(model(e.path(), e.bytes(), List.of(), parser));
                while (!work.isEmpty()) {
                    PythonFile f = work.poll();
                    Deobfuscator.Result r = deob.peel(f, callers.getOrDefault(f, List.of()), budget);
                    System.out.println("== " + f.path() + " parseErrors=" + f.hasParseErrors() + " " + r.diagnostics());
                    for (DecodedLayer l : r.layers()) {
                        String text = new String(l.content(), StandardCharsets.UTF_8);
                        System.out.println("-- layer " + l.chain() + " python=" + l.python() + " line="
                                + l.origin().line() + " bytes=" + l.content().length + "\n"
                                + text.substring(0, Math.min(600, text.length())).replaceAll("[A-Za-z0-9+/=]{80,}", "<blob>"));
                        if (l.python()) {
                            PythonFile layer = model(f.path() + "#", l.content(), l.chain(), parser);
                            callers.put(layer, withCaller(f, callers));
                            work.add(layer);
                        }
                    }
                }
            }
        }
    }

    /** The callers of a new layer found in {@code f}: {@code f}, then its own callers. */
    static List<PythonFile> withCaller(PythonFile f, Map<PythonFile, List<PythonFile>> callers) {
        List<PythonFile> out = new ArrayList<>();
        out.add(f);
        out.addAll(callers.getOrDefault(f, List.of()));
        return out;
    }

    record Outcome(boolean recovered, String why) {
    }

    /** The engine's peeling loop for one file: Python layers are parsed and peeled again. */
    private static Outcome peelAll(String path, byte[] bytes, PythonParser parser, Deobfuscator deob, Limits limits) {
        DecodeBudget budget = new DecodeBudget(limits.maxDecodedBytesPerPackage());
        Deque<PythonFile> work = new ArrayDeque<>();
        Map<PythonFile, List<PythonFile>> callers = new java.util.IdentityHashMap<>();
        work.add(model(path, bytes, List.of(), parser));
        DecodedLayer deepest = null;
        List<String> problems = new ArrayList<>();
        int n = 0;
        boolean tooDeep = false;
        while (!work.isEmpty()) {
            PythonFile f = work.poll();
            Deobfuscator.Result r = deob.peel(f, callers.getOrDefault(f, List.of()), budget);
            r.diagnostics().forEach(d -> problems.add(d.code() + " " + d.message()));
            for (DecodedLayer l : r.layers()) {
                if (l.chain().size() > limits.maxDecodeLayers()) {
                    tooDeep = true; // the engine drops it: whatever lies further in is not reached
                    continue;
                }
                if (deepest == null || l.chain().size() >= deepest.chain().size()) {
                    deepest = l;
                }
                if (l.python()) {
                    PythonFile layer = model(path + "#layer" + ++n, l.content(), l.chain(), parser);
                    callers.put(layer, withCaller(f, callers));
                    work.add(layer);
                }
            }
        }
        if (deepest == null) {
            return new Outcome(false, problems.isEmpty() ? "no layer" : "no layer: " + problems.get(0));
        }
        if (tooDeep) {
            return new Outcome(false, "a layer is deeper than maxDecodeLayers " + limits.maxDecodeLayers());
        }
        if (PayloadText.looksEncoded(deepest.content())) {
            return new Outcome(false, "innermost still encoded after " + deepest.chain());
        }
        return new Outcome(true, String.join(">", deepest.chain()));
    }

    private static PythonFile model(String path, byte[] bytes, List<String> chain, PythonParser parser) {
        ParseOutcome out = parser.parse(path, bytes);
        boolean errors = out.diagnostics().stream().anyMatch(d -> d.code() == DiagnosticCode.PARSE_ERROR);
        return new SemanticModel(path, bytes, out.text(), out.module(), errors, chain, Optional.empty());
    }
}
