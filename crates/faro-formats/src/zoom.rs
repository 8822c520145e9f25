//! Zoom's attendance reports, read into one row per person.
//!
//! Two kinds are read:
//! - the meeting **participants report**: rows `Name (Original Name),User
//!   Email,Join Time,Leave Time,Duration (Minutes),Guest[,Recording
//!   Consent][,In Waiting Room]`, with or without the meeting header block
//!   (`Meeting ID,Topic,Start Time,…` and its value line) above them, and
//!   the newer sentence-case headers (`Name (original name),Email,Join
//!   time,…`);
//! - the **webinar attendee report**: sections (`Attendee Report`, a
//!   summary, `Host Details`, `Panelist Details`, `Attendee Details`);
//!   only the attendee rows count (`Attended,User Name (Original Name),
//!   First Name,Last Name,Email,…,Join Time,Leave Time,Time in Session
//!   (minutes),…,Country/Region Name`), `--` marking a no-show.
//!
//! Headers are matched by name (case, spacing and column order do not
//! matter; unknown columns are ignored, Zoom adds some every year). The
//! bytes may be UTF-8 (with or without a BOM) or UTF-16 (as Excel saves
//! "Unicode text"), comma- or tab-separated. Times are read in the zone
//! the coordinator names (Zoom writes local times without an offset):
//! `11/19/2021 9:54:15 AM`, `Mar 28, 2020 08:07:27`, ISO 8601.
//!
//! One person's rows (rejoins) are merged: their intervals are united, so
//! overlapping time is counted once. A person is their e-mail (lower case)
//! or, without one, their normalised name ([`name_key`]).
//!
//! All or nothing: any problem and the result is the list of problems,
//! each with its 1-based line. A report of another kind (poll, Q&A,
//! registration, …) is refused saying what it is.

use crate::institutions_csv::LineError;
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Participants,
    WebinarAttendees,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Participants => "participants",
            Kind::WebinarAttendees => "webinar_attendees",
        }
    }
}

/// What the header block says about the meeting, when the file has one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meeting {
    pub id: String,
    pub topic: String,
}

/// One person of the report, their rows merged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// `e:` + e-mail in lower case, or `n:` + [`name_key`] of the name.
    pub key: String,
    pub name: String,
    /// Lower case; empty when the report has none.
    pub email: String,
    /// False for a no-show (`--`, or `Attended = No`).
    pub attended: bool,
    /// Seconds in the session, overlapping intervals counted once.
    pub seconds: i64,
    /// The merged intervals, in order.
    pub intervals: Vec<(DateTime<Utc>, DateTime<Utc>)>,
    pub guest: bool,
    pub country: String,
    /// How many rows of the file were this person's.
    pub rows: u32,
    /// The line of their first row.
    pub line: u64,
}

impl Person {
    pub fn minutes(&self) -> i64 {
        (self.seconds + 30) / 60
    }
    pub fn first_join(&self) -> Option<DateTime<Utc>> {
        self.intervals.first().map(|i| i.0)
    }
    pub fn last_leave(&self) -> Option<DateTime<Utc>> {
        self.intervals.last().map(|i| i.1)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub kind: Kind,
    pub meeting: Option<Meeting>,
    /// People in the order they first appear.
    pub people: Vec<Person>,
    /// Data rows read (a rejoin is a row).
    pub rows: u32,
}

impl Report {
    pub fn attended(&self) -> usize {
        self.people.iter().filter(|p| p.attended).count()
    }
    pub fn no_shows(&self) -> usize {
        self.people.iter().filter(|p| !p.attended).count()
    }
}

/// A name as compared when there is no e-mail: accents and case folded,
/// punctuation dropped, spaces collapsed ("  José  PÉREZ." → "jose perez").
pub fn name_key(name: &str) -> String {
    let folded = faro_domain::fold(name);
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Decodes the file's bytes: UTF-8 (BOM skipped) or UTF-16 LE/BE (with a
/// BOM, or recognised by its NUL bytes). No other encoding is guessed.
pub fn decode(bytes: &[u8]) -> Result<String, LineError> {
    fn utf16(body: &[u8], le: bool) -> Result<String, LineError> {
        let units: Vec<u16> = body
            .chunks(2)
            .map(|c| {
                let pair = [c[0], *c.get(1).unwrap_or(&0)];
                if le {
                    u16::from_le_bytes(pair)
                } else {
                    u16::from_be_bytes(pair)
                }
            })
            .collect();
        let text = String::from_utf16(&units).map_err(|_| LineError {
            line: 1,
            message: "the file is not valid UTF-16 text".into(),
            field: None,
        })?;
        Ok(text.strip_prefix('\u{feff}').unwrap_or(&text).to_string())
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, true);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, false);
    }
    let sample = &bytes[..bytes.len().min(400)];
    if sample.len() >= 4 {
        let odd = sample
            .iter()
            .skip(1)
            .step_by(2)
            .filter(|b| **b == 0)
            .count();
        let even = sample.iter().step_by(2).filter(|b| **b == 0).count();
        let half = sample.len() / 2;
        if odd * 3 > half * 2 && even == 0 {
            return utf16(bytes, true);
        }
        if even * 3 > half * 2 && odd == 0 {
            return utf16(bytes, false);
        }
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u64
                + 1;
            Err(LineError {
                line,
                message: "the file is neither UTF-8 nor UTF-16 text (save it again as CSV UTF-8)"
                    .into(),
                field: None,
            })
        }
    }
}

/// Reads local date-times as Zoom writes them, in `tz`; a time with an
/// offset (ISO 8601 `Z`/`+01:00`) is taken as written.
pub fn parse_time(s: &str, tz: Tz) -> Result<DateTime<Utc>, String> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    const FORMATS: &[&str] = &[
        "%m/%d/%Y %I:%M:%S %p",
        "%m/%d/%Y %I:%M %p",
        "%m/%d/%Y %H:%M:%S",
        "%m/%d/%Y %H:%M",
        "%b %d, %Y %H:%M:%S",
        "%b %d, %Y %I:%M:%S %p",
        "%b %d, %Y %H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ];
    let naive = FORMATS
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .ok_or_else(|| {
            format!(
                "{s:?} is not a date and time (expected e.g. 11/19/2021 9:54:15 AM, \
                 Mar 28, 2020 08:07:27 or 2021-11-19 09:54:15)"
            )
        })?;
    tz.from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| format!("{s:?} does not exist in the time zone {tz} (a clock change)"))
}

/// Lower case, trimmed, inner spaces collapsed: how headers are compared.
fn norm(s: &str) -> String {
    s.trim()
        .trim_start_matches('\u{feff}')
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// What another kind of Zoom report is, from its title line or header.
fn other_kind(cells: &[String]) -> Option<&'static str> {
    let first = cells.first().map(String::as_str).unwrap_or("");
    let all = cells.join(",");
    if first.contains("poll") || all.contains("submitted date/time") {
        return Some("a Zoom poll report");
    }
    if first.contains("question and answer")
        || first.contains("q&a")
        || (all.contains("question") && (all.contains("asker") || all.contains("answer")))
    {
        return Some("a Zoom Q&A (question and answer) report");
    }
    if first.contains("registration report") || first.contains("registrant report") {
        return Some("a Zoom registration report (registrants, not attendance)");
    }
    if first.contains("performance report") {
        return Some("a Zoom performance report");
    }
    if first.contains("survey report") {
        return Some("a Zoom survey report");
    }
    None
}

/// The columns of a participants or attendee table, by position.
#[derive(Default)]
struct Columns {
    name: Option<usize>,
    first: Option<usize>,
    last: Option<usize>,
    email: Option<usize>,
    join: Option<usize>,
    leave: Option<usize>,
    duration: Option<usize>,
    guest: Option<usize>,
    attended: Option<usize>,
    country: Option<usize>,
}

impl Columns {
    fn of(cells: &[String]) -> Columns {
        let mut c = Columns::default();
        for (i, h) in cells.iter().enumerate() {
            let slot = match h.as_str() {
                "name (original name)"
                | "user name (original name)"
                | "user name"
                | "name"
                | "participant"
                | "participant name" => &mut c.name,
                "first name" => &mut c.first,
                "last name" => &mut c.last,
                "user email" | "email" | "email address" | "e-mail" => &mut c.email,
                "join time" => &mut c.join,
                "leave time" => &mut c.leave,
                "duration (minutes)" | "time in session (minutes)" | "duration" => &mut c.duration,
                "guest" | "is guest" => &mut c.guest,
                "attended" => &mut c.attended,
                "country/region name" | "country/region" | "country" => &mut c.country,
                _ => continue,
            };
            if slot.is_none() {
                *slot = Some(i);
            }
        }
        c
    }
    /// Whether a row is a table header (it names a person and times).
    fn is_header(&self) -> bool {
        (self.name.is_some() || self.first.is_some())
            && (self.join.is_some() || self.leave.is_some())
    }
    fn missing(&self) -> Vec<&'static str> {
        let mut m = Vec::new();
        if self.join.is_none() {
            m.push("Join Time");
        }
        if self.leave.is_none() {
            m.push("Leave Time");
        }
        m
    }
}

/// The display name without Zoom's "(original name)" suffix: `Ana Pérez
/// (Ana)` → `Ana Pérez`.
fn display_name(s: &str) -> String {
    let s = s.trim();
    if s.ends_with(')')
        && let Some(i) = s.rfind(" (")
        && i > 0
    {
        return s[..i].trim().to_string();
    }
    s.to_string()
}

fn yes_no(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" | "sí" | "si" | "sim" | "1" => Some(true),
        "no" | "n" | "false" | "não" | "nao" | "0" | "" => Some(false),
        _ => None,
    }
}

/// An empty value or Zoom's `--`.
fn blank(v: &str) -> bool {
    let v = v.trim();
    v.is_empty() || v.chars().all(|c| c == '-')
}

struct Row {
    line: u64,
    name: String,
    email: String,
    attended: bool,
    interval: Option<(DateTime<Utc>, DateTime<Utc>)>,
    guest: bool,
    country: String,
}

/// Reads a report; see the module's documentation.
pub fn read(bytes: &[u8], tz: Tz) -> Result<Report, Vec<LineError>> {
    let text = decode(bytes).map_err(|e| vec![e])?;
    let first_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delimiter = if first_line.matches('\t').count() > first_line.matches(',').count() {
        b'\t'
    } else {
        b','
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());

    let mut errors: Vec<LineError> = Vec::new();
    let mut kind = Kind::Participants;
    let mut meeting: Option<Meeting> = None;
    let mut meeting_header: Option<Vec<String>> = None;
    // The section a webinar report is in (`attendee details`, …); None
    // before any section label.
    let mut section: Option<String> = None;
    let mut table: Option<Columns> = None;
    let mut header_line = 0;
    let mut skipping = false;
    let mut rows: Vec<Row> = Vec::new();
    let mut first = true;

    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                errors.push(LineError {
                    line,
                    message: format!("malformed CSV: {e}"),
                    field: None,
                });
                if matches!(e.kind(), csv::ErrorKind::UnequalLengths { .. }) {
                    continue;
                }
                break;
            }
        };
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        let raw: Vec<String> = rec.iter().map(|c| c.trim().to_string()).collect();
        if raw.iter().all(|c| c.is_empty()) {
            continue;
        }
        let cells: Vec<String> = raw.iter().map(|c| norm(c)).collect();
        if first {
            first = false;
            if let Some(what) = other_kind(&cells) {
                return Err(vec![LineError {
                    line,
                    message: format!(
                        "this is {what}, not a participants or webinar attendee report: \
                         download the participants (meeting) or attendee (webinar) report"
                    ),
                    field: None,
                }]);
            }
        }
        // The meeting header block: its header, then its value line.
        if let Some(h) = meeting_header.take() {
            let get = |name: &str| {
                h.iter()
                    .position(|c| c == name)
                    .and_then(|i| raw.get(i))
                    .cloned()
                    .unwrap_or_default()
            };
            meeting = Some(Meeting {
                id: get("meeting id"),
                topic: get("topic"),
            });
            continue;
        }
        if cells[0] == "meeting id" {
            meeting_header = Some(cells);
            continue;
        }
        let nonempty = cells.iter().filter(|c| !c.is_empty()).count();
        // Section labels of the webinar report.
        if nonempty == 1 && !cells[0].is_empty() {
            let label = cells[0].trim_end_matches(':').to_string();
            if label == "attendee report" || label.ends_with("details") || label == "other attended"
            {
                if label == "attendee report" || label == "attendee details" {
                    kind = Kind::WebinarAttendees;
                }
                section = Some(label);
                table = None;
                skipping = false;
                continue;
            }
        }
        let cols = Columns::of(&cells);
        if cols.is_header() {
            let ours = match section.as_deref() {
                None | Some("attendee report") => true,
                Some(s) => s == "attendee details",
            };
            if cols.attended.is_some() && section.is_some() {
                kind = Kind::WebinarAttendees;
            }
            if !ours {
                skipping = true;
                table = None;
                continue;
            }
            let missing = cols.missing();
            if !missing.is_empty() {
                errors.push(LineError {
                    line,
                    message: format!("missing column(s) {}", missing.join(", ")),
                    field: None,
                });
                return Err(errors);
            }
            if table.is_some() {
                errors.push(LineError {
                    line,
                    message: "a second participants table in one file".into(),
                    field: None,
                });
                return Err(errors);
            }
            skipping = false;
            header_line = line;
            table = Some(cols);
            continue;
        }
        if skipping {
            continue;
        }
        let Some(cols) = table.as_ref() else {
            // Lines before the table (report titles, summaries, "Report
            // Generated:"); a poll's or Q&A's header also shows up here.
            if let Some(what) = other_kind(&cells) {
                return Err(vec![LineError {
                    line,
                    message: format!(
                        "this is {what}, not a participants or webinar attendee report"
                    ),
                    field: None,
                }]);
            }
            continue;
        };
        let get = |i: Option<usize>| i.and_then(|i| raw.get(i)).map(String::as_str).unwrap_or("");
        let mut name = display_name(get(cols.name));
        if name.is_empty() {
            name = format!("{} {}", get(cols.first), get(cols.last))
                .trim()
                .to_string();
        }
        let email = get(cols.email).trim().to_lowercase();
        let mut problems = Vec::new();
        if name.is_empty() && (email.is_empty() || blank(&email)) {
            problems.push("no name and no e-mail".to_string());
        }
        let email = if blank(&email) { String::new() } else { email };
        if !email.is_empty() && faro_domain::accounts::normalize_email(&email).is_err() {
            problems.push(format!("{email:?} is not an e-mail address"));
        }
        let mut attended = true;
        if cols.attended.is_some() {
            match yes_no(get(cols.attended)) {
                Some(v) => attended = v,
                None => problems.push(format!(
                    "Attended {:?} is neither Yes nor No",
                    get(cols.attended)
                )),
            }
        }
        let (join, leave) = (get(cols.join), get(cols.leave));
        let mut interval = None;
        if blank(join) && blank(leave) {
            attended = false;
        } else if attended {
            match (parse_time(join, tz), parse_time(leave, tz)) {
                (Ok(j), Ok(l)) if l < j => {
                    problems.push(format!("Leave Time {leave:?} is before Join Time {join:?}"))
                }
                (Ok(j), Ok(l)) => interval = Some((j, l)),
                (j, l) => {
                    if let Err(e) = j {
                        problems.push(format!("Join Time {e}"));
                    }
                    if let Err(e) = l {
                        problems.push(format!("Leave Time {e}"));
                    }
                }
            }
        }
        let duration = get(cols.duration);
        if !blank(duration) && duration.trim().parse::<f64>().is_err() {
            problems.push(format!("Duration {duration:?} is not a number of minutes"));
        }
        let guest = yes_no(get(cols.guest)).unwrap_or(false);
        let country = get(cols.country).to_string();
        if problems.is_empty() {
            rows.push(Row {
                line,
                name,
                email,
                attended,
                interval,
                guest,
                country,
            });
        } else {
            errors.extend(problems.into_iter().map(|message| LineError {
                line,
                message,
                field: None,
            }));
        }
    }
    if table.is_none() && errors.is_empty() {
        errors.push(LineError {
            line: 1,
            message: "not a Zoom participants or webinar attendee report: no table with \
                      Name, Join Time and Leave Time columns"
                .into(),
            field: None,
        });
    } else if rows.is_empty() && errors.is_empty() {
        errors.push(LineError {
            line: header_line,
            message: "the report has no participant rows".into(),
            field: None,
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Report {
        kind,
        meeting,
        rows: rows.len() as u32,
        people: merge(rows),
    })
}

/// One person per e-mail (else per normalised name), intervals united.
fn merge(rows: Vec<Row>) -> Vec<Person> {
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut people: Vec<Person> = Vec::new();
    let mut spans: Vec<Vec<(DateTime<Utc>, DateTime<Utc>)>> = Vec::new();
    for r in rows {
        let key = if r.email.is_empty() {
            format!("n:{}", name_key(&r.name))
        } else {
            format!("e:{}", r.email)
        };
        let i = *index.entry(key.clone()).or_insert_with(|| {
            people.push(Person {
                key,
                name: r.name.clone(),
                email: r.email.clone(),
                attended: false,
                seconds: 0,
                intervals: Vec::new(),
                guest: r.guest,
                country: r.country.clone(),
                rows: 0,
                line: r.line,
            });
            spans.push(Vec::new());
            people.len() - 1
        });
        let p = &mut people[i];
        p.rows += 1;
        p.attended |= r.attended;
        if p.name.is_empty() {
            p.name = r.name;
        }
        if p.country.is_empty() {
            p.country = r.country;
        }
        if let Some(iv) = r.interval {
            spans[i].push(iv);
        }
    }
    for (p, mut s) in people.iter_mut().zip(spans) {
        s.sort();
        let mut merged: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::new();
        for (a, b) in s {
            match merged.last_mut() {
                Some(last) if a <= last.1 => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        p.seconds = merged.iter().map(|(a, b)| (*b - *a).num_seconds()).sum();
        p.intervals = merged;
    }
    people
}

/// A synthetic meeting participants report, for tests and benchmarks
/// (never demonstration data): `people` people taken from a pool of
/// `pool` (`person{n}@bench.example`, so several files share people),
/// starting at `offset` in the pool, on `date` (YYYY-MM-DD) from 10:00;
/// the first `rejoins` people also get a second, overlapping row.
/// Deterministic: the same arguments give the same bytes.
pub fn synthetic(people: usize, pool: usize, offset: usize, rejoins: usize, date: &str) -> Vec<u8> {
    use std::fmt::Write;
    let mut out = String::with_capacity((people + rejoins) * 110);
    out.push_str("Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n");
    let row = |out: &mut String, n: usize, from: u32, to: u32| {
        let _ = writeln!(
            out,
            "Person {n},person{n}@bench.example,{date} {:02}:{:02}:00,{date} {:02}:{:02}:00,{},No",
            10 + from / 60,
            from % 60,
            10 + to / 60,
            to % 60,
            to - from
        );
    };
    for k in 0..people {
        let n = (offset + k) % pool.max(1);
        // Joins within the first half hour, leaves in the last 40 minutes.
        let from = (n % 30) as u32;
        let to = 50 + (n % 40) as u32;
        row(&mut out, n, from, to);
        if k < rejoins {
            row(&mut out, n, to - 5, 89);
        }
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TZ: Tz = chrono_tz::America::Montevideo;

    #[test]
    fn times_in_the_zone() {
        let t = parse_time("11/19/2021 9:54:15 AM", TZ).unwrap();
        assert_eq!(t.to_rfc3339(), "2021-11-19T12:54:15+00:00");
        let t = parse_time("Mar 28, 2020 08:07:27", TZ).unwrap();
        assert_eq!(t.to_rfc3339(), "2020-03-28T11:07:27+00:00");
        let t = parse_time("2020-03-28 08:07:27", chrono_tz::UTC).unwrap();
        assert_eq!(t.to_rfc3339(), "2020-03-28T08:07:27+00:00");
        let t = parse_time("2020-03-28T08:07:27Z", TZ).unwrap();
        assert_eq!(t.to_rfc3339(), "2020-03-28T08:07:27+00:00");
        assert!(parse_time("28.03.2020", TZ).is_err());
        // A local time skipped by a clock change does not exist.
        assert!(parse_time("2021-03-28 02:30:00", chrono_tz::Europe::Madrid).is_err());
    }

    #[test]
    fn overlapping_rejoins_count_once() {
        let csv = "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n\
            Ana,ana@x.org,2021-11-19 10:00:00,2021-11-19 10:30:00,30,No\n\
            Ana (phone),ANA@x.org,2021-11-19 10:20:00,2021-11-19 10:50:00,30,No\n\
            Ana,ana@x.org,2021-11-19 11:00:00,2021-11-19 11:10:00,10,No\n";
        let r = read(csv.as_bytes(), chrono_tz::UTC).unwrap();
        assert_eq!(r.people.len(), 1);
        assert_eq!(r.people[0].seconds, 60 * 60);
        assert_eq!(r.people[0].intervals.len(), 2);
        assert_eq!(r.rows, 3);
    }

    #[test]
    fn synthetic_reports_read_back() {
        let bytes = synthetic(100, 1000, 0, 20, "2030-01-01");
        let r = read(&bytes, chrono_tz::UTC).unwrap();
        assert_eq!((r.rows, r.people.len()), (120, 100));
        // A rejoin overlaps the first interval: one interval up to 11:29.
        let p = &r.people[0];
        assert_eq!(p.intervals.len(), 1);
        assert_eq!(p.minutes(), 89);
        assert_eq!(synthetic(100, 1000, 0, 20, "2030-01-01"), bytes);
    }

    #[test]
    fn names_are_normalised() {
        assert_eq!(name_key("  José  PÉREZ. "), "jose perez");
        assert_eq!(display_name("Ana Pérez (Ana P)"), "Ana Pérez");
        assert_eq!(display_name("(host)"), "(host)");
    }

    #[test]
    fn utf16_without_bom_is_recognised() {
        let s = "Name,Email\n";
        let le: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        assert_eq!(decode(&le).unwrap(), s);
        let be: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        assert_eq!(decode(&be).unwrap(), s);
        assert!(decode(b"Name\n\xff\xfe\xfd").is_err());
    }
}
