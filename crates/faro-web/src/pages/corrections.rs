//! Public corrections of observatory measures: anyone suggests; the
//! coordinators accept (applying the change, cited in the history) or
//! reject with a reason; everything is listed in a public log.

use super::{
    CoordinatorForm, CsrfForm, OrPage, OrServerError, Page, PageError, PageLang, PageResult,
    message, render, see_other,
};
use crate::auth::{ClientIp, Viewer};
use crate::{AppState, i18n};
use askama::Template;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use faro_store::corrections::{self, SuggestError};

pub async fn suggest(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    ClientIp(client): ClientIp,
    viewer: Viewer,
    CsrfForm(form): CsrfForm,
) -> PageResult {
    // A field people never see: bots fill it in.
    if form.text("website").is_some() {
        return Ok(see_other(&format!(
            "/{}/observatory/measures/{id}",
            lang.code()
        )));
    }
    let p = Page::new(lang, &uri, "observatory").viewer(&viewer);
    Ok(
        match corrections::suggest(
            &state.store,
            &id,
            form.get("what").unwrap_or(""),
            form.get("source_url").unwrap_or(""),
            form.get("contact").unwrap_or(""),
            &client,
        )
        .await
        {
            Ok(Ok(n)) => {
                let m = i18n::t_args(
                    lang,
                    "correction-thanks",
                    &[("id", i18n::FluentArg::Num(n))],
                );
                message(StatusCode::CREATED, p, "correction-title", m)
            }
            Ok(Err(SuggestError::NoSuchMeasure)) => return Err(PageError::not_found(lang, &uri)),
            Ok(Err(SuggestError::TooMany)) => {
                let m = p.t("correction-too-many");
                message(StatusCode::TOO_MANY_REQUESTS, p, "correction-title", m)
            }
            Ok(Err(SuggestError::Invalid(field, code))) => {
                let m = format!(
                    "{}: {}",
                    i18n::t(
                        lang,
                        &format!("correction-field-{}", field.replace('_', "-"))
                    ),
                    i18n::t(lang, &format!("err-field-{}", code.replace('_', "-")))
                );
                message(StatusCode::UNPROCESSABLE_ENTITY, p, "correction-title", m)
            }
            Err(e) => return Err(PageError::server(lang, &uri, e)),
        },
    )
}

pub struct Row {
    pub id: i64,
    pub date: String,
    pub measure_id: String,
    pub what: String,
    pub source_url: String,
    pub contact: String,
    pub status: String,
    pub pending: bool,
    pub decision: String,
}

#[derive(Template)]
#[template(path = "corrections.html")]
pub struct LogPage {
    pub p: Page,
    pub rows: Vec<Row>,
    pub columns: Vec<&'static str>,
}

pub async fn log(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
) -> PageResult {
    let coordinator = viewer.is_coordinator();
    let rows = match corrections::list(&state.store).await {
        Ok(v) => v
            .into_iter()
            .map(|c| Row {
                id: c.id,
                date: i18n::day(lang, c.created_at.date_naive()),
                pending: c.status == "pending",
                status: i18n::t(lang, &format!("correction-status-{}", c.status)),
                measure_id: c.measure_id,
                what: c.what,
                source_url: c.source_url,
                contact: if coordinator {
                    c.contact
                } else {
                    String::new()
                },
                decision: c.decision,
            })
            .collect(),
        Err(e) => return Err(PageError::server(lang, &uri, e)),
    };
    let columns = faro_formats::measures_csv::COLUMNS
        .iter()
        .copied()
        .filter(|c| !matches!(*c, "id" | "entered_by"))
        .collect();
    Ok(render(
        StatusCode::OK,
        &LogPage {
            p: Page::new(lang, &uri, "observatory").viewer(&viewer),
            rows,
            columns,
        },
    ))
}

pub async fn accept(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    CoordinatorForm(who, form): CoordinatorForm,
) -> PageResult {
    let by = who.actor_name();
    let Ok(id) = id.parse::<i64>() else {
        return Err(PageError::not_found(lang, &uri));
    };
    let c = corrections::get(&state.store, id)
        .await
        .or_page(lang, &uri)?;
    // The version first: if a save lands between the two reads, the
    // accept is refused (conflict) rather than overwriting it.
    let version = faro_store::observatory::version(&state.store, &c.measure_id)
        .await
        .or_500(lang, &uri)?;
    let m = faro_store::observatory::get(&state.store, &c.measure_id)
        .await
        .or_500(lang, &uri)?;
    let p = Page::new(lang, &uri, "observatory").viewer(&viewer);
    let column = form.get("column").unwrap_or("");
    let changed = match faro_formats::measures_csv::with_field(
        &m,
        column,
        form.get("value").unwrap_or(""),
        faro_domain::observatory::current(),
    ) {
        Ok(m) => m,
        Err(errs) => {
            let detail: Vec<String> = errs.iter().map(|e| e.message.clone()).collect();
            let msg = format!("{} {}", p.t("correction-invalid-value"), detail.join("; "));
            return Ok(message(
                StatusCode::UNPROCESSABLE_ENTITY,
                p,
                "correction-title",
                msg,
            ));
        }
    };
    Ok(
        match corrections::accept(
            &state.store,
            id,
            &changed,
            version.as_deref(),
            form.get("note").unwrap_or(""),
            &by,
        )
        .await
        {
            Ok(()) => see_other(&format!("/{}/observatory/corrections#c{id}", lang.code())),
            Err(faro_store::StoreError::Invalid(_)) => {
                let m = p.t("correction-already-decided");
                message(StatusCode::CONFLICT, p, "correction-title", m)
            }
            Err(e @ faro_store::StoreError::Conflict) => {
                let m = crate::i18n::store_error_message(lang, &e, e.code());
                message(StatusCode::CONFLICT, p, "correction-title", m)
            }
            Err(e) => return Err(PageError::server(lang, &uri, e)),
        },
    )
}

pub async fn reject(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    CoordinatorForm(who, form): CoordinatorForm,
) -> PageResult {
    let by = who.actor_name();
    let Ok(id) = id.parse::<i64>() else {
        return Err(PageError::not_found(lang, &uri));
    };
    let p = Page::new(lang, &uri, "observatory").viewer(&viewer);
    Ok(
        match corrections::reject(&state.store, id, form.get("reason").unwrap_or(""), &by).await {
            Ok(()) => see_other(&format!("/{}/observatory/corrections#c{id}", lang.code())),
            Err(faro_store::StoreError::NotFound) => return Err(PageError::not_found(lang, &uri)),
            Err(faro_store::StoreError::Invalid(msg)) if msg.contains("reason") => {
                let m = p.t("correction-reason-required");
                message(StatusCode::UNPROCESSABLE_ENTITY, p, "correction-title", m)
            }
            Err(faro_store::StoreError::Invalid(_)) => {
                let m = p.t("correction-already-decided");
                message(StatusCode::CONFLICT, p, "correction-title", m)
            }
            Err(e) => return Err(PageError::server(lang, &uri, e)),
        },
    )
}
