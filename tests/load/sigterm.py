"""Faults (issue 17, item 15): SIGTERM under load lets in-flight requests
finish.

Builds a site with N synthetic measures (so that /data/measures.csv is a
download of some megabytes), starts `faro serve`, and runs two kinds of
clients: page clients (pages and API calls, a new connection each) and slow
downloaders (read /data/measures.csv 16 KB at a time with a pause, so each
download is in flight for seconds). After --seconds it sends SIGTERM and
keeps the clients going until the server has exited.

Every request is classed by what the client saw:
- complete: the whole answer (the body's length checked);
- refused: the connection was refused, the listener being closed (after
  SIGTERM; what a restart looks like to a client, not a lost request);
- cut: an answer begun and not finished, or a request sent on an accepted
  connection and answered by a reset. Must be 0.
It also checks that the server exits 0 after the last download ends, and
that downloads in flight at SIGTERM ended complete. Prints one JSON line;
exits 1 on any cut request. A benchmark-style script, not a test.

    python3 tests/load/sigterm.py --faro target/release/faro [--measures 20000] [--database-url URL]
"""
import argparse, csv, http.client, json, os, signal, socket, subprocess, sys, tempfile, threading, time

ap = argparse.ArgumentParser()
ap.add_argument("--faro", required=True)
ap.add_argument("--measures", type=int, default=20000)
ap.add_argument("--clients", type=int, default=16)
ap.add_argument("--downloaders", type=int, default=4)
ap.add_argument("--seconds", type=float, default=4)
ap.add_argument("--port", type=int, default=18435)
ap.add_argument("--database-url")
args = ap.parse_args()

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
work = tempfile.mkdtemp(prefix="faro-sigterm-")
data = os.path.join(work, "data")
env = dict(os.environ, FARO_LOG="warn")
env.pop("DATABASE_URL", None)
if args.database_url:
    env["DATABASE_URL"] = args.database_url


def faro(*a):
    subprocess.run([args.faro, "--data-dir", data, *a], check=True, env=env, stdout=subprocess.DEVNULL)


faro("demo", "load")
with open(os.path.join(root, "data/demo/measures.csv"), newline="", encoding="utf-8") as f:
    demo = list(csv.DictReader(f))
path = os.path.join(work, "measures.csv")
with open(path, "w", newline="", encoding="utf-8") as f:
    w = csv.DictWriter(f, fieldnames=list(demo[0].keys()), lineterminator="\r\n")
    w.writeheader()
    for i in range(args.measures):
        row = dict(demo[i % len(demo)])
        row["id"] = f"m-term-{i:06d}"
        w.writerow(row)
faro("import", "measures", path)

log = open(os.path.join(work, "serve.log"), "a")
server = subprocess.Popen([args.faro, "--data-dir", data, "serve", "--no-demo", "--bind", f"127.0.0.1:{args.port}"],
                          env=dict(env, FARO_HEAVY_DOWNLOADS=str(args.downloaders + 2)), stdout=log, stderr=log)
t0 = time.monotonic()
while True:
    try:
        c = http.client.HTTPConnection("127.0.0.1", args.port, timeout=2)
        c.request("GET", "/readyz")
        if c.getresponse().status == 200:
            break
    except OSError:
        pass
    if time.monotonic() - t0 > 120 or server.poll() is not None:
        sys.exit("the server did not become ready; see " + os.path.join(work, "serve.log"))
    time.sleep(0.1)

pages = ["/es/", "/en/observatory", "/pt/institutions", "/en/resources", "/es/courses", "/en/events",
         "/api/v1/measures?per_page=20", "/api/v1/courses?per_page=20", "/api/v1/search?q=docentes", "/data/courses.csv"]
lock = threading.Lock()
records = []  # dicts: kind, sent_before_term, outcome, detail
term_at = [None]
exited = threading.Event()


def one(path, slow):
    """One request on a new connection; returns (outcome, detail, sent_at)."""
    sent_at = time.monotonic()
    try:
        c = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
        c.connect()
    except ConnectionRefusedError:
        return "refused", "", sent_at
    except OSError as e:
        return "cut", f"connect: {type(e).__name__}", sent_at
    began = False
    try:
        c.request("GET", path, headers={"Accept-Encoding": "identity"})
        r = c.getresponse()
        began = True
        length = r.getheader("Content-Length")
        got = 0
        while True:
            chunk = r.read(16384 if slow else 65536)
            if not chunk:
                break
            got += len(chunk)
            if slow:
                time.sleep(0.02)
        if length is not None and got != int(length):
            return "cut", f"{got} of {length} bytes", sent_at
        if r.status not in (200, 503):
            return "cut", f"status {r.status}", sent_at
        return "complete", str(r.status), sent_at
    except (OSError, http.client.HTTPException) as e:
        return "cut", f"{'body' if began else 'answer'}: {type(e).__name__}", sent_at
    finally:
        c.close()


def client(k, slow):
    i = k
    while not exited.is_set():
        p = "/data/measures.csv" if slow else pages[i % len(pages)]
        i += 1
        outcome, detail, sent_at = one(p, slow)
        with lock:
            records.append({"slow": slow, "sent": sent_at, "ended": time.monotonic(),
                            "outcome": outcome, "detail": detail, "path": p})
        if outcome == "refused":
            time.sleep(0.05)


threads = [threading.Thread(target=client, args=(k, False)) for k in range(args.clients)]
threads += [threading.Thread(target=client, args=(k, True)) for k in range(args.downloaders)]
for t in threads:
    t.start()
time.sleep(args.seconds)
term_at[0] = time.monotonic()
server.send_signal(signal.SIGTERM)
rc = server.wait(timeout=120)
exit_s = time.monotonic() - term_at[0]
exited.set()
for t in threads:
    t.join()

count = lambda **kw: sum(1 for r in records if all(r[k] == v for k, v in kw.items()))
cut = [r for r in records if r["outcome"] == "cut"]
# Requests sent before SIGTERM and ended after it: in flight when it came.
in_flight = [r for r in records if r["sent"] < term_at[0] < r["ended"] and r["outcome"] != "refused"]
out = {
    "backend": "postgres" if args.database_url else "sqlite",
    "requests": len(records),
    "complete": count(outcome="complete"),
    "complete_downloads": count(outcome="complete", slow=True),
    "in_flight_at_sigterm": len(in_flight),
    "in_flight_completed": sum(1 for r in in_flight if r["outcome"] == "complete"),
    "downloads_in_flight_completed": sum(1 for r in in_flight if r["slow"] and r["outcome"] == "complete"),
    "refused_after_sigterm": count(outcome="refused"),
    "cut": len(cut),
    "server_exit_code": rc,
    "sigterm_to_exit_s": round(exit_s, 2),
}
print(json.dumps(out))
if cut:
    print("cut:", [(r["path"], r["detail"], "sent before" if r["sent"] < term_at[0] else "sent after") for r in cut][:20], file=sys.stderr)
slow_in_flight = sum(1 for r in in_flight if r["slow"])
sys.exit(1 if cut or rc != 0 or slow_in_flight == 0 else 0)
