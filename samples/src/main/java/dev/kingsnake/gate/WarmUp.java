package dev.kingsnake.gate;

import dev.kingsnake.ScanResult;
import dev.kingsnake.Scanner;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Brings the JIT up to speed at the gate's start, before the first real package arrives: scans a synthetic wheel
 * made in memory (benign Python written here, nothing read from disk or the network) a few times with a scanner of
 * its own (so the gate's per-file result cache never holds it). A fresh JVM's first big wheel took about 12 s more
 * CPU than the same wheel once the parser's, the model's and the rules' methods were compiled (README, Performance,
 * "The gate's JVM"). The gate serves while this runs; it stops between scans when {@code stop} says so (a real
 * scan has started), so it never competes with more than the scan it overlaps.
 */
public final class WarmUp {
    /** Modules in the synthetic wheel: about 0.9 MB of Python. */
    static final int MODULES = 40;
    /**
     * Scans, each of a wheel of its own modules: enough for the lexer's, parser's and model's hot methods to reach
     * the compilers' thresholds. Each round's modules differ from every other round's: the same wheel scanned again
     * is served by the per-file result cache in about a tenth of the time and warms nothing (measured, one
     * {@code -Xmx512m} JVM with the gate's options: the first torch 2.14.1 after three scans of distinct wheels
     * 16.1 s, after none 18.8 s; after thirty 16.9 s, so more rounds do not pay).
     */
    static final int ROUNDS = 3;

    private WarmUp() {
    }

    /**
     * Scans the synthetic wheel up to {@code rounds} times; returns the results of the scans made (fewer when
     * {@code stop} turned true in between).
     */
    public static List<ScanResult> run(Scanner scanner, int rounds, BooleanSupplier stop) {
        List<ScanResult> out = new ArrayList<>();
        for (int i = 0; i < rounds && !stop.getAsBoolean(); i++) {
            out.add(scanner.scan(FILE_NAME, new ByteArrayInputStream(wheel(MODULES, i))));
        }
        return out;
    }

    /** Starts {@link #run} on a daemon thread of low priority. */
    public static Thread start(Scanner scanner, BooleanSupplier stop) {
        Thread t = new Thread(() -> run(scanner, ROUNDS, stop), "kingsnake-gate-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
        return t;
    }

    static final String FILE_NAME = "kingsnake_warmup-1.0-py3-none-any.whl";

    /**
     * Round {@code round}'s wheel of {@code modules} generated modules, numbered from {@code round * modules}: each
     * with other names, so that none repeats another module of this or any other round.
     */
    static byte[] wheel(int modules, int round) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            put(zip, "kingsnake_warmup/__init__.py", "\"\"\"Synthetic package: warms the scanner up.\"\"\"\n"
                    + "__version__ = \"1.0\"\n");
            for (int i = 0; i < modules; i++) {
                put(zip, "kingsnake_warmup/m" + i + ".py", module(round * modules + i));
            }
            put(zip, "kingsnake_warmup-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: kingsnake-warmup\n"
                    + "Version: 1.0\nSummary: synthetic\nRequires-Dist: requests (>=2)\n\n");
            put(zip, "kingsnake_warmup-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\nGenerator: kingsnake\n"
                    + "Root-Is-Purelib: true\nTag: py3-none-any\n");
            put(zip, "kingsnake_warmup-1.0.dist-info/entry_points.txt", "[console_scripts]\n"
                    + "kingsnake-warmup = kingsnake_warmup.m0:main\n");
            put(zip, "kingsnake_warmup-1.0.dist-info/top_level.txt", "kingsnake_warmup\n");
            put(zip, "kingsnake_warmup-1.0.dist-info/RECORD", "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void put(ZipOutputStream zip, String path, String text) throws IOException {
        zip.putNextEntry(new ZipEntry(path));
        zip.write(text.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }

    /** One module: the common shapes of library code, about 7 KB, its names numbered {@code n}. */
    static String module(int n) {
        StringBuilder sb = new StringBuilder(8192);
        sb.append(TEMPLATE_HEAD.replace("$N", Integer.toString(n)));
        for (int k = 0; k < 6; k++) {
            sb.append(TEMPLATE_BODY.replace("$N", n + "_" + k).replace("$K", Integer.toString(k + n % 7)));
        }
        return sb.toString();
    }

    private static final String TEMPLATE_HEAD = """
            # -*- coding: utf-8 -*-
            \"\"\"Module $N of a synthetic package.\"\"\"
            from __future__ import annotations

            import os
            import re
            import sys
            import json
            import logging
            import functools
            import itertools
            from collections import OrderedDict, defaultdict
            from dataclasses import dataclass, field
            from typing import Any, Dict, Iterable, List, Optional, Tuple

            try:
                import numpy as np
            except ImportError:  # pragma: no cover
                np = None

            __all__ = ["Record$N", "load_$N", "main"]
            log = logging.getLogger(__name__)
            PATTERN_$N = re.compile(r"^(?P<key>[a-z_][a-z0-9_]*)\\s*=\\s*(?P<value>.+)$", re.I)
            DEFAULTS_$N = {"name": "item$N", "size": $N, "tags": ("a", "b"), "ratio": 0.5, "flag": True, "none": None}
            HOME_$N = os.path.join(os.path.expanduser("~"), ".cache", "warmup$N")
            URL_$N = "https://example.invalid/api/v1/items/$N"


            def main(argv: Optional[List[str]] = None) -> int:
                args = list(sys.argv[1:] if argv is None else argv)
                if not args:
                    print(f"usage: warmup{len(args)} FILE", file=sys.stderr)
                    return 2
                for name in args:
                    with open(name, encoding="utf-8") as fh:
                        print(json.dumps(load_$N(fh.read()), indent=2, sort_keys=True))
                return 0

            """;

    private static final String TEMPLATE_BODY = """

            @dataclass(frozen=True)
            class Record$N:
                \"\"\"A parsed line.\"\"\"
                key: str
                value: Any = None
                extra: Dict[str, Any] = field(default_factory=dict)

                @property
                def label(self) -> str:
                    return "%s=%r" % (self.key, self.value)

                def __lt__(self, other: "Record$N") -> bool:
                    return (self.key, str(self.value)) < (other.key, str(other.value))

                @classmethod
                def parse(cls, line: str) -> Optional["Record$N"]:
                    m = PATTERN_$N.match(line.strip())
                    if m is None:
                        return None
                    raw = m.group("value")
                    try:
                        value = json.loads(raw)
                    except (ValueError, TypeError) as exc:
                        log.debug("not json: %s (%s)", raw, exc)
                        value = raw.strip("'\\"")
                    return cls(m.group("key"), value)


            def load_$N(text: str, *, strict: bool = False, **options) -> Dict[str, Any]:
                out: Dict[str, Any] = OrderedDict()
                seen = defaultdict(int)
                for lineno, line in enumerate(text.splitlines(), start=1):
                    if not line or line.lstrip().startswith("#"):
                        continue
                    rec = Record$N.parse(line)
                    if rec is None:
                        if strict:
                            raise ValueError(f"line {lineno}: cannot parse {line!r}")
                        continue
                    seen[rec.key] += 1
                    out[rec.key] = rec.value if seen[rec.key] == 1 else [out[rec.key], rec.value]
                out.update({k: v for k, v in DEFAULTS_$N.items() if k not in out and options.get("defaults", True)})
                return dict(sorted(out.items(), key=lambda kv: (len(kv[0]), kv[0])))


            class Cache$N(dict):
                def __init__(self, limit: int = $K * 16, *args, **kwargs):
                    super().__init__(*args, **kwargs)
                    self.limit = limit
                    self._hits = self._misses = 0

                def __missing__(self, key):
                    self._misses += 1
                    value = self[key] = compute_$N(key)
                    while len(self) > self.limit:
                        self.pop(next(iter(self)))
                    return value

                def stats(self) -> Tuple[int, int]:
                    return self._hits, self._misses


            @functools.lru_cache(maxsize=None)
            def compute_$N(key: str) -> int:
                total = 0
                for i, ch in enumerate(key):
                    total = (total * 31 + ord(ch) ^ i) & 0xFFFFFFFF
                return total % ($K + 97)


            def pairs_$N(items: Iterable[int]) -> List[Tuple[int, int]]:
                items = sorted(set(items))
                result = [(a, b) for a, b in itertools.combinations(items, 2) if (a + b) % 3 == 0 and a != b]
                squares = {x: x ** 2 for x in items if x > $K}
                evens = list(filter(lambda v: not v & 1, squares.values()))
                return result[: max(1, len(evens))]


            async def fetch_$N(session, path: str = "/status", retries: int = 3) -> Optional[dict]:
                for attempt in range(retries):
                    try:
                        async with session.get(URL_$N + path, timeout=10) as resp:
                            if resp.status == 200:
                                return await resp.json()
                    except Exception as exc:  # noqa: BLE001
                        log.warning("attempt %d failed: %s", attempt, exc)
                    finally:
                        pass
                return None


            def walk_$N(root: str = HOME_$N):
                if not os.path.isdir(root):
                    return
                for dirpath, dirnames, filenames in os.walk(root):
                    dirnames[:] = [d for d in dirnames if not d.startswith(".")]
                    for name in filenames:
                        if name.endswith((".json", ".cfg")):
                            yield os.path.join(dirpath, name)


            def matrix_$N(n: int = $K + 3):
                grid = [[(i * j) % 7 for j in range(n)] for i in range(n)]
                if np is not None:
                    return np.asarray(grid).T.tolist()
                return [list(row) for row in zip(*grid)]

            """;
}
