"""Registration end to end, through the real binary and a real SMTP server.

Starts an SMTP sink (aiosmtpd), `faro serve` sending to it, and drives the
site over HTTP as a coordinator and as a visitor with no account:

  coordinator creates a session (capacity, Zoom details) -> visitor
  registers -> the confirmation e-mail arrives (in the visitor's language)
  -> the link opens the personal page -> confirm -> the confirmation with
  an invitation (.ics, METHOD:REQUEST, SEQUENCE:0) and the join details ->
  the coordinator reschedules -> the notice arrives with SEQUENCE raised ->
  the visitor cancels -> METHOD:CANCEL. Join details never appear on public
  pages or in the public .ics; the registrant never appears in open data,
  search or the sitemap.

Every e-mail is parsed by Python's `email` package and every calendar by
the `icalendar` package; the calendars are written to OUT_DIR for ical.js.

usage: flow.py FARO_BIN DATA_DIR OUT_DIR [DATABASE_URL]
"""

from harness import *  # noqa: F401,F403 (the shared server, sink and client)

try:
    coord = Client()
    csrf = coord.csrf("/en/login")
    st, _, h = coord.post("/en/login", {"csrf": csrf, "email": "coord@example.org",
                                       "password": "coordinator-password-1", "next": "/en/"})
    assert st == 303, st
    csrf = coord.csrf("/en/events/new?series=vc2020")
    session = {"csrf": csrf, "version": "new", "id": "vc2027-01", "series": "vc2020",
               "number": "13", "date": "2099-03-26", "start_time": "10:00",
               "time_zone": "America/Montevideo", "duration_minutes": "90",
               "original_language": "es", "title_es": "Formación y empleo: la próxima crisis",
               "title_en": "Training and jobs: the next crisis", "capacity": "2",
               "status": "scheduled", "channels": "zoom facebook_live",
               "facebook_url": "https://facebook.example/live",
               "zoom_url": "https://zoom.example/j/99887766", "zoom_meeting_id": "998 877 66",
               "zoom_passcode": "pass-4321", "topics": "C4"}
    st, body, h = coord.post("/en/events", session)
    assert st == 303, (st, body[:500])

    # A visitor, no account, in Spanish.
    visitor = Client()
    st, page, _ = visitor.get("/es/events/vc2027-01?tz=Europe/Madrid")
    assert st == 200
    assert "zoom.example" not in page and "pass-4321" not in page, "join details on a public page"
    assert "2099-03-26 14:00 (UTC+01:00)" in page, "the time in the visitor's zone (Montevideo 10:00 = Madrid 14:00 before DST)"
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
    # Missing consent: refused with the message beside the field, nothing stored.
    st, page, _ = visitor.post("/es/events/vc2027-01/register", {
        "csrf": csrf, "name": "Ana Pérez", "email": "ana@example.org", "lang": "es"})
    assert st == 422 and "debe aceptar para inscribirse" in page, (st, page[:300])
    st, page, _ = visitor.post("/es/events/vc2027-01/register", {
        "csrf": csrf, "name": "Ana Pérez", "email": "Ana@Example.org", "lang": "es",
        "country": "UY", "institution": "inefop", "consent": "on"})
    assert st == 201, (st, page[:500])

    confirm = wait_for(lambda m: "Confirme su inscripción" in str(m["subject"]), "confirmation")
    assert confirm["To"] == "ana@example.org"
    assert confirm["Content-Language"] == "es"
    link = re.search(r"(http://\S+/es/registrations\?t=[0-9a-f]{64})", body_of(confirm)).group(1)
    path = link[len(BASE):]
    st, page, headers = visitor.get(path)
    assert st == 200 and headers["Cache-Control"] == "no-store"
    assert 'data-state="pending"' in page
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
    token = path.split("t=")[1]
    st, _, h = visitor.post("/es/registrations/confirm", {"csrf": csrf, "t": token})
    assert st == 303, st
    st, page, _ = visitor.get(path)
    assert 'data-state="confirmed"' in page and "pass-4321" in page, "join details for the confirmed"

    ok = wait_for(lambda m: "Inscripción confirmada" in str(m["subject"]), "confirmed")
    assert "zoom.example/j/99887766" in body_of(ok) and "pass-4321" in body_of(ok)
    cal, raw = calendar_of(ok, "REQUEST")
    save("confirmed.ics", raw)
    ev = event_of(cal)
    assert int(ev["SEQUENCE"]) == 0
    uid = str(ev["UID"])
    assert uid.startswith("session-vc2027-01@")
    start = ev.decoded("DTSTART")
    assert start.isoformat() == "2099-03-26T13:00:00+00:00", start
    assert "ana@example.org" in str(ev["ATTENDEE"])

    # Public calendars: the same UID, no join details.
    for p, name in [("/events/vc2027-01.ics?lang=es", "session.ics"),
                    ("/events/vc2020.ics?lang=pt", "series.ics")]:
        st, raw, headers = visitor.get(p)
        assert st == 200 and headers["Content-Type"].startswith("text/calendar")
        assert "zoom.example" not in raw and "pass-4321" not in raw
        save(name, raw)
        cal = icalendar.Calendar.from_ical(raw)
        uids = [str(c["UID"]) for c in cal.walk() if c.name == "VEVENT"]
        assert uid in uids, (p, uids)
    series = icalendar.Calendar.from_ical(open(os.path.join(OUT, "series.ics")).read())
    assert len([c for c in series.walk() if c.name == "VEVENT"]) == 13

    # The coordinator reschedules: the registrant is told, SEQUENCE raised.
    st, page, _ = coord.get("/en/events/vc2027-01/edit")
    assert st == 200 and "pass-4321" in page
    version = html.unescape(re.search(r'name="version" value="([^"]+)"', page).group(1))
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
    moved = dict(session, csrf=csrf, version=version, start_time="11:30", status="rescheduled")
    del moved["id"]
    st, body, _ = coord.post("/en/events/vc2027-01/edit", moved)
    assert st == 303, (st, body[:400])
    notice = wait_for(lambda m: "Nuevo horario" in str(m["subject"]), "rescheduled")
    cal, raw = calendar_of(notice, "REQUEST")
    save("rescheduled.ics", raw)
    ev = event_of(cal)
    assert int(ev["SEQUENCE"]) == 1 and str(ev["UID"]) == uid
    assert ev.decoded("DTSTART").isoformat() == "2099-03-26T14:30:00+00:00"

    # The coordinator sees counts and exports the registrants (audited).
    st, page, _ = coord.get("/en/events/vc2027-01/registrants")
    assert st == 200 and 'id="n-confirmed">1<' in page and "ana@example.org" in page
    st, csv_text, headers = coord.get("/en/events/vc2027-01/registrants.csv")
    assert st == 200 and "ana@example.org" in csv_text
    st, audit, _ = coord.get("/en/admin/audit")
    assert "registrants" in audit

    # Nothing personal in public places.
    time.sleep(1)  # the search index follows the outbox within a second
    for q in ["P%C3%A9rez", "ana%40example.org"]:
        st, body, _ = visitor.get(f"/api/v1/search?q={q}")
        assert st == 200 and '"total":0' in body.replace(" ", ""), (q, body[:300])
    for p in ["/data/measures.csv", "/sitemap.xml",
              "/api/v1/sessions/vc2027-01", "/es/events/vc2027-01", "/es/events/series/vc2020"]:
        st, body, _ = visitor.get(p)
        assert "ana@example.org" not in body.lower() and "Pérez" not in body, p

    # The visitor cancels: METHOD:CANCEL.
    st, page, _ = visitor.get(path)
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
    st, _, _ = visitor.post("/es/registrations/cancel", {"csrf": csrf, "t": token, "session": "vc2027-01"})
    assert st == 303
    bye = wait_for(lambda m: "Inscripción cancelada" in str(m["subject"]), "cancelled")
    cal, raw = calendar_of(bye, "CANCEL")
    save("cancelled.ics", raw)
    ev = event_of(cal)
    assert str(ev["STATUS"]) == "CANCELLED" and str(ev["UID"]) == uid

    # Every e-mail: a sender, a recipient, a language, a link to the personal page.
    for msg in sink.messages:
        assert msg["From"] == "faro@example.org" and msg["Content-Language"] == "es"
        assert "/es/registrations?t=" in body_of(msg)
    print("flow ok:", len(sink.messages), "e-mails;", " ".join(saved))
finally:
    server.terminate()
    server.wait(timeout=10)
    smtp.stop()
