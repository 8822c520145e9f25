//! Event series and their sessions (the 2020 videoconference series is the
//! first). Sessions are what knowledge-base resources (recordings, slides)
//! and, later, registrations and attendance hang from.

use crate::{FieldError, Lang, institutions::is_slug};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Session {
    /// Stable id, e.g. `vc2020-04`.
    pub id: String,
    /// The series it belongs to (a slug shared by its sessions).
    pub series: String,
    /// Position in the series, from 1.
    pub number: u32,
    /// YYYY-MM-DD.
    pub date: String,
    pub title_es: String,
    pub title_en: String,
    pub title_pt: String,
    /// The language of the titles as the source gives them.
    pub original_language: String,
    /// Channels the session was held on, e.g. `zoom;facebook_live`.
    pub channels: Vec<String>,
    pub notes: String,
    /// Local start time `HH:MM` in `time_zone`; empty when unknown (the
    /// 2020 sessions: the report gives only the day).
    pub start_time: String,
    /// IANA time zone of `start_time` (e.g. `America/Montevideo`).
    pub time_zone: String,
    /// Minutes; 0 when unknown.
    pub duration_minutes: u32,
    pub description_es: String,
    pub description_en: String,
    pub description_pt: String,
    /// Codebook codes (`C4`, …).
    pub topics: Vec<String>,
    /// Seats; `None` is unlimited.
    pub capacity: Option<u32>,
    /// One of [`STATUSES`].
    pub status: String,
    /// Join details: only for confirmed registrants, never on public pages.
    pub zoom_url: String,
    pub zoom_meeting_id: String,
    pub zoom_passcode: String,
    /// Public: a Facebook Live page or video.
    pub facebook_url: String,
    /// Raised by the store on every change (iCalendar `SEQUENCE`).
    pub sequence: u32,
}

pub const CHANNELS: &[&str] = &["zoom", "facebook_live", "youtube_live", "teams", "other"];
pub const STATUSES: &[&str] = &["scheduled", "rescheduled", "cancelled", "held"];

/// An event series (the 2020 videoconferences are the first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Series {
    pub id: String,
    pub title_es: String,
    pub title_en: String,
    pub title_pt: String,
    pub description_es: String,
    pub description_en: String,
    pub description_pt: String,
    pub original_language: String,
    /// Directory id of the organising institution.
    pub organiser: String,
    /// Without the `#`.
    pub hashtag: String,
    /// What attendance earns a certificate (the next issue applies it).
    pub certificate_policy: String,
    /// Figures a source reports (e.g. the 2020 audience), with the source.
    pub figures: Vec<Figure>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Figure {
    /// One of [`FIGURE_KEYS`].
    pub key: String,
    pub value: String,
    pub source: String,
}

pub const FIGURE_KEYS: &[&str] = &[
    "sessions",
    "people_per_session",
    "people_total",
    "institutions",
    "countries",
    "presenting_organisations",
];

/// Someone who presented: an organisation of the directory, or a person
/// (name, role, their institution). `session` empty = the series.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Presenter {
    pub series: String,
    pub session: String,
    pub institution: String,
    pub name: String,
    pub role: String,
    pub source: String,
}

fn pick<'a>(lang: Lang, es: &'a str, en: &'a str, pt: &'a str, original: &str) -> &'a str {
    let own = match lang {
        Lang::Es => es,
        Lang::En => en,
        Lang::Pt => pt,
    };
    if !own.is_empty() {
        return own;
    }
    match original {
        "es" if !es.is_empty() => es,
        "pt" if !pt.is_empty() => pt,
        _ if !en.is_empty() => en,
        _ if !es.is_empty() => es,
        _ => pt,
    }
}

/// A valid IANA time zone name.
pub fn valid_time_zone(tz: &str) -> bool {
    tz.parse::<chrono_tz::Tz>().is_ok()
}

impl Series {
    pub fn title(&self, lang: Lang) -> &str {
        pick(
            lang,
            &self.title_es,
            &self.title_en,
            &self.title_pt,
            &self.original_language,
        )
    }
    pub fn description(&self, lang: Lang) -> &str {
        pick(
            lang,
            &self.description_es,
            &self.description_en,
            &self.description_pt,
            &self.original_language,
        )
    }
    pub fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        if !is_slug(&self.id) {
            e.push(FieldError::new("id", "invalid_slug", &self.id));
        }
        if self.title(Lang::En).trim().is_empty() {
            e.push(FieldError::new("title", "required", ""));
        }
        if !["es", "en", "pt"].contains(&self.original_language.as_str()) {
            e.push(FieldError::new(
                "original_language",
                "not_allowed",
                &self.original_language,
            ));
        }
        if !self.organiser.is_empty() && !is_slug(&self.organiser) {
            e.push(FieldError::new(
                "organiser",
                "invalid_slug",
                &self.organiser,
            ));
        }
        if !self
            .hashtag
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_')
            || self.hashtag.chars().count() > 100
        {
            e.push(FieldError::new("hashtag", "invalid_hashtag", &self.hashtag));
        }
        for f in &self.figures {
            if !FIGURE_KEYS.contains(&f.key.as_str()) {
                e.push(FieldError::new("figures", "not_allowed", &f.key));
            }
            if f.value.trim().is_empty() || f.source.trim().is_empty() {
                e.push(FieldError::new("figures", "required", &f.key));
            }
        }
        e
    }
}

impl Presenter {
    pub fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        if !is_slug(&self.series) {
            e.push(FieldError::new("series", "invalid_slug", &self.series));
        }
        if !self.session.is_empty() && !is_slug(&self.session) {
            e.push(FieldError::new("session", "invalid_slug", &self.session));
        }
        if !self.institution.is_empty() && !is_slug(&self.institution) {
            e.push(FieldError::new(
                "institution",
                "invalid_slug",
                &self.institution,
            ));
        }
        if self.institution.is_empty() && self.name.trim().is_empty() {
            e.push(FieldError::new("name", "required", ""));
        }
        e
    }
}

impl Session {
    pub fn description(&self, lang: Lang) -> &str {
        pick(
            lang,
            &self.description_es,
            &self.description_en,
            &self.description_pt,
            &self.original_language,
        )
    }

    /// The start as an instant, when the time and zone are known.
    pub fn start_utc(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        use chrono::TimeZone;
        let date = chrono::NaiveDate::parse_from_str(&self.date, "%Y-%m-%d").ok()?;
        let time = chrono::NaiveTime::parse_from_str(&self.start_time, "%H:%M").ok()?;
        let tz: chrono_tz::Tz = self.time_zone.parse().ok()?;
        tz.from_local_datetime(&date.and_time(time))
            .earliest()
            .map(|t| t.with_timezone(&chrono::Utc))
    }

    /// The end, when the start and duration are known.
    pub fn end_utc(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        let start = self.start_utc()?;
        (self.duration_minutes > 0)
            .then(|| start + chrono::Duration::minutes(self.duration_minutes as i64))
    }

    /// The start in another zone (`tz`), as `YYYY-MM-DD HH:MM (+hh:mm)`.
    pub fn start_in(&self, tz: &str) -> Option<String> {
        let tz: chrono_tz::Tz = tz.parse().ok()?;
        Some(
            self.start_utc()?
                .with_timezone(&tz)
                .format("%Y-%m-%d %H:%M (UTC%:z)")
                .to_string(),
        )
    }

    /// The start with the session's own offset (RFC 3339), or the date
    /// alone when the time is unknown (schema.org `startDate`).
    pub fn start_iso(&self) -> String {
        match (self.start_utc(), self.time_zone.parse::<chrono_tz::Tz>()) {
            (Some(t), Ok(tz)) => t.with_timezone(&tz).to_rfc3339(),
            _ => self.date.clone(),
        }
    }

    /// Registration is open: not cancelled or held, and the start (or the
    /// day, when the time is unknown) is still ahead of `now`.
    pub fn open_for_registration(&self, now: chrono::DateTime<chrono::Utc>) -> bool {
        if !matches!(self.status.as_str(), "scheduled" | "rescheduled" | "") {
            return false;
        }
        match self.start_utc() {
            Some(t) => t > now,
            None => chrono::NaiveDate::parse_from_str(&self.date, "%Y-%m-%d")
                .map(|d| d > now.date_naive())
                .unwrap_or(false),
        }
    }

    pub fn title(&self, lang: Lang) -> &str {
        let own = match lang {
            Lang::Es => &self.title_es,
            Lang::En => &self.title_en,
            Lang::Pt => &self.title_pt,
        };
        if !own.is_empty() {
            return own;
        }
        match self.original_language.as_str() {
            "es" => &self.title_es,
            "pt" => &self.title_pt,
            _ => &self.title_en,
        }
    }

    /// The language the shown title is in (for `lang` attributes).
    pub fn title_lang(&self, lang: Lang) -> &str {
        let own = match lang {
            Lang::Es => &self.title_es,
            Lang::En => &self.title_en,
            Lang::Pt => &self.title_pt,
        };
        if own.is_empty() {
            &self.original_language
        } else {
            lang.code()
        }
    }

    pub fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        if !is_slug(&self.id) {
            e.push(FieldError::new("id", "invalid_slug", &self.id));
        }
        if !is_slug(&self.series) {
            e.push(FieldError::new("series", "invalid_slug", &self.series));
        }
        if self.number == 0 {
            e.push(FieldError::new("number", "required", ""));
        }
        if self.date.len() != 10 || !crate::observatory::valid_date(&self.date) {
            e.push(FieldError::new("date", "invalid_day", &self.date));
        }
        if self.title(Lang::En).trim().is_empty() {
            e.push(FieldError::new("title", "required", ""));
        }
        if !["es", "en", "pt"].contains(&self.original_language.as_str()) {
            e.push(FieldError::new(
                "original_language",
                "not_allowed",
                &self.original_language,
            ));
        }
        for c in &self.channels {
            if !CHANNELS.contains(&c.as_str()) {
                e.push(FieldError::new("channels", "not_allowed", c));
            }
        }
        if !self.start_time.is_empty() {
            if chrono::NaiveTime::parse_from_str(&self.start_time, "%H:%M").is_err()
                || self.start_time.len() != 5
            {
                e.push(FieldError::new(
                    "start_time",
                    "invalid_time",
                    &self.start_time,
                ));
            }
            if !valid_time_zone(&self.time_zone) {
                e.push(FieldError::new(
                    "time_zone",
                    "invalid_time_zone",
                    &self.time_zone,
                ));
            }
        } else if !self.time_zone.is_empty() && !valid_time_zone(&self.time_zone) {
            e.push(FieldError::new(
                "time_zone",
                "invalid_time_zone",
                &self.time_zone,
            ));
        }
        if self.duration_minutes > 24 * 60 {
            e.push(FieldError::new(
                "duration_minutes",
                "out_of_range",
                &self.duration_minutes.to_string(),
            ));
        }
        if !self.status.is_empty() && !STATUSES.contains(&self.status.as_str()) {
            e.push(FieldError::new("status", "not_allowed", &self.status));
        }
        if self.capacity == Some(0) {
            e.push(FieldError::new("capacity", "out_of_range", "0"));
        }
        for t in &self.topics {
            if crate::observatory::current().get(t).is_none() {
                e.push(FieldError::new("topics", "not_allowed", t));
            }
        }
        for (field, url) in [
            ("zoom_url", &self.zoom_url),
            ("facebook_url", &self.facebook_url),
        ] {
            if !(url.is_empty() || url.starts_with("https://") || url.starts_with("http://")) {
                e.push(FieldError::new(field, "invalid_url", url));
            }
        }
        e
    }
}

/// What a visitor types to register (no account needed).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Registrant {
    pub name: String,
    pub email: String,
    /// Directory id, when picked from the directory.
    pub institution: String,
    /// Typed when not in the directory.
    pub institution_text: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    pub role: String,
    /// es, en or pt: the language of every e-mail.
    pub lang: String,
    pub consent: bool,
}

impl Registrant {
    /// Every problem; the e-mail comes back normalised.
    pub fn validate(&mut self) -> Vec<FieldError> {
        let mut e = Vec::new();
        self.name = self.name.trim().to_string();
        if self.name.is_empty() {
            e.push(FieldError::new("name", "required", ""));
        } else if self.name.chars().count() > 200 {
            e.push(FieldError::new("name", "too_long", ""));
        }
        match crate::accounts::normalize_email(&self.email) {
            Ok(n) => self.email = n,
            Err(code) => e.push(FieldError::new("email", code, &self.email)),
        }
        if !self.institution.is_empty() && !is_slug(&self.institution) {
            e.push(FieldError::new(
                "institution",
                "invalid_slug",
                &self.institution,
            ));
        }
        if self.institution_text.chars().count() > 300 || self.role.chars().count() > 200 {
            e.push(FieldError::new("institution_text", "too_long", ""));
        }
        if !self.country.is_empty() && crate::country::by_code(&self.country).is_none() {
            e.push(FieldError::new("country", "unknown_country", &self.country));
        }
        if Lang::from_code(&self.lang).is_none() {
            e.push(FieldError::new("lang", "not_allowed", &self.lang));
        }
        if !self.consent {
            e.push(FieldError::new("consent", "consent_required", ""));
        }
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_needs_a_full_date_and_a_title() {
        let mut s = Session {
            id: "vc2020-01".into(),
            series: "vc2020".into(),
            number: 1,
            date: "2020-03-26".into(),
            title_en: "COVID-19: the response of VTIs".into(),
            original_language: "en".into(),
            channels: vec!["zoom".into()],
            ..Default::default()
        };
        assert!(s.validate().is_empty());
        assert_eq!(s.title(Lang::Es), "COVID-19: the response of VTIs");
        assert_eq!(s.title_lang(Lang::Es), "en");
        s.date = "2020-03".into();
        s.channels.push("telegraph".into());
        let codes: Vec<_> = s.validate().iter().map(|e| e.field).collect();
        assert_eq!(codes, ["date", "channels"]);
    }
}
