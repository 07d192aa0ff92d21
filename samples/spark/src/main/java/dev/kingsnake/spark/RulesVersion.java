package dev.kingsnake.spark;

import dev.kingsnake.Limits;
import dev.kingsnake.Scanner;
import dev.kingsnake.spi.Rule;
import dev.kingsnake.spi.RuleInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a stored result was computed with: Kingsnake's version plus a digest of the threshold, the limits,
 * the enabled rule ids and the bytes of each rule's class. A result whose archive digest and rules version
 * are already in the output is not computed again; anything that can change a verdict changes the version,
 * including a rebuilt SNAPSHOT whose rule classes differ.
 */
final class RulesVersion {
    private static final int DIGEST_CHARS = 16;

    private RulesVersion() {
    }

    static String of(String kingsnakeVersion, Scanner scanner, Limits limits) {
        MessageDigest digest = sha256();
        update(digest, "threshold=" + scanner.threshold());
        update(digest, "limits=" + limits);
        Set<String> enabled = scanner.rules().stream().map(RuleInfo::id).collect(Collectors.toSet());
        for (Rule rule : Scanner.loadRules()) {
            if (!enabled.contains(rule.info().id())) {
                continue;
            }
            update(digest, "rule=" + rule.info().id());
            digest.update(classBytes(rule.getClass()));
        }
        return kingsnakeVersion + "+" + HexFormat.of().formatHex(digest.digest()).substring(0, DIGEST_CHARS);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static void update(MessageDigest digest, String text) {
        digest.update(text.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
    }

    private static byte[] classBytes(Class<?> type) {
        String resource = type.getName().substring(type.getName().lastIndexOf('.') + 1) + ".class";
        try (InputStream in = type.getResourceAsStream(resource)) {
            return in == null ? new byte[0] : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
