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

/// Schemas of query parameters, so the OpenAPI document says what the
/// parsers accept: page numbers and sizes as bounded integers (attributes
/// on the fields), repeatable facets as arrays (`?country=BR&country=AR`),
/// years as bounded integers, sorts as enums. `tests/http.rs` checks the
/// bounds against the parsers and `crates/faro/tests/schemathesis.rs`
/// sends what they describe.
pub mod doc {
    use utoipa::openapi::schema::{AnyOfBuilder, ArrayBuilder, ObjectBuilder, SchemaType, Type};

    /// The longest facet value every list accepts.
    pub const FACET_MAX_CHARS: usize = 64;
    /// At most this many values in one repeatable facet (search allows 30
    /// filters in all, over its six facets).
    pub const FACET_MAX_VALUES: usize = 5;
    /// Years a facet counts.
    pub const YEAR_MIN: i64 = 1900;
    pub const YEAR_MAX: i64 = 2100;
    /// No control characters (the parsers refuse them).
    const PRINTABLE: &str = "^[^\\u0000-\\u001F\\u007F-\\u009F]*$";

    fn text(max: usize) -> ObjectBuilder {
        ObjectBuilder::new()
            .schema_type(SchemaType::Type(Type::String))
            .max_length(Some(max))
            .pattern(Some(PRINTABLE))
    }

    fn repeated(
        items: impl Into<utoipa::openapi::schema::ArrayItems>,
        example: serde_json::Value,
    ) -> ArrayBuilder {
        ArrayBuilder::new()
            .items(items)
            .max_items(Some(FACET_MAX_VALUES))
            .examples([example])
    }

    /// A repeatable facet of free values.
    pub fn facet() -> ArrayBuilder {
        repeated(text(FACET_MAX_CHARS), serde_json::json!(["sena"]))
    }

    /// A repeatable ISO 3166-1 alpha-2 facet (`none` where allowed).
    pub fn countries() -> ArrayBuilder {
        repeated(
            text(FACET_MAX_CHARS).examples(["BR"]),
            serde_json::json!(["BR", "AR"]),
        )
    }

    fn year() -> ObjectBuilder {
        ObjectBuilder::new()
            .schema_type(SchemaType::Type(Type::Integer))
            .minimum(Some(YEAR_MIN))
            .maximum(Some(YEAR_MAX))
    }

    /// Repeatable years.
    pub fn years() -> ArrayBuilder {
        repeated(year(), serde_json::json!([2020]))
    }

    /// Repeatable years, or `unknown` for records without a date.
    pub fn years_or_unknown() -> ArrayBuilder {
        repeated(
            AnyOfBuilder::new().item(year()).item(
                ObjectBuilder::new()
                    .schema_type(SchemaType::Type(Type::String))
                    .enum_values(Some(["unknown"])),
            ),
            serde_json::json!([2020, "unknown"]),
        )
    }

    /// A string with one of `values`, the first being the default.
    pub fn one_of(values: &[&'static str]) -> ObjectBuilder {
        ObjectBuilder::new()
            .schema_type(SchemaType::Type(Type::String))
            .enum_values(Some(values.iter().copied()))
            .default(values.first().map(|v| serde_json::Value::from(*v)))
            .examples([values[0]])
    }

    pub fn search_sort() -> ObjectBuilder {
        one_of(&["relevance", "date"])
    }

    pub fn course_sort() -> ObjectBuilder {
        one_of(&["newest", "start"])
    }

    fn choices(values: &[&'static str], example: &'static str) -> ArrayBuilder {
        repeated(
            ObjectBuilder::new()
                .schema_type(SchemaType::Type(Type::String))
                .enum_values(Some(values.iter().copied())),
            serde_json::json!([example]),
        )
    }

    /// Search's record types (repeatable).
    pub fn record_types() -> ArrayBuilder {
        choices(
            &["institution", "measure", "resource", "session", "course"],
            "measure",
        )
    }

    /// A measure's workflow states (repeatable).
    pub fn measure_statuses() -> ArrayBuilder {
        choices(&["draft", "submitted", "verified"], "verified")
    }

    /// The directory's country filter: a code of the table, or `none`.
    pub fn directory_country() -> ObjectBuilder {
        let mut codes: Vec<String> = faro_domain::country::all()
            .iter()
            .map(|c| c.code.to_string())
            .collect();
        codes.push("none".into());
        ObjectBuilder::new()
            .schema_type(SchemaType::Type(Type::String))
            .enum_values(Some(codes))
            .examples(["UY"])
    }

    /// The directory's kind filter.
    pub fn directory_kind() -> ObjectBuilder {
        ObjectBuilder::new()
            .schema_type(SchemaType::Type(Type::String))
            .enum_values(Some(
                faro_domain::institutions::InstitutionKind::ALL
                    .iter()
                    .map(|k| k.code()),
            ))
            .examples(["training_institution"])
    }

    /// Free text of at most `max` characters.
    pub fn words(max: usize, example: &'static str) -> ObjectBuilder {
        text(max).examples([example])
    }

    pub fn search_q() -> ObjectBuilder {
        words(1000, "formación profesional")
    }

    pub fn directory_q() -> ObjectBuilder {
        words(crate::params::MAX_Q, "SENA")
    }

    /// `If-Match`: one quoted ETag as GET returned it, or `*`.
    pub const ETAG_PATTERN: &str = "^(\\*|\"[^\"]*\")$";
}
