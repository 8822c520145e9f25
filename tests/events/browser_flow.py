"""Registration in a browser: Debian's Chromium with JavaScript disabled
(tests/events/browser.mjs, one step per run), a real SMTP server (aiosmtpd)
and `faro serve`, from tests/events/harness.py.

  a coordinator creates a session with the form -> a visitor registers
  (consent refused first, in Spanish) -> the confirmation e-mail arrives ->
  its link opens the personal page -> confirm -> the .ics downloaded from
  the personal page and the invitation's .ics are read by `icalendar` ->
  the coordinator reschedules with the form -> the notice arrives with
  SEQUENCE raised -> the visitor cancels -> METHOD:CANCEL arrives.

usage: browser_flow.py FARO_BIN DATA_DIR OUT_DIR [DATABASE_URL]
"""

from harness import *  # noqa: F401,F403 (the shared server, sink and client)

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def step(*args):
    r = subprocess.run(["node", os.path.join(HERE, "browser.mjs"), args[0], BASE, *args[1:]],
                       capture_output=True, text=True, cwd=REPO, timeout=120)
    sys.stdout.write(r.stdout)
    assert r.returncode == 0, f"browser step {args[0]} failed:\n{r.stdout}\n{r.stderr}"


def link_in(msg):
    m = re.search(r"(https?://\S+/registrations\?t=[0-9a-f]+)", body_of(msg))
    assert m, body_of(msg)
    return m.group(1)


try:
    step("create", "coord@example.org", "coordinator-password-1")
    step("register")
    mail = wait_for(lambda m: "beatriz@example.org" in m["to"], "confirmation request")
    assert mail["Content-Language"] == "es", mail["Content-Language"]
    link = link_in(mail)
    seen = len(sink.messages)
    downloaded = os.path.join(OUT, "personal.ics")
    step("confirm", link, downloaded)
    with open(downloaded, encoding="utf-8") as f:
        ev = event_of(icalendar.Calendar.from_ical(f.read()))
    assert str(ev["UID"]).startswith("session-vc2027-b1@"), ev["UID"]
    invite = wait_for(lambda m: sink.messages.index(m) >= seen and any(
        p.get_content_type() == "text/calendar" for p in m.iter_attachments()), "invitation")
    cal, raw = calendar_of(invite, "REQUEST")
    first = int(event_of(cal)["SEQUENCE"])
    save("invite.ics", raw)
    assert "browser-pass" in body_of(invite), "join details in the confirmed registrant's e-mail"
    seen = len(sink.messages)
    step("reschedule", "coord@example.org", "coordinator-password-1")
    notice = wait_for(lambda m: sink.messages.index(m) >= seen and any(
        p.get_content_type() == "text/calendar" for p in m.iter_attachments()), "rescheduling notice")
    cal, raw = calendar_of(notice, "REQUEST")
    ev = event_of(cal)
    assert int(ev["SEQUENCE"]) > first, (ev["SEQUENCE"], first)
    assert ev.decoded("DTSTART").date().isoformat() == "2099-05-14", ev.decoded("DTSTART")
    save("rescheduled.ics", raw)
    seen = len(sink.messages)
    step("cancel", link)
    bye = wait_for(lambda m: sink.messages.index(m) >= seen and any(
        p.get_param("method") == "CANCEL" for p in m.iter_attachments()), "cancellation")
    cal, raw = calendar_of(bye, "CANCEL")
    save("cancel.ics", raw)
    print("browser flow ok")
finally:
    server.terminate()
    smtp.stop()
