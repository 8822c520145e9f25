//! `/{lang}/search`: one search over every record type, as a plain form.

use super::{OrBadRequest, OrServerError, Page, PageError, PageLang, PageResult, render};
use crate::auth::Viewer;
pub use crate::toolkit::{FacetGroup, FacetLink, escape};
use crate::toolkit::{page_href, prev_next, toggle_href};
use crate::{AppState, i18n};
use askama::Template;
use axum::extract::{OriginalUri, Query, State};
use axum::http::StatusCode;
use faro_domain::{Lang, country};

pub struct HitView {
    pub href: String,
    pub title: String,
    pub title_lang: Option<&'static str>,
    pub type_label: String,
    /// "SENA · Colombia": who and where, so that records with the same
    /// title can be told apart.
    pub context: String,
    /// Escaped HTML with `<mark>` around matches.
    pub snippet_html: String,
}

#[derive(Template)]
#[template(path = "search.html")]
pub struct SearchPage {
    pub p: Page,
    pub q: String,
    pub sort_date: bool,
    pub total: u64,
    pub hits: Vec<HitView>,
    pub facets: Vec<FacetGroup>,
    pub active: Vec<FacetLink>,
    pub page: usize,
    pub pages: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub truncated: bool,
    pub unavailable: bool,
    /// Current facet filters, kept as hidden fields when the text changes.
    pub filters: Vec<(String, String)>,
}

/// Escaped snippet with the highlighted byte ranges wrapped in `<mark>`.
pub fn snippet_html(s: &faro_search::Snippet) -> String {
    let mut out = String::new();
    let mut pos = 0;
    for &(a, b) in &s.highlights {
        if a < pos || b > s.text.len() || !s.text.is_char_boundary(a) || !s.text.is_char_boundary(b)
        {
            continue;
        }
        out.push_str(&escape(&s.text[pos..a]));
        out.push_str("<mark>");
        out.push_str(&escape(&s.text[a..b]));
        out.push_str("</mark>");
        pos = b;
    }
    out.push_str(&escape(&s.text[pos..]));
    out
}

pub fn facet_label(lang: Lang, facet: &str, value: &str) -> String {
    match facet {
        "type" => i18n::t(lang, &format!("search-type-{value}")),
        "country" => country::by_code(value)
            .map(|c| c.name(lang).to_string())
            .unwrap_or_else(|| value.to_string()),
        "language" => Lang::from_code(value)
            .map(|l| i18n::t(lang, &format!("lang-{}", l.code())))
            .unwrap_or_else(|| value.to_string()),
        _ => value.to_string(),
    }
}

/// The best title for `lang` and the language it is in.
pub fn pick_title(titles: &[(Lang, String)], lang: Lang) -> (String, Lang) {
    match titles
        .iter()
        .find(|(l, _)| *l == lang)
        .or_else(|| titles.first())
    {
        Some((l, t)) => (t.clone(), *l),
        None => (String::new(), lang),
    }
}

pub async fn search_page(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    query: Result<Query<Vec<(String, String)>>, axum::extract::rejection::QueryRejection>,
) -> PageResult {
    let Ok(Query(pairs)) = query else {
        return Err(PageError::malformed_query(lang, &uri));
    };
    let parsed = crate::search_params::parse(&pairs, 20).or_400(lang, &uri)?;
    let p = Page::new(lang, &uri, "search").viewer(&viewer);
    let Some(index) = state.search.clone() else {
        let page = SearchPage {
            p,
            q: parsed.q,
            sort_date: false,
            total: 0,
            hits: vec![],
            facets: vec![],
            active: vec![],
            page: 1,
            pages: 1,
            prev: None,
            next: None,
            truncated: false,
            unavailable: true,
            filters: vec![],
        };
        return Ok(render(StatusCode::SERVICE_UNAVAILABLE, &page));
    };
    let mut req = parsed.req.clone();
    req.lang = Some(lang);
    let results = tokio::task::spawn_blocking(move || index.search(&req))
        .await
        .or_500(lang, &uri)?
        .or_500(lang, &uri)?;
    let base = format!("/{}/search", lang.code());
    // Pairs without page, to build facet and pager links.
    let kept: Vec<(String, String)> = pairs
        .iter()
        .filter(|(k, v)| k != "page" && !v.trim().is_empty())
        .cloned()
        .collect();
    // Labels people read: institutions by acronym, categories with their
    // name (the values stay ids and codes in links and the API).
    let mut wanted: Vec<String> = results
        .facets
        .iter()
        .filter(|(n, _)| n == "institution")
        .flat_map(|(_, vs)| vs.iter().take(15).map(|(v, _)| v.clone()))
        .collect();
    wanted.extend(
        parsed
            .req
            .filters
            .iter()
            .filter(|(f, _)| f == "institution")
            .map(|(_, v)| v.clone()),
    );
    let acronyms = faro_store::institutions::acronyms(&state.store, &wanted)
        .await
        .or_500(lang, &uri)?;
    let cb = faro_domain::observatory::current();
    let label = |name: &str, v: &str| -> String {
        match name {
            "institution" => acronyms.get(v).cloned().unwrap_or_else(|| v.to_string()),
            "category" => cb
                .get(v)
                .map(|c| format!("{} {}", c.code, c.label(lang)))
                .unwrap_or_else(|| v.to_string()),
            _ => facet_label(lang, name, v),
        }
    };
    let mut facets = Vec::new();
    for (name, values) in &results.facets {
        if values.is_empty() {
            continue;
        }
        let links = values
            .iter()
            .take(15)
            .map(|(v, c)| {
                let active = parsed.req.filters.iter().any(|(f, x)| f == name && x == v);
                FacetLink {
                    label: label(name, v),
                    count: *c,
                    href: toggle_href(&base, &kept, name, v, active),
                    active,
                }
            })
            .collect();
        facets.push(FacetGroup {
            label: i18n::t(lang, &format!("search-facet-{name}")),
            name: name.clone(),
            links,
        });
    }
    let active = parsed
        .req
        .filters
        .iter()
        .map(|(f, v)| FacetLink {
            label: format!(
                "{}: {}",
                i18n::t(lang, &format!("search-facet-{f}")),
                label(f, v)
            ),
            count: 0,
            href: toggle_href(&base, &kept, f, v, true),
            active: true,
        })
        .collect();
    let hit_institutions: Vec<String> = results
        .hits
        .iter()
        .flat_map(|h| h.institutions.iter().take(3).cloned())
        .collect();
    let hit_acronyms = faro_store::institutions::acronyms(&state.store, &hit_institutions)
        .await
        .or_500(lang, &uri)?;
    let hits = results
        .hits
        .iter()
        .map(|h| {
            let (title, tl) = pick_title(&h.titles, lang);
            let mut context: Vec<String> = Vec::new();
            if h.record_type != "institution" {
                context.extend(
                    h.institutions
                        .iter()
                        .take(3)
                        .map(|i| hit_acronyms.get(i).cloned().unwrap_or_else(|| i.clone())),
                );
            }
            context.extend(
                h.countries
                    .iter()
                    .take(3)
                    .map(|c| facet_label(lang, "country", c)),
            );
            HitView {
                context: context.join(" · "),
                href: format!("/{}{}", lang.code(), h.path),
                title,
                title_lang: (tl != lang).then(|| tl.code()),
                type_label: i18n::t(lang, &format!("search-type-{}", h.record_type)),
                snippet_html: h.snippet.as_ref().map(snippet_html).unwrap_or_default(),
            }
        })
        .collect();
    let per = parsed.req.per_page.max(1);
    let pages = (results.total as usize).div_ceil(per).clamp(1, 500);
    let page = parsed.req.page;
    let (prev, next) = prev_next(page, pages, |n| page_href(&base, &kept, n));
    let view = SearchPage {
        p,
        q: parsed.q.clone(),
        sort_date: parsed.req.sort == faro_search::Sort::Date,
        total: results.total,
        hits,
        facets,
        active,
        page,
        pages,
        prev,
        next,
        truncated: results.ignored_terms > 0 && !parsed.q.trim().is_empty(),
        unavailable: false,
        filters: parsed.req.filters.clone(),
    };
    Ok(render(StatusCode::OK, &view))
}
