package dev.kingsnake.samples;

import dev.kingsnake.Finding;
import dev.kingsnake.Limits;
import dev.kingsnake.ScanResult;
import dev.kingsnake.Scanner;

import java.nio.file.Path;

/**
 * Embedding Kingsnake: scan one package and print its verdict and evidence.
 * Run: {@code java -cp samples/target/kingsnake.jar dev.kingsnake.samples.EmbedExample samples/packages/reqhelper-obfuscated}
 */
public final class EmbedExample {
    public static void main(String[] args) {
        Scanner scanner = Scanner.builder().limits(Limits.defaults()).threshold(5.0).build(); // reusable, thread-safe
        for (String arg : args) {
            ScanResult r = scanner.scan(Path.of(arg)); // never throws on bad input: see r.diagnostics()
            System.out.printf("%s %.1f %s %s%n", r.verdict(), r.score(), r.name(), r.version());
            for (Finding f : r.findings()) {
                System.out.printf("  %s %s:%d %s%n", f.ruleId(), f.file(), f.line(), f.evidence());
            }
        }
    }
}
