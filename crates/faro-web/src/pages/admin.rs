//! Coordinators' pages: users and their scopes, the audit log, deleted records.

use super::{
    Coordinator, CoordinatorForm, FormData, OrPage, OrServerError, Page, PageError, PageLang,
    PageResult, render,
};
use crate::auth::Viewer;
use crate::{AppState, i18n};
use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::{StatusCode, Uri};
use faro_domain::Lang;
use faro_domain::accounts::Role;
use faro_store::accounts::{self, User};
use faro_store::changes::Actor;

/// The request a view is built for.
#[derive(Clone, Copy)]
struct Ctx<'a> {
    state: &'a AppState,
    lang: Lang,
    uri: &'a Uri,
    viewer: &'a Viewer,
}

impl<'a> Ctx<'a> {
    fn new(state: &'a AppState, lang: Lang, uri: &'a Uri, viewer: &'a Viewer) -> Ctx<'a> {
        Ctx {
            state,
            lang,
            uri,
            viewer,
        }
    }
}

pub struct InstOpt {
    pub id: String,
    pub label: String,
    pub selected: bool,
}

async fn inst_options(
    state: &AppState,
    selected: &[String],
) -> Result<Vec<InstOpt>, faro_store::StoreError> {
    Ok(faro_store::institutions::all(&state.store)
        .await?
        .into_iter()
        .map(|i| InstOpt {
            selected: selected.contains(&i.id),
            label: format!("{} ({})", i.acronym, i.id),
            id: i.id,
        })
        .collect())
}

#[derive(Template)]
#[template(path = "users.html")]
pub struct UsersPage {
    pub p: Page,
    pub users: Vec<User>,
    pub institutions: Vec<InstOpt>,
    pub errors: Vec<String>,
    pub email: String,
    pub created_link: Option<String>,
}

async fn users_view(
    cx: Ctx<'_>,
    status: StatusCode,
    errors: Vec<String>,
    email: String,
    selected: &[String],
    created_link: Option<String>,
) -> PageResult {
    let Ctx {
        state,
        lang,
        uri,
        viewer,
    } = cx;
    let users = accounts::users(&state.store).await.or_500(lang, uri)?;
    let institutions = inst_options(state, selected).await.or_500(lang, uri)?;
    Ok(render(
        status,
        &UsersPage {
            p: Page::new(lang, uri, "admin").viewer(viewer),
            users,
            institutions,
            errors,
            email,
            created_link,
        },
    ))
}

pub async fn users_page(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    _: Coordinator,
) -> PageResult {
    let cx = Ctx::new(&state, lang, &uri, &viewer);
    users_view(cx, StatusCode::OK, vec![], String::new(), &[], None).await
}

fn parse_role(lang: Lang, form: &FormData, errors: &mut Vec<String>) -> Role {
    match form.get("role").and_then(Role::from_code) {
        Some(r) => r,
        None => {
            errors.push(i18n::t(lang, "err-role"));
            Role::Editor
        }
    }
}

pub async fn user_create(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    CoordinatorForm(by, form): CoordinatorForm,
) -> PageResult {
    let cx = Ctx::new(&state, lang, &uri, &viewer);
    let mut errors = Vec::new();
    let email_raw = form.get("email").unwrap_or("").to_string();
    let email = faro_domain::accounts::normalize_email(&email_raw).unwrap_or_else(|_| {
        errors.push(i18n::t(lang, "err-invalid-email"));
        String::new()
    });
    let role = parse_role(lang, &form, &mut errors);
    let insts = form.all("institution");
    if role == Role::Editor && insts.is_empty() {
        errors.push(i18n::t(lang, "err-editor-needs-institution"));
    }
    if !errors.is_empty() {
        return users_view(
            cx,
            StatusCode::UNPROCESSABLE_ENTITY,
            errors,
            email_raw,
            &insts,
            None,
        )
        .await;
    }
    let actor = Actor::new(by.actor_name(), Some("account created".into()));
    match accounts::create_user(&state.store, &email, role, &insts, None, &actor).await {
        Ok(u) => {
            let token = accounts::create_link(&state.store, u.id, accounts::PURPOSE_SET)
                .await
                .or_500(lang, &uri)?;
            let link = super::account::send_link(&state, lang, &u.email, &token, "welcome").await;
            users_view(
                cx,
                StatusCode::CREATED,
                vec![],
                String::new(),
                &[],
                Some(link),
            )
            .await
        }
        Err(faro_store::StoreError::Invalid(msg)) => {
            let e = if msg.contains("already exists") {
                i18n::t(lang, "err-user-exists")
            } else {
                i18n::t(lang, "err-unknown-institution")
            };
            users_view(
                cx,
                StatusCode::UNPROCESSABLE_ENTITY,
                vec![e],
                email_raw,
                &insts,
                None,
            )
            .await
        }
        Err(e) => Err(PageError::server(lang, &uri, e)),
    }
}

#[derive(Template)]
#[template(path = "user_edit.html")]
pub struct UserEditPage {
    pub p: Page,
    pub u: User,
    pub institutions: Vec<InstOpt>,
    pub errors: Vec<String>,
    pub saved: bool,
}

async fn user_view(
    cx: Ctx<'_>,
    u: User,
    errors: Vec<String>,
    saved: bool,
    status: StatusCode,
) -> PageResult {
    let Ctx {
        state,
        lang,
        uri,
        viewer,
    } = cx;
    let institutions = inst_options(state, &u.institutions)
        .await
        .or_500(lang, uri)?;
    Ok(render(
        status,
        &UserEditPage {
            p: Page::new(lang, uri, "admin").viewer(viewer),
            u,
            institutions,
            errors,
            saved,
        },
    ))
}

pub async fn user_form(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    _: Coordinator,
) -> PageResult {
    let cx = Ctx::new(&state, lang, &uri, &viewer);
    let Ok(id) = id.parse::<i64>() else {
        return Err(PageError::not_found(lang, &uri));
    };
    let u = accounts::user(&state.store, id).await.or_page(lang, &uri)?;
    user_view(cx, u, vec![], false, StatusCode::OK).await
}

pub async fn user_update(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    CoordinatorForm(by, form): CoordinatorForm,
) -> PageResult {
    let cx = Ctx::new(&state, lang, &uri, &viewer);
    let Ok(id) = id.parse::<i64>() else {
        return Err(PageError::not_found(lang, &uri));
    };
    let mut u = accounts::user(&state.store, id).await.or_page(lang, &uri)?;
    let mut errors = Vec::new();
    let role = parse_role(lang, &form, &mut errors);
    let insts = form.all("institution");
    let disabled = form.checked("disabled");
    if role == Role::Editor && insts.is_empty() && !disabled {
        errors.push(i18n::t(lang, "err-editor-needs-institution"));
    }
    if id == by.user_id && (disabled || role != Role::Coordinator) {
        errors.push(i18n::t(lang, "err-self-demote"));
    }
    u.role = role;
    u.institutions = insts.clone();
    u.disabled = disabled;
    if !errors.is_empty() {
        return user_view(cx, u, errors, false, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let actor = Actor::new(by.actor_name(), Some("account changed".into()));
    match accounts::update_user(&state.store, id, role, &insts, disabled, &actor).await {
        Ok(_) => {
            let u = accounts::user(&state.store, id).await.or_500(lang, &uri)?;
            user_view(cx, u, vec![], true, StatusCode::OK).await
        }
        Err(faro_store::StoreError::Invalid(_)) => {
            let e = i18n::t(lang, "err-unknown-institution");
            user_view(cx, u, vec![e], false, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(PageError::server(lang, &uri, e)),
    }
}

#[derive(serde::Deserialize, Default)]
pub struct AuditQuery {
    actor: Option<String>,
    record_type: Option<String>,
    from: Option<String>,
    until: Option<String>,
    page: Option<String>,
}

pub struct AuditRow {
    pub at: String,
    pub actor: String,
    pub record_type: String,
    pub record_id: String,
    pub record_href: Option<String>,
    pub action: String,
    pub field: String,
    pub old: String,
    pub new: String,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
pub struct AuditPage {
    pub p: Page,
    pub rows: Vec<AuditRow>,
    pub actors: Vec<String>,
    pub types: Vec<String>,
    pub actor: String,
    pub record_type: String,
    pub from: String,
    pub until: String,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    pub prev: Option<String>,
    pub next: Option<String>,
}

pub fn record_href(lang: Lang, record_type: &str, id: &str) -> Option<String> {
    match record_type {
        "institution" => Some(format!("/{}/institutions/{}/history", lang.code(), id)),
        "user" => Some(format!("/{}/admin/users/{}", lang.code(), id)),
        _ => None,
    }
}

pub fn short(v: &Option<String>) -> String {
    match v {
        None => "—".into(),
        Some(s) if s.chars().count() > 200 => {
            format!("{}…", s.chars().take(200).collect::<String>())
        }
        Some(s) => s.clone(),
    }
}

#[allow(clippy::result_large_err)]
fn parse_date(
    lang: Lang,
    uri: &Uri,
    name: &str,
    v: &Option<String>,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, PageError> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|d| Some(d.and_utc()))
            .ok_or_else(|| {
                PageError::bad_request(
                    lang,
                    uri,
                    crate::params::ParamError::new(name, "invalid_date", s),
                )
            }),
    }
}

pub async fn audit_page(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    _: Coordinator,
    q: Result<Query<AuditQuery>, axum::extract::rejection::QueryRejection>,
) -> PageResult {
    let Ok(Query(q)) = q else {
        return Err(PageError::malformed_query(lang, &uri));
    };
    let from = parse_date(lang, &uri, "from", &q.from)?;
    let until = parse_date(lang, &uri, "until", &q.until)?.map(|d| d + chrono::Duration::days(1));
    let page = match q.page.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => 1,
        Some(s) => match s.parse::<u64>() {
            Ok(n) if (1..=100_000).contains(&n) => n,
            _ => {
                return Err(PageError::bad_request(
                    lang,
                    &uri,
                    crate::params::ParamError::new("page", "invalid_number", s),
                ));
            }
        },
    };
    let nonempty = |v: &Option<String>| {
        v.clone()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let filter = faro_store::audit::AuditFilter {
        actor: nonempty(&q.actor),
        record_type: nonempty(&q.record_type),
        from,
        until,
    };
    const PER: u64 = 100;
    let (items, total) = faro_store::audit::search(&state.store, &filter, page, PER)
        .await
        .or_500(lang, &uri)?;
    let (actors, types) = faro_store::audit::facets(&state.store)
        .await
        .or_500(lang, &uri)?;
    let rows = items
        .into_iter()
        .map(|c| AuditRow {
            at: i18n::moment(lang, c.at),
            record_href: record_href(lang, &c.record_type, &c.record_id),
            actor: c.actor,
            record_type: c.record_type,
            record_id: c.record_id,
            action: i18n::t(lang, &format!("action-{}", c.action)),
            field: c.field,
            old: short(&c.old_value),
            new: short(&c.new_value),
            reason: c.reason.unwrap_or_default(),
        })
        .collect();
    let pages = total.div_ceil(PER).max(1);
    let link = |n: u64| {
        let mut pairs = vec![("page", n.to_string())];
        for (k, v) in [
            ("actor", &q.actor),
            ("record_type", &q.record_type),
            ("from", &q.from),
            ("until", &q.until),
        ] {
            if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                pairs.push((k, v.to_string()));
            }
        }
        format!(
            "/{}/admin/audit{}",
            lang.code(),
            crate::toolkit::query_string(&pairs)
        )
    };
    let (prev, next) = crate::toolkit::prev_next(page, pages, link);
    let view = AuditPage {
        p: Page::new(lang, &uri, "admin").viewer(&viewer),
        rows,
        actors,
        types,
        actor: q.actor.clone().unwrap_or_default(),
        record_type: q.record_type.clone().unwrap_or_default(),
        from: q.from.clone().unwrap_or_default(),
        until: q.until.clone().unwrap_or_default(),
        total,
        page,
        pages,
        prev,
        next,
    };
    Ok(render(StatusCode::OK, &view))
}

pub struct DeletedRow {
    pub id: String,
    pub acronym: String,
    pub at: String,
    /// The record's area path: `institutions` or `resources`.
    pub area: &'static str,
}

#[derive(Template)]
#[template(path = "deleted.html")]
pub struct DeletedPage {
    pub p: Page,
    pub rows: Vec<DeletedRow>,
}

pub async fn deleted_page(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    _: Coordinator,
) -> PageResult {
    let mut rows: Vec<DeletedRow> = faro_store::institutions::deleted(&state.store)
        .await
        .or_500(lang, &uri)?
        .into_iter()
        .map(|(i, at)| DeletedRow {
            id: i.id,
            acronym: i.acronym,
            at: i18n::moment(lang, at),
            area: "institutions",
        })
        .collect();
    rows.extend(
        faro_store::knowledge::deleted(&state.store)
            .await
            .or_500(lang, &uri)?
            .into_iter()
            .map(|(s, at)| DeletedRow {
                acronym: s.resource.title(lang).to_string(),
                id: s.resource.id,
                at: i18n::moment(lang, at),
                area: "resources",
            }),
    );
    Ok(render(
        StatusCode::OK,
        &DeletedPage {
            p: Page::new(lang, &uri, "admin").viewer(&viewer),
            rows,
        },
    ))
}
