//! iCalendar (RFC 5545) for sessions: feeds, single events and the
//! attachments of registration e-mails (RFC 5546 `METHOD:REQUEST` /
//! `METHOD:CANCEL`). Line folding and text escaping are the `icalendar`
//! crate's; this module decides only what goes in.

use chrono::{DateTime, NaiveDate, Utc};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus, Property};

/// When an event starts: an instant, or only a day (the 2020 sessions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    At(DateTime<Utc>),
    Day(NaiveDate),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IcsEvent {
    /// Stable across changes, e.g. `session-vc2020-01@faro.example.org`.
    pub uid: String,
    /// Raised on every change of the session.
    pub sequence: u32,
    /// When this copy was made (`DTSTAMP`).
    pub stamp: DateTime<Utc>,
    /// The last change of the session (`LAST-MODIFIED`).
    pub modified: DateTime<Utc>,
    pub start: Start,
    /// Exclusive end; for a day, the next day is used.
    pub end: Option<DateTime<Utc>>,
    pub summary: String,
    pub description: String,
    pub url: String,
    /// `LOCATION`, e.g. a public video URL; join details only in
    /// registrants' own copies.
    pub location: String,
    pub cancelled: bool,
    /// The language of the text (`LANGUAGE` parameter).
    pub lang: String,
    /// `mailto:` organiser and attendee, for RFC 5546 messages.
    pub organizer: Option<String>,
    pub attendee: Option<String>,
}

/// What a calendar object is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// A feed or a download (no `METHOD`).
    Publish,
    /// An invitation attached to an e-mail.
    Request,
    /// A withdrawal (cancelled session or registration).
    Cancel,
}

impl Method {
    /// The MIME type of an attachment carrying this method.
    pub fn content_type(self) -> &'static str {
        match self {
            Method::Publish => "text/calendar; charset=utf-8",
            Method::Request => "text/calendar; charset=utf-8; method=REQUEST",
            Method::Cancel => "text/calendar; charset=utf-8; method=CANCEL",
        }
    }
}

/// A calendar named `name` with `events`.
pub fn calendar(name: &str, method: Method, events: &[IcsEvent]) -> String {
    let mut cal = Calendar::empty();
    cal.append_property(Property::new("VERSION", "2.0"));
    cal.append_property(Property::new("PRODID", "-//Faro//Event series//EN"));
    cal.append_property(Property::new("CALSCALE", "GREGORIAN"));
    match method {
        Method::Publish => {}
        Method::Request => {
            cal.append_property(Property::new("METHOD", "REQUEST"));
        }
        Method::Cancel => {
            cal.append_property(Property::new("METHOD", "CANCEL"));
        }
    }
    cal.name(name);
    for e in events {
        cal.push(event(e, method));
    }
    cal.done().to_string()
}

fn text(key: &str, value: &str, lang: &str) -> Property {
    let mut p = Property::new(key, value);
    if !lang.is_empty() {
        p.add_parameter("LANGUAGE", lang);
    }
    p.done()
}

fn event(e: &IcsEvent, method: Method) -> Event {
    let mut ev = Event::new();
    ev.uid(&e.uid)
        .sequence(e.sequence)
        .timestamp(e.stamp)
        .last_modified(e.modified)
        .append_property(text("SUMMARY", &e.summary, &e.lang));
    if !e.description.is_empty() {
        ev.append_property(text("DESCRIPTION", &e.description, &e.lang));
    }
    if !e.url.is_empty() {
        ev.url(&e.url);
    }
    if !e.location.is_empty() {
        ev.location(&e.location);
    }
    match e.start {
        Start::At(t) => {
            ev.starts(t);
            if let Some(end) = e.end {
                ev.ends(end);
            }
        }
        Start::Day(d) => {
            ev.all_day(d);
        }
    }
    let cancelled = e.cancelled || method == Method::Cancel;
    ev.status(if cancelled {
        EventStatus::Cancelled
    } else {
        EventStatus::Confirmed
    });
    if let Some(o) = &e.organizer {
        ev.append_property(Property::new("ORGANIZER", format!("mailto:{o}")));
    }
    if let Some(a) = &e.attendee {
        let mut p = Property::new("ATTENDEE", format!("mailto:{a}"));
        p.add_parameter("ROLE", "REQ-PARTICIPANT");
        p.add_parameter("PARTSTAT", "ACCEPTED");
        ev.append_property(p.done());
    }
    ev.done()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn sample() -> IcsEvent {
        IcsEvent {
            uid: "session-vc2021-01@example.org".into(),
            sequence: 2,
            stamp: Utc.with_ymd_and_hms(2026, 12, 2, 10, 0, 0).unwrap(),
            modified: Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).unwrap(),
            start: Start::At(Utc.with_ymd_and_hms(2027, 3, 26, 14, 0, 0).unwrap()),
            end: Some(Utc.with_ymd_and_hms(2027, 3, 26, 15, 30, 0).unwrap()),
            summary: "Formación, empleo; y \"recuperación\", con comas".into(),
            description: "Línea uno\nLínea dos, muy larga ".repeat(10),
            url: "https://faro.example.org/es/events/vc2021-01".into(),
            location: String::new(),
            cancelled: false,
            lang: "es".into(),
            organizer: Some("faro@example.org".into()),
            attendee: Some("ana@example.org".into()),
        }
    }

    #[test]
    fn lines_are_folded_and_text_escaped() {
        let s = calendar("Serie", Method::Request, &[sample()]);
        assert!(s.contains("METHOD:REQUEST\r\n"));
        assert!(s.contains("SEQUENCE:2\r\n"));
        assert!(s.contains("DTSTART:20270326T140000Z\r\n"));
        assert!(s.contains(r"empleo\; y"), "{s}");
        assert!(s.contains(r"\, con comas"), "{s}");
        for line in s.split("\r\n") {
            assert!(line.len() <= 75, "unfolded line: {line}");
        }
        let day = IcsEvent {
            start: Start::Day(NaiveDate::from_ymd_opt(2020, 3, 26).unwrap()),
            end: None,
            ..sample()
        };
        let s = calendar("Serie", Method::Cancel, &[day]);
        assert!(s.contains("DTSTART;VALUE=DATE:20200326"), "{s}");
        assert!(s.contains("STATUS:CANCELLED"));
        assert!(s.contains("METHOD:CANCEL"));
    }
}
