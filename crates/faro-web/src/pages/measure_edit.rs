//! The observatory's editorial workflow: editors write measures for their own
//! institutions (draft → submitted); coordinators verify them or send them
//! back with a comment. Every save goes through the shared history.

use super::{
    CoordinatorForm, FormData, OrServerError, Page, PageError, PageLang, PageResult, check_csrf,
    render, see_other, signed_in,
};
use crate::auth::Viewer;
use crate::{AppState, i18n};
use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::{StatusCode, Uri};
use faro_domain::Lang;
use faro_domain::observatory::{self as obs, Measure};
use faro_store::changes::Actor;
use faro_store::observatory as store_obs;

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub struct CodeGroup {
    pub label: String,
    pub codes: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "measure_edit.html")]
pub struct EditPage {
    pub p: Page,
    pub m: Measure,
    pub is_new: bool,
    pub institutions: Vec<Choice>,
    pub groups: Vec<CodeGroup>,
    pub target_groups: Vec<Choice>,
    pub log_types: Vec<Choice>,
    pub scope_levels: Vec<Choice>,
    pub scope_targeting: Vec<Choice>,
    pub languages: Vec<Choice>,
    pub source_types: Vec<Choice>,
    pub errors: Vec<String>,
    /// The measure's `updated_at` when the form was filled (lost-update check).
    pub version: String,
}

pub fn choices(
    values: &[&str],
    selected: &[String],
    label: impl Fn(&str) -> String,
) -> Vec<Choice> {
    values
        .iter()
        .map(|v| Choice {
            value: v.to_string(),
            label: label(v),
            selected: selected.iter().any(|s| s == v),
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
async fn edit_view(
    state: &AppState,
    lang: Lang,
    uri: &Uri,
    viewer: &Viewer,
    m: Measure,
    is_new: bool,
    errors: Vec<String>,
    version: String,
    status: Option<StatusCode>,
) -> PageResult {
    let Some(who) = viewer.principal.as_ref() else {
        return Err(PageError::sign_in_required(lang, uri));
    };
    let all = faro_store::institutions::all(&state.store)
        .await
        .or_500(lang, uri)?;
    let institutions = all
        .into_iter()
        .filter(|i| who.can_edit_institution(&i.id))
        .map(|i| Choice {
            selected: i.id == m.institution,
            label: i.acronym,
            value: i.id,
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
                    selected: m.categories.contains(&c.code),
                })
                .collect(),
        })
        .collect();
    let one = |v: &str| vec![v.to_string()];
    let page = EditPage {
        p: Page::new(lang, uri, "observatory").viewer(viewer),
        target_groups: choices(obs::TARGET_GROUPS, &m.target_groups, |v| {
            i18n::t(lang, &format!("tg-{}", v.replace('_', "-")))
        }),
        log_types: choices(obs::LOG_TYPES, &one(&m.log_type), |v| {
            i18n::t(lang, &format!("log-{}", v.replace('_', "-")))
        }),
        scope_levels: choices(obs::SCOPE_LEVELS, &one(&m.scope_level), |v| {
            i18n::t(lang, &format!("scope-{v}"))
        }),
        scope_targeting: choices(obs::SCOPE_TARGETING, &one(&m.scope_targeting), |v| {
            i18n::t(lang, &format!("scope-{v}"))
        }),
        languages: choices(&["es", "en", "pt"], &one(&m.original_language), |v| {
            i18n::t(lang, &format!("lang-{v}"))
        }),
        source_types: choices(obs::SOURCE_TYPES, &one(&m.source_type), |v| {
            i18n::t(lang, &format!("source-{}", v.replace('_', "-")))
        }),
        institutions,
        groups,
        is_new,
        errors,
        version,
        m,
    };
    let status = status.unwrap_or(if page.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    });
    Ok(render(status, &page))
}

#[derive(serde::Deserialize)]
pub struct NewQuery {
    institution: Option<String>,
}

pub async fn new_form(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    q: Result<Query<NewQuery>, axum::extract::rejection::QueryRejection>,
) -> PageResult {
    let who = signed_in(lang, &uri, &viewer)?;
    let institution = q
        .ok()
        .and_then(|Query(q)| q.institution)
        .or_else(|| who.institutions.first().cloned())
        .unwrap_or_default();
    if !institution.is_empty() && !who.can_edit_institution(&institution) {
        return Err(PageError::forbidden(lang, &uri));
    }
    let m = Measure {
        institution,
        crisis: "covid-19".into(),
        log_type: "introduced".into(),
        original_language: lang.code().into(),
        source_type: "self_reported".into(),
        status: "draft".into(),
        ..Default::default()
    };
    edit_view(
        &state,
        lang,
        &uri,
        &viewer,
        m,
        true,
        vec![],
        String::new(),
        None,
    )
    .await
}

/// Words that say "there is no such date" in a date field, in es/en/pt.
const NONE_WORDS: &[&str] = &["none", "ninguna", "ninguno", "nenhuma", "nenhum"];

/// Reads the form into a measure (multi-valued fields from repeated inputs).
fn from_form(form: &FormData) -> Measure {
    let get = |name: &str| match name {
        "categories" | "target_groups" => form.all(name).join(";"),
        // "There is none" in the form's language (or the data's `none`).
        n if n.ends_with("_date") => {
            let v = form.get(name).unwrap_or("").trim();
            if NONE_WORDS.iter().any(|w| v.eq_ignore_ascii_case(w)) {
                "none".to_string()
            } else {
                v.to_string()
            }
        }
        _ => form.get(name).unwrap_or("").to_string(),
    };
    faro_formats::measures_csv::from_fields(&get)
}

pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.to_lowercase().chars() {
        let c = match c {
            'á' | 'à' | 'â' | 'ã' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'õ' | 'ö' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_matches('-')
        .chars()
        .take(40)
        .collect::<String>()
        .trim_matches('-')
        .to_string()
}

fn messages(lang: Lang, errs: &[faro_domain::FieldError]) -> Vec<String> {
    errs.iter()
        .map(|e| {
            format!(
                "{}: {}",
                i18n::t(lang, &format!("mfield-{}", e.field.replace('_', "-"))),
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
    existing: Option<Measure>,
) -> PageResult {
    check_csrf(lang, &uri, &viewer, &form)?;
    let who = signed_in(lang, &uri, &viewer)?;
    let mut m = from_form(&form);
    if let Some(old) = &existing {
        if !who.can_edit_measure(old) {
            return Err(PageError::forbidden(lang, &uri));
        }
        m.id = old.id.clone();
        m.entered_by = old.entered_by.clone();
        m.reviewed_by = old.reviewed_by.clone();
        m.last_reviewed = old.last_reviewed.clone();
    } else {
        m.entered_by = who.actor_name();
    }
    if !who.can_edit_measure(&m) {
        return Err(PageError::forbidden(lang, &uri));
    }
    // Editors save drafts or submit; any change to a verified measure goes
    // back to review.
    m.status = if form.get("action") == Some("submit") {
        "submitted".into()
    } else {
        "draft".into()
    };
    if let Ok(i) = faro_store::institutions::get(&state.store, &m.institution).await {
        m.country = i.country;
    }
    if existing.is_none() {
        let base = format!("m-{}-{}", m.institution, slugify(m.original_title()));
        let base = base.trim_end_matches('-').to_string();
        let mut id = base.clone();
        let mut n = 2;
        while matches!(store_obs::get_any(&state.store, &id).await, Ok(Some(_))) {
            id = format!("{base}-{n}");
            n += 1;
        }
        m.id = id
            .chars()
            .take(64)
            .collect::<String>()
            .trim_end_matches('-')
            .to_string();
    }
    let version = form.get("version").unwrap_or("").to_string();
    let errs = m.validate(obs::current());
    if !errs.is_empty() {
        return edit_view(
            &state,
            lang,
            &uri,
            &viewer,
            m,
            existing.is_none(),
            messages(lang, &errs),
            version,
            None,
        )
        .await;
    }
    let actor = Actor::new(who.actor_name(), form.text("reason"));
    // Lost-update check (see `resource_edit`); clients without a version
    // field skip it.
    // A create must not become an update of a record that took the id
    // since it was chosen (`NEW_RECORD` never matches a stored version).
    let expected = match &existing {
        None => Some(faro_store::changes::NEW_RECORD),
        Some(_) => form.get("version"),
    };
    match store_obs::save(&state.store, &m, &actor, expected).await {
        Ok(_) => {
            let newly_submitted = m.status == "submitted"
                && existing.as_ref().is_none_or(|o| o.status != "submitted");
            if newly_submitted {
                let coordinators = faro_store::accounts::active_emails_with_role(
                    &state.store,
                    faro_domain::accounts::Role::Coordinator,
                )
                .await
                .unwrap_or_default();
                notify(&state, lang, &coordinators, "submitted", &m).await;
            }
            Ok(see_other(&format!(
                "/{}/observatory/review#{}",
                lang.code(),
                m.id
            )))
        }
        Err(faro_store::StoreError::Conflict) => {
            let current = store_obs::version(&state.store, &m.id)
                .await
                .or_500(lang, &uri)?
                .unwrap_or_default();
            let msg = i18n::t(lang, "record-changed-meanwhile");
            edit_view(
                &state,
                lang,
                &uri,
                &viewer,
                m,
                false,
                vec![msg],
                current,
                Some(StatusCode::CONFLICT),
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
    match store_obs::get_any(&state.store, &id).await {
        Ok(Some(m)) if who.can_edit_measure(&m) => {
            let version = store_obs::version(&state.store, &m.id)
                .await
                .or_500(lang, &uri)?
                .unwrap_or_default();
            edit_view(&state, lang, &uri, &viewer, m, false, vec![], version, None).await
        }
        Ok(Some(_)) => Err(PageError::forbidden(lang, &uri)),
        Ok(None) => Err(PageError::not_found(lang, &uri)),
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
    match store_obs::get_any(&state.store, &id).await {
        Ok(Some(m)) => save(state, lang, uri, viewer, form, Some(m)).await,
        Ok(None) => Err(PageError::not_found(lang, &uri)),
        Err(e) => Err(PageError::server(lang, &uri, e)),
    }
}

/// Coordinators: verify a measure, or send it back to draft with a comment.
pub async fn review(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    CoordinatorForm(who, form): CoordinatorForm,
) -> PageResult {
    let comment = form.text("comment");
    let decision = match form.get("decision") {
        Some("verify") => store_obs::Decision::Verify,
        Some("send_back") if comment.is_some() => store_obs::Decision::SendBack,
        _ => {
            let p = Page::new(lang, &uri, "observatory").viewer(&viewer);
            let msg = p.t("review-comment-required");
            return Ok(super::message(
                StatusCode::UNPROCESSABLE_ENTITY,
                p,
                "review-title",
                msg,
            ));
        }
    };
    let actor = Actor::new(who.actor_name(), comment);
    // The version the queue showed: a measure sent back and submitted again
    // since (or edited) is a stale decision, refused like one not submitted.
    let expected = form.text("version");
    match store_obs::review(
        &state.store,
        &id,
        decision,
        &who.actor_name(),
        &actor,
        expected.as_deref(),
    )
    .await
    {
        Ok(()) => {
            if let Ok(Some(m)) = store_obs::get_any(&state.store, &id).await {
                let kind = match decision {
                    store_obs::Decision::Verify => "verified",
                    store_obs::Decision::SendBack => "sent-back",
                };
                notify(&state, lang, &author_email(&state, &m).await, kind, &m).await;
            }
            Ok(see_other(&format!("/{}/observatory/review", lang.code())))
        }
        // Not submitted (any more), or saved meanwhile: the decision is stale.
        Err(e @ (faro_store::StoreError::Rule(_) | faro_store::StoreError::Conflict)) => {
            let p = Page::new(lang, &uri, "observatory").viewer(&viewer);
            let msg = crate::i18n::store_error_message(lang, &e, e.code());
            Ok(super::message(StatusCode::CONFLICT, p, "review-title", msg))
        }
        Err(e) => Err(PageError::store(lang, &uri, e)),
    }
}

pub struct QueueRow {
    pub id: String,
    pub title: String,
    pub institution: String,
    pub status: String,
    pub submitted: bool,
    /// A draft the viewer may delete (its institution's editors, coordinators).
    pub deletable: bool,
    pub comment: String,
    /// The measure's version when the queue was shown (stale-decision check).
    pub version: String,
}

#[derive(Template)]
#[template(path = "review.html")]
pub struct ReviewPage {
    pub p: Page,
    pub rows: Vec<QueueRow>,
    pub can_create: bool,
}

pub async fn workspace(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
) -> PageResult {
    let who = signed_in(lang, &uri, &viewer)?;
    let scope = (!who.is_coordinator()).then(|| who.institutions.clone());
    let list = store_obs::in_workflow(&state.store, scope.as_deref())
        .await
        .or_500(lang, &uri)?;
    let mut rows = Vec::new();
    for (m, version) in list {
        // The last comment sent with a change (e.g. why it was sent back).
        let comment = faro_store::changes::history(&state.store, store_obs::RECORD_TYPE, &m.id)
            .await
            .ok()
            .and_then(|h| h.into_iter().rev().find_map(|c| c.reason))
            .unwrap_or_default();
        rows.push(QueueRow {
            title: m.title(lang).to_string(),
            institution: m.institution.clone(),
            status: i18n::t(lang, &format!("status-{}", m.status)),
            submitted: m.status == "submitted",
            deletable: m.status == "draft" && who.can_edit_measure(&m),
            id: m.id,
            comment,
            version,
        });
    }
    Ok(render(
        StatusCode::OK,
        &ReviewPage {
            p: Page::new(lang, &uri, "observatory").viewer(&viewer),
            rows,
            can_create: who.can_create_records(),
        },
    ))
}

/// Editors delete their own drafts (coordinators any draft): a soft delete,
/// the history kept. Only a draft: the store checks the state in the write
/// transaction, so a measure submitted meanwhile gets the conflict page.
pub async fn delete_draft(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    form: FormData,
) -> PageResult {
    check_csrf(lang, &uri, &viewer, &form)?;
    let who = signed_in(lang, &uri, &viewer)?;
    let m = store_obs::get_any(&state.store, &id)
        .await
        .or_500(lang, &uri)?
        .ok_or_else(|| PageError::not_found(lang, &uri))?;
    if !who.can_edit_measure(&m) {
        return Err(PageError::forbidden(lang, &uri));
    }
    let actor = Actor::new(who.actor_name(), form.text("reason"));
    match store_obs::delete_draft(&state.store, &id, &actor).await {
        Ok(()) => Ok(see_other(&format!("/{}/observatory/review", lang.code()))),
        Err(e @ (faro_store::StoreError::Rule(_) | faro_store::StoreError::Conflict)) => {
            let p = Page::new(lang, &uri, "observatory").viewer(&viewer);
            let msg = crate::i18n::store_error_message(lang, &e, e.code());
            Ok(super::message(StatusCode::CONFLICT, p, "review-title", msg))
        }
        Err(e) => Err(PageError::store(lang, &uri, e)),
    }
}

/// Tells people of a step of the workflow by e-mail (the account page shows
/// the same as notices): `kind` is `verified`, `sent-back` or `submitted`.
/// A failed or unconfigured mailer is logged, never an error for the user.
async fn notify(state: &AppState, lang: Lang, to: &[String], kind: &str, m: &Measure) {
    if to.is_empty() {
        return;
    }
    let link = format!(
        "{}/{}/observatory/review#{}",
        state.config.public_url.trim_end_matches('/'),
        lang.code(),
        m.id
    );
    let subject = i18n::t_args(
        lang,
        &format!("notify-{kind}-subject"),
        &[("title", i18n::FluentArg::Str(m.title(lang).to_string()))],
    );
    let body = i18n::t_args(
        lang,
        &format!("notify-{kind}-body"),
        &[
            ("title", i18n::FluentArg::Str(m.title(lang).to_string())),
            ("link", i18n::FluentArg::Str(link)),
        ],
    );
    for addr in to {
        crate::mail::send(state.config.mailer.as_ref(), addr, &subject, &body).await;
    }
}

/// The active account that entered a measure, by its e-mail address.
async fn author_email(state: &AppState, m: &Measure) -> Vec<String> {
    let Some((faro_domain::accounts::AccountRef::Email(e), _)) =
        faro_domain::accounts::actor_account(&m.entered_by)
    else {
        return vec![];
    };
    match faro_store::accounts::user_by_email(&state.store, &e).await {
        Ok(Some((u, _))) if !u.disabled => vec![u.email],
        _ => vec![],
    }
}
