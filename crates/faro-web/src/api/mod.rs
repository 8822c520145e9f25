//! The JSON API under `/api/v1/`. The OpenAPI 3.1 description is generated
//! from these handlers (utoipa), so it cannot drift from them.

pub mod attendance;
pub mod courses;
pub mod institutions;
pub mod measures;
pub mod resources;
pub mod search;
pub mod sessions;

use crate::AppState;
use crate::error::ApiError;
use axum::Router;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Faro API",
        version = "1.0.0",
        description = "Open data of the ILO/Cinterfor network of vocational training institutions: the network directory, the observatory, the knowledge base, the course finder, search and the event series. Errors are `{\"error\":{\"code\",\"message\"}}`.",
        license(name = "CC-BY-4.0", identifier = "CC-BY-4.0")
    ),
    tags(
        (name = "institutions", description = "The network directory"),
        (name = "search", description = "One search over every record type"),
        (name = "observatory", description = "Measures coded with the versioned codebook (CC BY 4.0)"),
        (name = "knowledge", description = "Shared resources and publications"),
        (name = "events", description = "Sessions of the event series"),
        (name = "courses", description = "The course finder: members' courses and their runs")
    ),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

/// Declares the bearer-token security scheme used by state-changing calls.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("An API token created under Account → API tokens, or with `faro token create`"))
                    .build(),
            ),
        );
    }
}

pub fn router() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, api) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(institutions::list))
        .routes(routes!(
            institutions::get_one,
            institutions::patch,
            institutions::delete
        ))
        .routes(routes!(institutions::restore))
        .routes(routes!(search::search))
        .routes(routes!(measures::list))
        .routes(routes!(measures::get_one))
        .routes(routes!(resources::list))
        .routes(routes!(resources::get_one))
        .routes(routes!(sessions::list, sessions::create_session))
        .routes(routes!(sessions::get_one, sessions::replace_session))
        .routes(routes!(sessions::list_series, sessions::create_series))
        .routes(routes!(sessions::get_series, sessions::replace_series))
        .routes(routes!(attendance::import))
        .routes(routes!(attendance::verify))
        .routes(routes!(courses::list, courses::create))
        .routes(routes!(courses::get_one, courses::replace))
        .split_for_parts();
    let router = router.route("/api/{*rest}", axum::routing::any(api_not_found));
    (router, api)
}

/// One value of a facet and how many records have it.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

/// Facet counts as JSON: facet name → values with counts.
pub fn facets_json<K: ToString>(
    facets: impl IntoIterator<Item = (K, Vec<(String, u64)>)>,
) -> std::collections::BTreeMap<String, Vec<FacetCount>> {
    facets
        .into_iter()
        .map(|(k, v)| {
            (
                k.to_string(),
                v.into_iter()
                    .map(|(value, count)| FacetCount { value, count })
                    .collect(),
            )
        })
        .collect()
}

async fn api_not_found() -> ApiError {
    ApiError::not_found("endpoint")
}
