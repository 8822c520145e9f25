"""Benchmark: the moment registration opens (issue 12).

N registrations (default 2,000) for one session from C concurrent clients
(default 200), each a different address (X-Forwarded-For through a trusted
proxy), through the real server, then every confirmation link taken from a
real SMTP sink (aiosmtpd) and confirmed, C at a time, against a session of
capacity CAP. Prints the figures; fails if any request got a server error,
if a person was registered twice, or if more than CAP seats were given.

usage: python3 tests/events/burst.py FARO_BIN [--db URL] [-n 2000] [-c 200] [--cap 150]
"""

import argparse
import concurrent.futures as cf
import email
import email.policy
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from aiosmtpd.controller import Controller

ap = argparse.ArgumentParser()
ap.add_argument("faro")
ap.add_argument("--db", default="")
ap.add_argument("-n", type=int, default=2000)
ap.add_argument("-c", type=int, default=200)
ap.add_argument("--cap", type=int, default=150)
args = ap.parse_args()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sink:
    def __init__(self):
        self.links = {}
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = msg.get_body(preferencelist=("plain",)).get_content()
        m = re.search(r"/en/registrations\?t=([0-9a-f]{64})", body)
        if m and "Confirm your registration" in str(msg["subject"]):
            with self.lock:
                self.links[str(msg["To"])] = m.group(1)
        return "250 OK"


sink = Sink()
smtp_port = free_port()
smtp = Controller(sink, hostname="127.0.0.1", port=smtp_port)
smtp.start()
data = tempfile.mkdtemp(prefix="faro-burst-")
port = free_port()
BASE = f"http://127.0.0.1:{port}"
env = dict(os.environ, FARO_LOG="warn", FARO_SMTP_URL=f"smtp://127.0.0.1:{smtp_port}",
           FARO_PUBLIC_URL=BASE, FARO_JOBS_EVERY_MS="100", FARO_TRUSTED_PROXIES="127.0.0.1",
           FARO_REGISTER_LIMIT="5")
env.pop("DATABASE_URL", None)
if args.db:
    env["DATABASE_URL"] = args.db
subprocess.run([args.faro, "--data-dir", data, "migrate"], env=env, check=True, capture_output=True)
subprocess.run([args.faro, "--data-dir", data, "user", "add", "c@example.org", "--role", "coordinator",
                "--password-stdin"], env=env, input="burst-password-1\n", text=True, check=True,
               capture_output=True)
server = subprocess.Popen([args.faro, "--data-dir", data, "serve", "--bind", f"127.0.0.1:{port}"],
                          env=env, stdout=subprocess.PIPE, text=True)
server.stdout.readline()
import atexit
atexit.register(lambda: (server.terminate(), smtp.stop(no_assert=True)))


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None


def client(ip):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
    opener.addheaders = [("X-Forwarded-For", ip)]
    return opener


def call(opener, path, fields=None):
    data = urllib.parse.urlencode(fields).encode() if fields is not None else None
    try:
        r = opener.open(urllib.request.Request(BASE + path, data=data), timeout=60)
        return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def csrf(body):
    return re.search(r'name="csrf" value="([0-9a-f]+)"', body).group(1)


coord = client("10.255.0.1")
st, body = call(coord, "/en/login")
st, _ = call(coord, "/en/login", {"csrf": csrf(body), "email": "c@example.org",
                                  "password": "burst-password-1", "next": "/en/"})
assert st == 303, st
st, body = call(coord, "/en/events/new")
assert st == 200, (st, body[:300])
st, body = call(coord, "/en/events", {
    "csrf": csrf(body), "version": "new", "id": "burst-01", "series": "vc2020", "number": "50",
    "date": "2099-05-01", "start_time": "12:00", "time_zone": "UTC", "original_language": "en",
    "title_en": "Burst", "status": "scheduled", "channels": "zoom", "capacity": str(args.cap)})
assert st == 303, (st, body[:300])

statuses = {}
lock = threading.Lock()


def register(i):
    ip = f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}"
    o = client(ip)
    st, body = call(o, "/en/events/burst-01")
    t0 = time.time()
    st, _ = call(o, "/en/events/burst-01/register", {
        "csrf": csrf(body), "name": f"Person {i}", "email": f"p{i}@example.org", "lang": "en",
        "consent": "on"})
    with lock:
        statuses[st] = statuses.get(st, 0) + 1
    return time.time() - t0


t = time.time()
with cf.ThreadPoolExecutor(args.c) as ex:
    lat = sorted(ex.map(register, range(args.n)))
reg_s = time.time() - t
print(f"registrations: {args.n} from {args.c} clients in {reg_s:.1f} s "
      f"({args.n / reg_s:.0f}/s), p50 {lat[len(lat) // 2] * 1000:.0f} ms, "
      f"p99 {lat[int(len(lat) * 0.99)] * 1000:.0f} ms, statuses {statuses}")

deadline = time.time() + 120
while len(sink.links) < args.n and time.time() < deadline:
    time.sleep(0.5)
print(f"confirmation e-mails received: {len(sink.links)} in {time.time() - t:.1f} s after the start")

cstat = {}


def confirm(item):
    addr, token = item
    i = int(addr[1:].split("@")[0])
    o = client(f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}")
    st, body = call(o, f"/en/registrations?t={token}")
    st, _ = call(o, "/en/registrations/confirm", {"csrf": csrf(body), "t": token})
    with lock:
        cstat[st] = cstat.get(st, 0) + 1


t = time.time()
with cf.ThreadPoolExecutor(args.c) as ex:
    list(ex.map(confirm, list(sink.links.items())))
print(f"confirmations: {len(sink.links)} in {time.time() - t:.1f} s, statuses {cstat}")

st, page = call(coord, "/en/events/burst-01/registrants")
confirmed = int(re.search(r'id="n-confirmed">(\d+)<', page).group(1))
waiting = int(re.search(r'id="n-waiting">(\d+)<', page).group(1))
st, csv_text = call(coord, "/en/events/burst-01/registrants.csv")
emails = [line.split(",")[3] for line in csv_text.strip().splitlines()[1:]]
print(f"confirmed {confirmed} (capacity {args.cap}), waiting {waiting}, rows {len(emails)}, "
      f"distinct e-mails {len(set(emails))}")
server.terminate()
server.wait(timeout=10)
smtp.stop()
errors = sum(n for s, n in {**statuses, **cstat}.items() if s >= 500)
ok = (errors == 0 and confirmed == min(args.cap, args.n) and confirmed + waiting == args.n
      and len(emails) == len(set(emails)) == args.n)
print("OK" if ok else "FAILED")
sys.exit(0 if ok else 1)
