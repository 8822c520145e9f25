//! An institution's course catalogues (issue 15): its editors and the
//! coordinators list the sources its courses are harvested from, add or
//! change one (kind, address, language, schedule) and queue a harvest now
//! (the job `course_harvest`; `faro_web::harvest` does it). Every change to
//! a source is in its history; the harvest never overwrites a field an
//! editor changed by hand.

use super::{CsrfForm, OrPage, Page, PageError, PageLang, PageResult, render, see_other};
use crate::auth::Viewer;
use crate::{AppState, i18n};
use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::{StatusCode, Uri};
use faro_domain::Lang;
use faro_store::changes::Actor;
use faro_store::harvest::{self, KINDS, Source};

pub struct Row {
    pub s: Source,
    pub urls: Vec<String>,
    pub every: String,
    pub last_run: String,
}

pub struct Opt {
    pub value: &'static str,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "catalogues.html")]
pub struct CataloguesPage {
    pub p: Page,
    pub institution: String,
    pub name: String,
    pub rows: Vec<Row>,
    pub kinds: Vec<Opt>,
    pub langs: Vec<Opt>,
    /// The form's values (a refused one comes back filled in).
    pub form_id: String,
    pub form_url: String,
    pub form_every: String,
    pub errors: Vec<String>,
    pub notice: String,
}

/// The signed-in principal allowed to manage `id`'s catalogues.
fn manager(
    lang: Lang,
    uri: &Uri,
    viewer: &Viewer,
    id: &str,
) -> Result<faro_domain::accounts::Principal, PageError> {
    match &viewer.principal {
        None => Err(PageError::sign_in_required(lang, uri)),
        Some(p) if p.can_manage_catalogues(id) => Ok(p.clone()),
        Some(_) => Err(PageError::forbidden(lang, uri)),
    }
}

#[allow(clippy::too_many_arguments)]
async fn view(
    state: &AppState,
    lang: Lang,
    uri: &Uri,
    viewer: &Viewer,
    id: &str,
    form: (&str, &str, &str, &str, &str),
    errors: Vec<String>,
    notice: String,
    status: StatusCode,
) -> PageResult {
    let inst = faro_store::institutions::get(&state.store, id)
        .await
        .or_page(lang, uri)?;
    let rows = harvest::sources(&state.store, Some(id))
        .await
        .or_page(lang, uri)?
        .into_iter()
        .map(|s| Row {
            urls: s.urls().into_iter().map(str::to_string).collect(),
            every: s
                .every_hours
                .map(|h| i18n::t_args(lang, "catalogue-every", &[("n", (h as u64).into())]))
                .unwrap_or_else(|| i18n::t(lang, "catalogue-on-demand")),
            last_run: s
                .last_run_at
                .map(|t| i18n::moment(lang, t))
                .unwrap_or_else(|| i18n::t(lang, "catalogue-never-run")),
            s,
        })
        .collect();
    let (form_id, form_kind, form_url, form_lang, form_every) = form;
    let kinds = KINDS
        .iter()
        .map(|k| Opt {
            value: k,
            label: i18n::t(lang, &format!("catalogue-kind-{k}")),
            selected: *k == form_kind,
        })
        .collect();
    let langs = ["es", "en", "pt"]
        .iter()
        .map(|l| Opt {
            value: l,
            label: i18n::t(lang, &format!("lang-{l}")),
            selected: *l == form_lang,
        })
        .collect();
    let page = CataloguesPage {
        p: Page::new(lang, uri, "courses").viewer(viewer),
        name: inst.display_name(lang).to_string(),
        institution: id.to_string(),
        rows,
        kinds,
        langs,
        form_id: form_id.to_string(),
        form_url: form_url.to_string(),
        form_every: form_every.to_string(),
        errors,
        notice,
    };
    Ok(render(status, &page))
}

#[derive(serde::Deserialize)]
pub struct Notice {
    queued: Option<String>,
    saved: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    q: Result<Query<Notice>, axum::extract::rejection::QueryRejection>,
) -> PageResult {
    manager(lang, &uri, &viewer, &id)?;
    let notice = match q.ok().map(|Query(n)| n) {
        Some(Notice {
            queued: Some(s), ..
        }) => i18n::t_args(lang, "catalogue-queued", &[("source", s.into())]),
        Some(Notice { saved: Some(s), .. }) => {
            i18n::t_args(lang, "catalogue-saved", &[("source", s.into())])
        }
        _ => String::new(),
    };
    view(
        &state,
        lang,
        &uri,
        &viewer,
        &id,
        ("", "sitemap", "", lang.code(), ""),
        vec![],
        notice,
        StatusCode::OK,
    )
    .await
}

pub async fn save(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    CsrfForm(form): CsrfForm,
) -> PageResult {
    let who = manager(lang, &uri, &viewer, &id)?;
    let get = |k: &str| form.get(k).unwrap_or("").trim().to_string();
    let (source_id, kind, url, src_lang, every) = (
        get("source"),
        get("kind"),
        get("url"),
        get("lang"),
        get("every_hours"),
    );
    let mut errors = Vec::new();
    let every_hours = if every.is_empty() {
        None
    } else {
        match every.parse::<i32>() {
            Ok(h) => Some(h),
            Err(_) => {
                errors.push(i18n::t(lang, "catalogue-err-every"));
                None
            }
        }
    };
    // A source belongs to one institution: another's id is refused.
    if let Some(existing) = harvest::source(&state.store, &source_id)
        .await
        .or_page(lang, &uri)?
        && existing.institution_id != id
    {
        errors.push(i18n::t(lang, "catalogue-err-taken"));
    }
    let src = Source {
        id: source_id.clone(),
        institution_id: id.clone(),
        kind: kind.clone(),
        url: url
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n"),
        lang: src_lang.clone(),
        every_hours,
        last_run_at: None,
        last_outcome: String::new(),
    };
    if errors.is_empty() {
        // The rules, each named in the user's language.
        for p in src.problems() {
            let field = p.split([' ', ':']).next().unwrap_or("");
            errors.push(i18n::t(lang, &format!("catalogue-err-{field}")));
        }
    }
    if errors.is_empty() {
        let actor = Actor::new(who.actor_name(), None);
        match harvest::save_source(&state.store, &src, &actor).await {
            Ok(()) => {
                return Ok(see_other(&format!(
                    "/{}/institutions/{id}/catalogues?saved={source_id}",
                    lang.code()
                )));
            }
            Err(faro_store::StoreError::Invalid(_) | faro_store::StoreError::Reference { .. }) => {
                errors.push(i18n::t(lang, "catalogue-err-url"));
            }
            Err(e) => return Err(PageError::store(lang, &uri, e)),
        }
    }
    view(
        &state,
        lang,
        &uri,
        &viewer,
        &id,
        (&source_id, &kind, &url, &src_lang, &every),
        errors,
        String::new(),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

pub async fn harvest_now(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id, source)): Path<(String, String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    CsrfForm(_form): CsrfForm,
) -> PageResult {
    manager(lang, &uri, &viewer, &id)?;
    match harvest::source(&state.store, &source)
        .await
        .or_page(lang, &uri)?
    {
        Some(s) if s.institution_id == id => {}
        _ => return Err(PageError::not_found(lang, &uri)),
    }
    harvest::queue_now(&state.store, &source)
        .await
        .or_page(lang, &uri)?;
    Ok(see_other(&format!(
        "/{}/institutions/{id}/catalogues?queued={source}",
        lang.code()
    )))
}
