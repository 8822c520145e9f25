"""Faults (issue 17, item 15): PostgreSQL stopped and started under load.

Never touches the shared PostgreSQL: it makes a private cluster with the
server's own `initdb` in a temporary folder, on its own port, loads the
demonstration data into it, starts `faro serve` on it, and runs readers
(pages, API lists, /readyz) and writers (courses through the API) the whole
time. After --before seconds it stops the cluster (`pg_ctl stop -m fast`),
keeps the load on for --down seconds, starts it again, and waits for the
server to recover on its own (nothing restarts `faro`).

It checks, and exits 1 when one fails:
- while the database is down, /readyz answers 503 and every page or API
  call answers 200 (what needs no database) or 503 with Retry-After:
  (a write sent while it is down may wait for the database to come back
  and answer 201) never 500, never a cut or refused connection, never a
  hang past 15 s;
- after the database is back, /readyz and every page answer 200 again
  without a restart of the server (the recovery time is printed);
- every write answered 201 (before, during or after) is there at the end.

Prints one JSON line. A benchmark-style script, not a test.

    python3 tests/load/pgdown.py --faro target/release/faro [--before 5] [--down 10] [--after 10]
"""
import argparse, glob, json, os, shutil, subprocess, sys, tempfile, threading, time
import http.client, urllib.error, urllib.request

ap = argparse.ArgumentParser()
ap.add_argument("--faro", required=True)
ap.add_argument("--pg-bin", default=(sorted(glob.glob("/usr/lib/postgresql/*/bin")) or [""])[-1])
ap.add_argument("--pg-port", type=int, default=55439)
ap.add_argument("--port", type=int, default=18434)
ap.add_argument("--before", type=float, default=5)
ap.add_argument("--down", type=float, default=10)
ap.add_argument("--after", type=float, default=10)
ap.add_argument("--readers", type=int, default=8)
ap.add_argument("--writers", type=int, default=2)
args = ap.parse_args()

work = tempfile.mkdtemp(prefix="faro-pgdown-")
pgdata = os.path.join(work, "pg")
sock = os.path.join(work, "sock")
os.makedirs(sock)
data = os.path.join(work, "data")
base = f"http://127.0.0.1:{args.port}"
url = f"postgres://postgres@127.0.0.1:{args.pg_port}/faro"
# initdb and postgres refuse to run as root: run them as `postgres`.
as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
if as_pg:
    shutil.chown(work, "postgres")
    shutil.chown(sock, "postgres")


def pg(*a):
    return subprocess.run(as_pg + [os.path.join(args.pg_bin, a[0]), *a[1:]], check=True, capture_output=True, text=True)


def pg_start():
    pg("pg_ctl", "-D", pgdata, "-l", os.path.join(work, "pg.log"), "-w", "-o",
       f"-p {args.pg_port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off", "start")


def pg_stop():
    pg("pg_ctl", "-D", pgdata, "-m", "fast", "-w", "stop")


pg("initdb", "-D", pgdata, "-A", "trust", "-U", "postgres", "--no-sync")
pg_start()
pg("createdb", "-h", sock, "-p", str(args.pg_port), "-U", "postgres", "faro")

env = dict(os.environ, FARO_LOG="warn", DATABASE_URL=url)


def faro(*a):
    return subprocess.run([args.faro, "--data-dir", data, *a], env=env, check=True, capture_output=True, text=True).stdout


server = None
try:
    faro("demo", "load")
    faro("user", "add", "pgdown@faro.test", "--role", "coordinator")
    token = faro("token", "create", "pgdown@faro.test").strip()
    log = open(os.path.join(work, "serve.log"), "a")
    server = subprocess.Popen([args.faro, "--data-dir", data, "serve", "--bind", f"127.0.0.1:{args.port}"], env=env, stdout=log, stderr=log)

    def call(method, path, body=None, auth=False):
        """(status, retry_after) or ("error: ...", None); times out at 15 s."""
        req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode())
        req.add_header("Content-Type", "application/json")
        if auth:
            req.add_header("Authorization", "Bearer " + token)
        try:
            with urllib.request.urlopen(req, timeout=15) as r:
                r.read()
                return r.status, r.headers.get("Retry-After")
        except urllib.error.HTTPError as e:
            e.read()
            return e.code, e.headers.get("Retry-After")
        except (OSError, http.client.HTTPException) as e:
            return f"error: {type(e).__name__}", None

    t0 = time.monotonic()
    while call("GET", "/readyz")[0] != 200:
        if time.monotonic() - t0 > 120:
            sys.exit("the server did not become ready; see " + os.path.join(work, "serve.log"))
        time.sleep(0.1)

    pages = ["/readyz", "/es/", "/en/observatory", "/pt/institutions", "/en/resources", "/es/courses",
             "/en/events", "/api/v1/measures?per_page=5", "/api/v1/courses?per_page=5", "/api/v1/institutions"]
    lock = threading.Lock()
    results = []  # (phase, path, status, retry_after, seconds)
    committed = []
    phase = ["before"]
    stop = threading.Event()

    def reader(k):
        i = k
        while not stop.is_set():
            path = pages[i % len(pages)]
            i += 1
            ph, t = phase[0], time.monotonic()
            status, retry = call("GET", path)
            with lock:
                results.append((ph, path, status, retry, time.monotonic() - t))

    def writer(w):
        n = 0
        while not stop.is_set():
            n += 1
            cid = f"pgdown-w{w}-n{n}"
            ph, t = phase[0], time.monotonic()
            status, retry = call("POST", "/api/v1/courses", {"id": cid, "original_language": "en", "title_en": f"Outage course {w} {n}", "providers": ["cinterfor"]}, auth=True)
            with lock:
                results.append((ph, "POST /api/v1/courses", status, retry, time.monotonic() - t))
                if status == 201:
                    committed.append(cid)

    threads = [threading.Thread(target=reader, args=(k,)) for k in range(args.readers)]
    threads += [threading.Thread(target=writer, args=(w,)) for w in range(args.writers)]
    for t in threads:
        t.start()
    time.sleep(args.before)
    pg_stop()
    phase[0] = "down"
    down_at = time.monotonic()
    time.sleep(args.down)
    phase[0] = "restarting"
    pg_start()
    back_at = time.monotonic()
    # Recovery: the first moment from which /readyz and every page answer 200.
    recovered_at = None
    while time.monotonic() - back_at < 60:
        if all(call("GET", p)[0] == 200 for p in pages):
            recovered_at = time.monotonic()
            break
        time.sleep(0.2)
    phase[0] = "after"
    time.sleep(args.after)
    stop.set()
    for t in threads:
        t.join()
    missing = [c for c in committed if call("GET", f"/api/v1/courses/{c}")[0] != 200]
finally:
    if server:
        server.terminate()
        server.wait()
    try:
        pg_stop()
    except Exception:
        pass

by_phase = {}
for ph, path, status, retry, secs in results:
    d = by_phase.setdefault(ph, {})
    d[str(status)] = d.get(str(status), 0) + 1
down = [r for r in results if r[0] == "down"]
bad_down = [r for r in down if r[2] not in (200, 201, 503)]
no_retry = [r for r in down if r[2] == 503 and not r[3]]
readyz_503 = sum(1 for r in down if r[1] == "/readyz" and r[2] == 503)
after_bad = [r for r in results if r[0] == "after" and r[2] not in (200, 201)]
slowest_down = max((r[4] for r in down), default=0)
out = {
    "requests": len(results),
    "by_phase": by_phase,
    "down_s": round(back_at - down_at, 1),
    "slowest_answer_while_down_s": round(slowest_down, 2),
    "readyz_503_while_down": readyz_503,
    "bad_answers_while_down": len(bad_down),
    "503_without_retry_after": len(no_retry),
    "recovery_after_start_s": None if recovered_at is None else round(recovered_at - back_at, 2),
    "errors_after_recovery": len(after_bad),
    "committed_writes": len(committed),
    "missing_writes": len(missing),
}
print(json.dumps(out))
if bad_down or no_retry:
    print("while down:", sorted({(r[1], str(r[2])) for r in bad_down + no_retry})[:20], file=sys.stderr)
if after_bad:
    print("after recovery:", sorted({(r[1], str(r[2])) for r in after_bad})[:20], file=sys.stderr)
failed = bad_down or no_retry or not readyz_503 or recovered_at is None or after_bad or missing or not committed or slowest_down > 15
if not failed:
    shutil.rmtree(work, ignore_errors=True)
else:
    print("kept for reading:", work, file=sys.stderr)
sys.exit(1 if failed else 0)
