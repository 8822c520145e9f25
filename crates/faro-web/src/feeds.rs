//! Atom (RFC 4287) and sitemaps (sitemaps.org) for harvesters and search
//! engines. Written by hand with escaping; read back by outside parsers in
//! the tests (feedparser, an XML parser).

use crate::AppState;
use crate::pages::search::escape;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use faro_domain::Lang;
use std::fmt::Write;

fn xml(body: String, content_type: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type)], body).into_response()
}

fn fail(e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "feed failed");
    (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
}

/// `/feeds/resources.atom`: the newest resources; takes the same filters as
/// `/{lang}/resources` (and `lang` for titles).
pub async fn resources_atom(
    State(state): State<AppState>,
    q: Result<Query<Vec<(String, String)>>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Ok(Query(pairs)) = q else {
        return (StatusCode::BAD_REQUEST, "malformed query string").into_response();
    };
    let lang = lang_of(&pairs);
    let wanted = match crate::pages::knowledge::parse(&pairs) {
        Ok(w) => w,
        Err(e) => return (StatusCode::BAD_REQUEST, e.message()).into_response(),
    };
    // The newest 50: a feed shows what changed, the list and OAI-PMH the rest.
    let items = match faro_store::knowledge::page_only(
        &state.store,
        &wanted,
        faro_store::list::PageReq::new(1, 50),
        false,
    )
    .await
    {
        Ok(v) => v.0,
        Err(e) => return fail(e),
    };
    let base = state.config.public_url.trim_end_matches('/');
    let updated = items
        .iter()
        .map(|s| s.updated_at)
        .max()
        .unwrap_or_else(chrono::Utc::now);
    let mut out = String::new();
    feed_head(
        &mut out,
        &crate::i18n::t(lang, "kb-title"),
        base,
        "/feeds/resources.atom",
        &format!("/{}/resources", lang.code()),
        updated,
    );
    for s in items.iter().take(50) {
        let r = &s.resource;
        let page = format!("{base}/{}/resources/{}", lang.code(), r.id);
        let _ = writeln!(out, "<entry>");
        let _ = writeln!(out, "<title>{}</title>", escape(r.title(lang)));
        let _ = writeln!(out, "<id>{base}/resources/{}</id>", escape(&r.id));
        let _ = writeln!(
            out,
            "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            escape(&page)
        );
        if !r.url.is_empty() {
            let _ = writeln!(out, "<link rel=\"related\" href=\"{}\"/>", escape(&r.url));
        }
        let _ = writeln!(
            out,
            "<updated>{}</updated>",
            s.updated_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        );
        let _ = writeln!(
            out,
            "<published>{}</published>",
            s.created_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        );
        let _ = writeln!(out, "<category term=\"{}\"/>", escape(&r.resource_type));
        for t in &r.topics {
            let _ = writeln!(out, "<category term=\"{}\"/>", escape(t));
        }
        let _ = writeln!(out, "<summary>{}</summary>", escape(r.description(lang)));
        let _ = writeln!(out, "</entry>");
    }
    out.push_str("</feed>\n");
    xml(out, "application/atom+xml; charset=utf-8")
}

/// `/feeds/courses.atom`: the newest courses; takes the same filters as
/// `/{lang}/courses` (availability at the server's day) and `lang` for
/// titles.
pub async fn courses_atom(
    State(state): State<AppState>,
    q: Result<Query<Vec<(String, String)>>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Ok(Query(pairs)) = q else {
        return (StatusCode::BAD_REQUEST, "malformed query string").into_response();
    };
    let lang = lang_of(&pairs);
    let wanted = match crate::pages::courses::parse(&pairs) {
        Ok((w, _)) => w,
        Err(e) => return (StatusCode::BAD_REQUEST, e.message()).into_response(),
    };
    let items = match crate::finder::courses(
        &state,
        &wanted,
        "",
        faro_store::list::PageReq::new(1, 50),
        state.config.today(),
        faro_store::courses::Sort::Newest,
    )
    .await
    {
        Ok(v) => v.listed.items,
        Err(e) => return fail(e),
    };
    let base = state.config.public_url.trim_end_matches('/');
    let query: String = wanted
        .iter()
        .map(|(k, v)| format!("&{}={}", urlencoding(k), urlencoding(v)))
        .collect();
    let updated = items
        .iter()
        .map(|s| s.created_at)
        .max()
        .unwrap_or_else(chrono::Utc::now);
    let alt = if query.is_empty() {
        String::new()
    } else {
        format!("?{}", &query[1..])
    };
    let mut out = String::new();
    feed_head(
        &mut out,
        &crate::i18n::t(lang, "course-feed-title"),
        base,
        &format!("/feeds/courses.atom?lang={}{query}", lang.code()),
        &format!("/{}/courses{alt}", lang.code()),
        updated,
    );
    for s in &items {
        let c = &s.course;
        let page = format!("{base}/{}/courses/{}", lang.code(), c.id);
        let _ = writeln!(out, "<entry>");
        let _ = writeln!(out, "<title>{}</title>", escape(c.title(lang)));
        let _ = writeln!(out, "<id>{base}/courses/{}</id>", escape(&c.id));
        let _ = writeln!(
            out,
            "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            escape(&page)
        );
        if !c.url.is_empty() {
            let _ = writeln!(out, "<link rel=\"related\" href=\"{}\"/>", escape(&c.url));
        }
        // A new course is a new entry: its creation is the time it appeared.
        let _ = writeln!(
            out,
            "<updated>{}</updated>",
            s.updated_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        );
        let _ = writeln!(
            out,
            "<published>{}</published>",
            s.created_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        );
        for t in c.subjects.iter().chain(&c.languages) {
            let _ = writeln!(out, "<category term=\"{}\"/>", escape(t));
        }
        let _ = writeln!(out, "<summary>{}</summary>", escape(c.description(lang)));
        let _ = writeln!(out, "</entry>");
    }
    out.push_str("</feed>\n");
    xml(out, "application/atom+xml; charset=utf-8")
}

fn urlencoding(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Records per sitemap file: three URLs each (es/en/pt), so a file holds
/// at most 48,000 URLs (the protocol's limit is 50,000).
pub const SITEMAP_RECORDS: u64 = 16_000;

/// The areas of the sitemap: (name, table, condition for public records,
/// page path before the id).
const SITEMAP_AREAS: [(&str, &str, &str, &str); 5] = [
    (
        "institutions",
        "institution",
        "t.deleted_at IS NULL",
        "institutions",
    ),
    (
        "measures",
        "measure",
        faro_store::observatory::AREA.base,
        "observatory/measures",
    ),
    ("resources", "resource", "t.deleted_at IS NULL", "resources"),
    ("events", "event_session", "1 = 1", "events"),
    (
        "courses",
        "course",
        faro_store::courses::AREA.base,
        "courses",
    ),
];

/// `/sitemap.xml`: a sitemap index of files of at most 48,000 URLs: the
/// site's fixed pages, then each area's records in slices.
pub async fn sitemap(State(state): State<AppState>) -> Response {
    let base = state.config.public_url.trim_end_matches('/').to_string();
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let _ = writeln!(
        out,
        "<sitemap><loc>{}</loc></sitemap>",
        escape(&format!("{base}/sitemaps/pages.xml"))
    );
    for (name, table, cond, _) in SITEMAP_AREAS {
        let total = match faro_store::list::id_slice(&state.store, table, cond, 0, 0).await {
            Ok((_, n)) => n,
            Err(e) => return fail(e),
        };
        for n in 0..total.div_ceil(SITEMAP_RECORDS) {
            let _ = writeln!(
                out,
                "<sitemap><loc>{}</loc></sitemap>",
                escape(&format!("{base}/sitemaps/{name}-{}.xml", n + 1))
            );
        }
    }
    out.push_str("</sitemapindex>\n");
    xml(out, "application/xml; charset=utf-8")
}

/// `/sitemaps/{file}`: `pages.xml` or `{area}-{n}.xml`.
pub async fn sitemap_file(
    State(state): State<AppState>,
    axum::extract::Path(file): axum::extract::Path<String>,
) -> Response {
    let base = state.config.public_url.trim_end_matches('/');
    let Some(stem) = file.strip_suffix(".xml") else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut pages: Vec<(String, Option<chrono::DateTime<chrono::Utc>>)> = Vec::new();
    if stem == "pages" {
        pages.extend(
            [
                "",
                "institutions",
                "observatory",
                "observatory/codebook",
                "observatory/charts",
                "observatory/corrections",
                "resources",
                "courses",
                "events",
                "search",
            ]
            .iter()
            .map(|p| (p.to_string(), None)),
        );
    } else {
        let Some((name, n)) = stem.rsplit_once('-') else {
            return StatusCode::NOT_FOUND.into_response();
        };
        let Some((_, table, cond, path)) = SITEMAP_AREAS.iter().find(|a| a.0 == name) else {
            return StatusCode::NOT_FOUND.into_response();
        };
        let Some(n) = n.parse::<u64>().ok().filter(|n| (1..=100_000).contains(n)) else {
            return StatusCode::NOT_FOUND.into_response();
        };
        let ids = match faro_store::list::id_slice(
            &state.store,
            table,
            cond,
            (n - 1) * SITEMAP_RECORDS,
            SITEMAP_RECORDS,
        )
        .await
        {
            Ok((ids, _)) => ids,
            Err(e) => return fail(e),
        };
        if ids.is_empty() {
            return StatusCode::NOT_FOUND.into_response();
        }
        pages.extend(ids.into_iter().map(|id| (format!("{path}/{id}"), None)));
    }
    let today = chrono::Utc::now();
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for (path, lastmod) in pages {
        for lang in Lang::ALL {
            let _ = writeln!(
                out,
                "<url><loc>{}</loc><lastmod>{}</lastmod>",
                escape(&format!("{base}/{}/{path}", lang.code())),
                lastmod.unwrap_or(today).format("%Y-%m-%d")
            );
            for alt in Lang::ALL {
                let _ = writeln!(
                    out,
                    "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                    alt.code(),
                    escape(&format!("{base}/{}/{path}", alt.code()))
                );
            }
            out.push_str("</url>\n");
        }
    }
    out.push_str("</urlset>\n");
    xml(out, "application/xml; charset=utf-8")
}

/// The head of an Atom feed.
fn feed_head(
    out: &mut String,
    title: &str,
    base: &str,
    self_path: &str,
    html: &str,
    updated: chrono::DateTime<chrono::Utc>,
) {
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    let _ = writeln!(out, "<title>{}</title>", escape(title));
    let _ = writeln!(out, "<id>{base}{}</id>", escape(self_path));
    let _ = writeln!(
        out,
        "<link rel=\"self\" href=\"{base}{}\"/>",
        escape(self_path)
    );
    let _ = writeln!(
        out,
        "<link rel=\"alternate\" type=\"text/html\" href=\"{base}{}\"/>",
        escape(html)
    );
    let _ = writeln!(
        out,
        "<updated>{}</updated>",
        updated.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    );
    let _ = writeln!(out, "<author><name>ILO/Cinterfor network</name></author>");
}

fn lang_of(pairs: &[(String, String)]) -> Lang {
    pairs
        .iter()
        .find(|(k, _)| k == "lang")
        .and_then(|(_, v)| Lang::from_code(v))
        .unwrap_or(Lang::En)
}

/// `/feeds/measures.atom`: the newest new or changed published measures
/// (50), under the observatory's filters (`country`, `institution`,
/// `category`, `target_group`, `year`; repeatable) and `lang` for titles.
pub async fn measures_atom(
    State(state): State<AppState>,
    q: Result<Query<Vec<(String, String)>>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Ok(Query(pairs)) = q else {
        return (StatusCode::BAD_REQUEST, "malformed query string").into_response();
    };
    let lang = lang_of(&pairs);
    let (filter, _, _) = match crate::observatory_params::parse(&pairs) {
        Ok(v) => v,
        Err(e) => return (StatusCode::BAD_REQUEST, e.message()).into_response(),
    };
    let items = match faro_store::observatory::newest(&state.store, &filter, 50).await {
        Ok(v) => v,
        Err(e) => return fail(e),
    };
    let base = state.config.public_url.trim_end_matches('/');
    let updated = items
        .iter()
        .map(|(_, _, u)| *u)
        .max()
        .unwrap_or_else(chrono::Utc::now);
    let query: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", urlencoding(k), urlencoding(v)))
        .collect();
    let suffix = if query.is_empty() {
        String::new()
    } else {
        format!("?{}", query.join("&"))
    };
    let mut out = String::new();
    feed_head(
        &mut out,
        &crate::i18n::t(lang, "obs-title"),
        base,
        &format!("/feeds/measures.atom{suffix}"),
        &format!("/{}/observatory{suffix}", lang.code()),
        updated,
    );
    for (m, created, changed) in &items {
        let page = format!("{base}/{}/observatory/measures/{}", lang.code(), m.id);
        let _ = writeln!(out, "<entry>");
        let _ = writeln!(out, "<title>{}</title>", escape(m.title(lang)));
        let _ = writeln!(
            out,
            "<id>{base}/observatory/measures/{}</id>",
            escape(&m.id)
        );
        let _ = writeln!(
            out,
            "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            escape(&page)
        );
        let _ = writeln!(
            out,
            "<updated>{}</updated>",
            changed.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        );
        let _ = writeln!(
            out,
            "<published>{}</published>",
            created.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        );
        for c in &m.categories {
            let _ = writeln!(out, "<category term=\"{}\"/>", escape(c));
        }
        let _ = writeln!(out, "<summary>{}</summary>", escape(m.description(lang)));
        let _ = writeln!(out, "</entry>");
    }
    out.push_str("</feed>\n");
    xml(out, "application/atom+xml; charset=utf-8")
}

/// `/feeds/corrections.atom`: the newest accepted corrections (50): what a
/// visitor reported, the coordinator's note and the measure it changed.
/// Contact addresses, clients and who decided are never in it.
pub async fn corrections_atom(
    State(state): State<AppState>,
    q: Result<Query<Vec<(String, String)>>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Ok(Query(pairs)) = q else {
        return (StatusCode::BAD_REQUEST, "malformed query string").into_response();
    };
    let lang = lang_of(&pairs);
    let items = match faro_store::corrections::decided(&state.store, "accepted", 50).await {
        Ok(v) => v,
        Err(e) => return fail(e),
    };
    let base = state.config.public_url.trim_end_matches('/');
    let updated = items
        .iter()
        .filter_map(|c| c.decided_at)
        .max()
        .unwrap_or_else(chrono::Utc::now);
    let mut out = String::new();
    feed_head(
        &mut out,
        &crate::i18n::t(lang, "corrections-title"),
        base,
        "/feeds/corrections.atom",
        &format!("/{}/observatory/corrections", lang.code()),
        updated,
    );
    for c in &items {
        let decided = c.decided_at.unwrap_or(c.created_at);
        let page = format!(
            "{base}/{}/observatory/measures/{}",
            lang.code(),
            c.measure_id
        );
        let title = crate::i18n::t_args(
            lang,
            "corrections-feed-entry",
            &[
                ("id", (c.id as u64).into()),
                ("measure", c.measure_id.clone().into()),
            ],
        );
        let _ = writeln!(out, "<entry>");
        let _ = writeln!(out, "<title>{}</title>", escape(&title));
        let _ = writeln!(out, "<id>{base}/observatory/corrections/{}</id>", c.id);
        let _ = writeln!(
            out,
            "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            escape(&page)
        );
        if !c.source_url.is_empty() {
            let _ = writeln!(
                out,
                "<link rel=\"related\" href=\"{}\"/>",
                escape(&c.source_url)
            );
        }
        let _ = writeln!(
            out,
            "<updated>{}</updated>",
            decided.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        );
        let _ = writeln!(
            out,
            "<published>{}</published>",
            c.created_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        );
        let summary = if c.decision.is_empty() {
            c.what.clone()
        } else {
            format!("{} — {}", c.what, c.decision)
        };
        let _ = writeln!(out, "<summary>{}</summary>", escape(&summary));
        let _ = writeln!(out, "</entry>");
    }
    out.push_str("</feed>\n");
    xml(out, "application/atom+xml; charset=utf-8")
}
