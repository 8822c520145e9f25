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

/// The OpenAPI document as served: utoipa's output, with what its derive
/// cannot say written in (`crates/faro/tests/schemathesis.rs` holds the
/// API to it):
/// - a response that flattens a request body (`CourseJson` flattens
///   `CourseBody`, whose `deny_unknown_fields` gives
///   `additionalProperties: false`) gets its own object schema, so the
///   extra read-only keys (`availability`, `updated_at`, a run's `status`)
///   are allowed in responses and still refused in requests;
/// - an optional header (`If-Match`) is a string, never `null`;
/// - request bodies say the closed values and identifiers the validators
///   enforce: `original_language`, slugs, providers.
pub fn document(api: &utoipa::openapi::OpenApi) -> serde_json::Value {
    use serde_json::{Value, json};
    let mut doc = serde_json::to_value(api).expect("the OpenAPI document serialises");
    let slug = json!({
        "type": "string",
        "pattern": doc::SLUG_PATTERN,
        "maxLength": 64,
        "examples": ["sena"]
    });
    let lang = json!({"type": "string", "enum": ["es", "en", "pt"], "examples": ["es"]});
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        // Responses: their own objects, open to read-only keys.
        if let Some(run) = schemas.get("RunBody").cloned() {
            let mut out = run;
            out.as_object_mut().unwrap().remove("additionalProperties");
            out["properties"]["status"] = json!({
                "type": "string",
                "enum": ["announced", "open", "running", "closed", "archived"],
                "description": "Derived from the dates at the site's day; ignored on input.",
                "readOnly": true
            });
            out["description"] = json!("One run of a course, as the API shows it.");
            schemas.insert("RunJson".into(), out);
        }
        if let Some(body) = schemas.get("CourseBody").cloned() {
            let mut out = body;
            let o = out.as_object_mut().unwrap();
            o.remove("additionalProperties");
            o.insert("description".into(), json!("A course as the API shows it."));
            out["properties"]["runs"]["items"] = json!({"$ref": "#/components/schemas/RunJson"});
            out["properties"]["availability"] = json!({
                "type": "array",
                "items": {"type": "string", "enum": ["open_now", "starting_soon", "self_paced", "archived"]},
                "description": "Availability at the site's day.",
                "readOnly": true
            });
            out["properties"]["updated_at"] = json!({"type": "string", "readOnly": true});
            if let Some(r) = out["required"].as_array_mut() {
                r.push(json!("availability"));
                r.push(json!("updated_at"));
            }
            schemas.insert("CourseJson".into(), out);
        }
        // Requests: the closed values and identifiers the validators check.
        for name in ["CourseBody", "SeriesBody", "SessionBody"] {
            if let Some(props) = schemas
                .get_mut(name)
                .and_then(|s| s.get_mut("properties"))
                .and_then(Value::as_object_mut)
            {
                if let Some(p) = props.get_mut("original_language") {
                    *p = lang.clone();
                }
                if let Some(p) = props.get_mut("id") {
                    let desc = p.get("description").cloned();
                    *p = slug.clone();
                    if let Some(d) = desc {
                        p["description"] = d;
                    }
                }
            }
        }
        if let Some(p) = schemas
            .get_mut("CourseBody")
            .and_then(|s| s.pointer_mut("/properties/providers"))
        {
            p["items"] = slug.clone();
            p["minItems"] = json!(1);
        }
        if let Some(p) = schemas
            .get_mut("RunBody")
            .and_then(|s| s.pointer_mut("/properties/run_id"))
        {
            p["pattern"] = json!(doc::SLUG_PATTERN);
            p["maxLength"] = json!(64);
        }
        if let Some(props) = schemas
            .get_mut("InstitutionPatch")
            .and_then(|s| s.get_mut("properties"))
            .and_then(Value::as_object_mut)
        {
            use faro_domain::institutions as fi;
            let line = |max: usize| json!({"type": ["string", "null"], "maxLength": max, "pattern": doc::PRINTABLE});
            let para = |max: usize| json!({"type": ["string", "null"], "maxLength": max, "pattern": doc::PRINTABLE_LINES});
            props.insert("acronym".into(), {
                let mut a = line(fi::MAX_SHORT);
                a["minLength"] = json!(1);
                a
            });
            for f in ["name_es", "name_en", "name_pt"] {
                props.insert(f.into(), line(fi::MAX_NAME));
            }
            props.insert("note".into(), para(fi::MAX_NOTE));
            for f in ["description_es", "description_en", "description_pt"] {
                props.insert(f.into(), para(fi::MAX_DESCRIPTION));
            }
            let mut countries: Vec<Value> = faro_domain::country::all()
                .iter()
                .map(|c| json!(c.code))
                .collect();
            countries.push(Value::Null);
            props.insert(
                "country".into(),
                json!({"type": ["string", "null"], "enum": countries, "description": "ISO 3166-1 alpha-2"}),
            );
            let mut kinds: Vec<Value> = fi::InstitutionKind::ALL
                .iter()
                .map(|k| json!(k.code()))
                .collect();
            kinds.push(Value::Null);
            props.insert(
                "kind".into(),
                json!({"type": ["string", "null"], "enum": kinds}),
            );
            props.insert(
                "website".into(),
                json!({"type": ["string", "null"], "pattern": doc::WEB_ADDRESS, "examples": ["https://www.sena.edu.co"]}),
            );
            props.insert(
                "contact_email".into(),
                json!({"type": ["string", "null"], "pattern": doc::EMAIL, "examples": ["info@sena.edu.co"]}),
            );
        }
        for name in ["SeriesBody", "SessionBody"] {
            if let Some(s) = schemas.get_mut(name).and_then(Value::as_object_mut) {
                let req = s.entry("required").or_insert_with(|| json!([]));
                for f in ["id", "original_language"] {
                    if let Some(r) = req.as_array_mut()
                        && !r.contains(&json!(f))
                    {
                        r.push(json!(f));
                    }
                }
            }
        }
    }
    // Optional headers are strings: absent, never `null`.
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut() {
            let Some(ops) = item.as_object_mut() else {
                continue;
            };
            for op in ops.values_mut() {
                let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) else {
                    continue;
                };
                for p in params {
                    if p["in"] == "header"
                        && let Some(t) = p.pointer_mut("/schema/type")
                        && t.is_array()
                    {
                        *t = json!("string");
                    }
                }
            }
        }
    }
    doc
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
    pub const PRINTABLE: &str = "^[^\\u0000-\\u001F\\u007F-\\u009F]*$";

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
        one_of(&["newest", "start", "relevance"])
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

    /// Text of several lines: no control characters but tab and line breaks.
    pub const PRINTABLE_LINES: &str =
        "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$";
    /// An http(s) address without spaces or control characters, at most
    /// 500 bytes (120 characters after the scheme keep any UTF-8 under it).
    pub const WEB_ADDRESS: &str =
        "^[Hh][Tt][Tt][Pp][Ss]?://[^\\s\\u0000-\\u001F\\u007F-\\u009F]{2,120}$";
    /// An e-mail address the directory accepts (or empty, to clear it).
    pub const EMAIL: &str =
        "^([A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(\\.[A-Za-z0-9-]{1,63})+)?$";

    /// A record id: lowercase ASCII letters and digits in runs joined by
    /// single hyphens (`faro_domain`'s slug rule).
    pub const SLUG_PATTERN: &str = "^[a-z0-9]+(-[a-z0-9]+)*$";

    /// `If-Match`: one quoted ETag as GET returned it, or `*`.
    pub const ETAG_PATTERN: &str = "^(\\*|\"[^\"]*\")$";
}
