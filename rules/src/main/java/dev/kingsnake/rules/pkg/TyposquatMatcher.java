package dev.kingsnake.rules.pkg;

import dev.kingsnake.Confidence;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds the popular package a name imitates. Targets are the {@value #TARGETS} most popular names; a name
 * that is itself anywhere in the popular list is never a typosquat (popular packages legitimately close to
 * each other, like {@code pymysql}/{@code pymssql}, do not flag each other). Thresholds were chosen by
 * measurement (see {@code TyposquatMeasurementTest}): leave-one-out over the whole list flags under 1% at
 * HIGH confidence.
 */
final class TyposquatMatcher {
    static final int TARGETS = 3000;
    /** Shortest target (separators and trailing digits removed) compared at edit distance 1. */
    private static final int MIN_LENGTH_ONE_EDIT = 5;
    /**
     * Shortest target compared at all: four letters, and then only for two letters swapped (rcih ~ rich) or, for
     * a {@link #VERY_POPULAR_TOOL}, its last letter dropped (blac ~ black); three letters for a swap inside a
     * {@link #VERY_POPULAR} name (sxi ~ six).
     */
    private static final int MIN_LENGTH_SWAP = 4;
    private static final int MIN_LENGTH_SWAP_VERY_POPULAR = 3;
    /**
     * Targets this popular are imitated by their singular or plural too ({@code request} ~ {@code requests}); so are
     * names of several words ({@code typing-extension}). Below it, a plural is a different word ({@code futures}).
     */
    private static final int VERY_POPULAR = 100;
    /**
     * Targets this popular are imitated by their name without its last letter even when short ({@code ruf},
     * {@code blac}): a name cut short is a slip, not another word, only for names everyone types daily.
     */
    private static final int VERY_POPULAR_TOOL = 300;
    /** Below this length an edit distance of 1 needs a swap, a neighbouring key or a doubled letter. */
    private static final int SHORT = 6;
    /** Shortest target compared at edit distance 2 (every edit must look like a slip). */
    private static final int MIN_LENGTH_TWO_EDITS = 9;
    /** Below this length an edit of the first letter is a different name (cattrs, ujson), not a typo. */
    private static final int FIRST_LETTER_EDIT = 8;
    private static final Pattern TRAILING_DIGITS = Pattern.compile("\\d+$");
    private static final String[] PREFIXES = {"python3-", "python-", "py-", "py"};
    private static final String[] SUFFIXES = {"-python3", "-python", "-py", "python", "py"};

    /** What the name imitates and how. */
    record Match(String target, int rank, String how, Confidence confidence) {
    }

    private final PopularPackages popular;
    private final Map<String, String> bySquashed = new HashMap<>();
    private final Map<String, String> byGlyphs = new HashMap<>();
    private final Map<String, String> byWords = new HashMap<>();
    /** The targets, most popular first, and their {@link #root}s at the same index. */
    private final List<String> targets = new ArrayList<>();
    private final List<String> targetRoots = new ArrayList<>();
    /** The roots' characters, read by the subsequence test for every query (array reads, not {@code charAt}). */
    private final List<char[]> targetRootChars = new ArrayList<>();

    TyposquatMatcher(PopularPackages popular) {
        this.popular = popular;
        List<String> names = popular.names();
        for (String t : names.subList(0, Math.min(TARGETS, names.size()))) {
            String squashed = PackageNames.squash(t);
            bySquashed.putIfAbsent(squashed, t);
            byGlyphs.putIfAbsent(glyphs(squashed), t);
            if (t.split("-").length >= 2) {
                byWords.putIfAbsent(wordKey(t), t);
            }
            targets.add(t);
            targetRoots.add(root(t));
            targetRootChars.add(targetRoots.get(targetRoots.size() - 1).toCharArray());
        }
    }

    /** The popular package {@code rawName} imitates, if any. */
    Optional<Match> match(String rawName) {
        return match(rawName, false);
    }

    /**
     * Like {@link #match(String)}, but with {@code leaveOut} true the name is treated as if it were not in the
     * popular list at all (neither exempt nor a target): how the rule would judge an unknown package of that name.
     */
    Optional<Match> match(String rawName, boolean leaveOut) {
        String c = PackageNames.normalise(rawName);
        if (c.isEmpty() || !leaveOut && popular.contains(c)) {
            return Optional.empty();
        }
        return find(c);
    }

    private Optional<Match> find(String c) {
        String squashed = PackageNames.squash(c);
        String t = bySquashed.get(squashed);
        if (t != null && !t.equals(c) && !tokenExtension(c, t)) {
            return found(t, "differs only in '-', '_' or '.'", Confidence.MEDIUM);
        }
        t = byGlyphs.get(glyphs(squashed));
        if (t != null && !t.equals(c)) {
            return found(t, "uses look-alike characters (rn/m, vv/w, 1/l, 0/o)", Confidence.HIGH);
        }
        t = byWords.get(wordKey(c));
        if (t != null && !t.equals(c)) {
            return found(t, "puts the same words in another order",
                    c.split("-").length >= 3 ? Confidence.HIGH : Confidence.MEDIUM);
        }
        for (String p : PREFIXES) {
            if (c.startsWith(p) && c.length() - p.length() >= 5) {
                t = bySquashed.get(PackageNames.squash(c.substring(p.length())));
                if (t != null && !t.equals(c)) {
                    return found(t, "adds the prefix '" + p + "'", Confidence.MEDIUM);
                }
            }
        }
        for (String s : SUFFIXES) {
            if (c.endsWith(s) && c.length() - s.length() >= 5) {
                t = bySquashed.get(PackageNames.squash(c.substring(0, c.length() - s.length())));
                if (t != null && !t.equals(c)) {
                    return found(t, "adds the suffix '" + s + "'", Confidence.MEDIUM);
                }
            }
        }
        String root = root(c);
        Optional<Match> one = closest(c, root, candidates(root, 1, 0), 1);
        if (one.isPresent() || root.length() < MIN_LENGTH_TWO_EDITS) {
            return one;
        }
        return closest(c, root, candidates(root, 2, MIN_LENGTH_TWO_EDITS), 2);
    }

    private Optional<Match> closest(String c, String root, List<String> candidates, int distance) {
        Match best = null;
        for (String t : candidates) {
            int rank = popular.rank(t);
            if (best != null && rank >= best.rank()) {
                continue;
            }
            String troot = root(t);
            if (t.equals(c) || troot.equals(root)
                    || troot.length() < (rank <= VERY_POPULAR ? MIN_LENGTH_SWAP_VERY_POPULAR : MIN_LENGTH_SWAP)) {
                continue;
            }
            List<TypoDistance.Edit> edits = TypoDistance.edits(root, troot, distance);
            if (edits == null || edits.size() != distance || tokenExtension(c, t) || !editedTokensLongEnough(c, t)
                    || plural(root, troot) && !(t.contains("-") || rank <= VERY_POPULAR)) {
                continue;
            }
            boolean swap = distance == 1 && edits.get(0).kind() == TypoDistance.Edit.Kind.SWAP;
            boolean lastLetterDropped = distance == 1 && troot.length() == root.length() + 1
                    && troot.startsWith(root) && !plural(root, troot) && rank <= VERY_POPULAR_TOOL
                    && troot.length() >= MIN_LENGTH_SWAP;
            boolean shortSwap = swap && (troot.length() >= MIN_LENGTH_SWAP || rank <= VERY_POPULAR);
            if (troot.length() < (distance == 1 ? MIN_LENGTH_ONE_EDIT : MIN_LENGTH_TWO_EDITS) && !shortSwap
                    && !lastLetterDropped) {
                continue;
            }
            boolean ok = true;
            for (TypoDistance.Edit e : edits) {
                boolean firstLetter = e.at() <= 0;
                ok &= !(firstLetter && (distance > 1 || troot.length() < FIRST_LETTER_EDIT))
                        && (distance == 1 ? troot.length() >= SHORT || e.strongTypo() || lastLetterDropped
                                : e.typoLike());
            }
            if (ok) {
                String how = edits.stream().map(TypoDistance.Edit::describe).reduce((a, b) -> a + ", " + b).orElse("");
                best = new Match(t, rank, how, distance == 1 ? Confidence.HIGH : Confidence.MEDIUM);
            }
        }
        return Optional.ofNullable(best);
    }

    private Optional<Match> found(String target, String how, Confidence confidence) {
        return Optional.of(new Match(target, popular.rank(target), how, confidence));
    }

    /**
     * The targets whose root (at least {@code minLength} long) and {@code root} become the same string after at
     * most {@code deletions} deleted characters each: the candidates of a symmetric-deletion index, found by a
     * longest-common-subsequence test instead of an index of every target's deletions, which took most of a
     * single-package CLI run to build.
     */
    List<String> candidates(String root, int deletions, int minLength) {
        List<String> out = new ArrayList<>();
        char[] rootChars = root.toCharArray();
        for (int i = 0; i < targets.size(); i++) {
            char[] troot = targetRootChars.get(i);
            int longer = Math.max(rootChars.length, troot.length);
            if (troot.length >= minLength && Math.abs(rootChars.length - troot.length) <= deletions
                    && longestCommonSubsequence(rootChars, troot, deletions) >= longer - deletions) {
                out.add(targets.get(i));
            }
        }
        return out;
    }

    /**
     * The longest common subsequence, computed only within {@code band} of the diagonal: exact whenever it is at
     * least {@code max(length) - band}, since such an alignment never strays further from the diagonal (cells
     * outside the band, stale or never set, are lower bounds and never raise the result).
     */
    private static int longestCommonSubsequence(char[] a, char[] b, int band) {
        int[] previous = new int[b.length + 1];
        int[] current = new int[b.length + 1];
        for (int i = 1; i <= a.length; i++) {
            for (int j = Math.max(1, i - band); j <= Math.min(b.length, i + band); j++) {
                current[j] = a[i - 1] == b[j - 1] ? previous[j - 1] + 1 : Math.max(previous[j], current[j - 1]);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length];
    }

    /** Squashed name without trailing digits: {@code beautifulsoup4} and {@code beautifulsoup} share a root. */
    static String root(String normalised) {
        String squashed = PackageNames.squash(normalised);
        String r = TRAILING_DIGITS.matcher(squashed).replaceAll("");
        return r.isEmpty() ? squashed : r;
    }

    /** The name's words in sorted order: {@code python-aliyun-sdk-core} and {@code aliyun-python-sdk-core} agree. */
    private static String wordKey(String normalised) {
        String[] w = normalised.split("-");
        java.util.Arrays.sort(w);
        return String.join("-", w);
    }

    private static String glyphs(String squashed) {
        return squashed.replace("rn", "m").replace("vv", "w").replace('1', 'l').replace('0', 'o');
    }

    /** {@code tree-sitter-c} extends {@code tree-sitter} by a whole token: a plugin's name, not a typo. */
    private static boolean tokenExtension(String c, String t) {
        String[] a = c.split("-");
        String[] b = t.split("-");
        if (a.length == b.length) {
            return false;
        }
        String[] shorter = a.length < b.length ? a : b;
        String[] longer = a.length < b.length ? b : a;
        int k = shorter.length;
        boolean head = true;
        boolean tail = true;
        for (int i = 0; i < k; i++) {
            head &= longer[i].equals(shorter[i]);
            tail &= longer[longer.length - k + i].equals(shorter[i]);
        }
        return head || tail;
    }

    /**
     * In families like {@code mypy-boto3-rds}/{@code mypy-boto3-sqs} a short differing token is a sibling; two of
     * its letters swapped ({@code google-auht}) or its plural ({@code google-api-cores}) is a slip, not a sibling.
     */
    private static boolean editedTokensLongEnough(String c, String t) {
        String[] a = c.split("-");
        String[] b = t.split("-");
        if (a.length != b.length || b.length < 2) {
            return true;
        }
        for (int i = 0; i < b.length; i++) {
            if (!a[i].equals(b[i]) && TRAILING_DIGITS.matcher(b[i]).replaceAll("").length() < 5
                    && !swapped(a[i], b[i]) && !plural(a[i], b[i])) {
                return false;
            }
        }
        return true;
    }

    /** The same letters with two neighbours swapped, not at the start: {@code auht}/{@code auth}. */
    private static boolean swapped(String a, String b) {
        if (a.length() != b.length() || a.length() < 3) {
            return false;
        }
        int i = 0;
        while (i < a.length() && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i > 0 && i + 1 < a.length() && a.charAt(i) == b.charAt(i + 1) && a.charAt(i + 1) == b.charAt(i)
                && a.substring(i + 2).equals(b.substring(i + 2));
    }

    /** {@code future}/{@code futures}: a plural is a different word, but {@code ipaddres} drops a letter of "ss". */
    private static boolean plural(String root, String troot) {
        return root.equals(troot + "s") && !troot.endsWith("s") || troot.equals(root + "s") && !root.endsWith("s");
    }
}
