//! `GET /api/v1/resources` and `GET /api/v1/resources/{id}`.

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use faro_domain::knowledge::Resource;
use serde::Serialize;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ResourceJson {
    pub id: String,
    #[serde(rename = "type")]
    pub resource_type: String,
    pub institutions: Vec<String>,
    pub countries: Vec<String>,
    /// BCP 47; empty when unknown.
    pub languages: Vec<String>,
    /// Codebook codes.
    pub topics: Vec<String>,
    pub audience: Vec<String>,
    /// SPDX / Creative Commons identifier; empty when not stated.
    pub license: String,
    pub published: String,
    pub url: String,
    pub title_es: String,
    pub title_en: String,
    pub title_pt: String,
    pub description_es: String,
    pub description_en: String,
    pub description_pt: String,
    pub original_language: String,
    pub notes: String,
    /// Persistent identifiers (`doi:…`, `hdl:…`).
    pub identifiers: Vec<String>,
    /// Ids of related observatory measures.
    pub related_measures: Vec<String>,
    /// Ids of related event sessions.
    pub related_sessions: Vec<String>,
    pub updated_at: String,
}

fn to_json(s: faro_store::knowledge::Stored) -> ResourceJson {
    let Resource {
        id,
        resource_type,
        institutions,
        countries,
        languages,
        topics,
        audience,
        license,
        published,
        url,
        title_es,
        title_en,
        title_pt,
        description_es,
        description_en,
        description_pt,
        original_language,
        notes,
        identifiers,
        related_measures,
        related_sessions,
    } = s.resource;
    ResourceJson {
        id,
        resource_type,
        institutions,
        countries,
        languages,
        topics,
        audience,
        license,
        published,
        url,
        title_es,
        title_en,
        title_pt,
        description_es,
        description_en,
        description_pt,
        original_language,
        notes,
        identifiers,
        related_measures,
        related_sessions,
        updated_at: s.updated_at.to_rfc3339(),
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ResourcePage {
    pub items: Vec<ResourceJson>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    pub facets: std::collections::BTreeMap<String, Vec<super::FacetCount>>,
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ResourceParams {
    /// Resource type (repeatable).
    #[serde(rename = "type")]
    #[param(rename = "type", schema_with = super::doc::facet)]
    resource_type: Option<Vec<String>>,
    /// Codebook code (repeatable).
    #[param(schema_with = super::doc::facet)]
    topic: Option<Vec<String>>,
    /// Institution id (repeatable).
    #[param(schema_with = super::doc::facet)]
    institution: Option<Vec<String>>,
    /// ISO 3166-1 alpha-2 (repeatable).
    #[param(schema_with = super::doc::countries)]
    country: Option<Vec<String>>,
    /// BCP 47 language (repeatable).
    #[param(schema_with = super::doc::facet)]
    language: Option<Vec<String>>,
    /// Licence identifier, or `unknown` (repeatable).
    #[param(schema_with = super::doc::facet)]
    license: Option<Vec<String>>,
    /// Publication year, or `unknown` (repeatable).
    #[param(schema_with = super::doc::years_or_unknown)]
    year: Option<Vec<String>>,
    /// From 1.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100000, example = 1)]
    page: Option<String>,
    /// 1–500, default 50.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500, example = 50)]
    per_page: Option<String>,
}

/// List the knowledge base's resources.
#[utoipa::path(
    get,
    operation_id = "list_resources",
    path = "/api/v1/resources",
    tag = "knowledge",
    params(ResourceParams),
    responses(
        (status = 200, description = "Resources, total and facet counts", body = ResourcePage),
        (status = 400, description = "A malformed parameter", body = ErrorBody)
    )
)]
pub async fn list(
    State(state): State<AppState>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<ResourcePage>, ApiError> {
    let Query(pairs) = q.map_err(super::institutions::query_error)?;
    let wanted = crate::pages::knowledge::parse(&pairs)?;
    let (page, per_page) = crate::params::page_and_size(&pairs, 50)?;
    let listed = faro_store::knowledge::list(
        &state.store,
        &wanted,
        faro_store::list::PageReq::new(page, per_page),
    )
    .await?;
    Ok(Json(ResourcePage {
        total: listed.total,
        page,
        per_page,
        items: listed.items.into_iter().map(to_json).collect(),
        facets: super::facets_json(listed.facets),
    }))
}

/// One resource by id.
#[utoipa::path(
    get,
    operation_id = "get_resource",
    path = "/api/v1/resources/{id}",
    tag = "knowledge",
    params(("id" = String, Path, description = "Resource id", example = "r-cinterfor-technical-note-covid19")),
    responses(
        (status = 200, description = "The resource", body = ResourceJson),
        (status = 404, description = "No resource has this id", body = ErrorBody)
    )
)]
pub async fn get_one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<ResourceJson>, ApiError> {
    match faro_store::knowledge::get(&state.store, &id).await {
        Ok(s) => Ok(Json(to_json(s))),
        Err(faro_store::StoreError::NotFound) => Err(ApiError::not_found("resource")),
        Err(e) => Err(e.into()),
    }
}
