//! The coordinators' series form: `/{lang}/events/series/new` (create) and
//! `/{lang}/events/series/{id}/edit`: titles and descriptions in es/en/pt,
//! the organising institution, the hashtag, the certificate policy, the
//! figures a source reports (each with its source) and the presenters
//! (organisations of the directory or people, for the series or one of its
//! sessions). It saves through `faro_store::events::save_series`: one
//! transaction, compare-and-set on the version the form was opened at,
//! references checked, history kept.

use super::{
    Coordinator, CoordinatorForm, FormData, OrPage, OrServerError, Page, PageError, PageLang,
    PageResult, render, see_other,
};
use crate::auth::Viewer;
use crate::{AppState, i18n};
use askama::Template;
use axum::extract::{OriginalUri, Path, State};
use axum::http::{StatusCode, header};
use faro_domain::Lang;
use faro_domain::events::{FIGURE_KEYS, Figure, Presenter, Series};
use faro_store::StoreError;
use faro_store::changes::Actor;
use std::collections::HashMap;

/// Blank presenter rows offered below the stored ones.
const BLANK_ROWS: usize = 3;
/// At most this many presenter rows are read from a form.
const MAX_ROWS: usize = 200;

pub struct PresenterRow {
    pub i: usize,
    pub session: String,
    pub institution: String,
    pub name: String,
    pub role: String,
    pub source: String,
}

pub struct FigureRow {
    pub key: String,
    pub label: String,
    pub value: String,
    pub source: String,
}

#[derive(Template)]
#[template(path = "series_edit.html")]
pub struct SeriesEditPage {
    pub p: Page,
    pub id: String,
    pub creating: bool,
    pub version: String,
    pub values: HashMap<String, String>,
    pub figures: Vec<FigureRow>,
    pub presenters: Vec<PresenterRow>,
    pub errors: Vec<String>,
    /// (id, "ACRONYM · name") of the directory, for the selects.
    pub institutions: Vec<(String, String)>,
    /// (id, label) of the series' sessions.
    pub sessions: Vec<(String, String)>,
}

impl SeriesEditPage {
    pub fn v(&self, k: &str) -> &str {
        self.values.get(k).map(String::as_str).unwrap_or("")
    }
}

fn values_of(s: &Series) -> HashMap<String, String> {
    [
        ("id", &s.id),
        ("title_es", &s.title_es),
        ("title_en", &s.title_en),
        ("title_pt", &s.title_pt),
        ("description_es", &s.description_es),
        ("description_en", &s.description_en),
        ("description_pt", &s.description_pt),
        ("original_language", &s.original_language),
        ("organiser", &s.organiser),
        ("hashtag", &s.hashtag),
        ("certificate_policy", &s.certificate_policy),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.clone()))
    .collect()
}

fn figure_rows(lang: Lang, figures: &[Figure]) -> Vec<FigureRow> {
    FIGURE_KEYS
        .iter()
        .map(|k| {
            let f = figures.iter().find(|f| f.key == *k);
            FigureRow {
                key: k.to_string(),
                label: i18n::t(lang, &format!("figure-{}", k.replace('_', "-"))),
                value: f.map(|f| f.value.clone()).unwrap_or_default(),
                source: f.map(|f| f.source.clone()).unwrap_or_default(),
            }
        })
        .collect()
}

fn presenter_rows(presenters: &[Presenter]) -> Vec<PresenterRow> {
    presenters
        .iter()
        .map(|p| {
            (
                p.session.clone(),
                p.institution.clone(),
                p.name.clone(),
                p.role.clone(),
                p.source.clone(),
            )
        })
        .chain((0..BLANK_ROWS).map(|_| Default::default()))
        .enumerate()
        .map(
            |(i, (session, institution, name, role, source))| PresenterRow {
                i,
                session,
                institution,
                name,
                role,
                source,
            },
        )
        .collect()
}

/// The series, its presenters and the problems a form has that the domain
/// cannot see (too many rows).
fn series_from(form: &FormData, id: &str) -> (Series, Vec<Presenter>) {
    let g = |k: &str| form.get(k).unwrap_or("").trim().to_string();
    let figures = FIGURE_KEYS
        .iter()
        .filter_map(|k| {
            let value = g(&format!("figure.{k}.value"));
            let source = g(&format!("figure.{k}.source"));
            (!value.is_empty() || !source.is_empty()).then(|| Figure {
                key: k.to_string(),
                value,
                source,
            })
        })
        .collect();
    let mut presenters = Vec::new();
    for i in 0..MAX_ROWS {
        let f = |k: &str| g(&format!("p{i}.{k}"));
        if form.get(&format!("p{i}.name")).is_none()
            && form.get(&format!("p{i}.institution")).is_none()
        {
            continue;
        }
        let p = Presenter {
            series: id.to_string(),
            session: f("session"),
            institution: f("institution"),
            name: f("name"),
            role: f("role"),
            source: f("source"),
        };
        // A row left blank is no presenter.
        if p.institution.is_empty() && p.name.is_empty() && p.role.is_empty() {
            continue;
        }
        presenters.push(p);
    }
    let s = Series {
        id: id.to_string(),
        title_es: g("title_es"),
        title_en: g("title_en"),
        title_pt: g("title_pt"),
        description_es: g("description_es"),
        description_en: g("description_en"),
        description_pt: g("description_pt"),
        original_language: g("original_language"),
        organiser: g("organiser"),
        hashtag: g("hashtag").trim_start_matches('#').to_string(),
        certificate_policy: g("certificate_policy"),
        figures,
    };
    (s, presenters)
}

#[allow(clippy::too_many_arguments)]
async fn form_page(
    state: &AppState,
    lang: Lang,
    uri: &axum::http::Uri,
    viewer: &Viewer,
    creating: bool,
    version: String,
    s: &Series,
    presenters: &[Presenter],
    errors: Vec<String>,
    status: StatusCode,
) -> PageResult {
    let mut institutions: Vec<(String, String)> = faro_store::institutions::all(&state.store)
        .await
        .or_500(lang, uri)?
        .into_iter()
        .map(|i| {
            let label = if i.acronym.is_empty() {
                i.name_in(lang).to_string()
            } else {
                format!("{} · {}", i.acronym, i.name_in(lang))
            };
            (i.id, label)
        })
        .collect();
    institutions.sort_by_key(|a| a.1.to_lowercase());
    let sessions = if creating {
        Vec::new()
    } else {
        faro_store::events::for_series(&state.store, &s.id)
            .await
            .or_500(lang, uri)?
            .iter()
            .map(|x| (x.id.clone(), super::events::label(lang, x)))
            .collect()
    };
    let mut values = values_of(s);
    if s.hashtag.is_empty() {
        values.insert("hashtag".into(), String::new());
    }
    let mut r = render(
        status,
        &SeriesEditPage {
            p: Page::new(lang, uri, "events").viewer(viewer),
            id: s.id.clone(),
            creating,
            version,
            values,
            figures: figure_rows(lang, &s.figures),
            presenters: presenter_rows(presenters),
            errors,
            institutions,
            sessions,
        },
    );
    r.headers_mut()
        .insert(header::CACHE_CONTROL, "no-store".parse().unwrap());
    Ok(r)
}

pub async fn new_form(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    Coordinator(_): Coordinator,
) -> PageResult {
    let s = Series {
        original_language: lang.code().to_string(),
        ..Default::default()
    };
    form_page(
        &state,
        lang,
        &uri,
        &viewer,
        true,
        faro_store::changes::NEW_RECORD.into(),
        &s,
        &[],
        vec![],
        StatusCode::OK,
    )
    .await
}

pub async fn edit_form(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    Coordinator(_): Coordinator,
) -> PageResult {
    let s = faro_store::events::get_series(&state.store, &id)
        .await
        .or_page(lang, &uri)?;
    let version = faro_store::events::series_version(&state.store, &id)
        .await
        .or_500(lang, &uri)?
        .unwrap_or_default();
    let presenters = faro_store::events::presenters(&state.store, &id)
        .await
        .or_500(lang, &uri)?;
    form_page(
        &state,
        lang,
        &uri,
        &viewer,
        false,
        version,
        &s,
        &presenters,
        vec![],
        StatusCode::OK,
    )
    .await
}

fn field_label(lang: Lang, field: &str) -> String {
    i18n::t(lang, &format!("series-field-{}", field.replace('_', "-")))
}

#[allow(clippy::too_many_arguments)]
async fn save(
    state: &AppState,
    lang: Lang,
    uri: &axum::http::Uri,
    viewer: &Viewer,
    actor: String,
    form: FormData,
    id: String,
    creating: bool,
) -> PageResult {
    let (s, presenters) = series_from(&form, &id);
    let version = form.get("version").unwrap_or("").to_string();
    let mut errs = s.validate();
    for p in &presenters {
        errs.extend(p.validate());
    }
    if !errs.is_empty() {
        let list = errs
            .iter()
            .map(|e| {
                let value = if e.value.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", e.value)
                };
                format!(
                    "{}{value}: {}",
                    field_label(lang, e.field),
                    i18n::t(lang, &format!("err-field-{}", e.code.replace('_', "-")))
                )
            })
            .collect();
        return form_page(
            state,
            lang,
            uri,
            viewer,
            creating,
            version,
            &s,
            &presenters,
            list,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let expected = if creating {
        faro_store::changes::NEW_RECORD.to_string()
    } else {
        version.clone()
    };
    let reason = form
        .get("reason")
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(String::from);
    match faro_store::events::save_series(
        &state.store,
        &s,
        &presenters,
        &Actor::new(actor, reason),
        Some(&expected),
    )
    .await
    {
        Ok(_) => Ok(see_other(&format!(
            "/{}/events/series/{}",
            lang.code(),
            s.id
        ))),
        Err(e @ (StoreError::Conflict | StoreError::Reference { .. } | StoreError::Invalid(_))) => {
            let status = if matches!(e, StoreError::Conflict) {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let m = i18n::store_error_message(lang, &e, e.code());
            form_page(
                state,
                lang,
                uri,
                viewer,
                creating,
                version,
                &s,
                &presenters,
                vec![m],
                status,
            )
            .await
        }
        Err(e) => Err(PageError::server(lang, uri, e)),
    }
}

pub async fn create(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    CoordinatorForm(who, form): CoordinatorForm,
) -> PageResult {
    let id = form.get("id").unwrap_or("").trim().to_string();
    save(
        &state,
        lang,
        &uri,
        &viewer,
        who.actor_name(),
        form,
        id,
        true,
    )
    .await
}

pub async fn update(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    CoordinatorForm(who, form): CoordinatorForm,
) -> PageResult {
    faro_store::events::get_series(&state.store, &id)
        .await
        .or_page(lang, &uri)?;
    save(
        &state,
        lang,
        &uri,
        &viewer,
        who.actor_name(),
        form,
        id,
        false,
    )
    .await
}
