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
}

pub const CHANNELS: &[&str] = &["zoom", "facebook_live"];

impl Session {
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
            e.push(FieldError::new("date", "invalid_date", &self.date));
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
