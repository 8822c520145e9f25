//! One error type for page handlers: they return `Result<Response, PageError>`
//! and use `?`. Each kind renders the same page the old helpers rendered
//! (`not_found`, `bad_request`, `server_error`, …): same status, same text,
//! in the request's language.

use super::{
    bad_request, csrf_failed, forbidden, malformed_query, message, not_found, server_error,
    sign_in_required,
};
use crate::params::ParamError;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use faro_domain::Lang;
use faro_store::StoreError;

/// What went wrong, and so which page answers.
#[derive(Debug)]
pub enum PageErrorKind {
    /// 404, the "not found" page.
    NotFound,
    /// 400 for a query parameter with a bad value.
    BadRequest(ParamError),
    /// 400 for a query string that cannot be parsed at all.
    MalformedQuery,
    /// 401, with a link to the login page.
    SignInRequired,
    /// 403: signed in, but not allowed.
    Forbidden,
    /// 403 for a form without a valid CSRF token.
    CsrfFailed,
    /// 409 with a translated heading (a Fluent key) and message.
    Conflict {
        heading_key: &'static str,
        message: String,
    },
    /// 500: the detail is logged, never shown.
    Server(String),
    /// 503 with `Retry-After`: the database is out of reach.
    Unavailable(String),
}

/// A page error: the language and request URI to render it with, and the kind.
/// Boxed so that `Result<_, PageError>` stays small.
#[derive(Debug)]
pub struct PageError(Box<Inner>);

#[derive(Debug)]
struct Inner {
    lang: Lang,
    uri: Uri,
    kind: PageErrorKind,
}

impl PageError {
    pub fn new(lang: Lang, uri: &Uri, kind: PageErrorKind) -> PageError {
        PageError(Box::new(Inner {
            lang,
            uri: uri.clone(),
            kind,
        }))
    }
    pub fn not_found(lang: Lang, uri: &Uri) -> PageError {
        PageError::new(lang, uri, PageErrorKind::NotFound)
    }
    pub fn bad_request(lang: Lang, uri: &Uri, e: ParamError) -> PageError {
        PageError::new(lang, uri, PageErrorKind::BadRequest(e))
    }
    pub fn malformed_query(lang: Lang, uri: &Uri) -> PageError {
        PageError::new(lang, uri, PageErrorKind::MalformedQuery)
    }
    pub fn sign_in_required(lang: Lang, uri: &Uri) -> PageError {
        PageError::new(lang, uri, PageErrorKind::SignInRequired)
    }
    pub fn forbidden(lang: Lang, uri: &Uri) -> PageError {
        PageError::new(lang, uri, PageErrorKind::Forbidden)
    }
    pub fn csrf_failed(lang: Lang, uri: &Uri) -> PageError {
        PageError::new(lang, uri, PageErrorKind::CsrfFailed)
    }
    pub fn conflict(
        lang: Lang,
        uri: &Uri,
        heading_key: &'static str,
        message: String,
    ) -> PageError {
        PageError::new(
            lang,
            uri,
            PageErrorKind::Conflict {
                heading_key,
                message,
            },
        )
    }
    /// A store error: `NotFound` → 404, the database out of reach → 503,
    /// any other → 500.
    pub fn store(lang: Lang, uri: &Uri, e: StoreError) -> PageError {
        match e {
            StoreError::NotFound => PageError::not_found(lang, uri),
            e if e.is_unavailable() => {
                PageError::new(lang, uri, PageErrorKind::Unavailable(e.to_string()))
            }
            e => PageError::server(lang, uri, e),
        }
    }
    pub fn server(lang: Lang, uri: &Uri, e: impl std::fmt::Display) -> PageError {
        PageError::new(lang, uri, PageErrorKind::Server(e.to_string()))
    }
    pub fn kind(&self) -> &PageErrorKind {
        &self.0.kind
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let Inner { lang, uri, kind } = *self.0;
        match kind {
            PageErrorKind::NotFound => not_found(lang, &uri),
            PageErrorKind::BadRequest(e) => bad_request(lang, &uri, &e),
            PageErrorKind::MalformedQuery => malformed_query(lang, &uri),
            PageErrorKind::SignInRequired => sign_in_required(lang, &uri),
            PageErrorKind::Forbidden => forbidden(lang, &uri),
            PageErrorKind::CsrfFailed => csrf_failed(lang, &uri),
            PageErrorKind::Conflict {
                heading_key,
                message: m,
            } => message(
                StatusCode::CONFLICT,
                super::Page::new(lang, &uri, ""),
                heading_key,
                m,
            ),
            PageErrorKind::Server(e) => server_error(lang, &uri, e),
            PageErrorKind::Unavailable(e) => {
                tracing::warn!(error = %e, "database out of reach");
                super::unavailable(lang, &uri)
            }
        }
    }
}

/// `?` for store results in page handlers.
pub trait OrPage<T> {
    /// `NotFound` → the 404 page, any other error → the 500 page.
    fn or_page(self, lang: Lang, uri: &Uri) -> Result<T, PageError>;
}

impl<T> OrPage<T> for Result<T, StoreError> {
    fn or_page(self, lang: Lang, uri: &Uri) -> Result<T, PageError> {
        self.map_err(|e| PageError::store(lang, uri, e))
    }
}

/// `?` for results whose every error is a server error (the 500 page),
/// whatever the error type (store, search, a joined task).
pub trait OrServerError<T> {
    fn or_500(self, lang: Lang, uri: &Uri) -> Result<T, PageError>;
}

impl<T, E: std::fmt::Display> OrServerError<T> for Result<T, E> {
    fn or_500(self, lang: Lang, uri: &Uri) -> Result<T, PageError> {
        self.map_err(|e| PageError::server(lang, uri, e))
    }
}

/// `?` for a query parameter's result: the 400 page.
pub trait OrBadRequest<T> {
    fn or_400(self, lang: Lang, uri: &Uri) -> Result<T, PageError>;
}

impl<T> OrBadRequest<T> for Result<T, ParamError> {
    fn or_400(self, lang: Lang, uri: &Uri) -> Result<T, PageError> {
        self.map_err(|e| PageError::bad_request(lang, uri, e))
    }
}

/// Handlers return this.
pub type PageResult = Result<Response, PageError>;
