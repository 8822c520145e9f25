//! Parsing and validating query parameters shared by pages and API.
//! Malformed values become a [`ParamError`] (HTTP 400), never a 500.

use faro_domain::{InstitutionKind, country};
use faro_store::institutions::Filter;
use serde::Deserialize;

/// A rejected query parameter; `code` selects the message (`err-<code>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamError {
    pub param: String,
    pub code: &'static str,
    pub value: String,
}

impl ParamError {
    pub fn new(param: &str, code: &'static str, value: &str) -> Self {
        ParamError {
            param: param.to_string(),
            code,
            value: value.chars().take(60).collect(),
        }
    }

    /// English message for API clients and logs.
    pub fn message(&self) -> String {
        crate::i18n::t_args(
            faro_domain::Lang::En,
            &format!("err-{}", self.code.replace('_', "-")),
            &self.args(),
        )
    }

    pub fn args(&self) -> Vec<(&'static str, crate::i18n::FluentArg)> {
        vec![
            ("param", self.param.clone().into()),
            ("value", self.value.clone().into()),
        ]
    }
}

/// Directory query string, all text so that nothing fails inside serde.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DirectoryQuery {
    /// ISO 3166-1 alpha-2 code, or `none` for organisations without a country.
    #[param(schema_with = crate::api::doc::directory_country)]
    pub country: Option<String>,
    /// Institution kind code, e.g. `training_institution`.
    #[param(schema_with = crate::api::doc::directory_kind)]
    pub kind: Option<String>,
    /// `true` for members of the network, `false` for others.
    #[param(value_type = Option<bool>, example = true)]
    pub member: Option<String>,
    /// `true` for organisations that presented in the 2020 series.
    #[param(value_type = Option<bool>, example = true)]
    pub presenter: Option<String>,
    /// Text contained in the acronym or a name (case-insensitive).
    #[param(schema_with = crate::api::doc::directory_q)]
    pub q: Option<String>,
    /// Page number, from 1.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100000, example = 1)]
    pub page: Option<String>,
    /// Items per page, 1–200 (API only; pages show 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200, example = 50)]
    pub per_page: Option<String>,
}

pub const MAX_PAGE: u64 = 100_000;
pub const MAX_Q: usize = 200;

fn nonempty(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn parse_bool(name: &str, v: &Option<String>) -> Result<Option<bool>, ParamError> {
    match nonempty(v) {
        None => Ok(None),
        Some("true" | "1" | "on" | "yes") => Ok(Some(true)),
        Some("false" | "0" | "no") => Ok(Some(false)),
        Some(other) => Err(ParamError::new(name, "invalid_bool", other)),
    }
}

fn parse_num(name: &str, v: &Option<String>, default: u64, max: u64) -> Result<u64, ParamError> {
    match nonempty(v) {
        None => Ok(default),
        Some(s) => match s.parse::<u64>() {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            _ => Err(ParamError::new(name, "invalid_number", s)),
        },
    }
}

impl DirectoryQuery {
    /// The filter, page and page size, or the first bad parameter.
    pub fn parse(&self, default_per_page: u64) -> Result<(Filter, u64, u64), ParamError> {
        let country = match nonempty(&self.country) {
            None => None,
            Some("none") => Some("none".to_string()),
            Some(c) => {
                let up = c.to_ascii_uppercase();
                if country::by_code(&up).is_none() || c.len() != 2 {
                    return Err(ParamError::new("country", "invalid_country", c));
                }
                Some(up)
            }
        };
        let kind = match nonempty(&self.kind) {
            None => None,
            Some(k) => Some(
                InstitutionKind::from_code(k)
                    .ok_or_else(|| ParamError::new("kind", "invalid_kind", k))?,
            ),
        };
        let q = match nonempty(&self.q) {
            None => None,
            Some(q) if q.chars().count() > MAX_Q => {
                return Err(ParamError::new("q", "query_too_long", q));
            }
            Some(q) => Some(q.chars().filter(|c| !c.is_control()).collect()),
        };
        let filter = Filter {
            country,
            kind,
            member: parse_bool("member", &self.member)?,
            presenter: parse_bool("presenter", &self.presenter)?,
            q,
        };
        let page = parse_num("page", &self.page, 1, MAX_PAGE)?;
        let per_page = parse_num("per_page", &self.per_page, default_per_page, 200)?;
        Ok((filter, page, per_page))
    }
}

/// `page` and `per_page` of a list's query string (each at most once;
/// defaults 1 and `default_per_page`, `per_page` at most
/// [`faro_store::list::MAX_PER_PAGE`]).
pub fn page_and_size(
    pairs: &[(String, String)],
    default_per_page: u64,
) -> Result<(u64, u64), ParamError> {
    let mut page = None;
    let mut per_page = None;
    for (k, v) in pairs {
        let slot = match k.as_str() {
            "page" => &mut page,
            "per_page" => &mut per_page,
            _ => continue,
        };
        if slot.is_some() {
            return Err(ParamError::new(k, "malformed_query", v));
        }
        *slot = Some(v.trim().to_string());
    }
    let page = parse_num("page", &page, 1, MAX_PAGE)?;
    let per_page = parse_num(
        "per_page",
        &per_page,
        default_per_page,
        faro_store::list::MAX_PER_PAGE,
    )?;
    Ok((page, per_page))
}

/// The `page` of a list's query string (pages: a fixed page size).
pub fn page_number(pairs: &[(String, String)]) -> Result<u64, ParamError> {
    page_and_size(pairs, 50).map(|(p, _)| p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        let q = DirectoryQuery {
            country: Some("br".into()),
            kind: Some("university".into()),
            presenter: Some("on".into()),
            page: Some("2".into()),
            ..Default::default()
        };
        let (f, page, per) = q.parse(50).unwrap();
        assert_eq!(f.country.as_deref(), Some("BR"));
        assert_eq!(f.presenter, Some(true));
        assert_eq!((page, per), (2, 50));
        for (q, code) in [
            (
                DirectoryQuery {
                    country: Some("ZZ".into()),
                    ..Default::default()
                },
                "invalid_country",
            ),
            (
                DirectoryQuery {
                    country: Some("BRA".into()),
                    ..Default::default()
                },
                "invalid_country",
            ),
            (
                DirectoryQuery {
                    kind: Some("x".into()),
                    ..Default::default()
                },
                "invalid_kind",
            ),
            (
                DirectoryQuery {
                    page: Some("-1".into()),
                    ..Default::default()
                },
                "invalid_number",
            ),
            (
                DirectoryQuery {
                    page: Some("0".into()),
                    ..Default::default()
                },
                "invalid_number",
            ),
            (
                DirectoryQuery {
                    per_page: Some("9999".into()),
                    ..Default::default()
                },
                "invalid_number",
            ),
            (
                DirectoryQuery {
                    member: Some("maybe".into()),
                    ..Default::default()
                },
                "invalid_bool",
            ),
            (
                DirectoryQuery {
                    q: Some("x".repeat(201)),
                    ..Default::default()
                },
                "query_too_long",
            ),
        ] {
            assert_eq!(q.parse(50).unwrap_err().code, code);
        }
    }
}
