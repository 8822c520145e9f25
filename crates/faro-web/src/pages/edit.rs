//! Editing institution profiles, their history, soft delete and restore.

use super::admin::short;
use super::{
    CoordinatorForm, CsrfForm, FormData, OrPage, OrServerError, Page, PageError, PageLang,
    PageResult, render, see_other,
};
use crate::auth::Viewer;
use crate::{AppState, i18n};
use askama::Template;
use axum::extract::{OriginalUri, Path, State};
use axum::http::{StatusCode, Uri};
use faro_domain::{Institution, InstitutionKind, Lang};
use faro_store::changes::{self, Actor};
use faro_store::institutions;

pub struct KindOpt {
    pub value: &'static str,
    pub label: String,
    pub selected: bool,
}

pub struct FieldErr {
    pub field: String,
    pub message: String,
}

#[derive(Template)]
#[template(path = "edit.html")]
pub struct EditPage {
    pub p: Page,
    pub i: Institution,
    pub coordinator_fields: bool,
    pub kinds: Vec<KindOpt>,
    pub errors: Vec<FieldErr>,
    pub saved: bool,
    /// The record's `updated_at` when the form was filled (lost-update check).
    pub version: String,
}

impl EditPage {
    pub fn opt<'a>(&self, v: &'a Option<String>) -> &'a str {
        v.as_deref().unwrap_or("")
    }
    pub fn has_error(&self, field: &str) -> bool {
        self.errors.iter().any(|e| e.field == field)
    }
}

/// The signed-in principal allowed to edit `id`, or the page to answer with.
fn editor(
    lang: Lang,
    uri: &Uri,
    viewer: &Viewer,
    id: &str,
) -> Result<faro_domain::accounts::Principal, PageError> {
    match &viewer.principal {
        None => Err(PageError::sign_in_required(lang, uri)),
        Some(p) if p.can_edit_institution(id) => Ok(p.clone()),
        Some(_) => Err(PageError::forbidden(lang, uri)),
    }
}

#[allow(clippy::too_many_arguments)]
fn edit_view(
    lang: Lang,
    uri: &Uri,
    viewer: &Viewer,
    i: Institution,
    errors: Vec<FieldErr>,
    saved: bool,
    status: StatusCode,
    version: String,
) -> PageResult {
    let kinds = InstitutionKind::ALL
        .iter()
        .map(|k| KindOpt {
            value: k.code(),
            label: i18n::kind_label(lang, k.code()),
            selected: *k == i.kind,
        })
        .collect();
    let page = EditPage {
        p: Page::new(lang, uri, "institutions").viewer(viewer),
        coordinator_fields: viewer
            .principal
            .as_ref()
            .is_some_and(|p| p.may_change_directory_facts()),
        kinds,
        errors,
        saved,
        version,
        i,
    };
    Ok(render(status, &page))
}

pub async fn edit_form(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
) -> PageResult {
    editor(lang, &uri, &viewer, &id)?;
    let version = institutions::version(&state.store, &id)
        .await
        .or_500(lang, &uri)?
        .unwrap_or_default();
    let i = institutions::get(&state.store, &id)
        .await
        .or_page(lang, &uri)?;
    edit_view(
        lang,
        &uri,
        &viewer,
        i,
        vec![],
        false,
        StatusCode::OK,
        version,
    )
}

/// Applies the submitted form to `i`. Editors change names, website,
/// descriptions and contact; coordinators also the directory facts.
fn apply_form(
    form: &FormData,
    i: &mut Institution,
    who: &faro_domain::accounts::Principal,
) -> Vec<(&'static str, &'static str)> {
    // Only fields present in the submission change: a field left out of a
    // form (or sent by an older client) keeps its value.
    let mut errs = Vec::new();
    let set = |name: &str, target: &mut String| {
        if let Some(v) = form.get(name) {
            *target = v.trim().to_string();
        }
    };
    let set_opt = |name: &str, target: &mut Option<String>| {
        if form.get(name).is_some() {
            *target = form.text(name);
        }
    };
    set("name_es", &mut i.name_es);
    set("name_en", &mut i.name_en);
    set("name_pt", &mut i.name_pt);
    set_opt("website", &mut i.website);
    set_opt("contact_email", &mut i.contact_email);
    set_opt("description_es", &mut i.description_es);
    set_opt("description_en", &mut i.description_en);
    set_opt("description_pt", &mut i.description_pt);
    // The directory facts (`accounts::DIRECTORY_FIELDS`): coordinators only.
    if who.may_change_directory_facts() {
        set("acronym", &mut i.acronym);
        set_opt("country", &mut i.country);
        i.country = i.country.take().map(|c| c.to_ascii_uppercase());
        if let Some(k) = form.get("kind") {
            match InstitutionKind::from_code(k) {
                Some(k) => i.kind = k,
                None => errs.push(("kind", "unknown_kind")),
            }
        }
        // Checkboxes are absent when unticked: the form marks that it sent them.
        if form.checked("coordinator_fields") {
            i.member = form.checked("member");
            i.presenter = form.checked("presenter");
        }
        set_opt("note", &mut i.note);
    }
    i.normalize();
    errs
}

pub async fn edit_submit(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    CsrfForm(form): CsrfForm,
) -> PageResult {
    let who = editor(lang, &uri, &viewer, &id)?;
    let mut i = institutions::get(&state.store, &id)
        .await
        .or_page(lang, &uri)?;
    let current = institutions::version(&state.store, &id)
        .await
        .or_500(lang, &uri)?
        .unwrap_or_default();
    // A form opened before someone else's save carries an older version:
    // the store refuses it (`Conflict`) and the form comes back below.
    let mut codes = apply_form(&form, &mut i, &who);
    codes.extend(i.validate_profile().into_iter().map(|e| (e.field, e.code)));
    if !codes.is_empty() {
        let errors = codes
            .into_iter()
            .map(|(field, code)| FieldErr {
                field: field.to_string(),
                message: format!(
                    "{}: {}",
                    i18n::t(lang, &format!("field-{}", field.replace('_', "-"))),
                    i18n::t(lang, &format!("err-field-{}", code.replace('_', "-")))
                ),
            })
            .collect();
        return edit_view(
            lang,
            &uri,
            &viewer,
            i,
            errors,
            false,
            StatusCode::UNPROCESSABLE_ENTITY,
            form.get("version").unwrap_or(&current).to_string(),
        );
    }
    let reason = form.text("reason");
    let actor = Actor::new(who.actor_name(), reason);
    match institutions::update(&state.store, &i, &actor, form.get("version")).await {
        Ok(_) => Ok(see_other(&format!(
            "/{}/institutions/{}?saved=1",
            lang.code(),
            i.id
        ))),
        // Someone saved after this form was opened: the form comes back
        // with the user's values and the newer version, nothing overwritten.
        // Clients without a version field (older ones) skip the check.
        Err(faro_store::StoreError::Conflict) => {
            let current = institutions::version(&state.store, &id)
                .await
                .ok()
                .flatten()
                .unwrap_or_default();
            let errors = vec![FieldErr {
                field: "version".into(),
                message: i18n::t(lang, "record-changed-meanwhile"),
            }];
            edit_view(
                lang,
                &uri,
                &viewer,
                i,
                errors,
                false,
                StatusCode::CONFLICT,
                current,
            )
        }
        Err(e) => Err(PageError::store(lang, &uri, e)),
    }
}

pub struct HistoryRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub field: String,
    pub old: String,
    pub new: String,
    pub reason: String,
    /// For two long texts: the word diff from the old to the new (then the
    /// page shows it instead of the shortened before and after).
    pub diff: Vec<crate::diff::Part>,
}

#[derive(Template)]
#[template(path = "history.html")]
pub struct HistoryPage {
    pub p: Page,
    pub id: String,
    pub acronym: String,
    pub deleted: bool,
    pub rows: Vec<HistoryRow>,
    /// The list the record belongs to, and the record's own page.
    pub list_href: String,
    pub list_label: String,
    pub record_href: String,
}

/// Public: who changed what, when (newest first). Actors are shown by the
/// name they chose or their role (`people`); visitors see the same history.
pub async fn history(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
) -> PageResult {
    if !faro_domain::institutions::is_slug(&id) {
        return Err(PageError::not_found(lang, &uri));
    }
    let (i, deleted) = institutions::get_with_state(&state.store, &id)
        .await
        .or_page(lang, &uri)?;
    if deleted.is_some() && !viewer.is_coordinator() {
        return Err(PageError::not_found(lang, &uri));
    }
    let rows = history_rows(&state, lang, institutions::RECORD_TYPE, &id)
        .await
        .or_500(lang, &uri)?;
    let page = HistoryPage {
        p: Page::new(lang, &uri, "institutions").viewer(&viewer),
        id: i.id.clone(),
        record_href: format!("/{}/institutions/{}", lang.code(), i.id),
        list_href: format!("/{}/institutions", lang.code()),
        list_label: i18n::t(lang, "directory-title"),

        acronym: i.acronym,
        deleted: deleted.is_some(),
        rows,
    };
    Ok(render(StatusCode::OK, &page))
}

/// Fields the history keeps for the audit log but public pages leave out:
/// who entered or reviewed (shown as the record's own people elsewhere) and
/// the review stamp.
const SYSTEM_FIELDS: &[&str] = &["entered_by", "reviewed_by", "last_reviewed"];

/// A history field's name as the record's form labels it, in the page's
/// language (the stored name when no label exists).
fn field_label(lang: Lang, record_type: &str, field: &str) -> String {
    let prefix = match record_type {
        "institution" => "field-",
        "measure" => "mfield-",
        "course" => "cfield-",
        "resource" => "rfield-",
        _ => return field.to_string(),
    };
    i18n::maybe(lang, &format!("{prefix}{}", field.replace('_', "-")))
        .unwrap_or_else(|| field.to_string())
}

/// A history value as people read it: dates in words, countries and kinds
/// by name, statuses and flags in the page's language; other text as kept.
fn history_value(lang: Lang, field: &str, v: &Option<String>) -> String {
    let text = short(v);
    let Some(raw) = v.as_deref().filter(|s| !s.is_empty()) else {
        return text;
    };
    if field.ends_with("_date")
        || field.ends_with("_start")
        || field.ends_with("_end")
        || field == "source_accessed"
    {
        return i18n::partial_date(lang, raw);
    }
    match field {
        "country" => crate::pages::search::facet_label(lang, "country", raw),
        "kind" => i18n::kind_label(lang, raw),
        "status" => i18n::maybe(lang, &format!("status-{raw}")).unwrap_or(text),
        "source_type" => {
            i18n::maybe(lang, &format!("source-{}", raw.replace('_', "-"))).unwrap_or(text)
        }
        "log_type" => i18n::maybe(lang, &format!("log-{}", raw.replace('_', "-"))).unwrap_or(text),
        "scope_level" | "scope_targeting" => {
            i18n::maybe(lang, &format!("scope-{}", raw.replace('_', "-"))).unwrap_or(text)
        }
        "target_groups" => raw
            .split(';')
            .map(|g| {
                i18n::maybe(lang, &format!("tg-{}", g.replace('_', "-")))
                    .unwrap_or_else(|| g.to_string())
            })
            .collect::<Vec<_>>()
            .join("; "),
        "member" | "presenter" | "mobile_friendly" | "downloadable" | "offline" | "broadcast" => {
            match raw {
                "true" => i18n::t(lang, "history-yes"),
                "false" => i18n::t(lang, "history-no"),
                _ => text,
            }
        }
        _ => text,
    }
}

/// A change's reason as people read it: the reasons Faro writes itself
/// (demonstration data, an accepted correction, an import, a harvest) in the
/// page's language; a person's own words as they wrote them.
pub fn reason_label(lang: Lang, reason: &str) -> String {
    if reason == faro_store::demo::REASON {
        return i18n::t(lang, "reason-demo");
    }
    if let Some(rest) = reason.strip_prefix("correction #")
        && let (n, note) = rest
            .split_once(':')
            .map(|(n, note)| (n, note.trim()))
            .unwrap_or((rest, ""))
        && let Ok(n) = n.parse::<u64>()
    {
        let head = i18n::t_args(lang, "reason-correction", &[("id", n.into())]);
        return if note.is_empty() {
            head
        } else {
            format!("{head}: {note}")
        };
    }
    for (prefix, key) in [
        ("import of ", "reason-import"),
        ("scheduled harvest of ", "reason-scheduled-harvest"),
        ("harvest of ", "reason-harvest"),
    ] {
        if let Some(rest) = reason.strip_prefix(prefix) {
            return format!("{} {rest}", i18n::t(lang, key));
        }
    }
    reason.to_string()
}

/// The rows of a record's history, newest first, for display.
pub async fn history_rows(
    state: &AppState,
    lang: Lang,
    record_type: &str,
    id: &str,
) -> Result<Vec<HistoryRow>, faro_store::StoreError> {
    let changes = changes::history(&state.store, record_type, id).await?;
    let mut rows = rows_of(state, lang, record_type, changes).await?;
    rows.reverse();
    Ok(rows)
}

/// What one accepted correction changed in its measure: the history rows
/// recorded with its reason (`correction #N: …`), oldest first, without
/// system fields, in the page's language.
pub async fn correction_changes(
    state: &AppState,
    lang: Lang,
    measure_id: &str,
    correction: i64,
) -> Result<Vec<HistoryRow>, faro_store::StoreError> {
    let record_type = faro_store::observatory::RECORD_TYPE;
    let changes = changes::history_with_reason(
        &state.store,
        record_type,
        measure_id,
        &format!("correction #{correction}:"),
    )
    .await?;
    rows_of(state, lang, record_type, changes).await
}

/// History rows for display, in the order given.
async fn rows_of(
    state: &AppState,
    lang: Lang,
    record_type: &str,
    changes: Vec<faro_store::entity::change_log::Model>,
) -> Result<Vec<HistoryRow>, faro_store::StoreError> {
    // Public: people by the name they chose or their role, never an e-mail.
    let people = crate::people::People::of_changes(&state.store, &changes).await?;
    Ok(changes
        .into_iter()
        .map(|c| people.change(lang, c))
        .filter(|c| !SYSTEM_FIELDS.contains(&c.field.as_str()))
        .map(|c| HistoryRow {
            diff: match (c.old_value.as_deref(), c.new_value.as_deref()) {
                (Some(a), Some(b)) if crate::diff::worth_it(a, b) => crate::diff::words(a, b),
                _ => Vec::new(),
            },
            at: i18n::moment(lang, c.at),
            actor: c.actor,
            action: i18n::t(lang, &format!("action-{}", c.action)),
            old: history_value(lang, &c.field, &c.old_value),
            new: history_value(lang, &c.field, &c.new_value),
            field: field_label(lang, record_type, &c.field),
            reason: reason_label(lang, c.reason.as_deref().unwrap_or_default()),
        })
        .collect())
}

/// Public history of a published measure.
pub async fn measure_history(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
) -> PageResult {
    let m = faro_store::observatory::get(&state.store, &id)
        .await
        .or_page(lang, &uri)?;
    let rows = history_rows(&state, lang, faro_store::observatory::RECORD_TYPE, &id)
        .await
        .or_500(lang, &uri)?;
    let page = HistoryPage {
        p: Page::new(lang, &uri, "observatory").viewer(&viewer),
        list_href: format!("/{}/observatory", lang.code()),
        list_label: i18n::t(lang, "obs-title"),
        record_href: format!("/{}/observatory/measures/{}", lang.code(), m.id),
        acronym: m.title(lang).to_string(),
        id: m.id,
        deleted: false,
        rows,
    };
    Ok(render(StatusCode::OK, &page))
}

async fn set_deleted(
    state: AppState,
    lang: Lang,
    id: String,
    uri: Uri,
    CoordinatorForm(who, form): CoordinatorForm,
    deleted: bool,
) -> PageResult {
    let reason = form.text("reason");
    let actor = Actor::new(who.actor_name(), reason);
    institutions::set_deleted(&state.store, &id, deleted, &actor)
        .await
        .or_page(lang, &uri)?;
    Ok(if deleted {
        see_other(&format!("/{}/admin/deleted", lang.code()))
    } else {
        see_other(&format!("/{}/institutions/{}", lang.code(), id))
    })
}

pub async fn delete(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    form: CoordinatorForm,
) -> PageResult {
    set_deleted(state, lang, id, uri, form, true).await
}

pub async fn restore(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    form: CoordinatorForm,
) -> PageResult {
    set_deleted(state, lang, id, uri, form, false).await
}
