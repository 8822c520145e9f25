//! The course finder: courses offered by member institutions and their runs
//! (after Open edX course-discovery: a course and its runs with pacing,
//! dates, enrolment window and seats), with the facts learners on a light
//! connection need. A run's status is derived from its dates at a given day.

use crate::{FieldError, Lang, institutions::is_slug};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

pub const LEVELS: &[&str] = &["introductory", "intermediate", "advanced"];
pub const PACINGS: &[&str] = &["self_paced", "instructor_led"];
pub const MODALITIES: &[&str] = &["online", "blended", "broadcast_tv", "broadcast_radio"];
/// `waived`: fees waived or deferred.
pub const COSTS: &[&str] = &["free", "waived", "paid"];
pub const CERTIFICATES: &[&str] = &["none", "attendance", "assessed", "official"];
/// Workload bands of the finder, by a run's total hours.
pub const WORKLOAD_BANDS: &[&str] = &["lt10", "10to40", "gt40"];
/// Light-connection facts (facet `light`); `low_data`: at most
/// [`LOW_DATA_MB`] of data needed.
pub const LIGHT: &[&str] = &["mobile", "downloadable", "offline", "broadcast", "low_data"];
pub const LOW_DATA_MB: i32 = 100;
/// Availability at a day (facet `availability`).
pub const AVAILABILITY: &[&str] = &["open_now", "starting_soon", "self_paced", "archived"];
/// "Starting soon": a start within this many days from today (inclusive).
pub const SOON_DAYS: i64 = 30;

/// ISO 4217 alphabetic codes in use (sorted; binary-searched).
pub const CURRENCIES: &[&str] = &[
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD",
    "CAD", "CDF", "CHE", "CHF", "CHW", "CLF", "CLP", "CNY", "COP", "COU", "CRC", "CUC", "CUP",
    "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP",
    "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS",
    "INR", "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW",
    "KWD", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD",
    "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD", "NGN",
    "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR",
    "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SLL",
    "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY",
    "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "USN", "UYI", "UYU", "UYW", "UZS", "VED", "VES",
    "VND", "VUV", "WST", "XAF", "XCD", "XCG", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWG", "ZWL",
];

/// ISO 639-1 two-letter language codes (sorted): the primary subtag of a
/// BCP 47 tag must be one of these or a three-letter ISO 639-2/3 code.
pub const LANGUAGES: &[&str] = &[
    "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg", "bi",
    "bm", "bn", "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy", "da", "de",
    "dv", "dz", "ee", "el", "en", "eo", "es", "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr", "fy",
    "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi", "ho", "hr", "ht", "hu", "hy", "hz", "ia",
    "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja", "jv", "ka", "kg", "ki", "kj", "kk",
    "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li", "ln", "lo",
    "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "na", "nb", "nd",
    "ne", "ng", "nl", "nn", "no", "nr", "nv", "ny", "oc", "oj", "om", "or", "os", "pa", "pi", "pl",
    "ps", "pt", "qu", "rm", "rn", "ro", "ru", "rw", "sa", "sc", "sd", "se", "sg", "si", "sk", "sl",
    "sm", "sn", "so", "sq", "sr", "ss", "st", "su", "sv", "sw", "ta", "te", "tg", "th", "ti", "tk",
    "tl", "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo", "wa",
    "wo", "xh", "yi", "yo", "za", "zh", "zu",
];

/// One ISCED-F 2013 field: broad (two digits) or narrow (three digits).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub code: String,
    pub parent: Option<String>,
    pub label_es: String,
    pub label_en: String,
    pub label_pt: String,
}

impl Field {
    pub fn label(&self, lang: Lang) -> &str {
        match lang {
            Lang::Es => &self.label_es,
            Lang::En => &self.label_en,
            Lang::Pt => &self.label_pt,
        }
    }
}

/// ISCED-F 2013 fields (`data/isced/isced_f_2013.csv`, compiled in).
pub fn isced() -> &'static [Field] {
    static ALL: OnceLock<Vec<Field>> = OnceLock::new();
    ALL.get_or_init(|| {
        include_str!("../../../data/isced/isced_f_2013.csv")
            .lines()
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .map(|line| {
                let f = crate::country::split_csv_line(line);
                let g = |i: usize| f.get(i).cloned().unwrap_or_default();
                Field {
                    code: g(0),
                    parent: Some(g(1)).filter(|p| !p.is_empty()),
                    label_es: g(2),
                    label_en: g(3),
                    label_pt: g(4),
                }
            })
            .collect()
    })
}

pub fn isced_field(code: &str) -> Option<&'static Field> {
    isced().iter().find(|f| f.code == code)
}

/// A BCP 47 tag Faro accepts: a known ISO 639-1 primary subtag (or a
/// three-letter one), then optional script (4 letters), region (2 letters
/// or 3 digits) and variants (5–8 alphanumerics), `-`-separated.
pub fn valid_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let Some(primary) = parts.next() else {
        return false;
    };
    let alpha = |s: &str| s.bytes().all(|b| b.is_ascii_alphabetic());
    let ok_primary = match primary.len() {
        2 => LANGUAGES.binary_search(&primary).is_ok(),
        3 => primary.bytes().all(|b| b.is_ascii_lowercase()),
        _ => false,
    };
    if !ok_primary {
        return false;
    }
    parts.all(|p| match p.len() {
        4 => alpha(p),
        2 => alpha(p),
        3 => p.bytes().all(|b| b.is_ascii_digit()),
        5..=8 => p.bytes().all(|b| b.is_ascii_alphanumeric()),
        _ => false,
    }) && tag.len() <= 35
}

pub fn known_currency(code: &str) -> bool {
    CURRENCIES.binary_search(&code).is_ok()
}

/// A full day `YYYY-MM-DD` (runs' dates; empty means not given).
pub fn parse_day(v: &str) -> Option<NaiveDate> {
    if v.len() != 10 {
        return None;
    }
    NaiveDate::parse_from_str(v, "%Y-%m-%d").ok()
}

/// One run (session) of a course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CourseRun {
    /// Unique within its course (a slug, e.g. `2021-1`).
    pub run_id: String,
    /// `YYYY-MM-DD`; empty when not given (announced, or self-paced).
    pub run_start: String,
    pub run_end: String,
    pub enrolment_start: String,
    /// Empty: enrolment closes when the run starts.
    pub enrolment_end: String,
    pub pacing: String,
    pub modality: String,
    pub hours_total: Option<i32>,
    pub hours_week: Option<i32>,
    pub cost: String,
    /// Decimal amount (`120` or `120.50`) for a paid run; may be given for
    /// a waived one (its usual price).
    pub price: String,
    /// ISO 4217, required with a price.
    pub currency: String,
    pub certificate: String,
    pub seats: Option<i32>,
}

/// Where a run stands at a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunStatus {
    /// Dates not given yet, or enrolment not yet open.
    Announced,
    /// Enrolment open (a self-paced run is always open until its end).
    Open,
    Running,
    /// Enrolment over, not started.
    Closed,
    /// Ended.
    Archived,
}

impl RunStatus {
    pub fn code(self) -> &'static str {
        match self {
            RunStatus::Announced => "announced",
            RunStatus::Open => "open",
            RunStatus::Running => "running",
            RunStatus::Closed => "closed",
            RunStatus::Archived => "archived",
        }
    }
}

impl CourseRun {
    pub fn self_paced(&self) -> bool {
        self.pacing == "self_paced"
    }

    /// The status at `today`, from the dates (the SQL of the finder's
    /// availability facet, `faro_store::courses`, states the same rules).
    pub fn status(&self, today: NaiveDate) -> RunStatus {
        let day = |s: &str| parse_day(s);
        if day(&self.run_end).is_some_and(|e| e < today) {
            return RunStatus::Archived;
        }
        let start = day(&self.run_start);
        if self.self_paced() {
            return match start {
                Some(s) if s > today => RunStatus::Announced,
                _ => RunStatus::Open,
            };
        }
        let Some(start) = start else {
            return RunStatus::Announced;
        };
        if day(&self.enrolment_start).is_some_and(|s| today < s) {
            return RunStatus::Announced;
        }
        let closes = day(&self.enrolment_end).unwrap_or(start);
        if today <= closes {
            RunStatus::Open
        } else if today >= start {
            RunStatus::Running
        } else {
            RunStatus::Closed
        }
    }

    /// Starts within [`SOON_DAYS`] days from `today` (today included).
    pub fn starting_soon(&self, today: NaiveDate) -> bool {
        parse_day(&self.run_start)
            .is_some_and(|s| s >= today && s <= today + chrono::Duration::days(SOON_DAYS))
    }

    pub fn workload_band(&self) -> Option<&'static str> {
        self.hours_total.map(|h| match h {
            h if h < 10 => "lt10",
            h if h <= 40 => "10to40",
            _ => "gt40",
        })
    }

    /// `courseWorkload` as an ISO 8601 duration (`PT22H`).
    pub fn workload_iso8601(&self) -> Option<String> {
        self.hours_total.map(|h| format!("PT{h}H"))
    }

    pub fn is_free(&self) -> bool {
        self.cost == "free" || self.cost == "waived"
    }

    pub fn validate(&self, e: &mut Vec<FieldError>) {
        if !is_slug(&self.run_id) {
            e.push(FieldError::new("run_id", "invalid_slug", &self.run_id));
        }
        let mut date = |field: &'static str, v: &str| -> Option<NaiveDate> {
            if v.is_empty() {
                return None;
            }
            let d = parse_day(v);
            if d.is_none() {
                e.push(FieldError::new(field, "invalid_day", v));
            }
            d
        };
        let start = date("run_start", &self.run_start);
        let end = date("run_end", &self.run_end);
        let es = date("enrolment_start", &self.enrolment_start);
        let ee = date("enrolment_end", &self.enrolment_end);
        if let (Some(s), Some(x)) = (start, end)
            && x < s
        {
            e.push(FieldError::new(
                "run_end",
                "end_before_start",
                &self.run_end,
            ));
        }
        if let (Some(s), Some(x)) = (es, ee)
            && x < s
        {
            e.push(FieldError::new(
                "enrolment_end",
                "end_before_start",
                &self.enrolment_end,
            ));
        }
        if let (Some(x), Some(end)) = (ee, end)
            && x > end
        {
            e.push(FieldError::new(
                "enrolment_end",
                "enrolment_after_end",
                &self.enrolment_end,
            ));
        }
        for (field, v, allowed) in [
            ("pacing", &self.pacing, PACINGS),
            ("modality", &self.modality, MODALITIES),
            ("cost", &self.cost, COSTS),
            ("certificate", &self.certificate, CERTIFICATES),
        ] {
            if !allowed.contains(&v.as_str()) {
                let code = if v.is_empty() {
                    "required"
                } else {
                    "not_allowed"
                };
                e.push(FieldError::new(field, code, v));
            }
        }
        for (field, v) in [
            ("hours_total", self.hours_total),
            ("hours_week", self.hours_week),
        ] {
            if v.is_some_and(|h| h < 0) {
                e.push(FieldError::new(
                    field,
                    "negative",
                    &v.unwrap_or(0).to_string(),
                ));
            }
        }
        if let (Some(w), Some(t)) = (self.hours_week, self.hours_total)
            && w > t
            && t >= 0
        {
            e.push(FieldError::new(
                "hours_week",
                "week_over_total",
                &w.to_string(),
            ));
        }
        if let Some(s) = self.seats
            && s < 1
        {
            e.push(FieldError::new("seats", "not_positive", &s.to_string()));
        }
        if !self.price.is_empty() && !valid_price(&self.price) {
            e.push(FieldError::new("price", "invalid_price", &self.price));
        }
        if !self.currency.is_empty() && !known_currency(&self.currency) {
            e.push(FieldError::new(
                "currency",
                "unknown_currency",
                &self.currency,
            ));
        }
        if self.cost == "paid" && self.price.is_empty() {
            e.push(FieldError::new("price", "required", ""));
        }
        if !self.price.is_empty() && self.currency.is_empty() {
            e.push(FieldError::new("currency", "required", ""));
        }
        if self.cost == "free" && !self.price.is_empty() {
            e.push(FieldError::new("price", "price_of_free", &self.price));
        }
    }
}

/// A non-negative decimal with at most two decimals.
fn valid_price(v: &str) -> bool {
    let (int, frac) = v.split_once('.').unwrap_or((v, ""));
    !int.is_empty()
        && int.len() <= 12
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.len() <= 2
        && frac.bytes().all(|b| b.is_ascii_digit())
        && (v.contains('.') <= !frac.is_empty())
}

/// An absolute http(s) address with a host, without spaces or control
/// characters.
pub fn is_http_url(u: &str) -> bool {
    let l = u.to_ascii_lowercase();
    (l.starts_with("https://") || l.starts_with("http://"))
        && u.len() > "https://".len()
        && !u.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// A course offered by one or more member institutions, with its runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Course {
    pub id: String,
    pub title_es: String,
    pub title_en: String,
    pub title_pt: String,
    pub description_es: String,
    pub description_en: String,
    pub description_pt: String,
    /// `es`, `en` or `pt`: the language the course was described in.
    pub original_language: String,
    /// Institution ids (at least one).
    pub providers: Vec<String>,
    /// ISCED-F 2013 codes (broad or narrow).
    pub subjects: Vec<String>,
    /// Observatory codebook codes.
    pub topics: Vec<String>,
    /// One of [`LEVELS`]; empty when not stated.
    pub level: String,
    /// The observatory's target groups.
    pub target_groups: Vec<String>,
    /// BCP 47 tags of the teaching languages.
    pub languages: Vec<String>,
    pub url: String,
    pub mobile_friendly: bool,
    pub downloadable: bool,
    pub offline: bool,
    pub broadcast: bool,
    /// Approximate data needed to follow the course, in megabytes.
    pub data_mb: Option<i32>,
    pub notes: String,
    pub runs: Vec<CourseRun>,
}

impl Course {
    pub fn title(&self, lang: Lang) -> &str {
        let own = match lang {
            Lang::Es => &self.title_es,
            Lang::En => &self.title_en,
            Lang::Pt => &self.title_pt,
        };
        if !own.is_empty() {
            return own;
        }
        self.original_title()
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

    /// The course's availability values at `today` (see [`AVAILABILITY`]):
    /// what the finder's facet computes in SQL.
    pub fn availability(&self, today: NaiveDate) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.runs.iter().any(|r| r.status(today) == RunStatus::Open) {
            out.push("open_now");
        }
        if self.runs.iter().any(|r| r.starting_soon(today)) {
            out.push("starting_soon");
        }
        if self
            .runs
            .iter()
            .any(|r| r.self_paced() && r.status(today) != RunStatus::Archived)
        {
            out.push("self_paced");
        }
        if !self.runs.is_empty()
            && self
                .runs
                .iter()
                .all(|r| r.status(today) == RunStatus::Archived)
        {
            out.push("archived");
        }
        out
    }

    /// Facet values derived from the runs and the light-connection facts
    /// (facet name, values), kept with the course so the finder counts them
    /// in SQL: `cost`, `modality`, `certificate`, `workload`, `light`.
    pub fn derived_facets(&self) -> Vec<(&'static str, Vec<String>)> {
        fn uniq(it: impl Iterator<Item = String>) -> Vec<String> {
            let mut v: Vec<String> = Vec::new();
            for x in it {
                if !x.is_empty() && !v.contains(&x) {
                    v.push(x);
                }
            }
            v
        }
        let runs = &self.runs;
        let mut light = Vec::new();
        for (flag, name) in [
            (self.mobile_friendly, "mobile"),
            (self.downloadable, "downloadable"),
            (self.offline, "offline"),
            (
                self.broadcast || runs.iter().any(|r| r.modality.starts_with("broadcast")),
                "broadcast",
            ),
            (self.data_mb.is_some_and(|d| d <= LOW_DATA_MB), "low_data"),
        ] {
            if flag {
                light.push(name.to_string());
            }
        }
        vec![
            ("cost", uniq(runs.iter().map(|r| r.cost.clone()))),
            ("modality", uniq(runs.iter().map(|r| r.modality.clone()))),
            (
                "certificate",
                uniq(runs.iter().map(|r| r.certificate.clone())),
            ),
            (
                "workload",
                uniq(
                    runs.iter()
                        .filter_map(|r| r.workload_band().map(String::from)),
                ),
            ),
            ("light", light),
        ]
    }

    pub fn validate(&self, codebook: &crate::observatory::Codebook) -> Vec<FieldError> {
        let mut e = Vec::new();
        if !is_slug(&self.id) {
            e.push(FieldError::new("id", "invalid_slug", &self.id));
        }
        if !["es", "en", "pt"].contains(&self.original_language.as_str()) {
            e.push(FieldError::new(
                "original_language",
                "not_allowed",
                &self.original_language,
            ));
        } else if self.original_title().trim().is_empty() {
            e.push(FieldError::new("title", "needs_title", ""));
        }
        for t in [&self.title_es, &self.title_en, &self.title_pt] {
            if t.chars().count() > 300 {
                e.push(FieldError::new("title", "too_long", t));
            }
        }
        for (f, v) in [
            ("title_es", &self.title_es),
            ("title_en", &self.title_en),
            ("title_pt", &self.title_pt),
            ("description_es", &self.description_es),
            ("description_en", &self.description_en),
            ("description_pt", &self.description_pt),
        ] {
            if v.chars()
                .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
            {
                e.push(FieldError::new(f, "control_chars", v));
            }
        }
        if self.providers.is_empty() {
            e.push(FieldError::new("providers", "required", ""));
        }
        for p in &self.providers {
            if !is_slug(p) {
                e.push(FieldError::new("providers", "invalid_slug", p));
            }
        }
        for s in &self.subjects {
            if isced_field(s).is_none() {
                e.push(FieldError::new("subjects", "unknown_subject", s));
            }
        }
        for t in &self.topics {
            if codebook.get(t).is_none() {
                e.push(FieldError::new("topics", "unknown_code", t));
            }
        }
        if !self.level.is_empty() && !LEVELS.contains(&self.level.as_str()) {
            e.push(FieldError::new("level", "not_allowed", &self.level));
        }
        for g in &self.target_groups {
            if !crate::observatory::TARGET_GROUPS.contains(&g.as_str()) {
                e.push(FieldError::new("target_groups", "not_allowed", g));
            }
        }
        for l in &self.languages {
            if !valid_language_tag(l) {
                e.push(FieldError::new("languages", "unknown_language", l));
            }
        }
        if !self.url.is_empty() && !is_http_url(&self.url) {
            e.push(FieldError::new("url", "invalid_url", &self.url));
        }
        if self.data_mb.is_some_and(|d| d < 0) {
            e.push(FieldError::new(
                "data_mb",
                "negative",
                &self.data_mb.unwrap_or(0).to_string(),
            ));
        }
        let mut seen: Vec<&str> = Vec::new();
        for r in &self.runs {
            if seen.contains(&r.run_id.as_str()) {
                e.push(FieldError::new("run_id", "duplicate_run", &r.run_id));
            }
            seen.push(&r.run_id);
            r.validate(&mut e);
        }
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        parse_day(s).unwrap()
    }

    fn run(start: &str, end: &str) -> CourseRun {
        CourseRun {
            run_id: "r1".into(),
            run_start: start.into(),
            run_end: end.into(),
            pacing: "instructor_led".into(),
            modality: "online".into(),
            cost: "free".into(),
            certificate: "attendance".into(),
            ..Default::default()
        }
    }

    fn course() -> Course {
        Course {
            id: "c".into(),
            title_en: "A course".into(),
            original_language: "en".into(),
            providers: vec!["oit-cinterfor".into()],
            ..Default::default()
        }
    }

    #[test]
    fn status_follows_the_dates() {
        let mut r = run("2021-03-01", "2021-04-30");
        r.enrolment_start = "2021-02-01".into();
        assert_eq!(r.status(day("2021-01-15")), RunStatus::Announced);
        assert_eq!(r.status(day("2021-02-10")), RunStatus::Open);
        assert_eq!(r.status(day("2021-03-01")), RunStatus::Open);
        assert_eq!(r.status(day("2021-03-02")), RunStatus::Running);
        assert_eq!(r.status(day("2021-05-01")), RunStatus::Archived);
        r.enrolment_end = "2021-02-15".into();
        assert_eq!(r.status(day("2021-02-20")), RunStatus::Closed);
        let undated = run("", "");
        assert_eq!(undated.status(day("2021-01-01")), RunStatus::Announced);
        let mut sp = run("", "");
        sp.pacing = "self_paced".into();
        assert_eq!(sp.status(day("2021-01-01")), RunStatus::Open);
        assert!(r.starting_soon(day("2021-02-01")));
        assert!(!r.starting_soon(day("2021-01-15")));
    }

    #[test]
    fn availability_of_a_course() {
        let mut c = course();
        assert!(c.availability(day("2021-01-01")).is_empty());
        c.runs.push(run("2021-03-01", "2021-04-30"));
        assert_eq!(
            c.availability(day("2021-02-10")),
            vec!["open_now", "starting_soon"]
        );
        assert_eq!(c.availability(day("2022-01-01")), vec!["archived"]);
    }

    #[test]
    fn every_problem_is_reported() {
        let mut c = course();
        c.url = "ftp://example.org".into();
        c.languages = vec!["xx".into(), "es-419".into(), "pt-BR".into()];
        c.subjects = vec!["071".into(), "999".into()];
        let mut r = run("2021-03-01", "2021-02-01");
        r.hours_total = Some(-3);
        r.cost = "paid".into();
        r.price = "10".into();
        r.currency = "XYZ".into();
        c.runs.push(r);
        let codes: Vec<(&str, &str)> = c
            .validate(crate::observatory::current())
            .iter()
            .map(|e| (e.field, e.code))
            .collect();
        assert_eq!(
            codes,
            vec![
                ("subjects", "unknown_subject"),
                ("languages", "unknown_language"),
                ("url", "invalid_url"),
                ("run_end", "end_before_start"),
                ("hours_total", "negative"),
                ("currency", "unknown_currency"),
            ]
        );
        assert!(course().validate(crate::observatory::current()).is_empty());
    }

    #[test]
    fn vocabularies_ship_with_labels() {
        assert_eq!(isced_field("071").unwrap().parent.as_deref(), Some("07"));
        assert!(
            isced().iter().all(|f| !f.label_es.is_empty()
                && !f.label_en.is_empty()
                && !f.label_pt.is_empty())
        );
        assert!(CURRENCIES.windows(2).all(|w| w[0] < w[1]));
        assert!(LANGUAGES.windows(2).all(|w| w[0] < w[1]));
        assert!(valid_price("12.50") && !valid_price("12.") && !valid_price("-1"));
    }
}

/// Windows of days kept per course for one availability value: at most
/// [`WINDOW_SLOTS`] (`from`, `until`) pairs of `YYYY-MM-DD` days, the latest
/// windows first; with `more`, the last slot is the hull of every earlier
/// window and only the runs can tell whether a day inside it qualifies.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Windows {
    pub slots: Vec<(String, String)>,
    pub more: bool,
}

/// Window slots per availability value on the `course` row.
pub const WINDOW_SLOTS: usize = 3;
/// The earliest and latest days of an open-ended window.
pub const DAY_MIN: &str = "0001-01-01";
pub const DAY_MAX: &str = "9999-12-31";

/// The dates of a course that decide its availability at any day, so the
/// finder filters with range conditions on the course alone (the store keeps
/// them as columns, written with the course): `open` and `soon` are the
/// days at which the course is open now / starting soon, `self_paced_until`
/// the last day a self-paced run is available, `last_end` the end of its
/// last run when every run has an end (archived after it), `starts` its
/// latest distinct starts, newest first (with `starts_more`, there are
/// older ones).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AvailabilityDates {
    pub open: Windows,
    pub soon: Windows,
    pub self_paced_until: Option<String>,
    pub last_end: Option<String>,
    pub starts: Vec<String>,
    pub starts_more: bool,
}

fn day_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn windows(mut w: Vec<(NaiveDate, NaiveDate)>) -> Windows {
    w.retain(|(a, b)| a <= b);
    w.sort();
    let mut merged: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    for (a, b) in w {
        match merged.last_mut() {
            Some(last) if a <= last.1.succ_opt().unwrap_or(last.1) => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    let more = merged.len() > WINDOW_SLOTS;
    let mut slots: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    while slots.len() + 1 < WINDOW_SLOTS
        && let Some(last) = merged.pop()
    {
        slots.push(last);
    }
    if !merged.is_empty() {
        let from = merged[0].0;
        let until = merged.iter().map(|x| x.1).max().unwrap_or(from);
        slots.push((from, until));
    }
    Windows {
        slots: slots
            .into_iter()
            .map(|(a, b)| (day_text(a), day_text(b)))
            .collect(),
        more,
    }
}

impl Course {
    /// The dates that decide the course's availability at any day (see
    /// [`AvailabilityDates`]); `availability(today)` and the store's range
    /// conditions on them agree (a store test checks it).
    pub fn availability_dates(&self) -> AvailabilityDates {
        let w = self.availability_windows();
        let soon: Vec<(NaiveDate, NaiveDate)> = w
            .starts
            .iter()
            .map(|s| (*s - chrono::Duration::days(SOON_DAYS), *s))
            .collect();
        let mut starts = w.starts;
        starts.sort_unstable_by(|a, b| b.cmp(a));
        let starts_more = starts.len() > WINDOW_SLOTS;
        starts.truncate(WINDOW_SLOTS);
        AvailabilityDates {
            open: windows(w.open),
            soon: windows(soon),
            self_paced_until: w.self_paced_until.map(day_text),
            last_end: w.last_end.map(day_text),
            starts: starts.into_iter().map(day_text).collect(),
            starts_more,
        }
    }

    /// Every window of days at which the course is open now (one per run,
    /// not cut to slots), its distinct run starts (ascending), the last day
    /// a self-paced run is available and the end of its last run when every
    /// run has an end: what decides its availability at any day, kept whole
    /// by the search index's course finder.
    pub fn availability_windows(&self) -> AvailabilityWindows {
        let min = NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or_default();
        let max = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or_default();
        let mut open = Vec::new();
        let mut self_paced_until: Option<NaiveDate> = None;
        let mut last_end: Option<NaiveDate> = None;
        let mut every_end = !self.runs.is_empty();
        let mut starts: Vec<NaiveDate> = Vec::new();
        for r in &self.runs {
            let start = parse_day(&r.run_start);
            let end = parse_day(&r.run_end);
            match end {
                Some(e) => last_end = Some(last_end.map_or(e, |l| l.max(e))),
                None => every_end = false,
            }
            let end_or_max = end.unwrap_or(max);
            if r.self_paced() {
                open.push((start.unwrap_or(min), end_or_max));
                self_paced_until = Some(self_paced_until.map_or(end_or_max, |u| u.max(end_or_max)));
            } else if let Some(s) = start {
                let closes = parse_day(&r.enrolment_end).unwrap_or(s);
                let opens = parse_day(&r.enrolment_start).unwrap_or(min);
                open.push((opens, closes.min(end_or_max)));
            }
            if let Some(s) = start {
                starts.push(s);
            }
        }
        open.retain(|(a, b)| a <= b);
        open.sort_unstable();
        open.dedup();
        starts.sort_unstable();
        starts.dedup();
        AvailabilityWindows {
            open,
            starts,
            self_paced_until,
            last_end: if every_end { last_end } else { None },
        }
    }
}

/// What decides a course's availability at any day, whole
/// ([`Course::availability_windows`]): open now when a day falls in one of
/// `open`; starting soon when a start is within [`SOON_DAYS`] days of it;
/// self-paced while the day is at most `self_paced_until`; archived after
/// `last_end`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AvailabilityWindows {
    pub open: Vec<(NaiveDate, NaiveDate)>,
    pub starts: Vec<NaiveDate>,
    pub self_paced_until: Option<NaiveDate>,
    pub last_end: Option<NaiveDate>,
}

impl AvailabilityWindows {
    /// The availability values at `today`, in [`AVAILABILITY`] order.
    pub fn at(&self, today: NaiveDate) -> Vec<&'static str> {
        let soon = today + chrono::Duration::days(SOON_DAYS);
        let mut out = Vec::new();
        if self.open.iter().any(|(a, b)| *a <= today && today <= *b) {
            out.push("open_now");
        }
        if self.starts.iter().any(|s| *s >= today && *s <= soon) {
            out.push("starting_soon");
        }
        if self.self_paced_until.is_some_and(|u| u >= today) {
            out.push("self_paced");
        }
        if self.last_end.is_some_and(|e| e < today) {
            out.push("archived");
        }
        out
    }
}

#[cfg(test)]
mod availability_dates_tests {
    use super::*;

    fn run(pacing: &str, start: &str, end: &str, es: &str, ee: &str) -> CourseRun {
        CourseRun {
            run_id: "r".into(),
            run_start: start.into(),
            run_end: end.into(),
            enrolment_start: es.into(),
            enrolment_end: ee.into(),
            pacing: pacing.into(),
            ..Default::default()
        }
    }

    /// What the store's conditions compute from the dates, in Rust.
    fn from_dates(d: &AvailabilityDates, today: NaiveDate, c: &Course) -> Vec<&'static str> {
        let t = day_text(today);
        let inside = |w: &Windows, exact: &dyn Fn() -> bool| {
            w.slots.iter().enumerate().any(|(i, (a, b))| {
                *a <= t && t <= *b && (!(w.more && i + 1 == w.slots.len()) || exact())
            })
        };
        let mut out = Vec::new();
        if inside(&d.open, &|| {
            c.runs.iter().any(|r| r.status(today) == RunStatus::Open)
        }) {
            out.push("open_now");
        }
        if inside(&d.soon, &|| c.runs.iter().any(|r| r.starting_soon(today))) {
            out.push("starting_soon");
        }
        if d.self_paced_until.as_ref().is_some_and(|u| *u >= t) {
            out.push("self_paced");
        }
        if d.last_end.as_ref().is_some_and(|e| *e < t) {
            out.push("archived");
        }
        out
    }

    #[test]
    fn dates_decide_availability_like_the_runs() {
        let runs = [
            run("instructor_led", "2024-03-01", "2024-04-01", "", ""),
            run(
                "instructor_led",
                "2024-06-01",
                "2024-07-01",
                "2024-05-01",
                "2024-06-05",
            ),
            run("instructor_led", "2024-09-01", "", "2024-08-20", ""),
            run(
                "instructor_led",
                "2025-01-10",
                "2025-02-01",
                "2024-12-01",
                "2024-12-20",
            ),
            run("self_paced", "2024-10-01", "2024-11-15", "", ""),
            run("self_paced", "", "", "", ""),
            run("instructor_led", "", "", "", ""),
        ];
        // Every subset of up to 4 runs, at every day of 2023-12 … 2025-03.
        let n = runs.len();
        for mask in 0u32..(1 << n) {
            if mask.count_ones() > 4 {
                continue;
            }
            let c = Course {
                runs: (0..n)
                    .filter(|i| mask & (1 << i) != 0)
                    .map(|i| runs[i].clone())
                    .collect(),
                ..Default::default()
            };
            let d = c.availability_dates();
            let w = c.availability_windows();
            let mut day = NaiveDate::from_ymd_opt(2023, 12, 1).unwrap();
            while day < NaiveDate::from_ymd_opt(2025, 3, 1).unwrap() {
                assert_eq!(
                    from_dates(&d, day, &c),
                    c.availability(day),
                    "runs {mask:b} at {day}: {d:?}"
                );
                assert_eq!(
                    w.at(day),
                    c.availability(day),
                    "runs {mask:b} at {day}: {w:?}"
                );
                day = day.succ_opt().unwrap();
            }
        }
    }

    #[test]
    fn starts_are_the_latest_first() {
        let c = Course {
            runs: [
                "2024-01-01",
                "2024-09-01",
                "2024-05-01",
                "2024-09-01",
                "2023-01-01",
            ]
            .iter()
            .map(|s| run("instructor_led", s, "", "", ""))
            .collect(),
            ..Default::default()
        };
        let d = c.availability_dates();
        assert_eq!(d.starts, ["2024-09-01", "2024-05-01", "2024-01-01"]);
        assert!(d.starts_more);
        assert_eq!(d.last_end, None);
        assert_eq!(d.soon.slots.len(), WINDOW_SLOTS);
        assert!(d.soon.more);
    }
}
