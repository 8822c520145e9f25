//! Middleware shared by every route: request ids, structured logs,
//! compression, timeouts and security headers.

use axum::Router;
use axum::http::{HeaderName, HeaderValue, Request, StatusCode, header};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Request ids: a per-process random prefix and a counter; short, unique
/// enough to follow one request through the logs of several processes.
#[derive(Clone)]
struct Ids {
    prefix: u32,
    next: std::sync::Arc<AtomicU64>,
}

impl MakeRequestId for Ids {
    fn make_request_id<B>(&mut self, _: &Request<B>) -> Option<RequestId> {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let id = format!("{:08x}-{n:x}", self.prefix);
        HeaderValue::from_str(&id).ok().map(RequestId::new)
    }
}

/// Answers to a signed-in request (a session cookie or a bearer token) are
/// personal: `Cache-Control: private, no-store` unless the handler said
/// otherwise (the same bytes for everyone, such as a stored file).
pub async fn private_when_signed_in(
    req: Request<axum::body::Body>,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let prefix = format!("{}=", crate::auth::SESSION_COOKIE);
    let signed_in = req.headers().contains_key(header::AUTHORIZATION)
        || req.headers().get_all(header::COOKIE).iter().any(|v| {
            v.to_str()
                .map(|s| s.split(';').any(|c| c.trim().starts_with(&prefix)))
                .unwrap_or(false)
        });
    let mut res = next.run(req).await;
    if signed_in && !res.headers().contains_key(header::CACHE_CONTROL) {
        res.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
    }
    res
}

/// Seconds a client is asked to wait when the database is down.
pub const RETRY_AFTER_SECS: &str = "5";

/// How long a check of the database may take.
const PING_TIMEOUT: Duration = Duration::from_secs(2);

/// Pause after a failed probe, so probes are not a busy loop.
const PROBE_PAUSE: Duration = Duration::from_millis(250);

/// Marks a response as "the database is out of reach": `Retry-After`, and
/// an extension [`database_down`] reads to stop sending requests to it.
pub fn mark_unavailable(res: &mut axum::response::Response) {
    res.headers_mut().insert(
        header::RETRY_AFTER,
        axum::http::HeaderValue::from_static(RETRY_AFTER_SECS),
    );
    res.extensions_mut().insert(StoreUnavailable);
}

#[derive(Clone, Copy, Debug)]
struct StoreUnavailable;

/// An outage is not a bug: while the database is out of reach every answer
/// that needs it is 503 with `Retry-After` (a page in the request's
/// language, the API's JSON error with code `unavailable`), and the site
/// recovers on its own when the database is back.
///
/// - A request whose store call failed for want of the database (an
///   acquire timeout, a refused or dropped connection: the response carries
///   [`mark_unavailable`]), or any 500 when a ping then fails, marks the
///   database down ([`faro_store::Health`]).
/// - While it is down, requests get 503 at once instead of each waiting
///   for the pool's acquire timeout, and one probe at a time pings the
///   database in the background; the first that answers marks it up.
/// - `/healthz` (the process is alive) and static files are not gated.
///
/// Healthy traffic pays one atomic load.
pub async fn database_down(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    req: Request<axum::body::Body>,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let uri = req.uri().clone();
    let path = uri.path();
    let gated = !(path == "/healthz" || path.starts_with("/static/"));
    let health = state.store.health();
    if gated && health.is_down() {
        probe(&state);
        return unavailable_answer(&uri);
    }
    let res = next.run(req).await;
    let marked = res.extensions().get::<StoreUnavailable>().is_some();
    if !marked
        && (res.status() != StatusCode::INTERNAL_SERVER_ERROR || database_answers(&state).await)
    {
        return res;
    }
    if health.mark_down() {
        tracing::warn!("the database does not answer: 503 until a probe succeeds");
    }
    probe(&state);
    if marked {
        res
    } else {
        unavailable_answer(&uri)
    }
}

/// Starts a background ping unless one is in flight; marks the database up
/// when it answers.
fn probe(state: &crate::AppState) {
    if !state.store.health().begin_probe() {
        return;
    }
    let store = state.store.clone();
    tokio::spawn(async move {
        let ok = matches!(
            tokio::time::timeout(PING_TIMEOUT, store.ping()).await,
            Ok(Ok(()))
        );
        if ok {
            if store.health().mark_up() {
                tracing::info!("the database answers again");
            }
        } else {
            tokio::time::sleep(PROBE_PAUSE).await;
        }
        store.health().end_probe();
    });
}

/// The 503 for a request while the database is down.
fn unavailable_answer(uri: &axum::http::Uri) -> axum::response::Response {
    use axum::response::IntoResponse;
    let path = uri.path();
    let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
    if let Some(lang) = faro_domain::Lang::from_code(first) {
        return crate::pages::unavailable(lang, uri);
    }
    if path.starts_with("/api/") {
        return crate::error::ApiError::unavailable("the database is marked down").into_response();
    }
    if path == "/readyz" {
        let mut res = (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(serde_json::json!({"status": "unavailable", "database": "unreachable"})),
        )
            .into_response();
        mark_unavailable(&mut res);
        return res;
    }
    let mut res = (
        StatusCode::SERVICE_UNAVAILABLE,
        "unavailable: the database is not answering; try again in a few seconds\n",
    )
        .into_response();
    mark_unavailable(&mut res);
    res
}

/// Whether the database answers a ping within [`PING_TIMEOUT`].
pub async fn database_answers(state: &crate::AppState) -> bool {
    matches!(
        tokio::time::timeout(PING_TIMEOUT, state.store.ping()).await,
        Ok(Ok(()))
    )
}

pub fn apply(router: Router) -> Router {
    let x_request_id = HeaderName::from_static("x-request-id");
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos() ^ std::process::id().rotate_left(16))
        .unwrap_or(0);
    let ids = Ids {
        prefix: seed,
        next: Default::default(),
    };
    let trace = TraceLayer::new_for_http()
        .make_span_with(|req: &Request<_>| {
            let id = req
                .headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            tracing::info_span!("request", request_id = %id, method = %req.method(), uri = %req.uri())
        })
        .on_response(DefaultOnResponse::new().level(Level::INFO));
    let hdr = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    router
        .layer(CompressionLayer::new().gzip(true).br(true))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(30),
        ))
        .layer(hdr(header::CONTENT_SECURITY_POLICY, CSP))
        .layer(hdr(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(hdr(header::X_FRAME_OPTIONS, "DENY"))
        .layer(hdr(
            header::REFERRER_POLICY,
            "strict-origin-when-cross-origin",
        ))
        .layer(PropagateRequestIdLayer::new(x_request_id.clone()))
        .layer(trace)
        .layer(SetRequestIdLayer::new(x_request_id, ids))
}
