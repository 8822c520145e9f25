//! Who is asking: the session cookie (HTML) or a bearer token (API), the
//! client's address (forwarded headers trusted only from configured
//! proxies), CSRF tokens, and the registry of state-changing routes.

use crate::AppState;
use crate::error::ApiError;
use axum::extract::{ConnectInfo, FromRequestParts, MatchedPath};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use faro_domain::accounts::Principal;
use std::net::{IpAddr, SocketAddr};

pub const SESSION_COOKIE: &str = "faro_session";
/// Double-submit token for forms used before signing in (login, reset).
pub const ANON_CSRF_COOKIE: &str = "faro_csrf";

/// The value of cookie `name` in the request.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_string())
}

/// A `Set-Cookie` value with the site's attributes.
pub fn set_cookie(state: &AppState, name: &str, value: &str, max_age: Option<i64>) -> String {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if state.config.secure_cookies {
        c.push_str("; Secure");
    }
    c
}

/// The person behind an HTML request; `principal` is `None` for visitors.
#[derive(Debug, Clone, Default)]
pub struct Viewer {
    pub principal: Option<Principal>,
    /// The session's CSRF token (signed in) or the anonymous one, if any.
    pub csrf: Option<String>,
    pub session_token: Option<String>,
}

impl Viewer {
    pub fn is_coordinator(&self) -> bool {
        self.principal.as_ref().is_some_and(|p| p.is_coordinator())
    }
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        // Looked up once a request: the page extractors (`CsrfForm`,
        // `Coordinator`) and the handler share it.
        if let Some(v) = parts.extensions.get::<Viewer>() {
            return Ok(v.clone());
        }
        let v = Viewer::load(parts, state).await;
        parts.extensions.insert(v.clone());
        Ok(v)
    }
}

impl Viewer {
    async fn load(parts: &Parts, state: &AppState) -> Viewer {
        let anon = cookie(&parts.headers, ANON_CSRF_COOKIE).filter(|t| is_token(t));
        if let Some(token) = cookie(&parts.headers, SESSION_COOKIE) {
            match faro_store::accounts::session_principal(&state.store, &token).await {
                Ok(Some((p, csrf))) => {
                    return Viewer {
                        principal: Some(p),
                        csrf: Some(csrf),
                        session_token: Some(token),
                    };
                }
                Ok(None) => {}
                Err(e) => tracing::warn!(error = %e, "session lookup failed"),
            }
        }
        Viewer {
            principal: None,
            csrf: anon,
            session_token: None,
        }
    }
}

pub fn is_token(t: &str) -> bool {
    t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Constant-time comparison of two tokens.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Checks a submitted CSRF token against the viewer's.
pub fn csrf_ok(viewer: &Viewer, submitted: Option<&str>) -> bool {
    match (viewer.csrf.as_deref(), submitted) {
        (Some(expected), Some(got)) => same(expected, got),
        _ => false,
    }
}

/// A signed-in API caller (bearer token).
pub struct ApiUser(pub Principal);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let unauthorized = || ApiError {
            status: StatusCode::UNAUTHORIZED,
            code: "unauthorized",
            message: "a valid bearer token is required (Authorization: Bearer faro_…)".into(),
        };
        let Some(value) = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
        else {
            return Err(unauthorized());
        };
        let Some(secret) = value.strip_prefix("Bearer ").map(str::trim) else {
            return Err(unauthorized());
        };
        match faro_store::accounts::token_principal(&state.store, secret).await {
            Ok(Some(p)) => Ok(ApiUser(p)),
            Ok(None) => Err(unauthorized()),
            Err(e) => Err(ApiError::internal(e)),
        }
    }
}

/// The client's address. `X-Forwarded-For` is believed only when the
/// connection comes from a configured proxy; then the rightmost address that
/// is not itself a trusted proxy is the client.
pub fn client_ip(parts_headers: &HeaderMap, peer: Option<IpAddr>, trusted: &[IpAddr]) -> String {
    let Some(peer) = peer else {
        return "unknown".into();
    };
    if !trusted.contains(&peer) {
        return peer.to_string();
    }
    let chain: Vec<IpAddr> = parts_headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    chain
        .iter()
        .rev()
        .find(|ip| !trusted.contains(ip))
        .map(|ip| ip.to_string())
        .unwrap_or_else(|| peer.to_string())
}

/// The client address of a request, as an extractor.
pub struct ClientIp(pub String);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = ConnectInfo::<SocketAddr>::from_request_parts(parts, state)
            .await
            .ok()
            .map(|c| c.0.ip());
        Ok(ClientIp(client_ip(
            &parts.headers,
            peer,
            &state.config.trusted_proxies,
        )))
    }
}

/// Every state-changing route: (method, path). The router refuses to serve
/// a state-changing request on a route missing from this list, and the
/// permission-matrix test fails if a listed route has no expectations.
pub const STATE_CHANGING: &[(&str, &str)] = &[
    ("POST", "/{lang}/login"),
    ("POST", "/{lang}/logout"),
    ("POST", "/{lang}/account/password"),
    ("POST", "/{lang}/account/name"),
    ("POST", "/{lang}/password-reset"),
    ("POST", "/{lang}/password-reset/{token}"),
    ("POST", "/{lang}/account/tokens"),
    ("POST", "/{lang}/account/tokens/{id}/revoke"),
    ("POST", "/{lang}/admin/users"),
    ("POST", "/{lang}/admin/users/{id}"),
    ("POST", "/{lang}/institutions/{id}/edit"),
    ("POST", "/{lang}/institutions/{id}/delete"),
    ("POST", "/{lang}/institutions/{id}/restore"),
    ("PATCH", "/api/v1/institutions/{id}"),
    ("DELETE", "/api/v1/institutions/{id}"),
    ("POST", "/api/v1/institutions/{id}/restore"),
    ("POST", "/{lang}/observatory/measures/{id}/corrections"),
    ("POST", "/{lang}/observatory/corrections/{id}/accept"),
    ("POST", "/{lang}/observatory/corrections/{id}/reject"),
    ("POST", "/{lang}/observatory/measures"),
    ("POST", "/{lang}/observatory/measures/{id}/edit"),
    ("POST", "/{lang}/observatory/measures/{id}/review"),
    ("POST", "/{lang}/observatory/measures/{id}/delete"),
    ("POST", "/{lang}/resources/{id}/files"),
    ("POST", "/{lang}/resources/{id}/files/{sha}/remove"),
    ("POST", "/{lang}/resources"),
    ("POST", "/{lang}/resources/{id}/edit"),
    ("POST", "/{lang}/resources/{id}/delete"),
    ("POST", "/{lang}/resources/{id}/restore"),
    ("POST", "/{lang}/events"),
    ("POST", "/{lang}/events/{id}/edit"),
    ("POST", "/{lang}/events/{id}/message"),
    ("POST", "/{lang}/events/{id}/register"),
    ("POST", "/{lang}/events/series/{id}/register"),
    ("POST", "/{lang}/events/series"),
    ("POST", "/{lang}/events/import"),
    ("POST", "/{lang}/events/series/{id}/edit"),
    ("POST", "/{lang}/registrations/confirm"),
    ("POST", "/{lang}/registrations/cancel"),
    ("POST", "/{lang}/registrations/update"),
    ("POST", "/{lang}/registrations/erase"),
    ("POST", "/{lang}/registrations/link"),
    ("POST", "/{lang}/courses"),
    ("POST", "/{lang}/institutions/{id}/catalogues"),
    (
        "POST",
        "/{lang}/institutions/{id}/catalogues/{source}/harvest",
    ),
    ("POST", "/{lang}/courses/{id}/edit"),
    ("POST", "/api/v1/sessions"),
    ("PUT", "/api/v1/sessions/{id}"),
    ("POST", "/api/v1/series"),
    ("PUT", "/api/v1/series/{id}"),
    ("POST", "/api/v1/courses"),
    ("PUT", "/api/v1/courses/{id}"),
    // Attendance, audience and certificates (issue 13).
    ("POST", "/api/v1/sessions/{id}/attendance"),
    ("POST", "/{lang}/events/{id}/attendance"),
    ("POST", "/{lang}/events/{id}/facebook"),
    ("POST", "/{lang}/events/series/{id}/certificates/rule"),
    ("POST", "/{lang}/events/series/{id}/certificates/issue"),
    ("POST", "/{lang}/events/series/{id}/certificates/mail"),
    ("POST", "/{lang}/certificates/{code}/revoke"),
    ("POST", "/{lang}/certificates/{code}/reissue"),
    ("POST", "/{lang}/surveys"),
    ("POST", "/{lang}/surveys/{id}/code"),
    ("POST", "/{lang}/surveys/{id}/settings"),
    ("POST", "/{lang}/surveys/{id}/invite"),
    ("POST", "/{lang}/surveys/{id}/remind"),
    ("POST", "/{lang}/surveys/{id}/answer/{inst}"),
    ("POST", "/{lang}/surveys/{id}/answer/{inst}/submit"),
    ("POST", "/{lang}/surveys/{id}/answer/{inst}/reopen"),
    ("POST", "/{lang}/reports"),
    ("POST", "/{lang}/reports/{id}/edit"),
    ("POST", "/{lang}/reports/{id}/publish"),
];

/// POST routes that change nothing (protocols that allow POST for long
/// queries): exempt from the registry and from CSRF.
pub const SAFE_POST: &[&str] = &["/oai"];

/// Middleware: a non-GET/HEAD request must hit a route in [`STATE_CHANGING`].
pub async fn guard_unregistered(
    matched: Option<MatchedPath>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let method = req.method().clone();
    if method != Method::GET
        && method != Method::HEAD
        && method != Method::OPTIONS
        && let Some(path) = matched.as_ref().map(|m| m.as_str())
    {
        {
            let known = SAFE_POST.contains(&path)
                || STATE_CHANGING
                    .iter()
                    .any(|(m, p)| *m == method.as_str() && *p == path);
            if !known {
                // Either no handler exists for this method (a plain 405) or a
                // developer forgot to register one: never run it.
                tracing::warn!(%method, path, "state-changing request to a route not in auth::STATE_CHANGING");
                return StatusCode::METHOD_NOT_ALLOWED.into_response();
            }
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_for_only_from_trusted_proxies() {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", "203.0.113.9, 10.0.0.2".parse().unwrap());
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let inner: IpAddr = "10.0.0.2".parse().unwrap();
        let stranger: IpAddr = "198.51.100.7".parse().unwrap();
        assert_eq!(client_ip(&h, Some(stranger), &[proxy]), "198.51.100.7");
        assert_eq!(client_ip(&h, Some(proxy), &[proxy]), "10.0.0.2");
        assert_eq!(client_ip(&h, Some(proxy), &[proxy, inner]), "203.0.113.9");
        assert_eq!(
            client_ip(&HeaderMap::new(), Some(proxy), &[proxy]),
            "10.0.0.1"
        );
        assert_eq!(client_ip(&h, None, &[proxy]), "unknown");
    }

    #[test]
    fn cookies_and_tokens() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            "a=1; faro_session=abc ; b=2".parse().unwrap(),
        );
        assert_eq!(cookie(&h, "faro_session").as_deref(), Some("abc"));
        assert_eq!(cookie(&h, "c"), None);
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "ab"));
    }
}
