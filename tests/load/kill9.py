"""Faults (issue 17, item 15, in part): `kill -9` of a server during writes
loses no committed write, and the search index heals.

Starts `faro serve` on a new site (demonstration data; SQLite, or PostgreSQL
with --database-url), creates a coordinator and an API token, runs W writer
threads that create courses through the API (each 201 is a committed
write), kills the server with SIGKILL after S seconds, starts it again and
checks that every committed course is there (GET) and found by the search
API. Prints one JSON line; exits 1 when a committed write is missing or
the index did not heal. A benchmark-style script, not a test.

    python3 tests/load/kill9.py --faro target/release/faro [--seconds 5] [--writers 4]
    python3 tests/load/kill9.py --faro target/release/faro --database-url postgres://postgres@127.0.0.1:5432/NEWDB
"""
import argparse, json, os, signal, subprocess, sys, tempfile, threading, time, urllib.error, urllib.request

ap = argparse.ArgumentParser()
ap.add_argument("--faro", required=True)
ap.add_argument("--seconds", type=float, default=5)
ap.add_argument("--writers", type=int, default=4)
ap.add_argument("--port", type=int, default=18433)
ap.add_argument("--database-url")
args = ap.parse_args()

work = tempfile.mkdtemp(prefix="faro-kill9-")
data = os.path.join(work, "data")
env = dict(os.environ, FARO_LOG="warn")
env.pop("DATABASE_URL", None)
if args.database_url:
    env["DATABASE_URL"] = args.database_url
base = f"http://127.0.0.1:{args.port}"


def faro(*a):
    return subprocess.run([args.faro, "--data-dir", data, *a], env=env, check=True, capture_output=True, text=True).stdout


def start():
    log = open(os.path.join(work, "serve.log"), "a")
    p = subprocess.Popen([args.faro, "--data-dir", data, "serve", "--bind", f"127.0.0.1:{args.port}"], env=env, stdout=log, stderr=log)
    t0 = time.monotonic()
    while time.monotonic() - t0 < 120:
        try:
            with urllib.request.urlopen(base + "/readyz", timeout=2) as r:
                if r.status == 200:
                    return p, time.monotonic() - t0
        except Exception:
            time.sleep(0.1)
    p.kill()
    sys.exit("the server did not become ready; see " + os.path.join(work, "serve.log"))


def call(method, path, token=None, body=None):
    req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode())
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


faro("demo", "load")
faro("user", "add", "kill9@faro.test", "--role", "coordinator")
token = faro("token", "create", "kill9@faro.test").strip()
server, first_start = start()

committed, failed = [], 0
lock = threading.Lock()
stop = threading.Event()


def writer(w):
    global failed
    n = 0
    while not stop.is_set():
        n += 1
        cid = f"k9-w{w}-n{n}"
        body = {"id": cid, "original_language": "en", "title_en": f"Kill nine course k9w{w}n{n}", "providers": ["cinterfor"]}
        try:
            status, _ = call("POST", "/api/v1/courses", token, body)
        except Exception:
            status = None  # the server died under this request: not committed as far as we know
        with lock:
            if status == 201:
                committed.append(cid)
            elif status is not None:
                failed += 1


threads = [threading.Thread(target=writer, args=(w,)) for w in range(args.writers)]
for t in threads:
    t.start()
time.sleep(args.seconds)
server.send_signal(signal.SIGKILL)
server.wait()
stop.set()
for t in threads:
    t.join()

server, recovery = start()
missing = [c for c in committed if call("GET", f"/api/v1/courses/{c}")[0] != 200]
# The index: every committed course is found by its own title word (the
# outbox is replayed at start, so give it a moment).
not_found = committed
deadline = time.monotonic() + 30
while not_found and time.monotonic() < deadline:
    still = []
    for c in not_found:
        w, n = c.split("-")[1:]
        status, body = call("GET", f"/api/v1/search?q=k9{w}{n}&type=course")
        hits = json.loads(body).get("hits", []) if status == 200 else []
        if not any(h.get("id") == c for h in hits):
            still.append(c)
    not_found = still
    if not_found:
        time.sleep(1)
server.terminate()
server.wait()
out = {
    "backend": "postgres" if args.database_url else "sqlite",
    "writers": args.writers,
    "seconds_before_kill": args.seconds,
    "committed_writes": len(committed),
    "refused_writes": failed,
    "missing_after_restart": len(missing),
    "not_in_search_after_restart": len(not_found),
    "restart_to_ready_s": round(recovery, 2),
}
print(json.dumps(out))
sys.exit(1 if missing or not_found or not committed else 0)
