//! `/api/v1/courses`: the course finder's list (the same `list` as the page,
//! availability at the site's day), one course, and creating and replacing
//! courses with a bearer token. JSON keys equal the CSV column names
//! (`/data/courses.csv`); a course's runs are nested under `runs`.

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use faro_domain::courses::{Course, CourseRun};
use faro_store::courses as cs;
use serde::{Deserialize, Serialize};

/// One run of a course.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RunBody {
    /// Unique within the course (lowercase letters, digits, hyphens).
    pub run_id: String,
    /// `YYYY-MM-DD`; empty when not given.
    #[serde(default)]
    pub run_start: String,
    #[serde(default)]
    pub run_end: String,
    #[serde(default)]
    pub enrolment_start: String,
    /// Empty: enrolment closes when the run starts.
    #[serde(default)]
    pub enrolment_end: String,
    /// `self_paced` or `instructor_led`.
    pub pacing: String,
    /// `online`, `blended`, `broadcast_tv` or `broadcast_radio`.
    pub modality: String,
    #[serde(default)]
    pub hours_total: Option<i32>,
    #[serde(default)]
    pub hours_week: Option<i32>,
    /// `free`, `waived` (fees waived or deferred) or `paid`.
    pub cost: String,
    /// Decimal amount, with `currency`.
    #[serde(default)]
    pub price: String,
    /// ISO 4217.
    #[serde(default)]
    pub currency: String,
    /// `none`, `attendance`, `assessed` or `official`.
    pub certificate: String,
    #[serde(default)]
    pub seats: Option<i32>,
    /// Derived from the dates at the site's day (`announced`, `open`,
    /// `running`, `closed`, `archived`); ignored on input.
    #[serde(default, skip_deserializing)]
    pub status: String,
}

/// A course as clients send it (create, replace).
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CourseBody {
    /// Required on create; on replace it must match the path or be absent.
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub title_es: String,
    #[serde(default)]
    pub title_en: String,
    #[serde(default)]
    pub title_pt: String,
    #[serde(default)]
    pub description_es: String,
    #[serde(default)]
    pub description_en: String,
    #[serde(default)]
    pub description_pt: String,
    /// `es`, `en` or `pt`.
    pub original_language: String,
    /// Institution ids.
    pub providers: Vec<String>,
    /// ISCED-F 2013 codes.
    #[serde(default)]
    pub subjects: Vec<String>,
    /// Codebook codes.
    #[serde(default)]
    pub topics: Vec<String>,
    /// `introductory`, `intermediate`, `advanced` or empty.
    #[serde(default)]
    pub level: String,
    #[serde(default)]
    pub target_groups: Vec<String>,
    /// BCP 47 tags.
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub mobile_friendly: bool,
    #[serde(default)]
    pub downloadable: bool,
    #[serde(default)]
    pub offline: bool,
    #[serde(default)]
    pub broadcast: bool,
    /// Approximate data needed, in megabytes.
    #[serde(default)]
    pub data_mb: Option<i32>,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub runs: Vec<RunBody>,
    /// Recorded in the change history (not part of the course).
    #[serde(default, skip_serializing)]
    pub reason: Option<String>,
}

/// A course as the API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CourseJson {
    #[serde(flatten)]
    pub course: CourseBody,
    /// Availability at the site's day (`open_now`, `starting_soon`,
    /// `self_paced`, `archived`).
    pub availability: Vec<String>,
    pub updated_at: String,
}

fn run_body(r: CourseRun, today: chrono::NaiveDate) -> RunBody {
    let status = r.status(today).code().to_string();
    RunBody {
        status,
        run_id: r.run_id,
        run_start: r.run_start,
        run_end: r.run_end,
        enrolment_start: r.enrolment_start,
        enrolment_end: r.enrolment_end,
        pacing: r.pacing,
        modality: r.modality,
        hours_total: r.hours_total,
        hours_week: r.hours_week,
        cost: r.cost,
        price: r.price,
        currency: r.currency,
        certificate: r.certificate,
        seats: r.seats,
    }
}

pub fn to_json(s: cs::Stored, today: chrono::NaiveDate) -> CourseJson {
    let availability = s
        .course
        .availability(today)
        .into_iter()
        .map(String::from)
        .collect();
    let c = s.course;
    CourseJson {
        availability,
        updated_at: s.updated_at.to_rfc3339(),
        course: CourseBody {
            id: c.id,
            title_es: c.title_es,
            title_en: c.title_en,
            title_pt: c.title_pt,
            description_es: c.description_es,
            description_en: c.description_en,
            description_pt: c.description_pt,
            original_language: c.original_language,
            providers: c.providers,
            subjects: c.subjects,
            topics: c.topics,
            level: c.level,
            target_groups: c.target_groups,
            languages: c.languages,
            url: c.url,
            mobile_friendly: c.mobile_friendly,
            downloadable: c.downloadable,
            offline: c.offline,
            broadcast: c.broadcast,
            data_mb: c.data_mb,
            notes: c.notes,
            runs: c.runs.into_iter().map(|r| run_body(r, today)).collect(),
            reason: None,
        },
    }
}

fn from_body(b: CourseBody) -> (Course, Option<String>) {
    let c = Course {
        id: b.id.trim().to_string(),
        title_es: b.title_es,
        title_en: b.title_en,
        title_pt: b.title_pt,
        description_es: b.description_es,
        description_en: b.description_en,
        description_pt: b.description_pt,
        original_language: b.original_language,
        providers: b.providers,
        subjects: b.subjects,
        topics: b.topics,
        level: b.level,
        target_groups: b.target_groups,
        languages: b.languages,
        url: b.url.trim().to_string(),
        mobile_friendly: b.mobile_friendly,
        downloadable: b.downloadable,
        offline: b.offline,
        broadcast: b.broadcast,
        data_mb: b.data_mb,
        notes: b.notes,
        runs: b
            .runs
            .into_iter()
            .map(|r| CourseRun {
                run_id: r.run_id,
                run_start: r.run_start,
                run_end: r.run_end,
                enrolment_start: r.enrolment_start,
                enrolment_end: r.enrolment_end,
                pacing: r.pacing,
                modality: r.modality,
                hours_total: r.hours_total,
                hours_week: r.hours_week,
                cost: r.cost,
                price: r.price,
                currency: r.currency.to_ascii_uppercase(),
                certificate: r.certificate,
                seats: r.seats,
            })
            .collect(),
    };
    (c, b.reason)
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CoursePage {
    pub items: Vec<CourseJson>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    /// The day availability was computed at (`YYYY-MM-DD`).
    pub today: String,
    pub facets: std::collections::BTreeMap<String, Vec<super::FacetCount>>,
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct CourseParams {
    /// `open_now`, `starting_soon`, `self_paced` or `archived` (repeatable).
    #[param(schema_with = super::doc::facet)]
    availability: Option<Vec<String>>,
    /// `free`, `waived` or `paid` (repeatable).
    #[param(schema_with = super::doc::facet)]
    cost: Option<Vec<String>>,
    /// BCP 47 tag (repeatable).
    #[param(schema_with = super::doc::facet)]
    language: Option<Vec<String>>,
    /// ISO 3166-1 alpha-2 of a provider (repeatable).
    #[param(schema_with = super::doc::countries)]
    country: Option<Vec<String>>,
    /// Institution id (repeatable).
    #[param(schema_with = super::doc::facet)]
    provider: Option<Vec<String>>,
    /// ISCED-F 2013 code (repeatable).
    #[param(schema_with = super::doc::facet)]
    subject: Option<Vec<String>>,
    /// `online`, `blended`, `broadcast_tv`, `broadcast_radio` (repeatable).
    #[param(schema_with = super::doc::facet)]
    modality: Option<Vec<String>>,
    /// `none`, `attendance`, `assessed`, `official` (repeatable).
    #[param(schema_with = super::doc::facet)]
    certificate: Option<Vec<String>>,
    /// `lt10`, `10to40` or `gt40` total hours (repeatable).
    #[param(schema_with = super::doc::facet)]
    workload: Option<Vec<String>>,
    /// Observatory target group (repeatable).
    #[param(schema_with = super::doc::facet)]
    target_group: Option<Vec<String>>,
    /// `mobile`, `downloadable`, `offline`, `broadcast`, `low_data` (repeatable).
    #[param(schema_with = super::doc::facet)]
    light: Option<Vec<String>>,
    /// `introductory`, `intermediate`, `advanced` or `unstated` (repeatable).
    #[param(schema_with = super::doc::facet)]
    level: Option<Vec<String>>,
    /// Words to find in the courses' titles, descriptions and labels
    /// (through the site's search index).
    #[param(value_type = Option<String>, max_length = 500, example = "aprendizaje")]
    q: Option<String>,
    /// `newest` (default without `q`), `start` (next start first) or
    /// `relevance` (default with `q`).
    #[param(schema_with = super::doc::course_sort)]
    sort: Option<String>,
    /// From 1.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100000, example = 1)]
    page: Option<String>,
    /// 1–500, default 20.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500, example = 20)]
    per_page: Option<String>,
}

/// List courses with the finder's facets.
#[utoipa::path(
    get,
    operation_id = "list_courses",
    path = "/api/v1/courses",
    tag = "courses",
    params(CourseParams),
    responses(
        (status = 200, description = "Courses, total and facet counts", body = CoursePage),
        (status = 400, description = "A malformed parameter", body = ErrorBody),
        (status = 503, description = "Words were asked for and the search index cannot answer", body = ErrorBody)
    )
)]
pub async fn list(
    State(state): State<AppState>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<CoursePage>, ApiError> {
    let Query(pairs) = q.map_err(super::institutions::query_error)?;
    let (wanted, sort) = crate::pages::courses::parse(&pairs)?;
    let (page, per_page) = crate::params::page_and_size(&pairs, crate::pages::courses::PER_PAGE)?;
    let today = state.config.today();
    let text = crate::finder::text(&pairs);
    let found = crate::finder::courses(
        &state,
        &wanted,
        &text,
        faro_store::list::PageReq::new(page, per_page),
        today,
        sort,
    )
    .await?;
    if found.text_unavailable {
        return Err(ApiError {
            status: StatusCode::SERVICE_UNAVAILABLE,
            code: "search_unavailable",
            message: "searching course texts is not available right now".into(),
        });
    }
    let listed = found.listed;
    Ok(Json(CoursePage {
        total: listed.total,
        page,
        per_page,
        today: today.format("%Y-%m-%d").to_string(),
        items: listed
            .items
            .into_iter()
            .map(|s| to_json(s, today))
            .collect(),
        facets: super::facets_json(listed.facets),
    }))
}

/// One course by id.
#[utoipa::path(
    get,
    operation_id = "get_course",
    path = "/api/v1/courses/{id}",
    tag = "courses",
    params(("id" = String, Path, description = "Course id", example = "c-cinterfor-quality-apprenticeship")),
    responses(
        (status = 200, description = "The course with its runs", body = CourseJson),
        (status = 404, description = "No course has this id", body = ErrorBody)
    )
)]
pub async fn get_one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<CourseJson>, ApiError> {
    match cs::get(&state.store, &id).await {
        Ok(s) => Ok(Json(to_json(s, state.config.today()))),
        Err(faro_store::StoreError::NotFound) => Err(ApiError::not_found("course")),
        Err(e) => Err(e.into()),
    }
}

fn forbidden() -> ApiError {
    ApiError {
        status: StatusCode::FORBIDDEN,
        code: "forbidden",
        message: "your account may not change this record".into(),
    }
}

fn invalid(errs: &[faro_domain::FieldError]) -> ApiError {
    ApiError {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        code: "invalid_record",
        message: errs
            .iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("; "),
    }
}

fn body_error(e: JsonRejection) -> ApiError {
    ApiError {
        status: StatusCode::BAD_REQUEST,
        code: "invalid_body",
        message: e.body_text(),
    }
}

/// Create a course (bearer token; editors of one of its providers,
/// coordinators).
#[utoipa::path(
    post,
    operation_id = "create_course",
    path = "/api/v1/courses",
    tag = "courses",
    request_body(content = CourseBody, example = json!({"id": "c-example-course", "original_language": "en", "title_en": "An example course", "providers": ["cinterfor"], "languages": ["es"], "runs": [], "reason": "example"})),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = CourseJson),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "Not allowed for this account", body = ErrorBody),
        (status = 409, description = "A course with this id exists", body = ErrorBody),
        (status = 422, description = "A value is not valid, or a provider is unknown", body = ErrorBody)
    )
)]
pub async fn create(
    State(state): State<AppState>,
    crate::auth::ApiUser(who): crate::auth::ApiUser,
    body: Result<Json<CourseBody>, JsonRejection>,
) -> Result<(StatusCode, Json<CourseJson>), ApiError> {
    let Json(b) = body.map_err(body_error)?;
    let (c, reason) = from_body(b);
    if !who.can_create_records() || !who.may_assign_institutions(&c.providers) {
        return Err(forbidden());
    }
    let errs = c.validate(faro_domain::observatory::current());
    if !errs.is_empty() {
        return Err(invalid(&errs));
    }
    let actor = faro_store::changes::Actor::new(format!("{} (api)", who.actor_name()), reason);
    cs::save(
        &state.store,
        &c,
        &actor,
        Some(faro_store::changes::NEW_RECORD),
    )
    .await?;
    let s = cs::get(&state.store, &c.id).await?;
    Ok((StatusCode::CREATED, Json(to_json(s, state.config.today()))))
}

/// Replace a course and its runs (bearer token). With `If-Match` (the
/// `updated_at` from GET) a course changed since is refused with 412.
#[utoipa::path(
    put,
    operation_id = "replace_course",
    path = "/api/v1/courses/{id}",
    tag = "courses",
    params(
        ("id" = String, Path, description = "Course id", example = "c-cinterfor-quality-apprenticeship"),
        ("If-Match" = Option<String>, Header, description = "The `updated_at` the change is based on. An ETag: the version in double quotes, as `ETag` or `updated_at` gave it (or `*`)", pattern = r#"^(\*|"[^"]*")$"#, example = json!("\"2020-06-25T12:00:00+00:00\""))
    ),
    request_body(content = CourseBody, example = json!({"id": "c-example-course", "original_language": "en", "title_en": "An example course", "providers": ["cinterfor"], "languages": ["es"], "runs": [], "reason": "example"})),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The course after the change", body = CourseJson),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "Not allowed for this account", body = ErrorBody),
        (status = 404, description = "No course has this id", body = ErrorBody),
        (status = 412, description = "The course changed since `If-Match`", body = ErrorBody),
        (status = 422, description = "A value is not valid, or a provider is unknown", body = ErrorBody)
    )
)]
pub async fn replace(
    State(state): State<AppState>,
    crate::auth::ApiUser(who): crate::auth::ApiUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Json<CourseBody>, JsonRejection>,
) -> Result<Json<CourseJson>, ApiError> {
    let old = match cs::get(&state.store, &id).await {
        Ok(s) => s,
        Err(faro_store::StoreError::NotFound) => return Err(ApiError::not_found("course")),
        Err(e) => return Err(e.into()),
    };
    if !who.can_edit_course(&old.course) {
        return Err(forbidden());
    }
    let Json(mut b) = body.map_err(body_error)?;
    if !b.id.is_empty() && b.id != id {
        return Err(ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "invalid_record",
            message: format!("id {:?} does not match the path", b.id),
        });
    }
    b.id = id.clone();
    let (c, reason) = from_body(b);
    if !who.may_assign_institutions(&c.providers) {
        return Err(forbidden());
    }
    let errs = c.validate(faro_domain::observatory::current());
    if !errs.is_empty() {
        return Err(invalid(&errs));
    }
    let expected = headers
        .get(axum::http::header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().trim_matches('"').to_string())
        // `*`: any version, as if absent.
        .filter(|v| v != "*");
    let actor = faro_store::changes::Actor::new(format!("{} (api)", who.actor_name()), reason);
    match cs::save(&state.store, &c, &actor, expected.as_deref()).await {
        Ok(_) => {}
        Err(faro_store::StoreError::Conflict) => {
            return Err(ApiError {
                status: StatusCode::PRECONDITION_FAILED,
                code: "precondition_failed",
                message: "the course changed since If-Match; GET it again and reapply your change"
                    .into(),
            });
        }
        Err(e) => return Err(e.into()),
    }
    let s = cs::get(&state.store, &id).await?;
    Ok(Json(to_json(s, state.config.today())))
}
