//! Public corrections of observatory measures: anyone suggests; the
//! coordinators accept (applying the change, cited in the history) or
//! reject with a reason; everything is listed in a public log.

use super::{
    Coordinator, CoordinatorForm, CsrfForm, OrPage, OrServerError, Page, PageError, PageLang,
    PageResult, message, render, see_other,
};
use crate::auth::{ClientIp, Viewer};
use crate::toolkit::{page_href, prev_next};
use crate::{AppState, i18n};
use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::StatusCode;
use faro_domain::Lang;
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
                // The visitor's text stays in the form, the error beside
                // its field, in the page's language.
                let m = faro_store::observatory::get(&state.store, &id)
                    .await
                    .or_page(lang, &uri)?;
                let fix = SuggestForm {
                    measure_id: id.clone(),
                    what: form.get("what").unwrap_or("").to_string(),
                    source_url: form.get("source_url").unwrap_or("").to_string(),
                    contact: form.get("contact").unwrap_or("").to_string(),
                    errors: vec![(
                        field,
                        i18n::t(lang, &format!("err-field-{}", code.replace('_', "-"))),
                    )],
                };
                render(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &SuggestPage {
                        title: m.title(lang).to_string(),
                        p,
                        fix,
                    },
                )
            }
            Err(e) => return Err(PageError::server(lang, &uri, e)),
        },
    )
}

/// The suggestion form (on the measure page, and again with the visitor's
/// text and the errors beside their fields when it was refused).
#[derive(Default)]
pub struct SuggestForm {
    pub measure_id: String,
    pub what: String,
    pub source_url: String,
    pub contact: String,
    /// (field, message in the page's language).
    pub errors: Vec<(&'static str, String)>,
}

impl SuggestForm {
    pub fn empty(measure_id: &str) -> SuggestForm {
        SuggestForm {
            measure_id: measure_id.to_string(),
            ..SuggestForm::default()
        }
    }

    pub fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }
}

#[derive(Template)]
#[template(path = "correction_suggest.html")]
pub struct SuggestPage {
    pub p: Page,
    pub title: String,
    pub fix: SuggestForm,
}

pub struct Row {
    pub id: i64,
    pub date: String,
    pub measure_id: String,
    pub what: String,
    pub source_url: String,
    pub contact: String,
    pub status: String,
    pub status_code: String,
    pub decision: String,
    /// What an accepted correction changed (field, before, after).
    pub changes: Vec<super::edit::HistoryRow>,
}

impl Row {
    pub fn pending(&self) -> bool {
        self.status_code == "pending"
    }

    fn of(lang: Lang, c: faro_store::entity::correction::Model, coordinator: bool) -> Row {
        Row {
            changes: Vec::new(),
            id: c.id,
            date: i18n::day(lang, c.created_at.date_naive()),
            status: i18n::t(lang, &format!("correction-status-{}", c.status)),
            status_code: c.status.clone(),
            measure_id: c.measure_id,
            what: c.what,
            source_url: c.source_url,
            contact: if coordinator {
                c.contact
            } else {
                String::new()
            },
            decision: c.decision,
        }
    }
}

#[derive(Template)]
#[template(path = "corrections.html")]
pub struct LogPage {
    pub p: Page,
    pub rows: Vec<Row>,
    pub tabs: Vec<Tab>,
    pub filtered: bool,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    pub prev: Option<String>,
    pub next: Option<String>,
}

/// One of the log's status links (all, pending, accepted, rejected).
pub struct Tab {
    pub label: String,
    pub href: String,
    pub current: bool,
}

/// Corrections a page of the public log shows.
pub const PER_PAGE: u64 = 25;

/// The statuses the log can be narrowed to.
const STATUSES: [&str; 3] = ["pending", "accepted", "rejected"];

pub async fn log(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    q: Result<Query<Vec<(String, String)>>, axum::extract::rejection::QueryRejection>,
) -> PageResult {
    let Ok(Query(pairs)) = q else {
        return Err(PageError::malformed_query(lang, &uri));
    };
    let mut status: Option<&'static str> = None;
    let mut page: u64 = 1;
    for (k, v) in &pairs {
        match k.as_str() {
            "status" if v.is_empty() => {}
            "status" => {
                status = Some(
                    STATUSES
                        .into_iter()
                        .find(|s| s == v)
                        .ok_or_else(|| PageError::malformed_query(lang, &uri))?,
                )
            }
            "page" => {
                page = v
                    .parse::<u64>()
                    .ok()
                    .filter(|n| (1..=1_000_000).contains(n))
                    .ok_or_else(|| PageError::malformed_query(lang, &uri))?
            }
            _ => {}
        }
    }
    let coordinator = viewer.is_coordinator();
    let (found, total) = corrections::page(&state.store, status, (page - 1) * PER_PAGE, PER_PAGE)
        .await
        .or_500(lang, &uri)?;
    let mut rows: Vec<Row> = found
        .into_iter()
        .map(|c| Row::of(lang, c, coordinator))
        .collect();
    // The public log says what an accepted correction changed (an indexed
    // history lookup per accepted correction on the page).
    for r in rows.iter_mut().filter(|r| r.status_code == "accepted") {
        r.changes = super::edit::correction_changes(&state, lang, &r.measure_id, r.id)
            .await
            .or_500(lang, &uri)?;
    }
    let base = format!("/{}/observatory/corrections", lang.code());
    let kept: Vec<(String, String)> = status
        .map(|s| vec![("status".to_string(), s.to_string())])
        .unwrap_or_default();
    let pages = total.div_ceil(PER_PAGE).max(1);
    let (prev, next) = prev_next(page, pages, |n| page_href(&base, &kept, n));
    let tabs = std::iter::once(None)
        .chain(STATUSES.into_iter().map(Some))
        .map(|s| Tab {
            label: match s {
                None => i18n::t(lang, "corrections-all"),
                Some(s) => i18n::t(lang, &format!("correction-status-{s}")),
            },
            href: match s {
                None => base.clone(),
                Some(s) => page_href(&base, &[("status".to_string(), s.to_string())], 1u64),
            },
            current: s == status,
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &LogPage {
            p: Page::new(lang, &uri, "observatory").viewer(&viewer),
            rows,
            tabs,
            filtered: status.is_some(),
            total,
            page,
            pages,
            prev,
            next,
        },
    ))
}

/// The coordinator's review of one suggestion: pick a field a visitor may
/// correct, edit its current value, preview the change, apply it.
#[derive(Template)]
#[template(path = "correction_review.html")]
pub struct ReviewPage {
    pub p: Page,
    pub c: Row,
    /// The measure's title in the page's language.
    pub title: String,
    /// (column, label) of the fields a correction may change.
    pub fields: Vec<(&'static str, String)>,
    pub column: String,
    pub column_label: String,
    pub column_error: Option<String>,
    pub value: String,
    pub long: bool,
    pub note: String,
    pub value_errors: Vec<String>,
    /// A message above the forms (a conflict, an unknown reference).
    pub notice: Option<String>,
    pub diff: Vec<crate::diff::Part>,
    pub unchanged: bool,
    /// The value shown was previewed: the apply button is offered.
    pub previewed: bool,
    pub changes: Vec<super::edit::HistoryRow>,
}

/// What the review page starts from: the suggestion, its measure (and
/// the version it was read at), the field chosen and its current value.
struct Review {
    page: ReviewPage,
    measure: faro_domain::observatory::Measure,
    version: Option<String>,
}

async fn review_of(
    state: &AppState,
    lang: Lang,
    uri: &axum::http::Uri,
    viewer: &Viewer,
    id: &str,
    column: &str,
) -> Result<Review, PageError> {
    let id = id
        .parse::<i64>()
        .map_err(|_| PageError::not_found(lang, uri))?;
    let c = corrections::get(&state.store, id)
        .await
        .or_page(lang, uri)?;
    // The version first: if a save lands between the two reads, applying
    // is refused (conflict) rather than overwriting it.
    let version = faro_store::observatory::version(&state.store, &c.measure_id)
        .await
        .or_500(lang, uri)?;
    let measure = faro_store::observatory::get(&state.store, &c.measure_id)
        .await
        .or_page(lang, uri)?;
    let label = |f: &str| i18n::t(lang, &format!("mfield-{}", f.replace('_', "-")));
    let fields = faro_formats::measures_csv::COLUMNS
        .iter()
        .filter(|f| faro_domain::observatory::correctable(f))
        .map(|f| (*f, label(f)))
        .collect();
    let mut column_error = None;
    let mut value = String::new();
    if !column.is_empty() {
        match faro_formats::measures_csv::COLUMNS
            .iter()
            .position(|c| *c == column)
            .filter(|_| faro_domain::observatory::correctable(column))
        {
            Some(i) => value = faro_formats::measures_csv::row(&measure)[i].clone(),
            None => column_error = Some(i18n::t(lang, "correction-not-correctable")),
        }
    }
    let row = Row::of(lang, c, true);
    let changes = if row.status_code == "accepted" {
        super::edit::correction_changes(state, lang, &row.measure_id, row.id)
            .await
            .or_500(lang, uri)?
    } else {
        Vec::new()
    };
    Ok(Review {
        page: ReviewPage {
            p: Page::new(lang, uri, "observatory").viewer(viewer),
            title: measure.title(lang).to_string(),
            c: row,
            fields,
            column_label: if column_error.is_none() && !column.is_empty() {
                label(column)
            } else {
                String::new()
            },
            long: value.chars().count() > 80 || column.starts_with("description"),
            column: column.to_string(),
            column_error,
            value,
            note: String::new(),
            value_errors: Vec::new(),
            notice: None,
            diff: Vec::new(),
            unchanged: false,
            previewed: false,
            changes,
        },
        measure,
        version,
    })
}

#[derive(serde::Deserialize, Default)]
pub struct ReviewQuery {
    #[serde(default)]
    pub column: String,
}

/// `GET /{lang}/observatory/corrections/{id}` (coordinators).
pub async fn review(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    _who: Coordinator,
    q: Result<Query<ReviewQuery>, axum::extract::rejection::QueryRejection>,
) -> PageResult {
    let Ok(Query(q)) = q else {
        return Err(PageError::malformed_query(lang, &uri));
    };
    let r = review_of(&state, lang, &uri, &viewer, &id, q.column.trim()).await?;
    let status = if r.page.column_error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    Ok(render(status, &r.page))
}

/// `POST …/accept`: `action=preview` shows the change as a diff (and then
/// offers to apply it); `action=apply` (or none, for scripts) applies it in
/// one transaction with the decision. Errors come back on the review page,
/// beside the field, with what the coordinator typed.
pub async fn accept(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    CoordinatorForm(who, form): CoordinatorForm,
) -> PageResult {
    let by = who.actor_name();
    let column = form.get("column").unwrap_or("").trim();
    let value = form.get("value").unwrap_or("");
    let note = form.get("note").unwrap_or("");
    let mut r = review_of(&state, lang, &uri, &viewer, &id, column).await?;
    let cid = r.page.c.id;
    if !r.page.c.pending() {
        let p = Page::new(lang, &uri, "observatory").viewer(&viewer);
        let m = p.t("correction-already-decided");
        return Ok(message(StatusCode::CONFLICT, p, "correction-title", m));
    }
    let before = std::mem::replace(&mut r.page.value, value.to_string());
    r.page.note = note.to_string();
    if column.is_empty() {
        r.page.column_error = Some(i18n::t(lang, "correction-pick-field"));
    }
    if r.page.column_error.is_some() {
        return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &r.page));
    }
    let changed = match faro_formats::measures_csv::with_field(
        &r.measure,
        column,
        value,
        faro_domain::observatory::current(),
    ) {
        Ok(m) => m,
        Err(errs) => {
            let mut msgs: Vec<String> = errs
                .iter()
                .filter_map(|e| e.field.as_ref())
                .map(|f| i18n::t(lang, &format!("err-field-{}", f.code.replace('_', "-"))))
                .collect();
            msgs.dedup();
            if msgs.is_empty() {
                msgs.push(i18n::t(lang, "correction-invalid-value"));
            }
            r.page.value_errors = msgs;
            return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &r.page));
        }
    };
    // Apply only what was previewed: a value edited after its preview is
    // previewed again.
    let apply = match form.get("action") {
        Some("preview") => false,
        Some(_) => form.get("seen") == Some(value),
        None => true,
    };
    if !apply {
        r.page.diff = crate::diff::words(&before, value);
        r.page.unchanged = before == value;
        r.page.previewed = true;
        return Ok(render(StatusCode::OK, &r.page));
    }
    match corrections::accept(&state.store, cid, &changed, r.version.as_deref(), note, &by).await {
        Ok(()) => Ok(see_other(&format!(
            "/{}/observatory/corrections#c{cid}",
            lang.code()
        ))),
        Err(faro_store::StoreError::Rule(corrections::ALREADY_DECIDED)) => {
            let p = Page::new(lang, &uri, "observatory").viewer(&viewer);
            let m = p.t("correction-already-decided");
            Ok(message(StatusCode::CONFLICT, p, "correction-title", m))
        }
        Err(e @ faro_store::StoreError::Reference { .. }) => {
            r.page.value_errors = vec![i18n::store_error_message(lang, &e, e.code())];
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &r.page))
        }
        Err(e @ faro_store::StoreError::Conflict) => {
            // Someone saved the measure meanwhile: the page shows the
            // current value again, with what the coordinator typed kept.
            r.page.notice = Some(i18n::store_error_message(lang, &e, e.code()));
            r.page.diff = crate::diff::words(&before, value);
            r.page.previewed = true;
            Ok(render(StatusCode::CONFLICT, &r.page))
        }
        Err(e) => Err(PageError::server(lang, &uri, e)),
    }
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
            Err(faro_store::StoreError::Invalid(_)) => {
                let m = p.t("correction-reason-required");
                message(StatusCode::UNPROCESSABLE_ENTITY, p, "correction-title", m)
            }
            Err(faro_store::StoreError::Rule(corrections::ALREADY_DECIDED)) => {
                let m = p.t("correction-already-decided");
                message(StatusCode::CONFLICT, p, "correction-title", m)
            }
            Err(e) => return Err(PageError::server(lang, &uri, e)),
        },
    )
}
