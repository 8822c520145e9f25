//! `GET /api/v1/measures` and `GET /api/v1/measures/{id}`.

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use faro_domain::observatory::Measure;
use serde::Serialize;

/// A measure; keys equal the columns of `/data/measures.csv`
/// (multi-valued fields are arrays here, `;`-separated there).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MeasureJson {
    pub id: String,
    pub institution: String,
    pub country: Option<String>,
    pub crisis: String,
    pub categories: Vec<String>,
    pub log_type: String,
    /// Empty: unknown; "none": explicitly none; else YYYY[-MM[-DD]].
    pub announced_date: String,
    pub start_date: String,
    pub end_date: String,
    pub target_groups: Vec<String>,
    pub scope_level: String,
    pub scope_targeting: String,
    pub original_language: String,
    pub title_es: String,
    pub title_en: String,
    pub title_pt: String,
    pub description_es: String,
    pub description_en: String,
    pub description_pt: String,
    pub source_url: String,
    pub source_type: String,
    pub source_title: String,
    pub source_accessed: String,
    pub status: String,
    pub notes: String,
    /// Who entered it: the name the person chose, or their role (never an
    /// e-mail address).
    pub entered_by: String,
    /// Who last reviewed it, shown like `entered_by`.
    pub reviewed_by: String,
    pub last_reviewed: String,
}

impl From<Measure> for MeasureJson {
    fn from(m: Measure) -> Self {
        MeasureJson {
            id: m.id,
            institution: m.institution,
            country: m.country,
            crisis: m.crisis,
            categories: m.categories,
            log_type: m.log_type,
            announced_date: m.announced_date,
            start_date: m.start_date,
            end_date: m.end_date,
            target_groups: m.target_groups,
            scope_level: m.scope_level,
            scope_targeting: m.scope_targeting,
            original_language: m.original_language,
            title_es: m.title_es,
            title_en: m.title_en,
            title_pt: m.title_pt,
            description_es: m.description_es,
            description_en: m.description_en,
            description_pt: m.description_pt,
            source_url: m.source_url,
            source_type: m.source_type,
            source_title: m.source_title,
            source_accessed: m.source_accessed,
            status: m.status,
            notes: m.notes,
            entered_by: m.entered_by,
            reviewed_by: m.reviewed_by,
            last_reviewed: m.last_reviewed,
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MeasurePage {
    pub items: Vec<MeasureJson>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    /// Per facet, counts computed without that facet's own filter.
    pub facets: std::collections::BTreeMap<String, Vec<super::FacetCount>>,
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct MeasureParams {
    /// ISO 3166-1 alpha-2, or `none` (repeatable).
    #[param(schema_with = super::doc::countries)]
    country: Option<Vec<String>>,
    /// Institution id (repeatable).
    #[param(schema_with = super::doc::facet)]
    institution: Option<Vec<String>>,
    /// Codebook code such as `C2`, or a whole category such as `C` (repeatable).
    #[param(schema_with = super::doc::facet)]
    category: Option<Vec<String>>,
    /// Target group (repeatable).
    #[param(schema_with = super::doc::facet)]
    target_group: Option<Vec<String>>,
    /// draft, submitted or verified (repeatable).
    #[param(schema_with = super::doc::measure_statuses)]
    status: Option<Vec<String>>,
    /// Start year, or `unknown` (repeatable).
    #[param(schema_with = super::doc::years_or_unknown)]
    year: Option<Vec<String>>,
    /// From 1.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100000, example = 1)]
    page: Option<String>,
    /// 1–500, default 50.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500, example = 50)]
    per_page: Option<String>,
}

/// List measures of the observatory.
#[utoipa::path(
    get,
    operation_id = "list_measures",
    path = "/api/v1/measures",
    tag = "observatory",
    params(MeasureParams),
    responses(
        (status = 200, description = "A page of measures", body = MeasurePage),
        (status = 400, description = "A malformed parameter", body = ErrorBody)
    )
)]
pub async fn list(
    State(state): State<AppState>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<MeasurePage>, ApiError> {
    let Query(pairs) = q.map_err(super::institutions::query_error)?;
    let (filter, page, per_page) = crate::observatory_params::parse(&pairs)?;
    let listed = faro_store::observatory::list(
        &state.store,
        &filter,
        faro_store::list::PageReq::new(page, per_page),
    )
    .await?;
    // People by public name (English role words), never an e-mail.
    let items =
        crate::people::public_measures(&state.store, faro_domain::Lang::En, listed.items).await?;
    Ok(Json(MeasurePage {
        items: items.into_iter().map(Into::into).collect(),
        total: listed.total,
        page,
        per_page,
        facets: super::facets_json(listed.facets),
    }))
}

/// One measure by id.
#[utoipa::path(
    get,
    operation_id = "get_measure",
    path = "/api/v1/measures/{id}",
    tag = "observatory",
    params(("id" = String, Path, description = "Measure id", example = "m-sena-medical-material")),
    responses(
        (status = 200, description = "The measure", body = MeasureJson),
        (status = 404, description = "No measure has this id", body = ErrorBody)
    )
)]
pub async fn get_one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<MeasureJson>, ApiError> {
    match faro_store::observatory::get(&state.store, &id).await {
        Ok(m) => {
            let mut v =
                crate::people::public_measures(&state.store, faro_domain::Lang::En, vec![m])
                    .await?;
            let m = v.pop().ok_or_else(|| ApiError::not_found("measure"))?;
            Ok(Json(m.into()))
        }
        Err(faro_store::StoreError::NotFound) => Err(ApiError::not_found("measure")),
        Err(e) => Err(e.into()),
    }
}
