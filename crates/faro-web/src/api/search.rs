//! `GET /api/v1/search`: the same search as the page, as JSON.

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use serde::Serialize;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SnippetJson {
    /// Plain text around the matches.
    pub text: String,
    /// Byte ranges of `text` that matched, as `[start, end)` pairs.
    pub highlights: Vec<[usize; 2]>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HitJson {
    #[serde(rename = "type")]
    pub record_type: String,
    pub id: String,
    /// Titles by language (`es`, `en`, `pt`) where known.
    pub titles: std::collections::BTreeMap<String, String>,
    /// Path of the record's page without the language prefix.
    pub path: String,
    pub snippet: Option<SnippetJson>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SearchJson {
    pub total: u64,
    pub page: usize,
    pub per_page: usize,
    pub hits: Vec<HitJson>,
    /// Counts over all matches, per facet (type, country, institution,
    /// category, language, year).
    pub facets: std::collections::BTreeMap<String, Vec<super::FacetCount>>,
    /// Query words not used (beyond the limit of words, or operators).
    pub ignored_terms: usize,
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct SearchParams {
    /// Free text; words and "quoted phrases". Accents and plurals do not matter.
    #[param(schema_with = super::doc::search_q)]
    q: Option<String>,
    /// Record type (repeatable), e.g. `institution`.
    #[serde(rename = "type")]
    #[param(rename = "type", schema_with = super::doc::record_types)]
    record_type: Option<Vec<String>>,
    /// ISO 3166-1 alpha-2 (repeatable).
    #[param(schema_with = super::doc::countries)]
    country: Option<Vec<String>>,
    /// Institution id (repeatable).
    #[param(schema_with = super::doc::facet)]
    institution: Option<Vec<String>>,
    /// Codebook category (repeatable).
    #[param(schema_with = super::doc::facet)]
    category: Option<Vec<String>>,
    /// Content language: es, en, pt (repeatable).
    #[param(schema_with = super::doc::facet)]
    language: Option<Vec<String>>,
    /// Year (repeatable).
    #[param(schema_with = super::doc::years)]
    year: Option<Vec<String>>,
    /// `relevance` (default) or `date`.
    #[param(schema_with = super::doc::search_sort)]
    sort: Option<String>,
    /// From 1.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500, example = 1)]
    page: Option<String>,
    /// 1–100, default 20.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100, example = 20)]
    per_page: Option<String>,
}

/// Search every record type.
#[utoipa::path(
    get,
    operation_id = "search",
    path = "/api/v1/search",
    tag = "search",
    params(SearchParams),
    responses(
        (status = 200, description = "Hits, facet counts and the total", body = SearchJson),
        (status = 400, description = "A malformed parameter", body = ErrorBody),
        (status = 503, description = "Search is not available in this process", body = ErrorBody)
    )
)]
pub async fn search(
    State(state): State<AppState>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<SearchJson>, ApiError> {
    let Query(pairs) = query.map_err(super::institutions::query_error)?;
    let parsed = crate::search_params::parse(&pairs, 20)?;
    let Some(index) = state.search.clone() else {
        return Err(ApiError {
            status: axum::http::StatusCode::SERVICE_UNAVAILABLE,
            code: "search_unavailable",
            message: "search is not available in this process".into(),
        });
    };
    let req = parsed.req.clone();
    let r = tokio::task::spawn_blocking(move || index.search(&req))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    Ok(Json(SearchJson {
        total: r.total,
        page: parsed.req.page,
        per_page: parsed.req.per_page,
        hits: r
            .hits
            .into_iter()
            .map(|h| HitJson {
                record_type: h.record_type,
                id: h.id,
                titles: h
                    .titles
                    .into_iter()
                    .map(|(l, t)| (l.code().to_string(), t))
                    .collect(),
                path: h.path,
                snippet: h.snippet.map(|s| SnippetJson {
                    highlights: s.highlights.iter().map(|&(a, b)| [a, b]).collect(),
                    text: s.text,
                }),
            })
            .collect(),
        facets: super::facets_json(r.facets),
        ignored_terms: r.ignored_terms,
    }))
}
