//! Signing in and out, passwords, one-time links and API tokens.

use super::{
    CsrfForm, FormData, OrPage, OrServerError, Page, PageError, PageLang, PageResult, message,
    render, see_other,
};
use crate::auth::{self, ANON_CSRF_COOKIE, ClientIp, SESSION_COOKIE, Viewer};
use crate::{AppState, i18n};
use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::Response;
use faro_domain::Lang;
use faro_domain::accounts::{check_password, normalize_email};
use faro_store::accounts;
use faro_store::changes::Actor;

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub p: Page,
    pub email: String,
    pub next: String,
    pub error: Option<String>,
}

/// Visitors get a double-submit CSRF cookie the first time they see a form.
pub(crate) fn ensure_anon_csrf(state: &AppState, viewer: &mut Viewer) -> Option<String> {
    if viewer.csrf.is_some() {
        return None;
    }
    let token = accounts::random_token();
    viewer.csrf = Some(token.clone());
    Some(auth::set_cookie(
        state,
        ANON_CSRF_COOKIE,
        &token,
        Some(60 * 60 * 12),
    ))
}

pub(crate) fn with_cookie(mut r: Response, cookie: Option<String>) -> Response {
    if let Some(c) = cookie
        && let Ok(v) = HeaderValue::from_str(&c)
    {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

/// Where to go after signing in: `next` read as a URL path on this site.
/// Empty means the home page. `None` (refused): a control or space
/// character anywhere (browsers strip TAB/CR/LF and would turn
/// `/<TAB>/evil.example` into `//evil.example`), a backslash, anything
/// that is not an absolute path (`//host`, `https:`, `javascript:`), or a
/// path that resolves off this site. The answer is the path as a URL
/// parser normalised it (percent-encoded, dot segments resolved), safe in
/// a `Location` header.
pub(crate) fn parse_next(next: &str, lang: Lang) -> Option<String> {
    if next.is_empty() {
        return Some(format!("/{}/", lang.code()));
    }
    if next
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
        || !next.starts_with('/')
        || next.starts_with("//")
    {
        return None;
    }
    const BASE: &str = "http://faro.invalid/";
    let base = url::Url::parse(BASE).ok()?;
    let u = base.join(next).ok()?;
    if u.scheme() != "http"
        || u.host_str() != Some("faro.invalid")
        || u.port().is_some()
        || !u.username().is_empty()
        || u.password().is_some()
    {
        return None;
    }
    let path = &u[url::Position::BeforePath..];
    (path.starts_with('/') && !path.starts_with("//")).then(|| path.to_string())
}

#[derive(serde::Deserialize, Default)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn login_form(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    mut viewer: Viewer,
    q: Result<Query<NextQuery>, axum::extract::rejection::QueryRejection>,
) -> PageResult {
    let cookie = ensure_anon_csrf(&state, &mut viewer);
    // A `next` that would be refused is dropped here, not carried on.
    let next = q
        .ok()
        .and_then(|Query(q)| q.next)
        .filter(|n| parse_next(n, lang).is_some())
        .unwrap_or_default();
    let page = LoginPage {
        p: Page::new(lang, &uri, "login").viewer(&viewer),
        email: String::new(),
        next,
        error: None,
    };
    Ok(with_cookie(render(StatusCode::OK, &page), cookie))
}

fn too_many(lang: Lang, uri: &Uri, retry_after: i64) -> Response {
    let p = Page::new(lang, uri, "login");
    let m = i18n::t_args(
        lang,
        "login-throttled",
        &[("minutes", i18n::FluentArg::Num((retry_after + 59) / 60))],
    );
    let mut r = message(StatusCode::TOO_MANY_REQUESTS, p, "login-title", m);
    if let Ok(v) = HeaderValue::from_str(&retry_after.max(1).to_string()) {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    r
}

pub async fn login_submit(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    ClientIp(client): ClientIp,
    viewer: Viewer,
    CsrfForm(form): CsrfForm,
) -> PageResult {
    let raw_email = form.get("email").unwrap_or("").trim().to_lowercase();
    let account: String = raw_email.chars().take(254).collect();
    let password = form.get("password").unwrap_or("").to_string();
    let next = form.get("next").unwrap_or("").to_string();
    // Refused before any password check or session: the form again.
    let Some(next_path) = parse_next(&next, lang) else {
        let p = Page::new(lang, &uri, "login").viewer(&viewer);
        let error = Some(p.t("login-bad-next"));
        let page = LoginPage {
            p,
            email: raw_email,
            next: String::new(),
            error,
        };
        return Ok(render(StatusCode::BAD_REQUEST, &page));
    };
    let cfg = &state.config;
    let store = &state.store;
    // Refused: a client that failed too often (any accounts), or too often
    // on this account. Never the account itself: someone else's failures
    // only slow it down, so the right password from a client that has not
    // been failing goes through.
    let (by_account, by_client, oldest) =
        accounts::recent_failures(store, &account, &client, cfg.login_window)
            .await
            .or_500(lang, &uri)?;
    let by_pair = if by_account >= cfg.login_limit_account {
        accounts::pair_failures(store, &account, &client, cfg.login_window)
            .await
            .or_500(lang, &uri)?
    } else {
        // (This client's failures on it are among the account's.)
        by_account
    };
    if by_client >= cfg.login_limit_client || by_pair >= cfg.login_limit_account {
        let retry = oldest
            .map(|t| (t + cfg.login_window - chrono::Utc::now()).num_seconds())
            .unwrap_or(60);
        return Ok(too_many(lang, &uri, retry));
    }
    if by_account >= cfg.login_limit_account {
        let steps = (by_account - cfg.login_limit_account + 1).min(5) as u32;
        tokio::time::sleep(cfg.login_slowdown * steps).await;
    }
    let found = match normalize_email(&raw_email) {
        Ok(email) => accounts::user_by_email(store, &email)
            .await
            .or_500(lang, &uri)?,
        Err(_) => None,
    };
    // Same work and same answer whether or not the account exists.
    let (user, hash) = match found {
        Some((u, Some(h))) if !u.disabled => (Some(u), h),
        _ => (None, accounts::dummy_hash().await.to_string()),
    };
    let ok = accounts::verify_password(password, hash).await && user.is_some();
    let Some(user) = user.filter(|_| ok) else {
        if let Err(e) = accounts::record_login_failure(store, &account, &client).await {
            return Err(PageError::server(lang, &uri, e));
        }
        let p = Page::new(lang, &uri, "login").viewer(&viewer);
        let error = Some(p.t("login-failed"));
        let page = LoginPage {
            p,
            email: raw_email,
            next,
            error,
        };
        return Ok(render(StatusCode::OK, &page));
    };
    let _ = accounts::clear_login_failures(store, &account).await;
    let session = accounts::create_session(store, user.id)
        .await
        .or_500(lang, &uri)?;
    let max_age = accounts::SESSION_ABSOLUTE.num_seconds();
    let mut r = see_other(&next_path);
    for c in [
        auth::set_cookie(&state, SESSION_COOKIE, &session.token, Some(max_age)),
        auth::set_cookie(&state, ANON_CSRF_COOKIE, "", Some(0)),
    ] {
        if let Ok(v) = HeaderValue::from_str(&c) {
            r.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    tracing::info!(user = %user.email, "signed in");
    Ok(r)
}

pub async fn logout(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    _: CsrfForm,
) -> PageResult {
    if let Some(token) = &viewer.session_token
        && let Err(e) = accounts::end_session(&state.store, token).await
    {
        return Err(PageError::server(lang, &uri, e));
    }
    let mut r = see_other(&format!("/{}/", lang.code()));
    if let Ok(v) = HeaderValue::from_str(&auth::set_cookie(&state, SESSION_COOKIE, "", Some(0))) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(r)
}

#[derive(Template)]
#[template(path = "account.html")]
pub struct AccountPage {
    pub p: Page,
    pub email: String,
    pub role: String,
    pub institutions: Vec<(String, String)>,
    /// The public name (the form's value: as typed after a refused save).
    pub display_name: String,
    pub errors: Vec<String>,
    /// What happened to the person's work: decisions on their institutions'
    /// measures (editors), measures waiting for review (coordinators).
    pub notices: Vec<Notice>,
}

pub struct Notice {
    pub text: String,
    pub href: String,
    pub note: String,
}

/// The notices of the account page (see [`AccountPage::notices`]).
async fn notices(
    state: &AppState,
    lang: Lang,
    pr: &faro_domain::accounts::Principal,
) -> Result<Vec<Notice>, faro_store::StoreError> {
    if pr.is_coordinator() {
        let waiting = faro_store::observatory::in_workflow(&state.store, None)
            .await?
            .iter()
            .filter(|(m, _)| m.status == "submitted")
            .count() as u64;
        return Ok(vec![Notice {
            text: i18n::t_args(lang, "notice-waiting", &[("count", waiting.into())]),
            href: format!("/{}/observatory/review", lang.code()),
            note: String::new(),
        }]);
    }
    let mut out = Vec::new();
    for d in faro_store::observatory::decisions_for(&state.store, &pr.institutions, 5).await? {
        let Some(m) = faro_store::observatory::get_any(&state.store, &d.measure_id).await? else {
            continue;
        };
        let key = if d.status == "verified" {
            "notice-verified"
        } else {
            "notice-sent-back"
        };
        out.push(Notice {
            text: i18n::t_args(
                lang,
                key,
                &[("title", i18n::FluentArg::Str(m.title(lang).to_string()))],
            ),
            href: if d.status == "verified" {
                format!("/{}/observatory/measures/{}", lang.code(), m.id)
            } else {
                format!("/{}/observatory/measures/{}/edit", lang.code(), m.id)
            },
            note: format!(
                "{}{}",
                i18n::day(lang, d.at.date_naive()),
                d.reason.map(|r| format!(" · {r}")).unwrap_or_default()
            ),
        });
    }
    Ok(out)
}

async fn account_view(
    state: &AppState,
    lang: Lang,
    uri: &Uri,
    viewer: &Viewer,
    typed: Option<String>,
    errors: Vec<String>,
) -> PageResult {
    let Some(pr) = viewer.principal.clone() else {
        return Err(PageError::sign_in_required(lang, uri));
    };
    let mut institutions = Vec::new();
    for id in &pr.institutions {
        if let Ok(i) = faro_store::institutions::get(&state.store, id).await {
            institutions.push((i.id.clone(), i.acronym.clone()));
        }
    }
    let display_name = match typed {
        Some(t) => t,
        None => accounts::user(&state.store, pr.user_id)
            .await
            .or_500(lang, uri)?
            .display_name
            .unwrap_or_default(),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let notices = notices(state, lang, &pr).await.or_500(lang, uri)?;
    let page = AccountPage {
        p: Page::new(lang, uri, "account").viewer(viewer),
        email: pr.email.clone(),
        role: i18n::t(lang, &format!("role-{}", pr.role.code())),
        institutions,
        display_name,
        errors,
        notices,
    };
    Ok(render(status, &page))
}

pub async fn account_page(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
) -> PageResult {
    account_view(&state, lang, &uri, &viewer, None, vec![]).await
}

/// Sets the public name shown instead of the e-mail address (empty: the
/// role is shown).
pub async fn name_submit(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    CsrfForm(form): CsrfForm,
) -> PageResult {
    let Some(pr) = viewer.principal.clone() else {
        return Err(PageError::sign_in_required(lang, &uri));
    };
    let typed = form.get("display_name").unwrap_or("").to_string();
    let actor = Actor::new(pr.actor_name(), Some("display name".into()));
    match accounts::set_display_name(&state.store, pr.user_id, &typed, &actor).await {
        Ok(()) => Ok(see_other(&format!("/{}/account", lang.code()))),
        Err(faro_store::StoreError::Rule(code)) => {
            let msg = i18n::t(lang, &format!("err-{}", code.replace('_', "-")));
            account_view(&state, lang, &uri, &viewer, Some(typed), vec![msg]).await
        }
        Err(e) => Err(PageError::store(lang, &uri, e)),
    }
}

#[derive(Template)]
#[template(path = "password.html")]
pub struct PasswordPage {
    pub p: Page,
    /// `None`: change own password (asks for the current one). `Some`: set by link.
    pub token: Option<String>,
    pub errors: Vec<String>,
}

pub async fn password_form(
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
) -> PageResult {
    if viewer.principal.is_none() {
        return Err(PageError::sign_in_required(lang, &uri));
    }
    Ok(render(
        StatusCode::OK,
        &PasswordPage {
            p: Page::new(lang, &uri, "account").viewer(&viewer),
            token: None,
            errors: vec![],
        },
    ))
}

fn new_password_errors(lang: Lang, form: &FormData) -> Vec<String> {
    let new = form.get("new_password").unwrap_or("");
    let mut errors = Vec::new();
    if let Err(code) = check_password(new) {
        errors.push(i18n::t(lang, &format!("err-{}", code.replace('_', "-"))));
    }
    if form.get("confirm_password").unwrap_or("") != new {
        errors.push(i18n::t(lang, "err-password-mismatch"));
    }
    errors
}

pub async fn password_submit(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    CsrfForm(form): CsrfForm,
) -> PageResult {
    let Some(pr) = viewer.principal.clone() else {
        return Err(PageError::sign_in_required(lang, &uri));
    };
    let mut errors = new_password_errors(lang, &form);
    let current_ok = match accounts::user_by_email(&state.store, &pr.email).await {
        Ok(Some((_, Some(hash)))) => {
            accounts::verify_password(form.get("current_password").unwrap_or("").to_string(), hash)
                .await
        }
        Ok(_) => false,
        Err(e) => return Err(PageError::server(lang, &uri, e)),
    };
    if !current_ok {
        errors.insert(0, i18n::t(lang, "err-current-password"));
    }
    if !errors.is_empty() {
        let page = PasswordPage {
            p: Page::new(lang, &uri, "account").viewer(&viewer),
            token: None,
            errors,
        };
        return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    let hash = accounts::hash_password(form.get("new_password").unwrap_or("").to_string())
        .await
        .or_500(lang, &uri)?;
    let actor = Actor::new(pr.actor_name(), Some("password change".into()));
    if let Err(e) = accounts::set_password(
        &state.store,
        pr.user_id,
        hash,
        viewer.session_token.as_deref(),
        &actor,
    )
    .await
    {
        return Err(PageError::server(lang, &uri, e));
    }
    // Offered on the form: the API tokens made with the old password too.
    let revoked = if form.get("revoke_tokens").is_some() {
        accounts::revoke_all_tokens(state.store.write(), pr.user_id)
            .await
            .or_500(lang, &uri)?
    } else {
        0
    };
    let p = Page::new(lang, &uri, "account").viewer(&viewer);
    let mut m = p.t("password-changed");
    if revoked > 0 {
        m = format!(
            "{m} {}",
            i18n::t_args(
                lang,
                "password-tokens-revoked",
                &[("count", revoked.into())]
            )
        );
    }
    Ok(message(StatusCode::OK, p, "password-title", m))
}

#[derive(Template)]
#[template(path = "reset_request.html")]
pub struct ResetRequestPage {
    pub p: Page,
}

pub async fn reset_request_form(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    mut viewer: Viewer,
) -> PageResult {
    let cookie = ensure_anon_csrf(&state, &mut viewer);
    Ok(with_cookie(
        render(
            StatusCode::OK,
            &ResetRequestPage {
                p: Page::new(lang, &uri, "login").viewer(&viewer),
            },
        ),
        cookie,
    ))
}

/// Sends a one-time link by e-mail (or to the log). Returns the link.
pub async fn send_link(
    state: &AppState,
    lang: Lang,
    email: &str,
    token: &str,
    purpose: &str,
) -> String {
    let link = format!(
        "{}/{}/password-reset/{}",
        state.config.public_url.trim_end_matches('/'),
        lang.code(),
        token
    );
    let subject = i18n::t(lang, &format!("mail-{purpose}-subject"));
    let body = i18n::t_args(
        lang,
        &format!("mail-{purpose}-body"),
        &[
            ("link", link.clone().into()),
            (
                "hours",
                i18n::FluentArg::Num(accounts::LINK_TTL.num_hours()),
            ),
        ],
    );
    crate::mail::send(state.config.mailer.as_ref(), email, &subject, &body).await;
    link
}

/// Looks the account up, and makes and sends a reset link unless the
/// account already got `reset_limit_account` in the last hour. Runs off
/// the request path.
async fn reset_for(state: &AppState, lang: Lang, email: &str) {
    let user = match accounts::user_by_email(&state.store, email).await {
        Ok(Some((u, _))) if !u.disabled => u,
        Ok(_) => return,
        Err(e) => {
            tracing::error!(error = %e, "password reset: lookup failed");
            return;
        }
    };
    // Count and make the link under one lock, so that a burst of requests
    // (each in its own task) cannot all see the count below the limit.
    static COUNTING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    let counting = COUNTING.lock().await;
    let since = chrono::Utc::now() - chrono::Duration::hours(1);
    match accounts::links_since(&state.store, user.id, accounts::PURPOSE_RESET, since).await {
        Ok(n) if n >= state.config.reset_limit_account => {
            tracing::warn!(
                user = user.id,
                "password reset: limit per account reached; no e-mail"
            );
            return;
        }
        Ok(_) => {}
        Err(e) => {
            tracing::error!(error = %e, "password reset: count failed");
            return;
        }
    }
    let link = accounts::create_link(&state.store, user.id, accounts::PURPOSE_RESET).await;
    drop(counting);
    match link {
        Ok(token) => {
            send_link(state, lang, &user.email, &token, "reset").await;
        }
        Err(e) => tracing::error!(error = %e, "password reset: link not made"),
    }
}

pub async fn reset_request_submit(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    ClientIp(client): ClientIp,
    viewer: Viewer,
    CsrfForm(form): CsrfForm,
) -> PageResult {
    // Per client, whatever the address typed (so it says nothing about accounts).
    if !state
        .config
        .reset_throttle
        .allow(&client, state.config.reset_limit)
    {
        let p = Page::new(lang, &uri, "login").viewer(&viewer);
        let m = p.t("reset-throttled");
        let mut r = message(StatusCode::TOO_MANY_REQUESTS, p, "reset-title", m);
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("600"));
        return Ok(r);
    }
    // Looking the account up, making the link and sending the e-mail
    // happen after the answer: existing and unknown addresses answer
    // alike and at once.
    if let Ok(email) = normalize_email(form.get("email").unwrap_or("")) {
        let st = state.clone();
        tokio::spawn(async move { reset_for(&st, lang, &email).await });
    }
    // The same answer whether or not the account exists.
    let p = Page::new(lang, &uri, "login").viewer(&viewer);
    let m = p.t("reset-sent");
    Ok(message(StatusCode::OK, p, "reset-title", m))
}

fn link_invalid(lang: Lang, uri: &Uri, viewer: &Viewer) -> Response {
    let p = Page::new(lang, uri, "login").viewer(viewer);
    let m = p.t("reset-invalid");
    message(StatusCode::GONE, p, "reset-title", m)
}

pub async fn reset_form(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, token)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    mut viewer: Viewer,
) -> PageResult {
    match accounts::link_user(&state.store, &token).await {
        Ok(Some(_)) => {}
        Ok(None) => return Ok(link_invalid(lang, &uri, &viewer)),
        Err(e) => return Err(PageError::server(lang, &uri, e)),
    }
    let cookie = ensure_anon_csrf(&state, &mut viewer);
    let page = PasswordPage {
        p: Page::new(lang, &uri, "login").viewer(&viewer),
        token: Some(token),
        errors: vec![],
    };
    let mut r = with_cookie(render(StatusCode::OK, &page), cookie);
    r.headers_mut().insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    Ok(r)
}

pub async fn reset_submit(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, token)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    CsrfForm(form): CsrfForm,
) -> PageResult {
    match accounts::link_user(&state.store, &token).await {
        Ok(Some(_)) => {}
        Ok(None) => return Ok(link_invalid(lang, &uri, &viewer)),
        Err(e) => return Err(PageError::server(lang, &uri, e)),
    }
    let errors = new_password_errors(lang, &form);
    if !errors.is_empty() {
        let page = PasswordPage {
            p: Page::new(lang, &uri, "login").viewer(&viewer),
            token: Some(token),
            errors,
        };
        return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    let hash = accounts::hash_password(form.get("new_password").unwrap_or("").to_string())
        .await
        .or_500(lang, &uri)?;
    match accounts::use_link(&state.store, &token, hash).await {
        Ok(_) => {
            let p = Page::new(lang, &uri, "login").viewer(&viewer);
            let m = p.t("reset-done");
            Ok(message(StatusCode::OK, p, "reset-title", m))
        }
        Err(faro_store::StoreError::NotFound) => Ok(link_invalid(lang, &uri, &viewer)),
        Err(e) => Err(PageError::server(lang, &uri, e)),
    }
}

pub struct TokenRow {
    pub id: i64,
    pub name: String,
    pub created: String,
    pub last_used: String,
    pub revoked: bool,
}

#[derive(Template)]
#[template(path = "tokens.html")]
pub struct TokensPage {
    pub p: Page,
    pub rows: Vec<TokenRow>,
    pub new_secret: Option<String>,
    pub error: Option<String>,
}

async fn tokens_view(
    state: &AppState,
    lang: Lang,
    uri: &Uri,
    viewer: &Viewer,
    new_secret: Option<String>,
    error: Option<String>,
    status: StatusCode,
) -> PageResult {
    let Some(pr) = viewer.principal.as_ref() else {
        return Err(PageError::sign_in_required(lang, uri));
    };
    let rows = accounts::tokens(&state.store, pr.user_id)
        .await
        .or_500(lang, uri)?
        .into_iter()
        .map(|t| TokenRow {
            id: t.id,
            name: t.name,
            created: i18n::moment(lang, t.created_at),
            last_used: t
                .last_used_at
                .map(|d| i18n::moment(lang, d))
                .unwrap_or_else(|| "—".into()),
            revoked: t.revoked_at.is_some(),
        })
        .collect();
    let page = TokensPage {
        p: Page::new(lang, uri, "account").viewer(viewer),
        rows,
        new_secret,
        error,
    };
    let mut r = render(status, &page);
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(r)
}

pub async fn tokens_page(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
) -> PageResult {
    tokens_view(&state, lang, &uri, &viewer, None, None, StatusCode::OK).await
}

pub async fn token_create(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    CsrfForm(form): CsrfForm,
) -> PageResult {
    let Some(pr) = viewer.principal.clone() else {
        return Err(PageError::sign_in_required(lang, &uri));
    };
    match accounts::create_token(&state.store, pr.user_id, form.get("name").unwrap_or("")).await {
        Ok((_, secret)) => {
            tokens_view(
                &state,
                lang,
                &uri,
                &viewer,
                Some(secret),
                None,
                StatusCode::CREATED,
            )
            .await
        }
        Err(faro_store::StoreError::Invalid(_)) => {
            let e = i18n::t(lang, "err-token-name");
            tokens_view(
                &state,
                lang,
                &uri,
                &viewer,
                None,
                Some(e),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(PageError::server(lang, &uri, e)),
    }
}

pub async fn token_revoke(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((_, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    viewer: Viewer,
    _: CsrfForm,
) -> PageResult {
    let Some(pr) = viewer.principal.clone() else {
        return Err(PageError::sign_in_required(lang, &uri));
    };
    let Ok(id) = id.parse::<i64>() else {
        return Err(PageError::not_found(lang, &uri));
    };
    accounts::revoke_token(&state.store, id, &pr)
        .await
        .or_page(lang, &uri)?;
    Ok(see_other(&format!("/{}/account/tokens", lang.code())))
}
