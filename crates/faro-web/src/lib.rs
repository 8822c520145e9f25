//! Faro's web edge: HTML pages, the JSON API, operational endpoints.
//! Handlers parse and validate input, call `faro_store` service functions and
//! render; they never build SQL. One module per area in `pages/` and `api/`.

pub mod api;
pub mod error;
pub mod i18n;
pub mod layers;
pub mod pages;
pub mod params;

use axum::Router;
use axum::routing::get;
use faro_store::Store;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
}

/// The whole site: pages, API, static files, health checks, with the
/// shared layers (request ids, logs, compression, security headers).
pub fn router(state: AppState) -> Router {
    let (api_router, openapi) = api::router();
    let openapi_json = std::sync::Arc::new(openapi);
    let site = Router::new()
        .route("/", get(pages::root_redirect))
        .route("/healthz", get(pages::ops::healthz))
        .route("/readyz", get(pages::ops::readyz))
        .route("/static/faro.css", get(pages::static_css))
        .route("/robots.txt", get(pages::robots))
        .route("/favicon.ico", get(pages::favicon))
        .route(
            "/api/v1/openapi.json",
            get(move || {
                let doc = openapi_json.clone();
                async move { axum::Json((*doc).clone()) }
            }),
        )
        .merge(api_router)
        .merge(pages::router())
        .fallback(pages::not_found_fallback)
        .with_state(state);
    layers::apply(site)
}
