"""Added latency of `kingsnake gate` per file (README "Put Kingsnake in front of pip").

Serves a static PEP 503 index directory (simple/NAME/index.html with ../../files/ links, default /opt/pypi) with
`python3 -m http.server` on loopback, starts the gate jar in front of it, and for every STEP-th file (by name) plus
the biggest tensorflow-cpu wheel, one at a time: the file straight from the index, the project page through the
gate, the file through the gate (cold: download + scan + serve), and again (warm). Writes the rows and p50/p99 to OUT.

usage: python3 measure.py JAR "JVM-OPTIONS" STEP OUT.json [INDEX-DIR] [WORK-DIR]
"""
import glob, http.client, json, os, re, shutil, subprocess, sys, time, urllib.error, urllib.request

JAR, JVM, STEP, OUT = sys.argv[1], sys.argv[2].split(), int(sys.argv[3]), sys.argv[4]
INDEX = sys.argv[5] if len(sys.argv) > 5 else "/opt/pypi"
WORK = sys.argv[6] if len(sys.argv) > 6 else "/tmp/gate-latency"
UP, GATE = 18710, 18711
os.makedirs(WORK, exist_ok=True)
data = os.path.join(WORK, "data")
shutil.rmtree(data, ignore_errors=True)
procs = []
procs.append(subprocess.Popen([sys.executable, "-m", "http.server", str(UP), "--bind", "127.0.0.1"], cwd=INDEX,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
procs.append(subprocess.Popen(["java"] + JVM + ["-jar", JAR, "gate", "--upstream", f"http://127.0.0.1:{UP}/simple/",
                               "--listen", f"127.0.0.1:{GATE}", "--data-dir", data, "--audit-log", data + "-audit.jsonl"],
                              stdout=subprocess.DEVNULL, stderr=open(os.path.join(WORK, "gate.err"), "w")))
def get(url, accept=None):
    req = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    t = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            n = len(r.read()); code = r.status
    except urllib.error.HTTPError as e:
        n = len(e.read()); code = e.code
    except http.client.IncompleteRead as e:
        # refused after the gate began streaming the file (see README: --stream-after): the connection is cut
        n = len(e.partial); code = "cut"
    return time.perf_counter() - t, code, n
for _ in range(120):
    try:
        get(f"http://127.0.0.1:{GATE}/healthz"); break
    except Exception:
        time.sleep(1)
owner = {}
for idx in glob.glob(os.path.join(INDEX, "simple/*/index.html")):
    proj = idx.split("/")[-2]
    for href in re.findall(r'href="\.\./\.\./files/([^"#]+)', open(idx).read()):
        owner[href] = proj
files = sorted(owner)
sample = files[::STEP]
big = "tensorflow_cpu-2.21.0-cp311-cp311-manylinux_2_27_x86_64.whl"
if big in owner and big not in sample:
    sample.append(big)
rows = []
for f in sample:
    p = owner[f]
    direct, _, size = get(f"http://127.0.0.1:{UP}/files/{f}")
    page, _, _ = get(f"http://127.0.0.1:{GATE}/simple/{p}/", "application/vnd.pypi.simple.v1+json")
    cold, code, n = get(f"http://127.0.0.1:{GATE}/files/{p}/{f}")
    warm, code2, _ = get(f"http://127.0.0.1:{GATE}/files/{p}/{f}")
    row = dict(file=f, size=size, direct=direct, page=page, cold=cold, warm=warm, status=code, served=n)
    rows.append(row)
    print(json.dumps(row), flush=True)
for pr in procs:
    pr.terminate()
def pct(xs, q):
    xs = sorted(xs); return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]
small = [r for r in rows if r["file"] != big]
added = [r["cold"] - r["direct"] for r in small]
warm = [r["warm"] - r["direct"] for r in small]
with open(OUT, "w") as o:
    json.dump(dict(rows=rows, n=len(small), added_cold_p50=pct(added, .5), added_cold_p99=pct(added, .99),
                   added_warm_p50=pct(warm, .5), added_warm_p99=pct(warm, .99),
                   page_p50=pct([r["page"] for r in small], .5), page_p99=pct([r["page"] for r in small], .99),
                   mb=sum(r["size"] for r in small) / 1e6, load=os.getloadavg()), o, indent=1)
print(open(OUT).read()[-600:])
