//! The observatory's vocabulary: the versioned codebook, target groups and
//! the measure record with its rules. Data comes from `data/codebook/`.

use crate::{FieldError, Lang, country, institutions::is_slug};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// One code (`C2`) or category (`C`) of a codebook version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Code {
    pub code: String,
    /// The category letter for codes; `None` for categories.
    pub parent: Option<String>,
    pub label_es: String,
    pub label_en: String,
    pub label_pt: String,
    pub description_es: String,
    pub description_en: String,
    pub description_pt: String,
}

impl Code {
    pub fn label(&self, lang: Lang) -> &str {
        match lang {
            Lang::Es => &self.label_es,
            Lang::En => &self.label_en,
            Lang::Pt => &self.label_pt,
        }
    }
    pub fn description(&self, lang: Lang) -> &str {
        match lang {
            Lang::Es => &self.description_es,
            Lang::En => &self.description_en,
            Lang::Pt => &self.description_pt,
        }
    }
}

/// A released codebook version. Versions are never edited: a change of
/// meaning is a new version with a changelog entry.
#[derive(Debug, Clone, Serialize)]
pub struct Codebook {
    pub version: u32,
    pub released: &'static str,
    pub changelog: &'static str,
    pub codes: Vec<Code>,
}

impl Codebook {
    pub fn get(&self, code: &str) -> Option<&Code> {
        self.codes.iter().find(|c| c.code == code)
    }
    pub fn categories(&self) -> impl Iterator<Item = &Code> {
        self.codes.iter().filter(|c| c.parent.is_none())
    }
    pub fn children<'a>(&'a self, category: &'a str) -> impl Iterator<Item = &'a Code> + 'a {
        self.codes
            .iter()
            .filter(move |c| c.parent.as_deref() == Some(category))
    }
}

/// (version, release date, changelog, CSV).
const VERSIONS: &[(u32, &str, &str, &str)] = &[(
    1,
    "2026-11-28",
    "First version: categories and codes from the 2020 series report's six themes (PRODUCT.md).",
    include_str!("../../../data/codebook/v1.csv"),
)];

fn parse(csv_text: &str) -> Vec<Code> {
    let mut rows = csv_text.lines();
    rows.next();
    let mut out = Vec::new();
    for line in rows.filter(|l| !l.trim().is_empty()) {
        let f = crate::country::split_csv_line(line);
        let g = |i: usize| f.get(i).cloned().unwrap_or_default();
        out.push(Code {
            code: g(0),
            parent: Some(g(1)).filter(|p| !p.is_empty()),
            label_es: g(2),
            label_en: g(3),
            label_pt: g(4),
            description_es: g(5),
            description_en: g(6),
            description_pt: g(7),
        });
    }
    out
}

pub fn codebooks() -> &'static [Codebook] {
    static ALL: OnceLock<Vec<Codebook>> = OnceLock::new();
    ALL.get_or_init(|| {
        VERSIONS
            .iter()
            .map(|(v, date, log, text)| Codebook {
                version: *v,
                released: date,
                changelog: log,
                codes: parse(text),
            })
            .collect()
    })
}

pub fn current() -> &'static Codebook {
    codebooks().last().expect("at least one codebook version")
}

pub fn version(v: u32) -> Option<&'static Codebook> {
    codebooks().iter().find(|c| c.version == v)
}

pub const TARGET_GROUPS: &[&str] = &[
    "youth",
    "women",
    "rural",
    "low_income",
    "unemployed",
    "informal_workers",
    "apprentices",
    "teachers",
    "enterprises_smes",
    "persons_with_disabilities",
    "migrants",
    "health_workers",
    "learners",
];
pub const LOG_TYPES: &[&str] = &["introduced", "extended", "modified", "phased_out"];
pub const STATUSES: &[&str] = &["draft", "submitted", "verified"];
pub const SOURCE_TYPES: &[&str] = &["official", "self_reported", "media", "this_report"];
pub const SCOPE_LEVELS: &[&str] = &["national", "regional", "local"];
pub const SCOPE_TARGETING: &[&str] = &["general", "targeted"];

/// A date as the sources give it: a day, a month or a year, or explicitly
/// none (e.g. no end: ongoing). Empty means *unknown*, which is different.
pub fn valid_date(v: &str) -> bool {
    if v == "none" {
        return true;
    }
    let parts: Vec<&str> = v.split('-').collect();
    let num = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [y] => num(y, 4),
        [y, m] => num(y, 4) && num(m, 2) && (1..=12).contains(&m.parse::<u32>().unwrap_or(0)),
        [y, m, d] => {
            num(y, 4)
                && num(m, 2)
                && num(d, 2)
                && (1..=12).contains(&m.parse::<u32>().unwrap_or(0))
                && (1..=31).contains(&d.parse::<u32>().unwrap_or(0))
        }
        _ => false,
    }
}

/// One measure of one institution (one row per measure event).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Measure {
    pub id: String,
    pub institution: String,
    pub country: Option<String>,
    pub crisis: String,
    pub categories: Vec<String>,
    pub log_type: String,
    /// Empty: unknown; "none": explicitly none; else YYYY[-MM[-DD]].
    pub announced_date: String,
    pub start_date: String,
    pub end_date: String,
    pub target_groups: Vec<String>,
    pub scope_level: String,
    pub scope_targeting: String,
    pub original_language: String,
    pub title_es: String,
    pub title_en: String,
    pub title_pt: String,
    pub description_es: String,
    pub description_en: String,
    pub description_pt: String,
    pub source_url: String,
    pub source_type: String,
    pub source_title: String,
    pub source_accessed: String,
    pub status: String,
    pub notes: String,
    /// Who entered the record and who last reviewed it (account names).
    pub entered_by: String,
    pub reviewed_by: String,
    /// YYYY-MM-DD of the last review, empty if never reviewed.
    pub last_reviewed: String,
}

impl Measure {
    pub fn title(&self, lang: Lang) -> &str {
        let own = match lang {
            Lang::Es => &self.title_es,
            Lang::En => &self.title_en,
            Lang::Pt => &self.title_pt,
        };
        if own.is_empty() {
            self.original_title()
        } else {
            own
        }
    }

    pub fn original_title(&self) -> &str {
        match self.original_language.as_str() {
            "es" => &self.title_es,
            "pt" => &self.title_pt,
            _ => &self.title_en,
        }
    }

    pub fn description(&self, lang: Lang) -> &str {
        let own = match lang {
            Lang::Es => &self.description_es,
            Lang::En => &self.description_en,
            Lang::Pt => &self.description_pt,
        };
        if !own.is_empty() {
            return own;
        }
        match self.original_language.as_str() {
            "es" => &self.description_es,
            "pt" => &self.description_pt,
            _ => &self.description_en,
        }
    }

    /// The year the measure started, if known.
    pub fn start_year(&self) -> Option<i32> {
        self.start_date.get(..4).and_then(|y| y.parse().ok())
    }

    pub fn validate(&self, codebook: &Codebook) -> Vec<FieldError> {
        let mut e = Vec::new();
        if !is_slug(&self.id) {
            e.push(FieldError::new("id", "invalid_slug", &self.id));
        }
        if !is_slug(&self.institution) {
            e.push(FieldError::new(
                "institution",
                "invalid_slug",
                &self.institution,
            ));
        }
        if let Some(c) = &self.country
            && country::by_code(c).is_none()
        {
            e.push(FieldError::new("country", "unknown_country", c));
        }
        if self.crisis.is_empty() || !is_slug(&self.crisis) {
            e.push(FieldError::new("crisis", "invalid_slug", &self.crisis));
        }
        if self.categories.is_empty() {
            e.push(FieldError::new("categories", "required", ""));
        }
        for c in &self.categories {
            if codebook.get(c).is_none_or(|code| code.parent.is_none()) {
                e.push(FieldError::new("categories", "unknown_code", c));
            }
        }
        let one_of = |field: &'static str,
                      v: &str,
                      allowed: &[&str],
                      optional: bool,
                      e: &mut Vec<FieldError>| {
            if (v.is_empty() && !optional) || (!v.is_empty() && !allowed.contains(&v)) {
                e.push(FieldError::new(field, "not_allowed", v));
            }
        };
        one_of("log_type", &self.log_type, LOG_TYPES, false, &mut e);
        one_of("status", &self.status, STATUSES, false, &mut e);
        one_of(
            "source_type",
            &self.source_type,
            SOURCE_TYPES,
            false,
            &mut e,
        );
        one_of("scope_level", &self.scope_level, SCOPE_LEVELS, true, &mut e);
        one_of(
            "scope_targeting",
            &self.scope_targeting,
            SCOPE_TARGETING,
            true,
            &mut e,
        );
        one_of(
            "original_language",
            &self.original_language,
            &["es", "en", "pt"],
            false,
            &mut e,
        );
        for g in &self.target_groups {
            if !TARGET_GROUPS.contains(&g.as_str()) {
                e.push(FieldError::new("target_groups", "not_allowed", g));
            }
        }
        for (field, v) in [
            ("announced_date", &self.announced_date),
            ("start_date", &self.start_date),
            ("end_date", &self.end_date),
            ("source_accessed", &self.source_accessed),
            ("last_reviewed", &self.last_reviewed),
        ] {
            if !v.is_empty() && !valid_date(v) {
                e.push(FieldError::new(field, "invalid_date", v));
            }
        }
        if self.original_title().trim().is_empty() {
            e.push(FieldError::new("title", "required", ""));
        }
        let url = self.source_url.to_ascii_lowercase();
        if !(url.starts_with("https://") || url.starts_with("http://"))
            || self.source_url.chars().any(char::is_whitespace)
        {
            e.push(FieldError::new(
                "source_url",
                "invalid_url",
                &self.source_url,
            ));
        }
        for (field, v, max) in [
            ("title_es", &self.title_es, 300),
            ("title_en", &self.title_en, 300),
            ("title_pt", &self.title_pt, 300),
            ("description_es", &self.description_es, 5000),
            ("description_en", &self.description_en, 5000),
            ("description_pt", &self.description_pt, 5000),
            ("notes", &self.notes, 2000),
            ("source_title", &self.source_title, 500),
        ] {
            if v.chars().count() > max {
                e.push(FieldError::new(field, "too_long", v));
            }
            if v.chars()
                .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
            {
                e.push(FieldError::new(field, "control_chars", v));
            }
        }
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codebook_v1_is_complete_and_trilingual() {
        let cb = current();
        assert_eq!(cb.version, 1);
        assert_eq!(cb.categories().count(), 9);
        for code in [
            "H1", "H2", "H3", "C1", "C6", "E5", "T3", "A2", "W4", "R3", "L3", "G4",
        ] {
            let c = cb.get(code).unwrap_or_else(|| panic!("{code}"));
            for l in Lang::ALL {
                assert!(!c.label(l).is_empty(), "{code} {l}");
            }
        }
        assert_eq!(cb.children("C").count(), 6);
        assert_eq!(cb.codes.iter().filter(|c| c.parent.is_some()).count(), 33);
    }

    #[test]
    fn dates_unknown_none_and_partial() {
        for ok in ["2020", "2020-03", "2020-03-26", "none"] {
            assert!(valid_date(ok), "{ok}");
        }
        for bad in [
            "",
            "20",
            "2020-13",
            "2020-3-1",
            "26/03/2020",
            "2020-03-32",
            "unknown",
        ] {
            assert!(!valid_date(bad), "{bad}");
        }
    }
}
