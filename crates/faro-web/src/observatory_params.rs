//! Observatory filters from a query string (repeatable), for pages and API.

use crate::params::ParamError;
use faro_store::observatory::{FACETS, Filter};

pub fn parse(pairs: &[(String, String)]) -> Result<(Filter, u64, u64), ParamError> {
    let mut f = Filter::default();
    let mut page = 1;
    let mut per_page = 50;
    let mut seen = Vec::new();
    for (k, v) in pairs {
        let v = v.trim();
        if matches!(k.as_str(), "page" | "per_page") {
            if seen.contains(k) {
                return Err(ParamError::new(k, "malformed_query", v));
            }
            seen.push(k.clone());
            let n: u64 = v
                .parse()
                .map_err(|_| ParamError::new(k, "invalid_number", v))?;
            let max = if k == "page" { 100_000 } else { 500 };
            if !(1..=max).contains(&n) {
                return Err(ParamError::new(k, "invalid_number", v));
            }
            if k == "page" {
                page = n
            } else {
                per_page = n
            }
            continue;
        }
        if !FACETS.contains(&k.as_str()) || v.is_empty() {
            continue;
        }
        if v.chars().count() > crate::api::doc::FACET_MAX_CHARS || v.chars().any(char::is_control) {
            return Err(ParamError::new(k, "invalid_facet", v));
        }
        let value = if k == "country" && v != "none" {
            v.to_ascii_uppercase()
        } else {
            v.to_string()
        };
        let list = match k.as_str() {
            "country" => &mut f.country,
            "institution" => &mut f.institution,
            "category" => &mut f.category,
            "target_group" => &mut f.target_group,
            "status" => &mut f.status,
            _ => &mut f.year,
        };
        if !list.contains(&value) {
            list.push(value);
        }
    }
    Ok((f, page, per_page))
}
