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
