"""What the registration flows share: an SMTP sink (aiosmtpd), `faro serve`
sending to it on a fresh data folder (SQLite, or DATABASE_URL), a coordinator
account, an HTTP client with cookies, and readers of the e-mails and their
calendars (Python's `email` and `icalendar` packages).

Imported by flow.py (HTTP) and browser_flow.py (Chromium, JavaScript off);
both take: FARO_BIN DATA_DIR OUT_DIR [DATABASE_URL]
"""

import email
import email.policy
import html
import http.cookiejar
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import icalendar
from aiosmtpd.controller import Controller

FARO, DATA, OUT = sys.argv[1], sys.argv[2], sys.argv[3]
DB_URL = sys.argv[4] if len(sys.argv) > 4 else ""
os.makedirs(OUT, exist_ok=True)


class Sink:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


sink = Sink()
smtp_port = free_port()
smtp = Controller(sink, hostname="127.0.0.1", port=smtp_port)
smtp.start()

env = dict(os.environ)
env.pop("DATABASE_URL", None)
if DB_URL:
    env["DATABASE_URL"] = DB_URL
env.update(
    FARO_LOG="warn",
    FARO_SMTP_URL=f"smtp://127.0.0.1:{smtp_port}",
    FARO_SMTP_FROM="faro@example.org",
    FARO_JOBS_EVERY_MS="200",
)


def faro(*args, stdin=None):
    return subprocess.run([FARO, "--data-dir", DATA, *args], env=env, input=stdin,
                          capture_output=True, text=True, check=True)


faro("migrate")
faro("user", "add", "coord@example.org", "--role", "coordinator", "--password-stdin",
     stdin="coordinator-password-1\n")
web_port = free_port()
BASE = f"http://127.0.0.1:{web_port}"
env["FARO_PUBLIC_URL"] = BASE
server = subprocess.Popen([FARO, "--data-dir", DATA, "serve", "--bind", f"127.0.0.1:{web_port}"],
                          env=env, stdout=subprocess.PIPE, text=True)
line = server.stdout.readline()
assert BASE in line or f"127.0.0.1:{web_port}" in line, line


class Client:
    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())

    def get(self, path):
        try:
            r = self.opener.open(BASE + path)
            return r.status, r.read().decode(), r.headers
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode(), e.headers

    def post(self, path, fields):
        data = urllib.parse.urlencode(fields).encode()
        try:
            r = self.opener.open(urllib.request.Request(BASE + path, data=data))
            return r.status, r.read().decode(), r.headers
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode(), e.headers

    def csrf(self, path):
        status, body, _ = self.get(path)
        assert status == 200, (path, status)
        m = re.search(r'name="csrf" value="([0-9a-f]+)"', body)
        assert m, f"no csrf on {path}"
        return m.group(1)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def wait_for(pred, what, timeout=20):
    end = time.time() + timeout
    while time.time() < end:
        found = [m for m in sink.messages if pred(m)]
        if found:
            return found[-1]
        time.sleep(0.1)
    raise AssertionError(f"no e-mail: {what}; got {[m['subject'] for m in sink.messages]}")


def body_of(msg):
    part = msg.get_body(preferencelist=("plain",))
    return part.get_content()


def calendar_of(msg, method):
    parts = [p for p in msg.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1, [p.get_content_type() for p in msg.iter_attachments()]
    p = parts[0]
    assert p.get_param("method") == method, p["content-type"]
    raw = p.get_content()
    if isinstance(raw, bytes):
        raw = raw.decode()
    cal = icalendar.Calendar.from_ical(raw)
    assert str(cal["METHOD"]) == method
    return cal, raw


def event_of(cal):
    evs = [c for c in cal.walk() if c.name == "VEVENT"]
    assert len(evs) == 1
    return evs[0]


saved = []


def save(name, raw):
    path = os.path.join(OUT, name)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(raw)
    saved.append(path)


