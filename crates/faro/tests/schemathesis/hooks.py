"""Schemathesis hooks for Faro's API run (crates/faro/tests/schemathesis.rs).

The OpenAPI document states every rule one field can carry (types, closed
values, identifiers, bounds). What a JSON Schema cannot say is left to
these hooks, which turn a generated request into one the API must accept
and leave every generated string in place so the run still sends odd text:

- references to records that exist (an institution, the 2020 series);
- the report's time zone (an IANA name) and a profile's last name;
- rules across fields (a title in the original language, a run's end after
  its start, a price with its currency);
- the body of a Zoom report, which is a CSV layout, not a schema;
- JSON numbers: JSON Schema counts `452.0` as an integer, Faro (serde)
  reads integers written without a fraction, as every client writes them.

Nothing here relaxes a check: the run still requires no server error and
responses that agree with the document.
"""

import csv
import io
import itertools
import re

import schemathesis

_ids = itertools.count(1)
# The institution the generated courses and series refer to. The run's
# DELETE calls may remove any other one (they pick ids from the examples
# and from earlier responses), so that one is kept out of their reach.
INSTITUTIONS = ["cinterfor"]
SERIES = "vc2020"
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _text(v, fallback, limit=200):
    """A generated string kept as it is, only without control characters,
    trimmed to `limit` characters, and `fallback` when nothing is left."""
    v = CONTROL.sub("", v if isinstance(v, str) else "")[:limit].strip()
    return v or fallback


def _title(body, fallback):
    lang = body.get("original_language") or "en"
    if lang not in ("es", "en", "pt"):
        lang = "en"
    body["original_language"] = lang
    key = f"title_{lang}"
    body[key] = _text(body.get(key), fallback, 300)
    for k in ("title_es", "title_en", "title_pt", "description_es", "description_en", "description_pt", "notes"):
        if k in body and isinstance(body[k], str):
            body[k] = CONTROL.sub("", body[k])
    return body


def _ints(v):
    """Integral floats (`452.0`) written as integers, everywhere in a body."""
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, dict):
        return {k: _ints(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_ints(x) for x in v]
    return v


def _course(body, path_id):
    body = _title(dict(body), "A course")
    body["id"] = path_id or f"st-course-{next(_ids)}"
    body["providers"] = INSTITUTIONS[:1]
    body["subjects"] = []
    body["topics"] = []
    body["target_groups"] = []
    body["languages"] = ["es"]
    body["level"] = ""
    body["url"] = ""
    if body.get("data_mb") is not None and body["data_mb"] < 0:
        body["data_mb"] = None
    runs = []
    for i, r in enumerate(r for r in body.get("runs") or [] if isinstance(r, dict)):
        r = dict(r)
        r["run_id"] = f"r{i + 1}"
        for k in ("run_start", "run_end", "enrolment_start", "enrolment_end"):
            r[k] = ""
        r["pacing"] = "self_paced"
        r["modality"] = "online"
        r["cost"] = "free"
        r["price"] = ""
        r["currency"] = ""
        r["certificate"] = "none"
        for k in ("hours_total", "hours_week", "seats"):
            if r.get(k) is not None and r[k] < 1:
                r[k] = None
        if r.get("hours_week") and r.get("hours_total") and r["hours_week"] > r["hours_total"]:
            r["hours_week"] = None
        runs.append(r)
    body["runs"] = runs
    return body


def _series(body, path_id):
    body = _title(dict(body), "A series")
    body["id"] = path_id or f"st-series-{next(_ids)}"
    body["organiser"] = "cinterfor"
    body["hashtag"] = re.sub(r"[^A-Za-z0-9_]", "", body.get("hashtag") or "")
    body["figures"] = []
    body["presenters"] = []
    return body


def _session(body, path_id):
    body = _title(dict(body), "A session")
    body["id"] = path_id or f"st-session-{next(_ids)}"
    body["series"] = SERIES
    body["number"] = 100 + next(_ids)
    body["date"] = "2027-03-26"
    body["start_time"] = ""
    body["time_zone"] = ""
    body["status"] = ""
    body["channels"] = []
    body["topics"] = []
    body["capacity"] = None
    body["duration_minutes"] = min(max(body.get("duration_minutes") or 0, 0), 24 * 60)
    body["facebook_url"] = ""
    body.pop("zoom_url", None)
    for k in list(body):
        if k.startswith("zoom_") and isinstance(body[k], str):
            body[k] = CONTROL.sub("", body[k])
    return body


def _zoom(text):
    """A meeting participants report whose one participant is named by the
    generated text (quoted by the csv module as a real export would be)."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["Name (Original Name)", "User Email", "Join Time", "Leave Time", "Duration (Minutes)", "Guest"])
    w.writerow([_text(text, "Ana", 100), "", "03/26/2020 10:00:00 AM", "03/26/2020 11:30:00 AM", "90", "Yes"])
    return out.getvalue()


@schemathesis.hook
def before_call(ctx, case, kwargs):
    """Every phase's request passes here just before it is sent (examples
    included, which the generation hooks do not see)."""
    method = case.operation.method.upper()
    path = case.operation.path
    params = case.path_parameters or {}
    if method == "DELETE" and params.get("id") in INSTITUTIONS:
        case.path_parameters = dict(params, id="st-kept-out-of-reach")
        return
    if method not in ("POST", "PUT", "PATCH"):
        return
    # Negative cases (data the document forbids) are sent as generated: the
    # API must refuse them without a server error.
    if case.meta is not None and case.meta.generation.mode.is_negative:
        return
    pid = (case.path_parameters or {}).get("id")
    if path.endswith("/attendance"):
        case.body = _zoom(case.body if isinstance(case.body, str) else "")
        # The report's time zone: an IANA name, a catalogue no schema holds.
        case.query = dict(case.query or {}, tz="America/Montevideo")
        return
    if not isinstance(case.body, dict):
        return
    case.body = _ints(case.body)
    if path.startswith("/api/v1/courses"):
        case.body = _course(case.body, pid if method == "PUT" else None)
    elif path.startswith("/api/v1/series"):
        case.body = _series(case.body, pid if method == "PUT" else None)
    elif path.startswith("/api/v1/sessions"):
        case.body = _session(case.body, pid if method == "PUT" else None)
    elif path.startswith("/api/v1/institutions"):
        # A profile keeps a name in at least one language: a blank name is
        # left out rather than clearing the last one.
        # The demonstration data keeps profiles the report names without a
        # name (BIBB); such a profile is saved again only with one.
        b = {
            k: v
            for k, v in case.body.items()
            if not (k.startswith("name_") and isinstance(v, str) and not v.strip())
        }
        if not any(isinstance(b.get(f"name_{l}"), str) for l in ("es", "en", "pt")):
            b["name_en"] = "An institution"
        case.body = b
