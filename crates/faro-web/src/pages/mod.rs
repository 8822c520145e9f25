//! HTML pages, one module per area. Pages are server-rendered (askama),
//! need no JavaScript and stay small on slow links.

pub mod home;
pub mod institutions;
pub mod ops;

use crate::AppState;
use crate::i18n::{self, FluentArg};
use askama::Template;
use axum::Router;
use axum::extract::OriginalUri;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use faro_domain::Lang;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/{lang}", get(lang_root_redirect))
        .route("/{lang}/", get(home::home))
        .route("/{lang}/institutions", get(institutions::directory))
        .route("/{lang}/institutions/{id}", get(institutions::profile))
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
        }
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

pub async fn robots() -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "User-agent: *\nDisallow: /api/\n",
    )
        .into_response()
}

pub async fn favicon() -> Response {
    StatusCode::NO_CONTENT.into_response()
}
