//! Faro's web edge: HTML pages, the JSON API, operational endpoints.
//! Handlers parse and validate input, call `faro_store` service functions and
//! render; they never build SQL. One module per area in `pages/` and `api/`.

pub mod api;
pub mod auth;
pub mod calendar;
pub mod charts;
pub mod diff;
pub mod error;
pub mod feeds;
pub mod finder;
pub mod harvest;
pub mod i18n;
pub mod jobs;
pub mod layers;
pub mod mail;
pub mod oai;
pub mod observatory_params;
pub mod opendata;
pub mod pages;
pub mod params;
pub mod people;
pub mod reports;
pub mod search;
pub mod search_params;
pub mod survey_mail;
pub mod toolkit;

use axum::Router;
use axum::routing::get;
use faro_store::Store;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: std::sync::Arc<WebConfig>,
    /// This process's search index (`None`: search answers 503).
    pub search: Option<std::sync::Arc<faro_search::SearchIndex>>,
}

impl AppState {
    /// Default settings: plain HTTP on localhost, no proxies, no SMTP, no search.
    pub fn new(store: Store) -> Self {
        AppState {
            store,
            config: std::sync::Arc::new(WebConfig::default()),
            search: None,
        }
    }

    pub fn with_search(mut self, index: std::sync::Arc<faro_search::SearchIndex>) -> Self {
        self.search = Some(index);
        self
    }
}

/// Site settings that the edge needs.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Public base URL, used in e-mailed links (e.g. `https://faro.example.org`).
    pub public_url: String,
    /// Mark cookies `Secure` (set when `public_url` is https).
    pub secure_cookies: bool,
    /// Proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    pub mailer: Option<mail::Mailer>,
    /// Failed logins allowed per account, and per client address, in `login_window`.
    pub login_limit_account: u64,
    pub login_limit_client: u64,
    pub login_window: chrono::Duration,
    /// Past `login_limit_account` failures of an account (from anywhere),
    /// each further attempt on it waits this long per failure over the
    /// limit, at most five times: slowed down, never locked.
    pub login_slowdown: std::time::Duration,
    /// Password-reset requests one client may send in ten minutes, and
    /// this process's count of them; links one account may get in an hour.
    pub reset_limit: u32,
    pub reset_throttle: std::sync::Arc<pages::events::Throttle>,
    pub reset_limit_account: u64,
    /// Where uploaded files are kept (by content hash); `None`: uploads off.
    pub files_dir: Option<std::path::PathBuf>,
    /// Largest accepted upload, in bytes.
    pub max_upload_bytes: usize,
    /// Records per OAI-PMH list response.
    pub oai_page_size: usize,
    /// OAI-PMH `Identify`'s `adminEmail` (see `oai::admin_email`).
    pub admin_email: String,
    /// Registrations (and personal-link requests) one client may send in
    /// ten minutes, and this process's count of them.
    pub register_limit: u32,
    pub register_throttle: std::sync::Arc<pages::events::Throttle>,
    /// Heavy downloads served at once (open-data files, releases, stored
    /// files); beyond it 503 with `Retry-After`. Each holds at most a few
    /// parts of 1,000 rows (or one stored file) in memory.
    pub heavy_downloads: std::sync::Arc<tokio::sync::Semaphore>,
    /// The day the course finder computes availability at; `None`: today
    /// (UTC). Tests set it to move the clock.
    pub today: Option<chrono::NaiveDate>,
    /// Days after their last session that registrants' personal data are
    /// kept; the job runner then erases them (at most once an hour per
    /// process). 0: kept until erased by the person, a coordinator or
    /// `faro events purge`.
    pub retention_days: u32,
    /// When this process last ran the retention purge (Unix seconds).
    pub last_purge: std::sync::Arc<std::sync::atomic::AtomicI64>,
}

impl WebConfig {
    /// The day for date-relative lists (the course finder's availability).
    pub fn today(&self) -> chrono::NaiveDate {
        self.today
            .unwrap_or_else(|| chrono::Utc::now().date_naive())
    }
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            public_url: "http://127.0.0.1:8080".into(),
            secure_cookies: false,
            trusted_proxies: vec![],
            mailer: None,
            login_limit_account: 5,
            login_limit_client: 20,
            login_window: chrono::Duration::minutes(15),
            login_slowdown: std::time::Duration::from_secs(1),
            reset_limit: 10,
            reset_throttle: Default::default(),
            reset_limit_account: 3,
            files_dir: None,
            max_upload_bytes: 20 * 1024 * 1024,
            oai_page_size: crate::oai::PAGE,
            admin_email: "faro@localhost.invalid".into(),
            register_limit: 20,
            register_throttle: Default::default(),
            heavy_downloads: std::sync::Arc::new(tokio::sync::Semaphore::new(HEAVY_DOWNLOADS)),
            today: None,
            retention_days: 365,
            last_purge: std::sync::Arc::new(std::sync::atomic::AtomicI64::new(i64::MIN)),
        }
    }
}

/// Default number of heavy downloads served at once.
pub const HEAVY_DOWNLOADS: usize = 8;

/// A slot for a heavy download, held while it is sent; `None` when all
/// are taken (answer [`busy`]).
pub fn heavy_slot(state: &AppState) -> Option<tokio::sync::OwnedSemaphorePermit> {
    state
        .config
        .heavy_downloads
        .clone()
        .try_acquire_owned()
        .ok()
}

/// 503 with `Retry-After` for a heavy download without a free slot.
pub fn busy() -> axum::response::Response {
    use axum::response::IntoResponse;
    (
        axum::http::StatusCode::SERVICE_UNAVAILABLE,
        [(axum::http::header::RETRY_AFTER, "5")],
        "busy: too many downloads at once; try again in a few seconds\n",
    )
        .into_response()
}

/// The whole site: pages, API, static files, health checks, with the
/// shared layers (request ids, logs, compression, security headers).
pub fn router(state: AppState) -> Router {
    let upload_limit = state.config.max_upload_bytes;
    let https = state.config.public_url.starts_with("https://");
    let (api_router, openapi) = api::router();
    let openapi_json = std::sync::Arc::new(api::document(&openapi));
    let site = Router::new()
        .route("/", get(pages::root_redirect))
        .route("/healthz", get(pages::ops::healthz))
        .route("/readyz", get(pages::ops::readyz))
        .route("/static/faro.css", get(pages::static_css))
        .route("/robots.txt", get(pages::robots))
        .route("/sitemap.xml", get(feeds::sitemap))
        .route("/sitemaps/{file}", get(feeds::sitemap_file))
        .route("/oai", get(oai::oai).post(oai::oai))
        .route("/feeds/resources.atom", get(feeds::resources_atom))
        .route("/feeds/courses.atom", get(feeds::courses_atom))
        .route("/feeds/measures.atom", get(feeds::measures_atom))
        .route("/feeds/corrections.atom", get(feeds::corrections_atom))
        .route("/events/{file}", get(pages::events::ics))
        .route("/data/{name}", get(pages::observatory::data_file))
        .route("/data/releases", get(pages::observatory::releases_index))
        .route(
            "/data/releases/{release}/{name}",
            get(pages::observatory::release_file),
        )
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
        .route(
            "/{lang}/resources/{id}/files",
            axum::routing::post(pages::knowledge::upload).layer(
                axum::extract::DefaultBodyLimit::max(upload_limit.saturating_add(64 * 1024)),
            ),
        )
        .route("/files/{sha}", get(pages::knowledge::download))
        .fallback(pages::not_found_fallback)
        .route_layer(axum::middleware::from_fn(auth::guard_unregistered))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            layers::database_down,
        ))
        .with_state(state)
        .layer(axum::middleware::from_fn(layers::private_when_signed_in));
    // HSTS only where the site is served over https (a plain-http test or
    // intranet site must not pin browsers to https).
    let site = if https {
        site.layer(
            tower_http::set_header::SetResponseHeaderLayer::if_not_present(
                axum::http::header::STRICT_TRANSPORT_SECURITY,
                axum::http::HeaderValue::from_static("max-age=31536000"),
            ),
        )
    } else {
        site
    };
    layers::apply(site)
}
