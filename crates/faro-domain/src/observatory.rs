//! The observatory's vocabulary: the versioned codebook, target groups and
//! the measure record with its rules. Data comes from `data/codebook/`.

use crate::{FieldError, Lang, country, institutions::is_slug};
use chrono::{Datelike, NaiveDate};
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
/// The measure fields a public correction may not change when a
/// coordinator accepts it: the id, and the workflow and review fields,
/// which only the review workflow sets. Every other field is something a
/// visitor can see and check against a source.
pub const NOT_CORRECTABLE: &[&str] =
    &["id", "status", "entered_by", "reviewed_by", "last_reviewed"];

/// Whether an accepted correction may change the measure field `column`
/// (see [`NOT_CORRECTABLE`]); the caller checks that the field exists.
pub fn correctable(column: &str) -> bool {
    !NOT_CORRECTABLE.contains(&column)
}

pub const LOG_TYPES: &[&str] = &["introduced", "extended", "modified", "phased_out"];
pub const STATUSES: &[&str] = &["draft", "submitted", "verified"];
pub const SOURCE_TYPES: &[&str] = &["official", "self_reported", "media", "this_report"];
pub const SCOPE_LEVELS: &[&str] = &["national", "regional", "local"];
pub const SCOPE_TARGETING: &[&str] = &["general", "targeted"];

/// A date as the sources give it: a day, a month or a year, or explicitly
/// none (e.g. no end: ongoing). Empty means *unknown*, which is different.
/// A day must exist (`2020-02-30` does not).
pub fn valid_date(v: &str) -> bool {
    v == "none" || date_bounds(v).is_some()
}

/// The first and the last day a date covers (`2020-03`: 1 to 31 March;
/// `2020`: the year); `None` for empty, `none` or an impossible date.
pub fn date_bounds(v: &str) -> Option<(NaiveDate, NaiveDate)> {
    let parts: Vec<&str> = v.split('-').collect();
    let num = |s: &str, len: usize| -> Option<u32> {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let last_of_month = |y: i32, m: u32| -> Option<NaiveDate> {
        let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        NaiveDate::from_ymd_opt(ny, nm, 1)?.pred_opt()
    };
    match parts.as_slice() {
        [y] => {
            let y = num(y, 4)? as i32;
            Some((
                NaiveDate::from_ymd_opt(y, 1, 1)?,
                NaiveDate::from_ymd_opt(y, 12, 31)?,
            ))
        }
        [y, m] => {
            let (y, m) = (num(y, 4)? as i32, num(m, 2)?);
            Some((NaiveDate::from_ymd_opt(y, m, 1)?, last_of_month(y, m)?))
        }
        [y, m, d] => {
            let day = NaiveDate::from_ymd_opt(num(y, 4)? as i32, num(m, 2)?, num(d, 2)?)?;
            Some((day, day))
        }
        _ => None,
    }
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` in digits, whether or not the day exists.
fn well_formed(v: &str) -> bool {
    let lens: Vec<usize> = v.split('-').map(str::len).collect();
    v.bytes().all(|b| b.is_ascii_digit() || b == b'-')
        && matches!(lens.as_slice(), [4] | [4, 2] | [4, 2, 2])
}

/// How far ahead a measure's dates may lie: to the end of next year.
pub const MAX_YEARS_AHEAD: i32 = 1;

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

    /// Every rule, with today's date for how far ahead dates may lie.
    pub fn validate(&self, codebook: &Codebook) -> Vec<FieldError> {
        self.validate_on(codebook, chrono::Utc::now().date_naive())
    }

    /// Every rule, as of `today`: dates that exist, an end not before the
    /// start, the measure's own dates (announced, start, end) no later
    /// than the end of next year. A *draft* needs no more than its
    /// institution and a title (what it does hold must still be valid);
    /// submitting or verifying it needs every required field.
    pub fn validate_on(&self, codebook: &Codebook, today: NaiveDate) -> Vec<FieldError> {
        let draft = self.status == "draft";
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
        if (self.crisis.is_empty() && !draft) || (!self.crisis.is_empty() && !is_slug(&self.crisis))
        {
            e.push(FieldError::new("crisis", "invalid_slug", &self.crisis));
        }
        if self.categories.is_empty() && !draft {
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
        one_of("log_type", &self.log_type, LOG_TYPES, draft, &mut e);
        one_of("status", &self.status, STATUSES, false, &mut e);
        one_of(
            "source_type",
            &self.source_type,
            SOURCE_TYPES,
            draft,
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
                // The right shape but no such day (30 February, month 13).
                let code = if well_formed(v) {
                    "no_such_date"
                } else {
                    "invalid_date"
                };
                e.push(FieldError::new(field, code, v));
            }
        }
        let latest_year = today.year() + MAX_YEARS_AHEAD;
        for (field, v) in [
            ("announced_date", &self.announced_date),
            ("start_date", &self.start_date),
            ("end_date", &self.end_date),
        ] {
            if date_bounds(v).is_some_and(|(first, _)| first.year() > latest_year) {
                e.push(FieldError::new(field, "too_far_ahead", v));
            }
        }
        // `2020-03` may end in `2020-03-15` (same month), not in `2020-02`.
        if let (Some((start, _)), Some((_, end))) =
            (date_bounds(&self.start_date), date_bounds(&self.end_date))
            && end < start
        {
            e.push(FieldError::new(
                "end_date",
                "end_before_start",
                &self.end_date,
            ));
        }
        if self.original_title().trim().is_empty() {
            e.push(FieldError::new("title", "required", ""));
        }
        let url = self.source_url.to_ascii_lowercase();
        if !(draft && url.is_empty())
            && (!(url.starts_with("https://") || url.starts_with("http://"))
                || self.source_url.chars().any(char::is_whitespace))
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

    fn sample() -> Measure {
        Measure {
            id: "m-ina-x".into(),
            institution: "ina".into(),
            crisis: "covid-19".into(),
            categories: vec!["C2".into()],
            log_type: "introduced".into(),
            original_language: "en".into(),
            title_en: "A measure".into(),
            source_url: "https://example.org/".into(),
            source_type: "self_reported".into(),
            status: "draft".into(),
            ..Default::default()
        }
    }

    fn codes_on(m: &Measure, today: &str) -> Vec<(&'static str, &'static str)> {
        let today = NaiveDate::parse_from_str(today, "%Y-%m-%d").unwrap();
        m.validate_on(current(), today)
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    #[test]
    fn a_draft_needs_only_a_title() {
        let bare = Measure {
            id: "m-ina-x".into(),
            institution: "ina".into(),
            original_language: "en".into(),
            title_en: "Only a title".into(),
            status: "draft".into(),
            ..Default::default()
        };
        assert!(codes_on(&bare, "2026-01-10").is_empty());
        // What a draft holds must still be valid.
        let bad = Measure {
            source_url: "ftp://x".into(),
            categories: vec!["Z9".into()],
            ..bare.clone()
        };
        assert_eq!(
            codes_on(&bad, "2026-01-10"),
            vec![
                ("categories", "unknown_code"),
                ("source_url", "invalid_url")
            ]
        );
        let untitled = Measure {
            title_en: " ".into(),
            ..bare.clone()
        };
        assert_eq!(
            codes_on(&untitled, "2026-01-10"),
            vec![("title", "required")]
        );
        // Submitted: every required field.
        let submitted = Measure {
            status: "submitted".into(),
            ..bare
        };
        let fields: Vec<&str> = codes_on(&submitted, "2026-01-10")
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        assert_eq!(
            fields,
            vec![
                "crisis",
                "categories",
                "log_type",
                "source_type",
                "source_url"
            ]
        );
        assert!(codes_on(&sample(), "2026-01-10").is_empty());
    }

    #[test]
    fn impossible_days_are_refused() {
        for bad in [
            "2020-02-30",
            "2021-02-29",
            "2020-04-31",
            "2020-00",
            "2020-06-00",
        ] {
            assert!(!valid_date(bad), "{bad}");
            let m = Measure {
                start_date: bad.into(),
                ..sample()
            };
            assert_eq!(
                codes_on(&m, "2026-01-10"),
                vec![("start_date", "no_such_date")],
                "{bad}"
            );
        }
        for ok in ["2020-02-29", "2024-02-29", "2020-04-30", "2020-12-31"] {
            assert!(valid_date(ok), "{ok}");
        }
    }

    #[test]
    fn an_end_before_its_start_is_refused() {
        let with = |start: &str, end: &str| Measure {
            start_date: start.into(),
            end_date: end.into(),
            ..sample()
        };
        let refused = vec![("end_date", "end_before_start")];
        assert_eq!(
            codes_on(&with("2020-03-26", "2020-03-25"), "2026-01-10"),
            refused
        );
        assert_eq!(
            codes_on(&with("2020-03", "2020-02-28"), "2026-01-10"),
            refused
        );
        assert_eq!(codes_on(&with("2021", "2020-12"), "2026-01-10"), refused);
        // Same day, a day within the start's month or year, unknown or
        // none: fine.
        for (s, e) in [
            ("2020-03-26", "2020-03-26"),
            ("2020-03", "2020-03-01"),
            ("2020", "2020-01"),
            ("2020-03-26", ""),
            ("2020-03-26", "none"),
            ("", "2019"),
        ] {
            assert!(codes_on(&with(s, e), "2026-01-10").is_empty(), "{s} {e}");
        }
    }

    #[test]
    fn measure_dates_beyond_next_year_are_refused() {
        let on = |field: &str, v: &str| {
            let mut m = sample();
            match field {
                "announced_date" => m.announced_date = v.into(),
                "start_date" => m.start_date = v.into(),
                _ => m.end_date = v.into(),
            }
            codes_on(&m, "2026-06-01")
        };
        for field in ["announced_date", "start_date", "end_date"] {
            assert!(on(field, "2027-12-31").is_empty(), "{field}");
            assert_eq!(on(field, "2028-01"), vec![(field, "too_far_ahead")]);
        }
        assert_eq!(
            on("start_date", "2099"),
            vec![("start_date", "too_far_ahead")]
        );
        let m = Measure {
            start_date: "26/03/2020".into(),
            ..sample()
        };
        assert_eq!(
            codes_on(&m, "2026-06-01"),
            vec![("start_date", "invalid_date")]
        );
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
