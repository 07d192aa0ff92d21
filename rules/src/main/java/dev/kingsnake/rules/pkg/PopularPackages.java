package dev.kingsnake.rules.pkg;

import dev.kingsnake.spi.RuleContext;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Popular package names, most popular first, PEP 503-normalised, with their rank. The bundled list
 * ({@code top-pypi-packages.txt}) is used unless the scanner was given its own.
 */
final class PopularPackages {
    private static final String RESOURCE = "top-pypi-packages.txt";
    private static final PopularPackages BUNDLED = new PopularPackages(readBundled());
    /** Lists given to scanners, indexed once per list instance (scanners copy their list once). */
    private static final Map<List<String>, PopularPackages> CONFIGURED =
            Collections.synchronizedMap(new IdentityHashMap<>());

    private final List<String> names;
    private final Map<String, Integer> rank;
    private volatile TyposquatMatcher matcher;

    PopularPackages(List<String> rawNames) {
        List<String> n = new ArrayList<>(rawNames.size());
        Map<String, Integer> r = new HashMap<>(rawNames.size() * 2);
        for (String raw : rawNames) {
            String name = PackageNames.normalise(raw);
            if (!name.isEmpty() && r.putIfAbsent(name, n.size() + 1) == null) {
                n.add(name);
            }
        }
        this.names = List.copyOf(n);
        this.rank = Map.copyOf(r);
    }

    static PopularPackages of(RuleContext ctx) {
        Optional<List<String>> configured = ctx.popularPackages();
        if (configured.isEmpty()) {
            return BUNDLED;
        }
        List<String> list = configured.get();
        synchronized (CONFIGURED) {
            if (CONFIGURED.size() > 16) {
                CONFIGURED.clear();
            }
            return CONFIGURED.computeIfAbsent(list, PopularPackages::new);
        }
    }

    static PopularPackages bundled() {
        return BUNDLED;
    }

    /** Names, most popular first. */
    List<String> names() {
        return names;
    }

    /** 1-based rank of a normalised name, or 0 when it is not in the list. */
    int rank(String normalisedName) {
        return rank.getOrDefault(normalisedName, 0);
    }

    /** The typosquat index over this list, built on first use. */
    TyposquatMatcher typosquats() {
        TyposquatMatcher m = matcher;
        if (m == null) {
            synchronized (this) {
                m = matcher;
                if (m == null) {
                    m = new TyposquatMatcher(this);
                    matcher = m;
                }
            }
        }
        return m;
    }

    boolean contains(String normalisedName) {
        return rank.containsKey(normalisedName);
    }

    private static List<String> readBundled() {
        List<String> out = new ArrayList<>();
        try (InputStream in = PopularPackages.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                line = line.strip();
                if (!line.isEmpty() && !line.startsWith("#")) {
                    out.add(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
