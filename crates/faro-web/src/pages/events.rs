//! The event series: `/{lang}/events` (sessions by series) and a page per
//! session with the resources that came from it. Registration, attendance
//! and certificates are not built yet.

use super::{OrPage, OrServerError, Page, PageLang, PageResult, render};
use crate::auth::Viewer;
use crate::{AppState, i18n};
use askama::Template;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use faro_domain::Lang;
use faro_domain::events::Session;

/// "Session 4 · 2020-04-23 · title", for lists and links.
pub fn label(lang: Lang, s: &Session) -> String {
    format!(
        "{} · {} · {}",
        i18n::t_args(lang, "session-number", &[("n", (s.number as u64).into())]),
        s.date,
        s.title(lang)
    )
}

pub struct SessionRow {
    pub id: String,
    pub number: u32,
    pub date: String,
    pub title: String,
    /// `lang` attribute when the title is not in the page's language.
    pub title_lang: Option<String>,
}

fn row(lang: Lang, s: &Session) -> SessionRow {
    let tl = s.title_lang(lang);
    SessionRow {
        id: s.id.clone(),
        number: s.number,
        date: s.date.clone(),
        title: s.title(lang).to_string(),
        title_lang: (tl != lang.code()).then(|| tl.to_string()),
    }
}

#[derive(Template)]
#[template(path = "events.html")]
pub struct ListPage {
    pub p: Page,
    pub rows: Vec<SessionRow>,
}

fn event_ld(s: &Session, lang: Lang, url: &str) -> serde_json::Value {
    serde_json::json!({
        "@type": "Event",
        "@id": url,
        "url": url,
        "name": s.title(lang),
        "startDate": s.date,
        "eventAttendanceMode": "https://schema.org/OnlineEventAttendanceMode",
        "location": {"@type": "VirtualLocation", "name": s.channels.join(", ")},
        "position": s.number,
    })
}

pub async fn list(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
) -> PageResult {
    let all = faro_store::events::all(&state.store)
        .await
        .or_500(lang, &uri)?;
    let base = state.config.public_url.trim_end_matches('/').to_string();
    let ld = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "EventSeries",
        "name": i18n::t(lang, "events-title"),
        "inLanguage": lang.code(),
        "subEvent": all.iter().map(|s| event_ld(s, lang, &format!("{base}/{}/events/{}", lang.code(), s.id))).collect::<Vec<_>>(),
    });
    let page = ListPage {
        p: Page::new(lang, &uri, "events").viewer(&viewer).with_ld(ld),
        rows: all.iter().map(|s| row(lang, s)).collect(),
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "session.html")]
pub struct SessionPage {
    pub p: Page,
    pub s: SessionRow,
    pub channels: Vec<String>,
    pub resources: Vec<super::knowledge::Row>,
    pub notes: String,
}

pub async fn session(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
) -> PageResult {
    let s = faro_store::events::get(&state.store, &id)
        .await
        .or_page(lang, &uri)?;
    let (linked, _) = faro_store::knowledge::related(
        &state.store,
        "session",
        &s.id,
        faro_store::list::MAX_PER_PAGE,
    )
    .await
    .or_500(lang, &uri)?;
    let names = super::observatory::acronyms(
        &state,
        linked
            .iter()
            .flat_map(|r| r.resource.institutions.iter().cloned()),
    )
    .await
    .or_500(lang, &uri)?;
    let resources = linked
        .iter()
        .map(|r| super::knowledge::row(lang, &r.resource, &names))
        .collect();
    let url = format!(
        "{}/{}/events/{}",
        state.config.public_url.trim_end_matches('/'),
        lang.code(),
        s.id
    );
    let mut ld = event_ld(&s, lang, &url);
    ld["@context"] = serde_json::json!("https://schema.org");
    let page = SessionPage {
        p: Page::new(lang, &uri, "events").viewer(&viewer).with_ld(ld),
        channels: s
            .channels
            .iter()
            .map(|c| i18n::t(lang, &format!("channel-{}", c.replace('_', "-"))))
            .collect(),
        resources,
        notes: s.notes.clone(),
        s: row(lang, &s),
    };
    Ok(render(StatusCode::OK, &page))
}
