//! HTML pages, one module per area. Pages are server-rendered (askama),
//! need no JavaScript and stay small on slow links.

pub mod account;
pub mod admin;
pub mod attendance;
pub mod catalogues;
pub mod corrections;
pub mod courses;
pub mod data;
pub mod edit;
pub mod error;
pub mod events;
pub mod events_import;
pub mod extract;
pub mod home;
pub mod institutions;
pub mod knowledge;
pub mod measure_edit;
pub mod observatory;
pub mod ops;
pub mod reports;
pub mod resource_edit;
pub mod search;
pub mod series_edit;
pub mod survey_results;
pub mod surveys;

use crate::AppState;
use crate::i18n::{self, FluentArg};
use askama::Template;
use axum::Router;
use axum::extract::OriginalUri;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use faro_domain::Lang;

pub use crate::toolkit::ld_json;
pub use error::{OrBadRequest, OrPage, OrServerError, PageError, PageResult};
pub use extract::{Coordinator, CoordinatorForm, CsrfForm, check_csrf, signed_in};

pub fn router() -> Router<AppState> {
    use axum::routing::post;
    Router::new()
        .route("/{lang}", get(lang_root_redirect))
        .route("/{lang}/", get(home::home))
        .route("/{lang}/search", get(search::search_page))
        .route("/{lang}/observatory", get(observatory::observatory))
        .route("/{lang}/observatory/codebook", get(observatory::codebook))
        .route("/{lang}/observatory/charts", get(observatory::charts))
        .route(
            "/{lang}/observatory/measures/{id}",
            get(observatory::measure),
        )
        .route(
            "/{lang}/observatory/measures/{id}/corrections",
            post(corrections::suggest),
        )
        .route("/{lang}/observatory/corrections", get(corrections::log))
        .route(
            "/{lang}/observatory/corrections/{id}",
            get(corrections::review),
        )
        .route("/{lang}/observatory/review", get(measure_edit::workspace))
        .route(
            "/{lang}/observatory/measures/{id}/history",
            get(edit::measure_history),
        )
        .route("/{lang}/observatory/measures", post(measure_edit::create))
        .route(
            "/{lang}/observatory/measures/new",
            get(measure_edit::new_form),
        )
        .route(
            "/{lang}/observatory/measures/{id}/edit",
            get(measure_edit::edit_form).post(measure_edit::update),
        )
        .route(
            "/{lang}/observatory/measures/{id}/review",
            post(measure_edit::review),
        )
        .route(
            "/{lang}/observatory/measures/{id}/delete",
            post(measure_edit::delete_draft),
        )
        .route(
            "/{lang}/observatory/corrections/{id}/accept",
            post(corrections::accept),
        )
        .route(
            "/{lang}/observatory/corrections/{id}/reject",
            post(corrections::reject),
        )
        .route("/{lang}/courses", get(courses::list).post(courses::create))
        .route("/{lang}/courses/new", get(courses::new_form))
        .route("/{lang}/courses/{id}", get(courses::page))
        .route(
            "/{lang}/courses/{id}/edit",
            get(courses::edit_form).post(courses::update),
        )
        .route("/{lang}/courses/{id}/history", get(courses::history))
        .route("/{lang}/courses/{id}/runs/{file}", get(courses::run_ics))
        .route("/{lang}/institutions", get(institutions::directory))
        .route(
            "/{lang}/resources",
            get(knowledge::list).post(resource_edit::create),
        )
        .route("/{lang}/resources/new", get(resource_edit::new_form))
        .route("/{lang}/resources/{id}", get(knowledge::page))
        .route(
            "/{lang}/resources/{id}/edit",
            get(resource_edit::edit_form).post(resource_edit::update),
        )
        .route("/{lang}/resources/{id}/delete", post(resource_edit::delete))
        .route(
            "/{lang}/resources/{id}/files/{sha}/remove",
            post(knowledge::remove_file),
        )
        .route(
            "/{lang}/resources/{id}/restore",
            post(resource_edit::restore),
        )
        .route(
            "/{lang}/resources/{id}/history",
            get(resource_edit::history),
        )
        .route("/{lang}/events", get(events::list).post(events::create))
        .route("/{lang}/events/new", get(events::new_form))
        .route(
            "/{lang}/events/import",
            get(events_import::form).post(events_import::upload),
        )
        .route("/{lang}/events/series", post(series_edit::create))
        .route("/{lang}/events/series/new", get(series_edit::new_form))
        .route("/{lang}/events/series/{id}", get(events::series))
        .route(
            "/{lang}/events/series/{id}/edit",
            get(series_edit::edit_form).post(series_edit::update),
        )
        .route(
            "/{lang}/events/series/{id}/register",
            post(events::register_series),
        )
        .route("/{lang}/events/{id}", get(events::session))
        .route(
            "/{lang}/events/{id}/register",
            post(events::register_session),
        )
        .route(
            "/{lang}/events/{id}/edit",
            get(events::edit_form).post(events::update_session),
        )
        .route("/{lang}/events/{id}/registrants", get(events::registrants))
        .route(
            "/{lang}/events/{id}/registrants.csv",
            get(events::registrants_csv),
        )
        .route("/{lang}/events/{id}/message", post(events::send_message))
        .route("/{lang}/registrations", get(events::personal))
        .route("/{lang}/registrations/confirm", post(events::confirm))
        .route("/{lang}/registrations/cancel", post(events::cancel))
        .route("/{lang}/registrations/update", post(events::update))
        .route("/{lang}/registrations/erase", post(events::erase))
        .route("/{lang}/registrations/export", get(events::export_mine))
        .route("/{lang}/registrations/link", post(events::request_link))
        .route("/{lang}/admin/jobs", get(events::jobs_page))
        .route("/{lang}/data", get(data::page))
        .route("/{lang}/institutions/{id}", get(institutions::profile))
        .route("/{lang}/institutions/{id}/history", get(edit::history))
        .route(
            "/{lang}/institutions/{id}/edit",
            get(edit::edit_form).post(edit::edit_submit),
        )
        .route(
            "/{lang}/institutions/{id}/catalogues",
            get(catalogues::page).post(catalogues::save),
        )
        .route(
            "/{lang}/institutions/{id}/catalogues/{source}/harvest",
            post(catalogues::harvest_now),
        )
        .route("/{lang}/institutions/{id}/delete", post(edit::delete))
        .route("/{lang}/institutions/{id}/restore", post(edit::restore))
        .route(
            "/{lang}/login",
            get(account::login_form).post(account::login_submit),
        )
        .route("/{lang}/logout", post(account::logout))
        .route("/{lang}/account", get(account::account_page))
        .route("/{lang}/account/name", post(account::name_submit))
        .route(
            "/{lang}/account/password",
            get(account::password_form).post(account::password_submit),
        )
        .route(
            "/{lang}/password-reset",
            get(account::reset_request_form).post(account::reset_request_submit),
        )
        .route(
            "/{lang}/password-reset/{token}",
            get(account::reset_form).post(account::reset_submit),
        )
        .route(
            "/{lang}/account/tokens",
            get(account::tokens_page).post(account::token_create),
        )
        .route(
            "/{lang}/account/tokens/{id}/revoke",
            post(account::token_revoke),
        )
        .route(
            "/{lang}/admin/users",
            get(admin::users_page).post(admin::user_create),
        )
        .route(
            "/{lang}/admin/users/{id}",
            get(admin::user_form).post(admin::user_update),
        )
        .route("/{lang}/admin/audit", get(admin::audit_page))
        .route("/{lang}/admin/deleted", get(admin::deleted_page))
        .merge(attendance::routes())
        .merge(surveys::router())
        .merge(reports::router())
}

/// Form fields as submitted (repeated names kept, nothing fails to parse).
pub struct FormData(pub Vec<(String, String)>);

impl FormData {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    /// Trimmed, `None` when empty.
    pub fn text(&self, name: &str) -> Option<String> {
        self.get(name)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(String::from)
    }
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect()
    }
    pub fn checked(&self, name: &str) -> bool {
        matches!(self.get(name), Some("true" | "on" | "1"))
    }
}

impl<S: Send + Sync> axum::extract::FromRequest<S> for FormData {
    type Rejection = Response;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Form::<Vec<(String, String)>>::from_request(req, state).await {
            Ok(axum::Form(v)) => Ok(FormData(v)),
            Err(e) => Err((StatusCode::BAD_REQUEST, e.body_text()).into_response()),
        }
    }
}

/// A message page: the status, a heading and a sentence (all translated).
pub fn message(status: StatusCode, p: Page, heading_key: &str, message: String) -> Response {
    let page = ErrorPage {
        title: p.t(heading_key),
        heading: p.t(heading_key),
        message,
        show_languages: false,
        p,
    };
    render(status, &page)
}

/// 403 for a form without a valid CSRF token. Nothing was changed.
pub fn csrf_failed(lang: Lang, uri: &Uri) -> Response {
    let p = Page::new(lang, uri, "");
    let m = p.t("csrf-failed");
    message(StatusCode::FORBIDDEN, p, "forbidden-title", m)
}

/// 401: sign in first (with a link to the login page).
pub fn sign_in_required(lang: Lang, uri: &Uri) -> Response {
    let p = Page::new(lang, uri, "");
    let m = p.t("sign-in-required");
    let mut r = message(StatusCode::UNAUTHORIZED, p, "sign-in-title", m);
    if let Ok(v) = format!(
        "/{}/login{}",
        lang.code(),
        crate::toolkit::query_string(&[("next", uri.to_string())])
    )
    .parse()
    {
        r.headers_mut().insert("x-login-url", v);
    }
    r
}

pub fn forbidden(lang: Lang, uri: &Uri) -> Response {
    let p = Page::new(lang, uri, "");
    let m = p.t("forbidden-body");
    message(StatusCode::FORBIDDEN, p, "forbidden-title", m)
}

/// 303 to `to`.
pub fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// One entry of the language switcher and of the `hreflang` alternates.
pub struct Alt {
    pub lang: &'static str,
    pub name: &'static str,
    pub href: String,
    pub current: bool,
}

/// What every page template needs: its language and the same page in the
/// other languages.
pub struct Page {
    pub lang: Lang,
    pub code: &'static str,
    pub alternates: Vec<Alt>,
    pub x_default: String,
    /// Which navigation entry is current.
    pub section: &'static str,
    /// The signed-in user's e-mail, if any.
    pub user: Option<String>,
    pub coordinator: bool,
    /// CSRF token for forms on this page ("" for visitors without one).
    pub csrf: String,
    /// schema.org JSON-LD for the page (escaped for a script data block).
    pub ld: String,
}

impl Page {
    /// `uri` is the current request; its first path segment is replaced by
    /// each language, the query string is kept.
    pub fn new(lang: Lang, uri: &Uri, section: &'static str) -> Page {
        let path = uri.path();
        let rest = path
            .strip_prefix('/')
            .and_then(|p| p.split_once('/').map(|(_, r)| r))
            .unwrap_or("");
        let query = uri.query().map(|q| format!("?{q}")).unwrap_or_default();
        let href = |l: Lang| format!("/{}/{}{}", l.code(), rest, query);
        Page {
            lang,
            code: lang.code(),
            alternates: Lang::ALL
                .iter()
                .map(|&l| Alt {
                    lang: l.code(),
                    name: l.endonym(),
                    href: href(l),
                    current: l == lang,
                })
                .collect(),
            x_default: href(Lang::Es),
            section,
            user: None,
            coordinator: false,
            csrf: String::new(),
            ld: String::new(),
        }
    }

    /// Adds schema.org JSON-LD describing the page.
    pub fn with_ld(mut self, v: serde_json::Value) -> Page {
        self.ld = ld_json(&v);
        self
    }

    /// Adds who is looking (for the header and the forms' CSRF token).
    pub fn viewer(mut self, v: &crate::auth::Viewer) -> Page {
        self.user = v.principal.as_ref().map(|p| p.email.clone());
        self.coordinator = v.is_coordinator();
        self.csrf = v.csrf.clone().unwrap_or_default();
        self
    }

    pub fn t(&self, key: &str) -> String {
        i18n::t(self.lang, key)
    }

    /// A message with a number (plural rules apply).
    pub fn tn(&self, key: &str, count: &u64) -> String {
        i18n::t_args(self.lang, key, &[("count", FluentArg::from(*count))])
    }

    /// A message with one text argument.
    pub fn ts(&self, key: &str, name: &'static str, value: &str) -> String {
        i18n::t_args(self.lang, key, &[(name, FluentArg::from(value))])
    }

    /// A message about one report edition (`$edition`).
    pub fn t_n(&self, key: &str, edition: impl std::borrow::Borrow<i32>) -> String {
        let n = *edition.borrow() as i64;
        i18n::t_args(self.lang, key, &[("edition", FluentArg::Num(n))])
    }

    /// A message about two report editions (`$a`, `$b`).
    pub fn t_ab(
        &self,
        key: &str,
        a: impl std::borrow::Borrow<i32>,
        b: impl std::borrow::Borrow<i32>,
    ) -> String {
        let (a, b) = (*a.borrow() as i64, *b.borrow() as i64);
        i18n::t_args(
            self.lang,
            key,
            &[("a", FluentArg::Num(a)), ("b", FluentArg::Num(b))],
        )
    }

    pub fn country(&self, code: &str) -> String {
        faro_domain::country::by_code(code)
            .map(|c| c.name(self.lang).to_string())
            .unwrap_or_else(|| code.to_string())
    }

    pub fn is(&self, section: &str) -> bool {
        self.section == section
    }
}

pub fn render<T: Template>(status: StatusCode, t: &T) -> Response {
    match t.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template error");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

/// The language from the first path segment, or the Spanish 404 page.
#[allow(clippy::result_large_err)]
pub fn lang_or_404(code: &str) -> Result<Lang, Response> {
    Lang::from_code(code).ok_or_else(unknown_language)
}

/// Extractor: the page's language, from the first path segment. An unknown
/// one answers the Spanish 404 page with links to the three languages.
pub struct PageLang(pub Lang);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for PageLang {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        let first = parts
            .uri
            .path()
            .trim_start_matches('/')
            .split('/')
            .next()
            .unwrap_or("");
        lang_or_404(first).map(PageLang)
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub p: Page,
    pub title: String,
    pub heading: String,
    pub message: String,
    pub show_languages: bool,
}

/// 404 for an unknown language prefix: Spanish, with a way into each language.
pub fn unknown_language() -> Response {
    let uri: Uri = "/es/".parse().expect("static uri");
    let p = Page::new(Lang::Es, &uri, "");
    let page = ErrorPage {
        title: p.t("not-found-title"),
        heading: p.t("not-found-title"),
        message: p.t("not-found-language"),
        show_languages: true,
        p,
    };
    render(StatusCode::NOT_FOUND, &page)
}

pub fn not_found(lang: Lang, uri: &Uri) -> Response {
    let p = Page::new(lang, uri, "");
    let page = ErrorPage {
        title: p.t("not-found-title"),
        heading: p.t("not-found-title"),
        message: p.t("not-found-body"),
        show_languages: false,
        p,
    };
    render(StatusCode::NOT_FOUND, &page)
}

pub fn bad_request(lang: Lang, uri: &Uri, err: &crate::params::ParamError) -> Response {
    let p = Page::new(lang, uri, "");
    let page = ErrorPage {
        title: p.t("bad-request-title"),
        heading: p.t("bad-request-title"),
        message: i18n::t_args(
            lang,
            &format!("err-{}", err.code.replace('_', "-")),
            &err.args(),
        ),
        show_languages: false,
        p,
    };
    render(StatusCode::BAD_REQUEST, &page)
}

pub fn malformed_query(lang: Lang, uri: &Uri) -> Response {
    let err = crate::params::ParamError::new("query", "malformed_query", uri.query().unwrap_or(""));
    bad_request(lang, uri, &err)
}

pub fn server_error(lang: Lang, uri: &Uri, e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "page failed");
    let p = Page::new(lang, uri, "");
    let page = ErrorPage {
        title: p.t("server-error-title"),
        heading: p.t("server-error-title"),
        message: p.t("server-error-body"),
        show_languages: false,
        p,
    };
    render(StatusCode::INTERNAL_SERVER_ERROR, &page)
}

/// 503 with `Retry-After`: the database does not answer (see
/// [`crate::layers::database_down`]).
pub fn unavailable(lang: Lang, uri: &Uri) -> Response {
    let p = Page::new(lang, uri, "");
    let page = ErrorPage {
        title: p.t("unavailable-title"),
        heading: p.t("unavailable-title"),
        message: p.t("unavailable-body"),
        show_languages: false,
        p,
    };
    let mut res = render(StatusCode::SERVICE_UNAVAILABLE, &page);
    crate::layers::mark_unavailable(&mut res);
    res
}

pub async fn not_found_fallback(OriginalUri(uri): OriginalUri) -> Response {
    let first = uri
        .path()
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or("");
    match Lang::from_code(first) {
        Some(lang) => not_found(lang, &uri),
        None => unknown_language(),
    }
}

/// `/` → `/es/`, `/en/` or `/pt/` by `Accept-Language`.
pub async fn root_redirect(headers: HeaderMap) -> Response {
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    let lang = Lang::negotiate(accept);
    let mut resp = Redirect::to(&format!("/{}/", lang.code())).into_response();
    resp.headers_mut().insert(
        header::VARY,
        header::HeaderValue::from_static("Accept-Language"),
    );
    resp
}

async fn lang_root_redirect(axum::extract::Path(lang): axum::extract::Path<String>) -> Response {
    match lang_or_404(&lang) {
        Ok(l) => Redirect::permanent(&format!("/{}/", l.code())).into_response(),
        Err(r) => r,
    }
}

const CSS: &str = include_str!("../../static/faro.css");

pub async fn static_css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        CSS,
    )
        .into_response()
}

pub async fn robots(axum::extract::State(state): axum::extract::State<AppState>) -> Response {
    let base = state.config.public_url.trim_end_matches('/');
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("User-agent: *\nDisallow: /api/\nSitemap: {base}/sitemap.xml\n"),
    )
        .into_response()
}

pub async fn favicon() -> Response {
    StatusCode::NO_CONTENT.into_response()
}
