//! `GET /api/v1/sessions` and `GET /api/v1/sessions/{id}`: the sessions of
//! the event series (the ids resources name in `related_sessions`).

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;

/// One session. Keys match the columns of `data/demo/sessions.csv`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SessionJson {
    /// Stable identifier, e.g. `vc2020-04`.
    pub id: String,
    /// The series it belongs to.
    pub series: String,
    /// Position in the series, from 1.
    pub number: u32,
    /// YYYY-MM-DD.
    pub date: String,
    /// Titles; empty when the source gives none in that language.
    pub title_es: String,
    pub title_en: String,
    pub title_pt: String,
    /// Language of the titles the source gives.
    pub original_language: String,
    /// `zoom`, `facebook_live`.
    pub channels: Vec<String>,
    pub notes: String,
    /// Ids of the resources linked to this session.
    pub resources: Vec<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SessionList {
    pub items: Vec<SessionJson>,
    pub total: u64,
}

async fn to_json(
    state: &AppState,
    s: faro_domain::events::Session,
) -> Result<SessionJson, ApiError> {
    let (linked, _) = faro_store::knowledge::related(
        &state.store,
        "session",
        &s.id,
        faro_store::list::MAX_PER_PAGE,
    )
    .await?;
    Ok(SessionJson {
        resources: linked.into_iter().map(|r| r.resource.id).collect(),
        id: s.id,
        series: s.series,
        number: s.number,
        date: s.date,
        title_es: s.title_es,
        title_en: s.title_en,
        title_pt: s.title_pt,
        original_language: s.original_language,
        channels: s.channels,
        notes: s.notes,
    })
}

/// Every session, by date.
#[utoipa::path(
    get,
    operation_id = "list_sessions",
    path = "/api/v1/sessions",
    tag = "events",
    responses((status = 200, description = "Every session of every series, by date", body = SessionList))
)]
pub async fn list(State(state): State<AppState>) -> Result<Json<SessionList>, ApiError> {
    let mut items: Vec<SessionJson> = Vec::new();
    for s in faro_store::events::all(&state.store).await? {
        items.push(to_json(&state, s).await?);
    }
    Ok(Json(SessionList {
        total: items.len() as u64,
        items,
    }))
}

/// One session by id.
#[utoipa::path(
    get,
    operation_id = "get_session",
    path = "/api/v1/sessions/{id}",
    tag = "events",
    params(("id" = String, Path, description = "Session id, e.g. `vc2020-04`")),
    responses(
        (status = 200, description = "The session", body = SessionJson),
        (status = 404, description = "No session has this id", body = ErrorBody)
    )
)]
pub async fn get_one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<SessionJson>, ApiError> {
    let s = match faro_store::events::get(&state.store, &id).await {
        Ok(s) => s,
        Err(faro_store::StoreError::NotFound) => return Err(ApiError::not_found("session")),
        Err(e) => return Err(e.into()),
    };
    Ok(Json(to_json(&state, s).await?))
}
