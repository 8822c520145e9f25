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
    let lang = pairs
        .iter()
        .find(|(k, _)| k == "lang")
        .and_then(|(_, v)| Lang::from_code(v))
        .unwrap_or(Lang::En);
    let wanted = match crate::pages::knowledge::parse(&pairs) {
        Ok(w) => w,
        Err(e) => return (StatusCode::BAD_REQUEST, e.message()).into_response(),
    };
    let all = match faro_store::knowledge::all(&state.store).await {
        Ok(v) => v,
        Err(e) => return fail(e),
    };
    let (items, _) = faro_store::knowledge::filter(&all, &wanted);
    let base = state.config.public_url.trim_end_matches('/');
    let updated = items
        .iter()
        .map(|s| s.updated_at)
        .max()
        .unwrap_or_else(chrono::Utc::now);
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n",
    );
    let _ = writeln!(
        out,
        "<title>{}</title>",
        escape(&crate::i18n::t(lang, "kb-title"))
    );
    let _ = writeln!(out, "<id>{base}/feeds/resources.atom</id>");
    let _ = writeln!(
        out,
        "<link rel=\"self\" href=\"{base}/feeds/resources.atom\"/>"
    );
    let _ = writeln!(
        out,
        "<link rel=\"alternate\" type=\"text/html\" href=\"{base}/{}/resources\"/>",
        lang.code()
    );
    let _ = writeln!(
        out,
        "<updated>{}</updated>",
        updated.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    );
    let _ = writeln!(out, "<author><name>ILO/Cinterfor network</name></author>");
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

/// `/sitemap.xml`: every public page in the three languages, with `lastmod`
/// and `hreflang` alternates.
pub async fn sitemap(State(state): State<AppState>) -> Response {
    let base = state.config.public_url.trim_end_matches('/').to_string();
    let mut pages: Vec<(String, Option<chrono::DateTime<chrono::Utc>>)> = [
        "",
        "institutions",
        "observatory",
        "observatory/codebook",
        "observatory/charts",
        "observatory/corrections",
        "resources",
        "events",
        "search",
    ]
    .iter()
    .map(|p| (p.to_string(), None))
    .collect();
    match faro_store::institutions::all(&state.store).await {
        Ok(list) => pages.extend(
            list.into_iter()
                .map(|i| (format!("institutions/{}", i.id), None)),
        ),
        Err(e) => return fail(e),
    }
    match faro_store::observatory::all(&state.store).await {
        Ok(list) => pages.extend(
            list.into_iter()
                .map(|m| (format!("observatory/measures/{}", m.id), None)),
        ),
        Err(e) => return fail(e),
    }
    match faro_store::knowledge::all(&state.store).await {
        Ok(list) => pages.extend(
            list.into_iter()
                .map(|s| (format!("resources/{}", s.resource.id), Some(s.updated_at))),
        ),
        Err(e) => return fail(e),
    }
    match faro_store::events::all(&state.store).await {
        Ok(list) => pages.extend(list.into_iter().map(|s| (format!("events/{}", s.id), None))),
        Err(e) => return fail(e),
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
