//! Extractors for page handlers: a signed-in coordinator, and forms whose
//! CSRF token was checked. Their rejections are the pages the hand-written
//! checks answered (sign-in required, forbidden, CSRF failed), in the
//! language of the `/{lang}/` path prefix.

use super::error::PageError;
use super::{FormData, PageLang};
use crate::AppState;
use crate::auth::{self, Viewer};
use axum::extract::{FromRequest, FromRequestParts, OriginalUri, Request};
use axum::http::Uri;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use faro_domain::Lang;
use faro_domain::accounts::Principal;

/// The URI the handlers see (`OriginalUri`, or the request's own).
fn request_uri(parts: &Parts) -> Uri {
    parts
        .extensions
        .get::<OriginalUri>()
        .map(|o| o.0.clone())
        .unwrap_or_else(|| parts.uri.clone())
}

async fn viewer(parts: &mut Parts, state: &AppState) -> Viewer {
    match Viewer::from_request_parts(parts, state).await {
        Ok(v) => v,
        Err(never) => match never {},
    }
}

/// The coordinator gate: visitors are asked to sign in (401), other users
/// are refused (403).
pub fn coordinator(lang: Lang, uri: &Uri, viewer: &Viewer) -> Result<Principal, PageError> {
    match &viewer.principal {
        None => Err(PageError::sign_in_required(lang, uri)),
        Some(p) if p.is_coordinator() => Ok(p.clone()),
        Some(_) => Err(PageError::forbidden(lang, uri)),
    }
}

/// The CSRF check for handlers that must look something up first (a form
/// for a record that may not exist answers 404 before the token is checked).
pub fn check_csrf(
    lang: Lang,
    uri: &Uri,
    viewer: &Viewer,
    form: &FormData,
) -> Result<(), PageError> {
    if auth::csrf_ok(viewer, form.get("csrf")) {
        Ok(())
    } else {
        Err(PageError::csrf_failed(lang, uri))
    }
}

/// The signed-in user, or the sign-in page.
pub fn signed_in(lang: Lang, uri: &Uri, viewer: &Viewer) -> Result<Principal, PageError> {
    viewer
        .principal
        .clone()
        .ok_or_else(|| PageError::sign_in_required(lang, uri))
}

/// Extractor: the signed-in coordinator behind the request.
pub struct Coordinator(pub Principal);

impl FromRequestParts<AppState> for Coordinator {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let PageLang(lang) = PageLang::from_request_parts(parts, state).await?;
        let v = viewer(parts, state).await;
        coordinator(lang, &request_uri(parts), &v)
            .map(Coordinator)
            .map_err(IntoResponse::into_response)
    }
}

/// Reads the form and checks its CSRF token; returns the parts for further
/// checks (the form is read first, as `FormData` always was, then the token).
async fn checked_form(
    req: Request,
    state: &AppState,
) -> Result<(Lang, Uri, Viewer, FormData), Response> {
    let (mut parts, body) = req.into_parts();
    let PageLang(lang) = PageLang::from_request_parts(&mut parts, state).await?;
    let v = viewer(&mut parts, state).await;
    let uri = request_uri(&parts);
    let form = FormData::from_request(Request::from_parts(parts, body), state).await?;
    check_csrf(lang, &uri, &v, &form).map_err(IntoResponse::into_response)?;
    Ok((lang, uri, v, form))
}

/// Extractor: a submitted form whose CSRF token matches the viewer's
/// (otherwise the 403 CSRF page; nothing was changed).
pub struct CsrfForm(pub FormData);

impl FromRequest<AppState> for CsrfForm {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        checked_form(req, state)
            .await
            .map(|(_, _, _, f)| CsrfForm(f))
    }
}

/// Extractor: a coordinator's form. The CSRF token is checked first (403
/// CSRF page), then the coordinator gate (401 / 403), as the hand-written
/// checks did.
pub struct CoordinatorForm(pub Principal, pub FormData);

impl FromRequest<AppState> for CoordinatorForm {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let (lang, uri, v, form) = checked_form(req, state).await?;
        coordinator(lang, &uri, &v)
            .map(|p| CoordinatorForm(p, form))
            .map_err(IntoResponse::into_response)
    }
}
