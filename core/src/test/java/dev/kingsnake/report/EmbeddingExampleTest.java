package dev.kingsnake.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kingsnake.BatchScanner;
import dev.kingsnake.Inputs;
import dev.kingsnake.Scanner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The README's batch-embedding example, kept compiling and working. */
class EmbeddingExampleTest {
    @TempDir
    Path tmp;

    @Test
    void readmeBatchExampleWritesOneLinePerPackage() throws Exception {
        Path downloads = Files.createDirectories(tmp.resolve("downloads"));
        Files.writeString(downloads.resolve("a.py"), "print('a')\n");
        Files.writeString(downloads.resolve("b.py"), "print('b')\n");
        Files.write(downloads.resolve("c-1.0.tar.gz"), "not a tarball".getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        Scanner scanner = Scanner.builder().rules(List.of()).build();

        ScanSummary.Tally tally = new ScanSummary.Tally();
        ReportSettings settings = new ReportSettings("0.1.0", scanner.threshold(), scanner.rules(), false);
        try (ReportWriter out = ReportFormat.JSONL.writer(stdout, settings);
             BatchScanner batch = BatchScanner.builder(scanner).jobs(4).start(r -> {
                 tally.add(r);
                 try { out.result(r); } catch (IOException e) { throw new UncheckedIOException(e); }
             })) {
            Inputs.expand(downloads, p -> {
                try { batch.submit(p); } catch (InterruptedException e) { throw new IllegalStateException(e); }
            });
            batch.finish();
            out.finish(tally.summary());
        }

        String[] lines = stdout.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(3, lines.length);
        for (String line : lines) {
            new ObjectMapper().readTree(line);
        }
        assertEquals(3, tally.summary().packages());
    }
}
