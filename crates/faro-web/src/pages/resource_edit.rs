//! Editing the knowledge base: editors create and edit resources of their
//! own institutions; coordinators edit any, delete and restore. Every save
//! goes through the shared history; a save based on an outdated copy is
//! refused instead of silently overwriting someone else's change.

use super::measure_edit::{Choice, CodeGroup, choices, slugify};
use super::{
    CoordinatorForm, FormData, OrPage, OrServerError, Page, PageError, PageLang, PageResult,
    check_csrf, render, see_other, signed_in,
};
use crate::auth::Viewer;
use crate::{AppState, i18n};
use askama::Template;
use axum::extract::{OriginalUri, Path, State};
use axum::http::{StatusCode, Uri};
use faro_domain::Lang;
use faro_domain::knowledge::{self as kd, Resource};
use faro_domain::observatory as obs;
use faro_store::changes::Actor;
use faro_store::knowledge as kb;

#[derive(Template)]
#[template(path = "resource_edit.html")]
pub struct EditPage {
    pub p: Page,
    pub r: Resource,
    pub is_new: bool,
    /// `updated_at` of the copy the form was filled from (lost-update check).
    pub version: String,
    pub types: Vec<Choice>,
    pub institutions: Vec<Choice>,
    pub groups: Vec<CodeGroup>,
    pub audiences: Vec<Choice>,
    pub languages: Vec<Choice>,
    pub sessions: Vec<Choice>,
    pub measures: Vec<Choice>,
    pub countries: String,
    pub content_languages: String,
    pub identifiers: String,
    pub errors: Vec<String>,
}

#[allow(clippy::too_many_arguments)]
async fn edit_view(
    state: &AppState,
    lang: Lang,
    uri: &Uri,
    viewer: &Viewer,
    r: Resource,
    is_new: bool,
    version: String,
    errors: Vec<String>,
    status: Option<StatusCode>,
) -> PageResult {
    let institutions = faro_store::institutions::all(&state.store)
        .await
        .or_500(lang, uri)?
        .into_iter()
        .map(|i| Choice {
            selected: r.institutions.contains(&i.id),
            label: format!("{} ({})", i.acronym, i.id),
            value: i.id,
        })
        .collect();
    let sessions = faro_store::events::all(&state.store)
        .await
        .or_500(lang, uri)?
        .into_iter()
        .map(|s| Choice {
            selected: r.related_sessions.contains(&s.id),
            label: format!("{} · {} · {}", s.number, s.date, s.title(lang)),
            value: s.id,
        })
        .collect();
    // The measures offered: those already related, then the published
    // measures of the resource's institutions (or the editor's own), at most
    // 200: indexed lookups, never the whole observatory.
    let mut offered =
        faro_store::observatory::published_with_ids(&state.store, &r.related_measures)
            .await
            .or_500(lang, uri)?;
    let owners: Vec<String> = if r.institutions.is_empty() {
        viewer
            .principal
            .as_ref()
            .map(|p| p.institutions.clone())
            .unwrap_or_default()
    } else {
        r.institutions.clone()
    };
    if !owners.is_empty() {
        let filter = faro_store::observatory::Filter {
            institution: owners,
            ..Default::default()
        };
        let (items, _) = faro_store::observatory::related(
            &state.store,
            &filter,
            faro_store::list::PageReq::new(1, 200),
        )
        .await
        .or_500(lang, uri)?;
        offered.extend(
            items
                .into_iter()
                .filter(|m| !r.related_measures.contains(&m.id)),
        );
    }
    let measures = offered
        .into_iter()
        .map(|m| Choice {
            selected: r.related_measures.contains(&m.id),
            label: format!("{} · {}", m.institution, m.title(lang)),
            value: m.id,
        })
        .collect();
    let cb = obs::current();
    let groups = cb
        .categories()
        .map(|cat| CodeGroup {
            label: format!("{} · {}", cat.code, cat.label(lang)),
            codes: cb
                .children(&cat.code)
                .map(|c| Choice {
                    value: c.code.clone(),
                    label: format!("{} {}", c.code, c.label(lang)),
                    selected: r.topics.contains(&c.code),
                })
                .collect(),
        })
        .collect();
    let one = |v: &str| vec![v.to_string()];
    let page = EditPage {
        p: Page::new(lang, uri, "resources").viewer(viewer),
        types: choices(kd::TYPES, &one(&r.resource_type), |v| {
            i18n::t(lang, &format!("rtype-{}", v.replace('_', "-")))
        }),
        audiences: choices(kd::AUDIENCES, &r.audience, |v| {
            i18n::t(lang, &format!("aud-{}", v.replace('_', "-")))
        }),
        languages: choices(&["es", "en", "pt"], &one(&r.original_language), |v| {
            i18n::t(lang, &format!("lang-{v}"))
        }),
        countries: r.countries.join("; "),
        content_languages: r.languages.join("; "),
        identifiers: r.identifiers.join("; "),
        institutions,
        sessions,
        measures,
        groups,
        is_new,
        version,
        errors,
        r,
    };
    let status = status.unwrap_or(if page.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    });
    Ok(render(status, &page))
}

pub async fn new_form(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
) -> PageResult {
    let who = signed_in(lang, &uri, &viewer)?;
    if !who.can_create_records() {
        return Err(PageError::forbidden(lang, &uri));
    }
    let r = Resource {
        resource_type: "report".into(),
        institutions: who.institutions.first().cloned().into_iter().collect(),
        original_language: lang.code().into(),
        ..Default::default()
    };
    edit_view(
        &state,
        lang,
        &uri,
        &viewer,
        r,
        true,
        String::new(),
        vec![],
        None,
    )
    .await
}

/// `a; b, c d` → `[a, b, c, d]`: lists typed into one text box.
fn list(v: &str) -> String {
    v.split([';', ',', ' ', '\n', '\r', '\t'])
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(";")
}

/// Reads the form into a resource (repeated inputs and typed lists).
fn from_form(form: &FormData) -> Resource {
    let get = |name: &str| match name {
        "institutions" | "topics" | "audience" | "related_measures" | "related_sessions" => {
            form.all(name).join(";")
        }
        "countries" | "languages" | "identifiers" => list(form.get(name).unwrap_or("")),
        _ => form.get(name).unwrap_or("").to_string(),
    };
    faro_formats::resources_csv::from_fields(&get)
}

fn messages(lang: Lang, errs: &[faro_domain::FieldError]) -> Vec<String> {
    errs.iter()
        .map(|e| {
            let value = if e.value.is_empty() {
                String::new()
            } else {
                format!(" ({})", e.value)
            };
            format!(
                "{}: {}{value}",
                i18n::t(lang, &format!("rfield-{}", e.field.replace('_', "-"))),
                i18n::t(lang, &format!("err-field-{}", e.code.replace('_', "-")))
            )
        })
        .collect()
}

async fn save(
    state: AppState,
    lang: Lang,
    uri: Uri,
    viewer: Viewer,
    form: FormData,
    existing: Option<kb::Stored>,
) -> PageResult {
    check_csrf(lang, &uri, &viewer, &form)?;
    let who = signed_in(lang, &uri, &viewer)?;
    let mut r = from_form(&form);
    if let Some(old) = &existing
        && !who.can_edit_resource(&old.resource)
    {
        return Err(PageError::forbidden(lang, &uri));
    }
    // An editor keeps at least one of their own institutions on the record
    // (otherwise they could not have created it, nor edit it again).
    if !who.may_assign_institutions(&r.institutions) {
        let p = Page::new(lang, &uri, "resources").viewer(&viewer);
        let version = form.get("version").unwrap_or("").to_string();
        let msg = p.t("resource-needs-own-institution");
        if let Some(old) = &existing {
            r.id = old.resource.id.clone();
        }
        return edit_view(
            &state,
            lang,
            &uri,
            &viewer,
            r,
            existing.is_none(),
            version,
            vec![msg],
            None,
        )
        .await;
    }
    match &existing {
        Some(old) => r.id = old.resource.id.clone(),
        None => {
            let title = match r.original_language.as_str() {
                "es" if !r.title_es.is_empty() => r.title_es.clone(),
                "pt" if !r.title_pt.is_empty() => r.title_pt.clone(),
                _ => r.title(Lang::En).to_string(),
            };
            let base = format!("r-{}", slugify(&title));
            let base = base.trim_end_matches('-').to_string();
            let mut id = base.clone();
            let mut n = 2;
            while matches!(kb::get_any(&state.store, &id).await, Ok(Some(_))) {
                id = format!("{base}-{n}");
                n += 1;
            }
            r.id = id
                .chars()
                .take(64)
                .collect::<String>()
                .trim_end_matches('-')
                .to_string();
        }
    }
    let version = form.get("version").unwrap_or("").to_string();
    let mut errs = messages(lang, &r.validate(obs::current()));
    if errs.is_empty() {
        // Relations must name records that exist (the store checks again,
        // inside its transaction).
        if let Ok(all) =
            faro_store::observatory::published_with_ids(&state.store, &r.related_measures).await
        {
            for m in r
                .related_measures
                .iter()
                .filter(|m| !all.iter().any(|x| &x.id == *m))
            {
                errs.push(format!(
                    "{}: {} ({m})",
                    i18n::t(lang, "rfield-related-measures"),
                    i18n::t(lang, "err-field-unknown-measure")
                ));
            }
        }
        if let Ok(all) = faro_store::events::all(&state.store).await {
            for s in r
                .related_sessions
                .iter()
                .filter(|s| !all.iter().any(|x| &x.id == *s))
            {
                errs.push(format!(
                    "{}: {} ({s})",
                    i18n::t(lang, "rfield-related-sessions"),
                    i18n::t(lang, "err-field-unknown-session")
                ));
            }
        }
    }
    if !errs.is_empty() {
        return edit_view(
            &state,
            lang,
            &uri,
            &viewer,
            r,
            existing.is_none(),
            version,
            errs,
            None,
        )
        .await;
    }
    let actor = Actor::new(who.actor_name(), form.text("reason"));
    // Lost-update check, in the store's write transaction: if someone saved
    // this resource after the form was opened, the form comes back with the
    // user's values and the newer version, so a second save is a deliberate
    // overwrite.
    // A create passes `NEW_RECORD`: it never overwrites a record that took
    // the id since it was chosen.
    let expected = match &existing {
        None => Some(faro_store::changes::NEW_RECORD),
        Some(_) => Some(version.as_str()),
    };
    match kb::save(&state.store, &r, &actor, expected).await {
        Ok(_) => Ok(see_other(&format!("/{}/resources/{}", lang.code(), r.id))),
        Err(faro_store::StoreError::Conflict) => {
            let current = match kb::get_any(&state.store, &r.id).await {
                Ok(Some((s, _))) => s.updated_at.to_rfc3339(),
                Ok(None) => return Err(PageError::not_found(lang, &uri)),
                Err(e) => return Err(PageError::server(lang, &uri, e)),
            };
            let msg = i18n::t(lang, "resource-changed-meanwhile");
            edit_view(
                &state,
                lang,
                &uri,
                &viewer,
                r,
                false,
                current,
                vec![msg],
                Some(StatusCode::CONFLICT),
            )
            .await
        }
        Err(
            e @ (faro_store::StoreError::Invalid(_) | faro_store::StoreError::Reference { .. }),
        ) => {
            let m = match &e {
                faro_store::StoreError::Invalid(m) => m.clone(),
                _ => i18n::store_error_message(lang, &e, e.code()),
            };
            let version = version.clone();
            edit_view(
                &state,
                lang,
                &uri,
                &viewer,
                r,
                existing.is_none(),
                version,
                vec![m],
                None,
            )
            .await
        }
        Err(e) => Err(PageError::server(lang, &uri, e)),
    }
}

pub async fn create(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    form: FormData,
) -> PageResult {
    save(state, lang, uri, viewer, form, None).await
}

pub async fn edit_form(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
) -> PageResult {
    let who = signed_in(lang, &uri, &viewer)?;
    match kb::get_any(&state.store, &id).await {
        Ok(Some((s, None))) if who.can_edit_resource(&s.resource) => {
            let version = s.updated_at.to_rfc3339();
            edit_view(
                &state,
                lang,
                &uri,
                &viewer,
                s.resource,
                false,
                version,
                vec![],
                None,
            )
            .await
        }
        Ok(Some((_, None))) => Err(PageError::forbidden(lang, &uri)),
        Ok(_) => Err(PageError::not_found(lang, &uri)),
        Err(e) => Err(PageError::server(lang, &uri, e)),
    }
}

pub async fn update(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    form: FormData,
) -> PageResult {
    match kb::get_any(&state.store, &id).await {
        Ok(Some((s, None))) => save(state, lang, uri, viewer, form, Some(s)).await,
        Ok(_) => Err(PageError::not_found(lang, &uri)),
        Err(e) => Err(PageError::server(lang, &uri, e)),
    }
}

/// Coordinators: soft delete (harvesters then see a deleted record) or restore.
async fn set_deleted(
    state: AppState,
    lang: Lang,
    uri: Uri,
    id: String,
    CoordinatorForm(who, form): CoordinatorForm,
    deleted: bool,
) -> PageResult {
    let actor = Actor::new(who.actor_name(), form.text("reason"));
    kb::set_deleted(&state.store, &id, deleted, &actor)
        .await
        .or_page(lang, &uri)?;
    Ok(if deleted {
        see_other(&format!("/{}/resources/{id}/history", lang.code()))
    } else {
        see_other(&format!("/{}/resources/{id}", lang.code()))
    })
}

pub async fn delete(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    form: CoordinatorForm,
) -> PageResult {
    set_deleted(state, lang, uri, id, form, true).await
}

pub async fn restore(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    form: CoordinatorForm,
) -> PageResult {
    set_deleted(state, lang, uri, id, form, false).await
}

/// Public history of a resource (its versions); a deleted one only for
/// coordinators, who can restore it there.
pub async fn history(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
) -> PageResult {
    let (s, deleted) = match kb::get_any(&state.store, &id).await {
        Ok(Some(v)) => v,
        Ok(None) => return Err(PageError::not_found(lang, &uri)),
        Err(e) => return Err(PageError::server(lang, &uri, e)),
    };
    if deleted.is_some() && !viewer.is_coordinator() {
        return Err(PageError::not_found(lang, &uri));
    }
    let rows = super::edit::history_rows(&state, lang, kb::RECORD_TYPE, &id)
        .await
        .or_500(lang, &uri)?;
    let page = super::edit::HistoryPage {
        p: Page::new(lang, &uri, "resources").viewer(&viewer),
        list_href: format!("/{}/resources", lang.code()),
        list_label: i18n::t(lang, "kb-title"),
        record_href: format!("/{}/resources/{}", lang.code(), s.resource.id),
        acronym: s.resource.title(lang).to_string(),
        id: s.resource.id,
        deleted: deleted.is_some(),
        rows,
    };
    Ok(render(StatusCode::OK, &page))
}
