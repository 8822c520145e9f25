//! `GET /api/v1/institutions` and `GET /api/v1/institutions/{id}`.

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::params::DirectoryQuery;
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use faro_domain::Institution;
use faro_store::institutions;
use serde::Serialize;

/// One organisation. Keys match the columns of the institutions CSV.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InstitutionJson {
    /// Stable identifier (slug).
    pub id: String,
    pub acronym: String,
    /// Name in Spanish, empty when not known.
    pub name_es: String,
    /// Name in English, empty when not known.
    pub name_en: String,
    /// Name in Portuguese, empty when not known.
    pub name_pt: String,
    /// ISO 3166-1 alpha-2, null for international bodies or when unknown.
    pub country: Option<String>,
    /// One of training_institution, ministry_agency, social_partner,
    /// international_body, university, foundation_ngo, other.
    pub kind: String,
    /// In the network's member list.
    pub member: bool,
    /// Presented in the 2020 videoconference series.
    pub presenter: bool,
    pub website: Option<String>,
    /// Editorial note, e.g. where sources disagree.
    pub note: Option<String>,
    /// Profile text in Spanish, English and Portuguese.
    pub description_es: Option<String>,
    pub description_en: Option<String>,
    pub description_pt: Option<String>,
    /// Public contact address.
    pub contact_email: Option<String>,
    /// The profile page (Spanish; `/en/…` and `/pt/…` also exist).
    pub url: String,
}

impl From<Institution> for InstitutionJson {
    fn from(i: Institution) -> Self {
        InstitutionJson {
            url: format!("/es/institutions/{}", i.id),
            id: i.id,
            acronym: i.acronym,
            name_es: i.name_es,
            name_en: i.name_en,
            name_pt: i.name_pt,
            country: i.country,
            kind: i.kind.code().to_string(),
            member: i.member,
            presenter: i.presenter,
            website: i.website,
            note: i.note,
            description_es: i.description_es,
            description_en: i.description_en,
            description_pt: i.description_pt,
            contact_email: i.contact_email,
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InstitutionFacetCount {
    /// The value; null stands for "no country".
    pub value: Option<String>,
    pub count: u64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InstitutionFacets {
    pub country: Vec<InstitutionFacetCount>,
    pub kind: Vec<InstitutionFacetCount>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InstitutionPage {
    pub items: Vec<InstitutionJson>,
    /// Number of organisations matching the filters, on all pages.
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    /// Counts per value of each filter, each computed without its own filter.
    pub facets: InstitutionFacets,
}

fn facet(v: Vec<institutions::FacetValue>) -> Vec<InstitutionFacetCount> {
    v.into_iter()
        .map(|f| InstitutionFacetCount {
            value: f.value,
            count: f.count,
        })
        .collect()
}

pub fn query_error(e: QueryRejection) -> ApiError {
    ApiError {
        status: axum::http::StatusCode::BAD_REQUEST,
        code: "invalid_parameter",
        message: format!("malformed query string: {}", e.body_text()),
    }
}

/// List the network directory.
#[utoipa::path(
    get,
    operation_id = "list_institutions",
    path = "/api/v1/institutions",
    tag = "institutions",
    params(DirectoryQuery),
    responses(
        (status = 200, description = "A page of organisations", body = InstitutionPage),
        (status = 400, description = "A malformed parameter", body = ErrorBody)
    )
)]
pub async fn list(
    State(state): State<AppState>,
    query: Result<Query<DirectoryQuery>, QueryRejection>,
) -> Result<Json<InstitutionPage>, ApiError> {
    let Query(query) = query.map_err(query_error)?;
    let (filter, page, per_page) = query.parse(50)?;
    let (items, total) = institutions::list(&state.store, &filter, page, per_page).await?;
    let facets = institutions::facets(&state.store, &filter).await?;
    Ok(Json(InstitutionPage {
        items: items.into_iter().map(Into::into).collect(),
        total,
        page,
        per_page,
        facets: InstitutionFacets {
            country: facet(facets.country),
            kind: facet(facets.kind),
        },
    }))
}

/// One organisation by id.
#[utoipa::path(
    get,
    operation_id = "get_institution",
    path = "/api/v1/institutions/{id}",
    tag = "institutions",
    params(("id" = String, Path, description = "Institution id (slug), e.g. `sena`", example = "sena")),
    responses(
        (status = 200, description = "The organisation", body = InstitutionJson,
            headers(("ETag" = String, description = "The record's version; send it back in `If-Match` to change it only if nobody changed it since"))),
        (status = 404, description = "No organisation has this id", body = ErrorBody)
    )
)]
pub async fn get_one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<(HeaderMap, Json<InstitutionJson>), ApiError> {
    if !faro_domain::institutions::is_slug(&id) {
        return Err(ApiError::not_found("institution"));
    }
    match institutions::get(&state.store, &id).await {
        Ok(i) => Ok((etag(&state, &id).await?, Json(i.into()))),
        Err(faro_store::StoreError::NotFound) => Err(ApiError::not_found("institution")),
        Err(e) => Err(e.into()),
    }
}

/// The record's version as an `ETag` header (a quoted RFC 3339 time).
async fn etag(state: &AppState, id: &str) -> Result<HeaderMap, ApiError> {
    let mut h = HeaderMap::new();
    if let Some(v) = institutions::version(&state.store, id).await?
        && let Ok(value) = axum::http::HeaderValue::from_str(&format!("\"{v}\""))
    {
        h.insert(axum::http::header::ETAG, value);
    }
    Ok(h)
}

/// The version an `If-Match` header asks for: `None` when absent or `*`.
fn if_match(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(v) = headers.get(axum::http::header::IF_MATCH) else {
        return Ok(None);
    };
    let v = v.to_str().unwrap_or("").trim();
    if v == "*" {
        return Ok(None);
    }
    match v.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        Some(inner) if !inner.contains('"') => Ok(Some(inner.to_string())),
        _ => Err(ApiError {
            status: axum::http::StatusCode::BAD_REQUEST,
            code: "invalid_header",
            message: "If-Match must be one quoted ETag, as GET returned it".into(),
        }),
    }
}

fn precondition_failed() -> ApiError {
    ApiError {
        status: axum::http::StatusCode::PRECONDITION_FAILED,
        code: "precondition_failed",
        message:
            "the record changed since the ETag in If-Match; GET it again and reapply your change"
                .into(),
    }
}

/// Fields to change; absent fields stay as they are. Editors may change
/// names, website, descriptions and contact; the other fields need a
/// coordinator.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InstitutionPatch {
    pub acronym: Option<String>,
    pub name_es: Option<String>,
    pub name_en: Option<String>,
    pub name_pt: Option<String>,
    pub country: Option<Option<String>>,
    pub kind: Option<String>,
    pub member: Option<bool>,
    pub presenter: Option<bool>,
    pub website: Option<Option<String>>,
    pub note: Option<Option<String>>,
    pub description_es: Option<Option<String>>,
    pub description_en: Option<Option<String>>,
    pub description_pt: Option<Option<String>>,
    pub contact_email: Option<Option<String>>,
    /// Recorded in the change history.
    pub reason: Option<String>,
}

fn forbidden() -> ApiError {
    ApiError {
        status: axum::http::StatusCode::FORBIDDEN,
        code: "forbidden",
        message: "your account may not change this record".into(),
    }
}

fn invalid(msg: String) -> ApiError {
    ApiError {
        status: axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        code: "invalid_record",
        message: msg,
    }
}

/// Change an organisation (bearer token).
#[utoipa::path(
    operation_id = "update_institution",
    patch,
    path = "/api/v1/institutions/{id}",
    tag = "institutions",
    params(
        ("id" = String, Path, description = "Institution id", example = "sena"),
        ("If-Match" = Option<String>, Header, description = "The ETag from GET: the change applies only if the record is still at that version (412 otherwise). An ETag: the version in double quotes, as `ETag` or `updated_at` gave it (or `*`)", pattern = r#"^(\*|"[^"]*")$"#, example = json!("\"2020-06-25T12:00:00+00:00\""))
    ),
    request_body(content = InstitutionPatch, example = json!({"website": "https://www.oitcinterfor.org", "reason": "new address"})),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The organisation after the change", body = InstitutionJson),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "Not allowed for this account", body = ErrorBody),
        (status = 404, description = "No organisation has this id", body = ErrorBody),
        (status = 412, description = "`If-Match` names an older version: someone changed the record since", body = ErrorBody),
        (status = 422, description = "A value is not valid", body = ErrorBody)
    )
)]
pub async fn patch(
    State(state): State<AppState>,
    crate::auth::ApiUser(who): crate::auth::ApiUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Json<InstitutionPatch>, axum::extract::rejection::JsonRejection>,
) -> Result<(HeaderMap, Json<InstitutionJson>), ApiError> {
    if !who.can_edit_institution(&id) {
        return Err(forbidden());
    }
    let expected = if_match(&headers)?;
    let Json(p) = body.map_err(|e| ApiError {
        status: axum::http::StatusCode::BAD_REQUEST,
        code: "invalid_body",
        message: e.body_text(),
    })?;
    let mut i = match institutions::get(&state.store, &id).await {
        Ok(i) => i,
        Err(faro_store::StoreError::NotFound) => return Err(ApiError::not_found("institution")),
        Err(e) => return Err(e.into()),
    };
    // The directory facts are the coordinators' (`accounts::DIRECTORY_FIELDS`).
    let present = [
        ("acronym", p.acronym.is_some()),
        ("name_es", p.name_es.is_some()),
        ("name_en", p.name_en.is_some()),
        ("name_pt", p.name_pt.is_some()),
        ("country", p.country.is_some()),
        ("kind", p.kind.is_some()),
        ("member", p.member.is_some()),
        ("presenter", p.presenter.is_some()),
        ("website", p.website.is_some()),
        ("note", p.note.is_some()),
        ("description_es", p.description_es.is_some()),
        ("description_en", p.description_en.is_some()),
        ("description_pt", p.description_pt.is_some()),
        ("contact_email", p.contact_email.is_some()),
    ];
    let changed = present.iter().filter(|(_, set)| *set).map(|(f, _)| *f);
    if !who.may_change_institution_fields(changed) {
        return Err(forbidden());
    }
    if let Some(v) = p.acronym {
        i.acronym = v;
    }
    if let Some(v) = p.name_es {
        i.name_es = v;
    }
    if let Some(v) = p.name_en {
        i.name_en = v;
    }
    if let Some(v) = p.name_pt {
        i.name_pt = v;
    }
    if let Some(v) = p.country {
        i.country = v.map(|c| c.to_ascii_uppercase());
    }
    if let Some(v) = p.kind {
        i.kind = faro_domain::InstitutionKind::from_code(&v)
            .ok_or_else(|| invalid(format!("kind {v:?} is not a known institution kind")))?;
    }
    if let Some(v) = p.member {
        i.member = v;
    }
    if let Some(v) = p.presenter {
        i.presenter = v;
    }
    if let Some(v) = p.website {
        i.website = v;
    }
    if let Some(v) = p.note {
        i.note = v;
    }
    if let Some(v) = p.description_es {
        i.description_es = v;
    }
    if let Some(v) = p.description_en {
        i.description_en = v;
    }
    if let Some(v) = p.description_pt {
        i.description_pt = v;
    }
    if let Some(v) = p.contact_email {
        i.contact_email = v;
    }
    i.normalize();
    let errs = i.validate_profile();
    if !errs.is_empty() {
        return Err(invalid(
            errs.iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        ));
    }
    let actor = faro_store::changes::Actor::new(format!("{} (api)", who.actor_name()), p.reason);
    match institutions::update(&state.store, &i, &actor, expected.as_deref()).await {
        Ok(_) => {}
        Err(faro_store::StoreError::Conflict) => return Err(precondition_failed()),
        Err(e) => return Err(e.into()),
    }
    Ok((
        etag(&state, &id).await?,
        Json(institutions::get(&state.store, &id).await?.into()),
    ))
}

/// Delete an organisation (coordinators; soft delete, restorable).
#[utoipa::path(
    operation_id = "delete_institution",
    delete,
    path = "/api/v1/institutions/{id}",
    tag = "institutions",
    params(("id" = String, Path, description = "Institution id", example = "sena")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted (kept, restorable)"),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "Not a coordinator", body = ErrorBody),
        (status = 404, description = "No organisation has this id", body = ErrorBody)
    )
)]
pub async fn delete(
    State(state): State<AppState>,
    crate::auth::ApiUser(who): crate::auth::ApiUser,
    Path(id): Path<String>,
) -> Result<axum::http::StatusCode, ApiError> {
    set_deleted(state, who, id, true).await
}

/// Restore a deleted organisation (coordinators).
#[utoipa::path(
    operation_id = "restore_institution",
    post,
    path = "/api/v1/institutions/{id}/restore",
    tag = "institutions",
    params(("id" = String, Path, description = "Institution id", example = "sena")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Restored"),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "Not a coordinator", body = ErrorBody),
        (status = 404, description = "No organisation has this id", body = ErrorBody)
    )
)]
pub async fn restore(
    State(state): State<AppState>,
    crate::auth::ApiUser(who): crate::auth::ApiUser,
    Path(id): Path<String>,
) -> Result<axum::http::StatusCode, ApiError> {
    set_deleted(state, who, id, false).await
}

async fn set_deleted(
    state: AppState,
    who: faro_domain::accounts::Principal,
    id: String,
    deleted: bool,
) -> Result<axum::http::StatusCode, ApiError> {
    if !who.is_coordinator() {
        return Err(forbidden());
    }
    let actor = faro_store::changes::Actor::new(format!("{} (api)", who.actor_name()), None);
    match institutions::set_deleted(&state.store, &id, deleted, &actor).await {
        Ok(()) => Ok(axum::http::StatusCode::NO_CONTENT),
        Err(faro_store::StoreError::NotFound) => Err(ApiError::not_found("institution")),
        Err(e) => Err(e.into()),
    }
}
