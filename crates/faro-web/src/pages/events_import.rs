//! `/{lang}/events/import`: coordinators upload sessions as CSV or XLSX in
//! the layout of `data/demo/sessions.csv` (the one `faro import sessions`
//! reads). All or nothing: every bad line is listed in the reader's
//! language and nothing is stored; a good file goes through the sessions'
//! write path (idempotent by id, history kept, a changed time or a
//! cancellation notifies the registrants).

use super::{Coordinator, OrServerError, Page, PageError, PageLang, PageResult, render};
use crate::auth::Viewer;
use crate::{AppState, i18n};
use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, OriginalUri, State};
use axum::http::StatusCode;
use faro_domain::Lang;
use faro_store::StoreError;
use faro_store::changes::Actor;

#[derive(Template)]
#[template(path = "sessions_import.html")]
pub struct ImportPage {
    pub p: Page,
    /// Problems, each already in the page's language.
    pub problems: Vec<String>,
    /// "Created: 3 · updated: 1 · unchanged: 8" after a good import.
    pub done: Option<String>,
    pub columns: String,
}

fn page(
    lang: Lang,
    uri: &axum::http::Uri,
    viewer: &Viewer,
    status: StatusCode,
    problems: Vec<String>,
    done: Option<(usize, usize, usize)>,
) -> PageResult {
    Ok(render(
        status,
        &ImportPage {
            p: Page::new(lang, uri, "events").viewer(viewer),
            problems,
            done: done.map(|(c, u, n)| {
                i18n::t_args(
                    lang,
                    "sessions-import-done",
                    &[
                        ("created", (c as u64).into()),
                        ("updated", (u as u64).into()),
                        ("unchanged", (n as u64).into()),
                    ],
                )
            }),
            columns: faro_formats::sessions_csv::COLUMNS.join(","),
        },
    ))
}

pub async fn form(
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    Coordinator(_): Coordinator,
) -> PageResult {
    page(lang, &uri, &viewer, StatusCode::OK, vec![], None)
}

/// One bad line in the reader's language.
fn line_message(lang: Lang, e: &faro_formats::institutions_csv::LineError) -> String {
    let text = match &e.field {
        Some(f) => {
            let label = i18n::t(
                lang,
                &format!("session-field-{}", f.field.replace('_', "-")),
            );
            let value = if f.value.is_empty() {
                String::new()
            } else {
                format!(" «{}»", f.value)
            };
            format!(
                "{label}{value}: {}",
                i18n::t(lang, &format!("err-field-{}", f.code.replace('_', "-")))
            )
        }
        None => e.message.clone(),
    };
    i18n::t_args(
        lang,
        "sessions-import-line",
        &[("line", e.line.into()), ("problem", text.into())],
    )
}

/// The coordinator gate runs before the body is read (the extractor order:
/// `Coordinator` from the request's head, then the multipart body); the
/// CSRF token travels in the form and is checked before anything is parsed.
pub async fn upload(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    Coordinator(who): Coordinator,
    multipart: Result<Multipart, MultipartRejection>,
) -> PageResult {
    let bad = |key: &str| {
        page(
            lang,
            &uri,
            &viewer,
            StatusCode::BAD_REQUEST,
            vec![i18n::t(lang, key)],
            None,
        )
    };
    let Ok(mut multipart) = multipart else {
        return bad("upload-malformed");
    };
    let mut csrf = None;
    let mut file: Option<Vec<u8>> = None;
    let mut reason = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or("").to_string();
                match field.bytes().await {
                    Ok(b) if name == "csrf" => {
                        csrf = Some(String::from_utf8_lossy(&b).into_owned())
                    }
                    Ok(b) if name == "file" => file = Some(b.to_vec()),
                    Ok(b) if name == "reason" => {
                        let r = String::from_utf8_lossy(&b).trim().to_string();
                        reason = (!r.is_empty()).then_some(r);
                    }
                    Ok(_) => {}
                    Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                        return page(
                            lang,
                            &uri,
                            &viewer,
                            StatusCode::PAYLOAD_TOO_LARGE,
                            vec![i18n::t(lang, "upload-too-large")],
                            None,
                        );
                    }
                    Err(_) => return bad("upload-malformed"),
                }
            }
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return page(
                    lang,
                    &uri,
                    &viewer,
                    StatusCode::PAYLOAD_TOO_LARGE,
                    vec![i18n::t(lang, "upload-too-large")],
                    None,
                );
            }
            Err(_) => return bad("upload-malformed"),
        }
    }
    if !crate::auth::csrf_ok(&viewer, csrf.as_deref()) {
        return Err(PageError::csrf_failed(lang, &uri));
    }
    let Some(bytes) = file.filter(|b| !b.is_empty()) else {
        return page(
            lang,
            &uri,
            &viewer,
            StatusCode::UNPROCESSABLE_ENTITY,
            vec![i18n::t(lang, "upload-missing")],
            None,
        );
    };
    let csv = if faro_formats::xlsx::looks_like_xlsx(&bytes) {
        match faro_formats::xlsx::first_sheet_as_csv(&bytes) {
            Ok(c) => c,
            Err(_) => {
                return page(
                    lang,
                    &uri,
                    &viewer,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    vec![i18n::t(lang, "import-bad-xlsx")],
                    None,
                );
            }
        }
    } else {
        bytes
    };
    let items = match faro_formats::sessions_csv::read(&csv) {
        Ok(items) => items,
        Err(errors) => {
            let problems = errors.iter().map(|e| line_message(lang, e)).collect();
            return page(
                lang,
                &uri,
                &viewer,
                StatusCode::UNPROCESSABLE_ENTITY,
                problems,
                None,
            );
        }
    };
    let actor = Actor::new(
        who.actor_name(),
        reason.or_else(|| Some("import of sessions (web)".into())),
    );
    match faro_store::events::upsert_all(&state.store, &items, &actor).await {
        Ok(r) => page(
            lang,
            &uri,
            &viewer,
            StatusCode::OK,
            vec![],
            Some((r.created, r.updated, r.unchanged)),
        ),
        Err(e @ (StoreError::Invalid(_) | StoreError::Reference { .. } | StoreError::Conflict)) => {
            let m = i18n::store_error_message(lang, &e, e.code());
            page(
                lang,
                &uri,
                &viewer,
                StatusCode::UNPROCESSABLE_ENTITY,
                vec![m],
                None,
            )
        }
        Err(e) => Err(e).or_500(lang, &uri),
    }
}
