//! The knowledge base: shared resources and publications, with the
//! metadata other repositories harvest.

use crate::{FieldError, Lang, country, institutions::is_slug};
use serde::{Deserialize, Serialize};

pub const TYPES: &[&str] = &[
    "technical_note",
    "report",
    "distance_teaching_guideline",
    "return_protocol",
    "teacher_competence_framework",
    "digital_teaching_resource",
    "virtual_platform",
    "course_finder",
    "free_online_course",
    "session_recording",
    "dataset",
    "website",
];

pub const AUDIENCES: &[&str] = &[
    "teachers",
    "learners",
    "institutions",
    "employers",
    "policy_makers",
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Resource {
    pub id: String,
    #[serde(rename = "type")]
    pub resource_type: String,
    pub institutions: Vec<String>,
    pub countries: Vec<String>,
    /// BCP 47 languages of the content (empty: unknown).
    pub languages: Vec<String>,
    /// Codebook codes.
    pub topics: Vec<String>,
    pub audience: Vec<String>,
    /// SPDX / Creative Commons identifier; empty when not stated.
    pub license: String,
    /// YYYY[-MM[-DD]], empty when unknown.
    pub published: String,
    pub url: String,
    pub title_es: String,
    pub title_en: String,
    pub title_pt: String,
    pub description_es: String,
    pub description_en: String,
    pub description_pt: String,
    pub original_language: String,
    pub notes: String,
    /// Persistent identifiers: `doi:10.NNNN/…` or `hdl:PREFIX/SUFFIX`.
    #[serde(default)]
    pub identifiers: Vec<String>,
    /// Observatory measures this resource documents (measure ids).
    #[serde(default)]
    pub related_measures: Vec<String>,
    /// Event sessions this resource comes from or serves (session ids).
    #[serde(default)]
    pub related_sessions: Vec<String>,
}

/// Whether `v` is a persistent identifier Faro understands, and its resolver
/// link: `doi:10.NNNN/suffix` (https://doi.org/…) or `hdl:prefix/suffix`
/// (https://hdl.handle.net/…).
pub fn identifier_link(v: &str) -> Option<String> {
    let ok_suffix = |s: &str| {
        !s.is_empty() && s.len() <= 200 && !s.chars().any(|c| c.is_whitespace() || c.is_control())
    };
    if let Some(doi) = v.strip_prefix("doi:") {
        let (prefix, suffix) = doi.split_once('/')?;
        let registrant = prefix.strip_prefix("10.")?;
        if !registrant.is_empty()
            && registrant.len() <= 12
            && registrant.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            && ok_suffix(suffix)
        {
            return Some(format!("https://doi.org/{doi}"));
        }
        return None;
    }
    if let Some(hdl) = v.strip_prefix("hdl:") {
        let (prefix, suffix) = hdl.split_once('/')?;
        if !prefix.is_empty()
            && prefix.len() <= 40
            && prefix
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.')
            && ok_suffix(suffix)
        {
            return Some(format!("https://hdl.handle.net/{hdl}"));
        }
    }
    None
}

impl Resource {
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

    pub fn description(&self, lang: Lang) -> &str {
        match lang {
            Lang::Es if !self.description_es.is_empty() => &self.description_es,
            Lang::Pt if !self.description_pt.is_empty() => &self.description_pt,
            Lang::En if !self.description_en.is_empty() => &self.description_en,
            _ => match self.original_language.as_str() {
                "es" => &self.description_es,
                "pt" => &self.description_pt,
                _ => &self.description_en,
            },
        }
    }

    pub fn year(&self) -> Option<i32> {
        self.published.get(..4).and_then(|y| y.parse().ok())
    }

    pub fn validate(&self, codebook: &crate::observatory::Codebook) -> Vec<FieldError> {
        let mut e = Vec::new();
        if !is_slug(&self.id) {
            e.push(FieldError::new("id", "invalid_slug", &self.id));
        }
        if !TYPES.contains(&self.resource_type.as_str()) {
            e.push(FieldError::new("type", "not_allowed", &self.resource_type));
        }
        for i in &self.institutions {
            if !is_slug(i) {
                e.push(FieldError::new("institutions", "invalid_slug", i));
            }
        }
        for c in &self.countries {
            if country::by_code(c).is_none() {
                e.push(FieldError::new("countries", "unknown_country", c));
            }
        }
        for l in &self.languages {
            if !(l.len() >= 2
                && l.len() <= 8
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
            {
                e.push(FieldError::new("languages", "not_allowed", l));
            }
        }
        for t in &self.topics {
            if codebook.get(t).is_none() {
                e.push(FieldError::new("topics", "unknown_code", t));
            }
        }
        for a in &self.audience {
            if !AUDIENCES.contains(&a.as_str()) {
                e.push(FieldError::new("audience", "not_allowed", a));
            }
        }
        if !self.published.is_empty()
            && (self.published == "none" || !crate::observatory::valid_date(&self.published))
        {
            e.push(FieldError::new(
                "published",
                "invalid_date",
                &self.published,
            ));
        }
        let url = self.url.to_ascii_lowercase();
        if !self.url.is_empty()
            && (!(url.starts_with("https://") || url.starts_with("http://"))
                || self.url.chars().any(char::is_whitespace))
        {
            e.push(FieldError::new("url", "invalid_url", &self.url));
        }
        for i in &self.identifiers {
            if identifier_link(i).is_none() {
                e.push(FieldError::new("identifiers", "invalid_identifier", i));
            }
        }
        for m in &self.related_measures {
            if !is_slug(m) {
                e.push(FieldError::new("related_measures", "invalid_slug", m));
            }
        }
        for m in &self.related_sessions {
            if !is_slug(m) {
                e.push(FieldError::new("related_sessions", "invalid_slug", m));
            }
        }
        for (field, v, max) in [
            ("title", &self.title_es, 300),
            ("title", &self.title_en, 300),
            ("title", &self.title_pt, 300),
            ("description", &self.description_es, 5000),
            ("description", &self.description_en, 5000),
            ("description", &self.description_pt, 5000),
            ("notes", &self.notes, 2000),
            ("license", &self.license, 64),
            ("url", &self.url, 1000),
        ] {
            if v.chars().count() > max {
                e.push(FieldError::new(field, "too_long", ""));
            }
            if v.chars()
                .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
            {
                e.push(FieldError::new(field, "control_chars", ""));
            }
        }
        if !self.license.is_empty()
            && !self
                .license
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '+'))
        {
            e.push(FieldError::new("license", "invalid_license", &self.license));
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
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_dois_or_handles() {
        assert_eq!(
            identifier_link("doi:10.1000/xyz-123").as_deref(),
            Some("https://doi.org/10.1000/xyz-123")
        );
        assert_eq!(
            identifier_link("hdl:20.500.12345/678").as_deref(),
            Some("https://hdl.handle.net/20.500.12345/678")
        );
        for bad in [
            "10.1000/x",
            "doi:11.1000/x",
            "doi:10.1000/",
            "doi:10.x/y",
            "hdl:abc",
            "doi:10.1/a b",
            "isbn:123",
        ] {
            assert_eq!(identifier_link(bad), None, "{bad}");
        }
    }

    #[test]
    fn licences_are_identifiers_not_prose() {
        let cb = crate::observatory::current();
        let mut r = Resource {
            id: "r-x".into(),
            resource_type: "report".into(),
            title_en: "T".into(),
            original_language: "en".into(),
            license: "CC-BY-4.0".into(),
            ..Default::default()
        };
        assert!(r.validate(cb).is_empty());
        r.license = "<b>free</b>".into();
        assert_eq!(r.validate(cb)[0].code, "invalid_license");
    }
}
