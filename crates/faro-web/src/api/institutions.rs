//! `GET /api/v1/institutions` and `GET /api/v1/institutions/{id}`.

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::params::DirectoryQuery;
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
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
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FacetCount {
    /// The value; null stands for "no country".
    pub value: Option<String>,
    pub count: u64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InstitutionFacets {
    pub country: Vec<FacetCount>,
    pub kind: Vec<FacetCount>,
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

fn facet(v: Vec<institutions::FacetValue>) -> Vec<FacetCount> {
    v.into_iter()
        .map(|f| FacetCount {
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
    path = "/api/v1/institutions/{id}",
    tag = "institutions",
    params(("id" = String, Path, description = "Institution id (slug), e.g. `sena`")),
    responses(
        (status = 200, description = "The organisation", body = InstitutionJson),
        (status = 404, description = "No organisation has this id", body = ErrorBody)
    )
)]
pub async fn get_one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<InstitutionJson>, ApiError> {
    if !faro_domain::institutions::is_slug(&id) {
        return Err(ApiError::not_found("institution"));
    }
    match institutions::get(&state.store, &id).await {
        Ok(i) => Ok(Json(i.into())),
        Err(faro_store::StoreError::NotFound) => Err(ApiError::not_found("institution")),
        Err(e) => Err(e.into()),
    }
}
