package dev.kingsnake.rules.pkg;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The matcher's candidates are exactly those of a symmetric-deletion index (every target root's strings with up to
 * one, or two, characters deleted, looked up with the same deletions of the name), which the matcher no longer
 * builds: checked against such an index built here, on slips of popular names and on unrelated names.
 */
class TyposquatCandidatesTest {
    private static final PopularPackages POPULAR = PopularPackages.bundled();
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    @Test
    void candidatesEqualThoseOfADeletionIndex() {
        TyposquatMatcher matcher = POPULAR.typosquats();
        List<String> targets = POPULAR.names().subList(0, TyposquatMatcher.TARGETS);
        Map<String, Set<String>> oneDeletion = new HashMap<>();
        Map<String, Set<String>> twoDeletions = new HashMap<>();
        for (String t : targets) {
            String root = TyposquatMatcher.root(t);
            for (String d : deletions(root, 1)) {
                oneDeletion.computeIfAbsent(d, k -> new HashSet<>()).add(t);
            }
            if (root.length() >= 9) {
                for (String d : deletions(root, 2)) {
                    twoDeletions.computeIfAbsent(d, k -> new HashSet<>()).add(t);
                }
            }
        }
        Random random = new Random(16);
        int nonEmpty = 0;
        for (String root : queries(targets, random)) {
            Set<String> one = lookUp(oneDeletion, deletions(root, 1));
            Set<String> two = lookUp(twoDeletions, deletions(root, 2));
            assertEquals(one, new HashSet<>(matcher.candidates(root, 1, 0)), root);
            assertEquals(two, new HashSet<>(matcher.candidates(root, 2, 9)), root);
            nonEmpty += one.isEmpty() && two.isEmpty() ? 0 : 1;
        }
        assertTrue(nonEmpty > 500, "too few queries had candidates to compare: " + nonEmpty);
    }

    /** Roots of popular names with one to three random edits, and random strings. */
    private static List<String> queries(List<String> targets, Random random) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            StringBuilder s = new StringBuilder(TyposquatMatcher.root(targets.get(random.nextInt(targets.size()))));
            for (int edits = 1 + random.nextInt(3); edits > 0 && s.length() > 1; edits--) {
                int at = random.nextInt(s.length());
                char c = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
                switch (random.nextInt(4)) {
                    case 0 -> s.deleteCharAt(at);
                    case 1 -> s.insert(at, c);
                    case 2 -> s.setCharAt(at, c);
                    default -> {
                        if (at + 1 < s.length()) {
                            char a = s.charAt(at);
                            s.setCharAt(at, s.charAt(at + 1));
                            s.setCharAt(at + 1, a);
                        }
                    }
                }
            }
            out.add(s.toString());
        }
        for (int i = 0; i < 300; i++) {
            StringBuilder s = new StringBuilder();
            for (int n = 3 + random.nextInt(12); n > 0; n--) {
                s.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            out.add(s.toString());
        }
        return out;
    }

    private static Set<String> lookUp(Map<String, Set<String>> index, Set<String> keys) {
        Set<String> out = new HashSet<>();
        keys.forEach(k -> out.addAll(index.getOrDefault(k, Set.of())));
        return out;
    }

    /** The string and every string made from it by deleting up to {@code n} characters. */
    private static Set<String> deletions(String s, int n) {
        Set<String> out = new HashSet<>(Set.of(s));
        if (n > 0) {
            for (int i = 0; i < s.length(); i++) {
                out.addAll(deletions(s.substring(0, i) + s.substring(i + 1), n - 1));
            }
        }
        return out;
    }
}
