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
    /// Local start `HH:MM` in `time_zone` (empty: unknown, as for 2020).
    pub start_time: String,
    /// IANA time zone.
    pub time_zone: String,
    /// The start with its offset (RFC 3339), or the date alone.
    pub start: String,
    /// Minutes; 0 unknown.
    pub duration_minutes: u32,
    pub description_es: String,
    pub description_en: String,
    pub description_pt: String,
    /// Codebook codes.
    pub topics: Vec<String>,
    /// Seats; null is unlimited.
    pub capacity: Option<u32>,
    /// scheduled, rescheduled, cancelled or held.
    pub status: String,
    pub facebook_url: String,
    /// Raised on every change (iCalendar SEQUENCE).
    pub sequence: u32,
}

/// One series with its reported figures and presenters.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SeriesJson {
    pub id: String,
    pub title_es: String,
    pub title_en: String,
    pub title_pt: String,
    pub description_es: String,
    pub description_en: String,
    pub description_pt: String,
    pub original_language: String,
    /// Directory id of the organiser.
    pub organiser: String,
    pub hashtag: String,
    pub certificate_policy: String,
    /// Figures a source reports, each with the source.
    pub figures: Vec<FigureJson>,
    /// Presenters: `institution` (directory id) or a person; `session`
    /// empty for the series as a whole.
    pub presenters: Vec<PresenterJson>,
    /// Ids of its sessions, by number.
    pub sessions: Vec<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FigureJson {
    pub key: String,
    pub value: String,
    pub source: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PresenterJson {
    pub session: String,
    pub institution: String,
    pub name: String,
    pub role: String,
    pub source: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SeriesList {
    pub items: Vec<SeriesJson>,
    pub total: u64,
}

async fn series_json(
    state: &AppState,
    s: faro_domain::events::Series,
) -> Result<SeriesJson, ApiError> {
    let presenters = faro_store::events::presenters(&state.store, &s.id).await?;
    let sessions = faro_store::events::for_series(&state.store, &s.id).await?;
    Ok(SeriesJson {
        figures: s
            .figures
            .into_iter()
            .map(|f| FigureJson {
                key: f.key,
                value: f.value,
                source: f.source,
            })
            .collect(),
        presenters: presenters
            .into_iter()
            .map(|p| PresenterJson {
                session: p.session,
                institution: p.institution,
                name: p.name,
                role: p.role,
                source: p.source,
            })
            .collect(),
        sessions: sessions.into_iter().map(|x| x.id).collect(),
        id: s.id,
        title_es: s.title_es,
        title_en: s.title_en,
        title_pt: s.title_pt,
        description_es: s.description_es,
        description_en: s.description_en,
        description_pt: s.description_pt,
        original_language: s.original_language,
        organiser: s.organiser,
        hashtag: s.hashtag,
        certificate_policy: s.certificate_policy,
    })
}

/// Every series.
#[utoipa::path(
    get,
    operation_id = "list_series",
    path = "/api/v1/series",
    tag = "events",
    responses((status = 200, description = "Every event series, newest first", body = SeriesList))
)]
pub async fn list_series(State(state): State<AppState>) -> Result<Json<SeriesList>, ApiError> {
    let mut items = Vec::new();
    for s in faro_store::events::list_series(&state.store).await? {
        items.push(series_json(&state, s).await?);
    }
    Ok(Json(SeriesList {
        total: items.len() as u64,
        items,
    }))
}

/// One series by id.
#[utoipa::path(
    get,
    operation_id = "get_series",
    path = "/api/v1/series/{id}",
    tag = "events",
    params(("id" = String, Path, description = "Series id, e.g. `vc2020`")),
    responses(
        (status = 200, description = "The series", body = SeriesJson),
        (status = 404, description = "No series has this id", body = ErrorBody)
    )
)]
pub async fn get_series(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<SeriesJson>, ApiError> {
    let s = match faro_store::events::get_series(&state.store, &id).await {
        Ok(s) => s,
        Err(faro_store::StoreError::NotFound) => return Err(ApiError::not_found("series")),
        Err(e) => return Err(e.into()),
    };
    Ok(Json(series_json(&state, s).await?))
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
        start: s.start_iso(),
        start_time: s.start_time,
        time_zone: s.time_zone,
        duration_minutes: s.duration_minutes,
        description_es: s.description_es,
        description_en: s.description_en,
        description_pt: s.description_pt,
        topics: s.topics,
        capacity: s.capacity,
        status: s.status,
        facebook_url: s.facebook_url,
        sequence: s.sequence,
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
