"""Heavy downloads under concurrency: the server's memory stays bounded.

Builds a site of N synthetic measures (the demo's measures repeated with new
ids, imported with `faro import measures`, then edited once more so that
measures-changes.csv has two rows per field), starts `faro serve` with
FARO_HEAVY_DOWNLOADS slots, runs C concurrent anonymous clients that each
download /data/measures.csv and /data/measures-changes.csv R times (503
answers are counted and retried after Retry-After), and samples the server's
resident memory from /proc/PID/status every 50 ms. Prints a JSON summary and
exits 1 when the peak exceeds the stated bound (--bound-mb).

    python3 tests/load/downloads.py --faro target/release/faro --measures 50000
"""
import argparse, csv, io, json, os, subprocess, sys, tempfile, threading, time, urllib.request, urllib.error

ap = argparse.ArgumentParser()
ap.add_argument("--faro", required=True)
ap.add_argument("--measures", type=int, default=20000)
ap.add_argument("--clients", type=int, default=16)
ap.add_argument("--rounds", type=int, default=2)
ap.add_argument("--slots", type=int, default=4)
ap.add_argument("--bound-mb", type=int, default=400)
args = ap.parse_args()

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
work = tempfile.mkdtemp(prefix="faro-load-")
data = os.path.join(work, "data")
env = dict(os.environ, FARO_LOG="warn")
env.pop("DATABASE_URL", None)


def faro(*a):
    subprocess.run([args.faro, "--data-dir", data, *a], check=True, env=env, stdout=subprocess.DEVNULL)


faro("demo", "load")
with open(os.path.join(root, "data/demo/measures.csv"), newline="", encoding="utf-8") as f:
    demo = list(csv.DictReader(f))
cols = list(demo[0].keys())


def write(path, note):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=cols, lineterminator="\r\n")
        w.writeheader()
        for i in range(args.measures):
            row = dict(demo[i % len(demo)])
            row["id"] = f"m-load-{i:06d}"
            row["notes"] = f"{note} {i}"
            w.writerow(row)


t = time.time()
for n, note in enumerate(["generated", "edited"]):
    p = os.path.join(work, f"m{n}.csv")
    write(p, note)
    faro("import", "measures", p)
import_s = time.time() - t

srv = subprocess.Popen(
    [args.faro, "--data-dir", data, "serve", "--bind", "127.0.0.1:0", "--no-demo"],
    env=dict(env, FARO_HEAVY_DOWNLOADS=str(args.slots), FARO_LOG="warn"),
    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
base = None
for line in srv.stdout:
    if "listening on" in line:
        base = line.strip().split("listening on ")[1].rstrip("/")
        break
threading.Thread(target=lambda: [None for _ in srv.stdout], daemon=True).start()


def rss_mb():
    with open(f"/proc/{srv.pid}/status") as f:
        for l in f:
            if l.startswith("VmRSS:"):
                return int(l.split()[1]) // 1024
    return 0


peak = [rss_mb()]
baseline = peak[0]
stop = threading.Event()


def sample():
    while not stop.is_set():
        peak[0] = max(peak[0], rss_mb())
        time.sleep(0.05)


threading.Thread(target=sample, daemon=True).start()
stats = {"ok": 0, "busy": 0, "errors": 0, "bytes": 0}
lock = threading.Lock()


def client():
    for _ in range(args.rounds):
        for name in ["measures.csv", "measures-changes.csv"]:
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/data/{name}", timeout=300) as r:
                        n = 0
                        while True:
                            b = r.read(65536)
                            if not b:
                                break
                            n += len(b)
                    with lock:
                        stats["ok"] += 1
                        stats["bytes"] += n
                    break
                except urllib.error.HTTPError as e:
                    if e.code == 503:
                        with lock:
                            stats["busy"] += 1
                        time.sleep(int(e.headers.get("Retry-After", "1")) / 5)
                        continue
                    with lock:
                        stats["errors"] += 1
                    break
                except Exception:
                    with lock:
                        stats["errors"] += 1
                    break


t = time.time()
threads = [threading.Thread(target=client) for _ in range(args.clients)]
for th in threads:
    th.start()
for th in threads:
    th.join()
took = time.time() - t
time.sleep(0.5)
stop.set()
after = rss_mb()
srv.terminate()
srv.wait()
summary = {
    "measures": args.measures, "clients": args.clients, "slots": args.slots,
    "downloads_ok": stats["ok"], "answered_503": stats["busy"], "errors": stats["errors"],
    "mb_sent": stats["bytes"] // (1 << 20), "seconds": round(took, 1), "import_seconds": round(import_s, 1),
    "rss_baseline_mb": baseline, "rss_peak_mb": peak[0], "rss_after_mb": after, "bound_mb": args.bound_mb,
}
print(json.dumps(summary))
sys.exit(0 if peak[0] <= args.bound_mb and stats["errors"] == 0 else 1)
