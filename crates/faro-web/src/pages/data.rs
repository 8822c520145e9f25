//! `/{lang}/data`: the open-data page a person reads — every download with
//! what it holds, its format, licence and last change, and the frozen
//! releases as a list with their files and sizes (issue 11 item 13). The
//! files themselves are streamed at `/data/{file}`; nothing here reads them.

use super::{OrPage, Page, PageLang, PageResult, render};
use crate::auth::Viewer;
use crate::{AppState, i18n};
use askama::Template;
use axum::extract::{OriginalUri, State};
use axum::http::StatusCode;

pub struct FileRow {
    pub name: &'static str,
    pub description: String,
    pub format: &'static str,
}

pub struct ReleaseFile {
    pub name: String,
    pub size: String,
}

pub struct ReleaseRow {
    pub name: String,
    pub date: String,
    pub files: Vec<ReleaseFile>,
}

#[derive(Template)]
#[template(path = "data.html")]
pub struct DataPage {
    pub p: Page,
    pub files: Vec<FileRow>,
    pub last_change: String,
    pub releases: Vec<ReleaseRow>,
    pub licence: &'static str,
}

/// Releases listed on the page (the newest).
const RELEASES_SHOWN: u64 = 50;

pub async fn page(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
) -> PageResult {
    let files = crate::opendata::STREAMED
        .iter()
        .map(|name| FileRow {
            name,
            description: i18n::t(lang, &format!("data-file-{}", name.replace('.', "-"))),
            format: if name.ends_with(".csv") {
                "CSV"
            } else {
                "JSON"
            },
        })
        .collect();
    let (_, at) = faro_store::outbox::newest(&state.store)
        .await
        .or_page(lang, &uri)?;
    let last_change = at
        .map(|t| crate::reports::date(lang, t.date_naive()))
        .unwrap_or_else(|| i18n::t(lang, "date-unknown"));
    let dates: std::collections::HashMap<String, chrono::DateTime<chrono::Utc>> =
        faro_store::releases::list(&state.store)
            .await
            .or_page(lang, &uri)?
            .into_iter()
            .collect();
    let mut releases: Vec<ReleaseRow> = Vec::new();
    for (release, name, bytes) in faro_store::releases::sizes(&state.store, RELEASES_SHOWN)
        .await
        .or_page(lang, &uri)?
    {
        if releases.last().is_none_or(|r| r.name != release) {
            releases.push(ReleaseRow {
                date: dates
                    .get(&release)
                    .map(|t| crate::reports::date(lang, t.date_naive()))
                    .unwrap_or_default(),
                name: release.clone(),
                files: Vec::new(),
            });
        }
        if let Some(r) = releases.last_mut() {
            r.files.push(ReleaseFile {
                name,
                size: super::knowledge::human_size(bytes),
            });
        }
    }
    let page = DataPage {
        p: Page::new(lang, &uri, "observatory").viewer(&viewer),
        files,
        last_change,
        releases,
        licence: crate::opendata::LICENSE,
    };
    Ok(render(StatusCode::OK, &page))
}
