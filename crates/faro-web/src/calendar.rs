//! Sessions as iCalendar events (feeds, downloads, e-mail attachments),
//! built on `faro_formats::ical`.

use crate::{AppState, i18n};
use faro_domain::Lang;
use faro_domain::events::Session;
use faro_formats::ical::{IcsEvent, Method, Start};

/// The stable UID of a session's event.
pub fn uid(state: &AppState, session: &str) -> String {
    let host = state
        .config
        .public_url
        .split("://")
        .nth(1)
        .unwrap_or("faro")
        .split(['/', ':'])
        .next()
        .unwrap_or("faro")
        .to_string();
    format!("session-{session}@{host}")
}

pub fn session_url(state: &AppState, lang: Lang, session: &str) -> String {
    format!(
        "{}/{}/events/{session}",
        state.config.public_url.trim_end_matches('/'),
        lang.code()
    )
}

/// The event of a session. `private` adds the join details (only in a
/// confirmed registrant's own copy).
pub fn event(
    state: &AppState,
    s: &Session,
    modified: chrono::DateTime<chrono::Utc>,
    lang: Lang,
    private: bool,
    attendee: Option<&str>,
) -> IcsEvent {
    let start = match s.start_utc() {
        Some(t) => Start::At(t),
        None => Start::Day(
            chrono::NaiveDate::parse_from_str(&s.date, "%Y-%m-%d")
                .unwrap_or_else(|_| chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap()),
        ),
    };
    let url = session_url(state, lang, &s.id);
    let mut description = s.description(lang).to_string();
    let mut location = s.facebook_url.clone();
    if private && !s.zoom_url.is_empty() {
        location = s.zoom_url.clone();
        description.push_str(&format!("\n\n{}", join_text(lang, s)));
    }
    description.push_str(&format!("\n\n{url}"));
    IcsEvent {
        uid: uid(state, &s.id),
        sequence: s.sequence,
        stamp: chrono::Utc::now(),
        modified,
        start,
        end: s.end_utc(),
        summary: s.title(lang).to_string(),
        description: description.trim().to_string(),
        url,
        location,
        cancelled: s.status == "cancelled",
        lang: s.title_lang(lang).to_string(),
        organizer: attendee.map(|_| {
            state
                .config
                .mailer
                .as_ref()
                .map(|m| m.from_address().to_string())
                .unwrap_or_else(|| "faro@localhost".into())
        }),
        attendee: attendee.map(String::from),
    }
}

/// The join details as text (Zoom link, meeting id, passcode).
pub fn join_text(lang: Lang, s: &Session) -> String {
    let mut out = vec![format!("{}: {}", i18n::t(lang, "join-zoom"), s.zoom_url)];
    if !s.zoom_meeting_id.is_empty() {
        out.push(format!(
            "{}: {}",
            i18n::t(lang, "join-meeting-id"),
            s.zoom_meeting_id
        ));
    }
    if !s.zoom_passcode.is_empty() {
        out.push(format!(
            "{}: {}",
            i18n::t(lang, "join-passcode"),
            s.zoom_passcode
        ));
    }
    out.join("\n")
}

pub fn calendar(name: &str, method: Method, events: &[IcsEvent]) -> String {
    faro_formats::ical::calendar(name, method, events)
}

/// When a session starts, for people: in its own zone and in UTC, or the
/// day alone when the time is unknown.
pub fn when(s: &Session) -> String {
    match (s.start_in(&s.time_zone), s.start_utc()) {
        (Some(local), Some(utc)) => format!(
            "{local} {} · {} UTC",
            s.time_zone,
            utc.format("%Y-%m-%d %H:%M")
        ),
        _ => s.date.clone(),
    }
}
