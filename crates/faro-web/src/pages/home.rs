//! `/{lang}/`: the network at a glance and a way into each area.

use super::{OrServerError, Page, PageLang, PageResult, render};
use crate::AppState;
use askama::Template;
use axum::extract::{OriginalUri, State};
use axum::http::StatusCode;
use faro_store::institutions::{self, Summary};

/// One area of Faro on the home page; `href` is `None` while an area is
/// not built (shown as such, not as a dead link); every area is built now.
pub struct Area {
    pub key: &'static str,
    pub href: Option<String>,
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub p: Page,
    pub s: Summary,
    pub areas: Vec<Area>,
    /// The next sessions of every series.
    pub upcoming: Vec<super::events::SessionRow>,
    /// A series' reported figures with their source (the 2020 series in the
    /// demonstration data): (series id, title, figures).
    pub series: Option<(String, String, Vec<super::events::FigureRow>)>,
}

pub async fn home(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    viewer: crate::auth::Viewer,
) -> PageResult {
    let s = institutions::summary(&state.store)
        .await
        .or_500(lang, &uri)?;
    let upcoming = faro_store::events::upcoming(&state.store, chrono::Utc::now(), 5)
        .await
        .or_500(lang, &uri)?
        .iter()
        .map(|x| super::events::row(lang, x))
        .collect();
    let series = faro_store::events::series_with_figures(&state.store)
        .await
        .or_500(lang, &uri)?
        .map(|s| {
            let figures = s
                .figures
                .iter()
                .map(|f| super::events::FigureRow {
                    label: crate::i18n::t(lang, &format!("figure-{}", f.key.replace('_', "-"))),
                    value: f.value.clone(),
                    source: f.source.clone(),
                })
                .collect();
            (s.id.clone(), s.title(lang).to_string(), figures)
        });
    let code = lang.code();
    let areas = vec![
        Area {
            key: "institutions",
            href: Some(format!("/{code}/institutions")),
        },
        Area {
            key: "observatory",
            href: Some(format!("/{code}/observatory")),
        },
        Area {
            key: "resources",
            href: Some(format!("/{code}/resources")),
        },
        Area {
            key: "courses",
            href: Some(format!("/{code}/courses")),
        },
        Area {
            key: "events",
            href: Some(format!("/{code}/events")),
        },
        Area {
            key: "surveys",
            href: Some(format!("/{code}/surveys")),
        },
        Area {
            key: "reports",
            href: Some(format!("/{code}/reports")),
        },
    ];
    Ok(render(
        StatusCode::OK,
        &HomePage {
            p: Page::new(lang, &uri, "home").viewer(&viewer).with_ld(serde_json::json!({
                "@context": "https://schema.org",
                "@type": "WebSite",
                "name": "Faro",
                "inLanguage": lang.code(),
                "about": {"@type": "Organization", "name": "ILO/Cinterfor network of vocational training institutions"},
                "potentialAction": {"@type": "SearchAction", "target": format!("/{}/search?q={{q}}", lang.code()), "query-input": "required name=q"}
            })),
            s,
            areas,
            upcoming,
            series,
        },
    ))
}
