//! The search query string, shared by `/{lang}/search` and `/api/v1/search`.

use crate::params::ParamError;
use faro_search::{FACETS, SearchRequest, Sort};

/// Longest accepted query text; longer text is refused with a message
/// (the engine itself only ever uses the first words).
pub const MAX_Q_BYTES: usize = 10 * 1024;

#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub req: SearchRequest,
    pub q: String,
}

fn number(name: &str, v: &str, max: usize) -> Result<usize, ParamError> {
    match v.trim().parse::<usize>() {
        Ok(n) if (1..=max).contains(&n) => Ok(n),
        _ => Err(ParamError::new(name, "invalid_number", v)),
    }
}

/// Reads `q`, the facet filters (repeatable), `sort`, `page`, `per_page`.
pub fn parse(pairs: &[(String, String)], default_per_page: usize) -> Result<Parsed, ParamError> {
    let mut p = Parsed::default();
    p.req.page = 1;
    p.req.per_page = default_per_page;
    p.req.snippets = true;
    let mut seen_scalar: Vec<&str> = Vec::new();
    for (k, v) in pairs {
        let k = k.as_str();
        if matches!(k, "q" | "sort" | "page" | "per_page") {
            if seen_scalar.contains(&k) {
                return Err(ParamError::new(k, "malformed_query", v));
            }
            seen_scalar.push(k);
        }
        match k {
            "q" => {
                if v.len() > MAX_Q_BYTES {
                    return Err(ParamError::new("q", "query_too_long", ""));
                }
                p.q = v.chars().filter(|c| !c.is_control()).collect();
                p.req.q = p.q.clone();
            }
            "sort" => {
                p.req.sort = match v.as_str() {
                    "" | "relevance" => Sort::Relevance,
                    "date" => Sort::Date,
                    other => return Err(ParamError::new("sort", "invalid_sort", other)),
                }
            }
            "page" => p.req.page = number("page", v, 500)?,
            "per_page" => p.req.per_page = number("per_page", v, 100)?,
            facet if FACETS.contains(&facet) => {
                let v = v.trim();
                if v.is_empty() {
                    continue;
                }
                if v.chars().count() > crate::api::doc::FACET_MAX_CHARS
                    || v.chars().any(char::is_control)
                {
                    return Err(ParamError::new(facet, "invalid_facet", v));
                }
                let value = if facet == "country" {
                    v.to_ascii_uppercase()
                } else {
                    v.to_string()
                };
                if !p.req.filters.iter().any(|(f, x)| f == facet && *x == value) {
                    p.req.filters.push((facet.to_string(), value));
                }
            }
            _ => {}
        }
    }
    if p.req.filters.len() > 30 {
        return Err(ParamError::new("filters", "too_many_filters", ""));
    }
    Ok(p)
}
